//! The build script's settings: where the models and the revisions are, and the
//! builder a `build.rs` uses when the defaults do not fit.
//!
//! Relative paths are resolved against the crate's manifest directory
//! (`CARGO_MANIFEST_DIR` in a build script, or [`Config::manifest_dir`] when called
//! from elsewhere, e.g. the CLI), so the result never depends on the current directory.
//!
//! The project's settings (the version table, the default dialect, the tables
//! migrate manages) come from the crate's `migrate.toml`, the file the CLI reads too:
//! the script checks against its `[tables]` filter and embeds all three in the binary
//! ([`migrate_core::embed::EmbeddedSettings`]).

use std::env;
use std::path::{Path, PathBuf};

use migrate_core::filter::TableFilter;
use migrate_core::project::{ProjectFile, ProjectSettings};

/// Default directory scanned for `#[derive(Model)]` structs.
pub const DEFAULT_SOURCE_DIR: &str = "src";
/// Default directory holding the revision files.
pub const DEFAULT_MIGRATIONS_DIR: &str = "migrations";
/// The project configuration file the CLI reads; the build script reads it too.
pub use migrate_core::project::CONFIG_FILE;

/// Settings of the build script; `Config::new()` gives the defaults
/// (`src/` for models, `migrations/` for revisions). The version table and the
/// tables migrate manages are set in `migrate.toml`, for the CLI and the binary alike.
///
/// ```no_run
/// // build.rs
/// fn main() {
///     migrate_build::Config::new()
///         .source_dir("src/models")
///         .migrations_dir("db/migrations")
///         .run();
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    manifest_dir: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    source_dirs: Vec<PathBuf>,
    migrations_dir: PathBuf,
    drift_on_fields: bool,
    tables: Option<TableFilter>,
    embed_dirs: Vec<PathBuf>,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

impl Config {
    /// The defaults: models in `src/`, revisions in `migrations/`.
    pub fn new() -> Self {
        Config {
            manifest_dir: None,
            out_dir: None,
            source_dirs: vec![PathBuf::from(DEFAULT_SOURCE_DIR)],
            migrations_dir: PathBuf::from(DEFAULT_MIGRATIONS_DIR),
            drift_on_fields: false,
            tables: None,
            embed_dirs: Vec::new(),
        }
    }

    /// Also embeds the revisions of `dir` (relative to the crate's manifest, like
    /// every path here), for `migrate::embedded!("dir")` written with the same text:
    /// the migrations of another database kept elsewhere. The directory is watched
    /// and its graph checked; its models are not compared (they belong to another
    /// crate's build). Call it once per directory.
    pub fn embed_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.embed_dirs.push(dir.into());
        self
    }

    /// The directories of [`Config::embed_dir`], as written.
    pub fn embed_dirs(&self) -> &[PathBuf] {
        &self.embed_dirs
    }

    /// Scans `dir` (instead of `src/`) for models. Call [`Config::add_source_dir`]
    /// to scan several directories.
    pub fn source_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.source_dirs = vec![dir.into()];
        self
    }

    /// Scans `dir` too, in addition to the directories already set.
    pub fn add_source_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.source_dirs.push(dir.into());
        self
    }

    /// Reads and writes revision files in `dir` (instead of `migrations/`).
    pub fn migrations_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.migrations_dir = dir.into();
        self
    }

    /// Lets `#[derive(Model)]` report drift as compile errors on the drifted fields
    /// (a caret under the field, shown inline by an editor) instead of this script
    /// failing the build with the whole-schema report, which then comes as
    /// warnings. The script still fails by itself for drift no struct can show: a
    /// removed model (dropped table) and changes of foreign keys, which the derive
    /// cannot compare. Every model struct found in the sources must be compiled
    /// (not behind a `cfg` that is off), or its drift goes unreported.
    pub fn drift_on_fields(mut self, yes: bool) -> Self {
        self.drift_on_fields = yes;
        self
    }

    /// Compares only the tables `filter` manages (instead of the `[tables]` section
    /// of the crate's `migrate.toml`); the others are neither checked nor written
    /// by autogenerate.
    pub fn tables(mut self, filter: TableFilter) -> Self {
        self.tables = Some(filter);
        self
    }

    /// The configuration file the settings are read from: `migrate.toml` in the
    /// crate root.
    pub fn config_file(&self) -> PathBuf {
        self.resolved_manifest_dir().join(CONFIG_FILE)
    }

    /// The project's settings: those of [`Config::config_file`] when it exists (else
    /// the defaults), with the table filter of [`Config::tables`] when set. A bad
    /// file, name or pattern is an error naming the file and line.
    pub fn resolved_settings(&self) -> Result<ProjectSettings, String> {
        let path = self.config_file();
        let mut settings = match std::fs::read_to_string(&path) {
            Ok(text) => ProjectFile::parse(&text)
                .map_err(|e| format!("{}:{}: {}", self.display_path(&path), e.line, e.message))?
                .settings(),
            Err(_) => ProjectSettings::default(),
        };
        if let Some(filter) = &self.tables {
            settings.tables = filter.clone();
        }
        Ok(settings)
    }

    /// The directory of schema object files: `objects_dir` of migrate.toml (default
    /// `schema`), relative to the crate root. A bad migrate.toml is reported by
    /// [`Config::resolved_settings`]; here it gives the default.
    pub fn resolved_objects_dir(&self) -> PathBuf {
        let file = std::fs::read_to_string(self.config_file())
            .ok()
            .and_then(|text| ProjectFile::parse(&text).ok())
            .unwrap_or_default();
        self.resolved_manifest_dir().join(file.objects_dir())
    }

    /// The `[safety]` table of [`Config::config_file`], if it has one: the run
    /// policy autogenerate writes into new revisions, and the lint levels.
    pub fn resolved_safety(&self) -> Result<Option<migrate_core::online::SafetyTable>, String> {
        let path = self.config_file();
        match std::fs::read_to_string(&path) {
            Ok(text) => ProjectFile::parse(&text)
                .map(|f| f.safety)
                .map_err(|e| format!("{}:{}: {}", self.display_path(&path), e.line, e.message)),
            Err(_) => Ok(None),
        }
    }

    /// The tables to compare (see [`Config::resolved_settings`]).
    pub fn resolved_table_filter(&self) -> Result<TableFilter, String> {
        self.resolved_settings().map(|s| s.tables)
    }

    /// Whether [`Config::drift_on_fields`] is on.
    pub fn drift_on_fields_enabled(&self) -> bool {
        self.drift_on_fields
    }

    /// The crate root that relative paths are resolved against; defaults to
    /// `CARGO_MANIFEST_DIR`, then to the current directory.
    pub fn manifest_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.manifest_dir = Some(dir.into());
        self
    }

    /// Where generated files go; defaults to `OUT_DIR` (set by cargo for build scripts).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// The crate root (see [`Config::manifest_dir`]).
    pub fn resolved_manifest_dir(&self) -> PathBuf {
        if let Some(dir) = &self.manifest_dir {
            return dir.clone();
        }
        match env::var_os("CARGO_MANIFEST_DIR") {
            Some(dir) => PathBuf::from(dir),
            None => env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
        }
    }

    /// The output directory, if one is set or `OUT_DIR` is.
    pub fn resolved_out_dir(&self) -> Option<PathBuf> {
        self.out_dir
            .clone()
            .or_else(|| env::var_os("OUT_DIR").map(PathBuf::from))
    }

    /// The source directories, as absolute paths.
    pub fn resolved_source_dirs(&self) -> Vec<PathBuf> {
        let root = self.resolved_manifest_dir();
        self.source_dirs.iter().map(|d| root.join(d)).collect()
    }

    /// The migrations directory, as an absolute path.
    pub fn resolved_migrations_dir(&self) -> PathBuf {
        self.resolved_manifest_dir().join(&self.migrations_dir)
    }

    /// `path` relative to the crate root when it is inside it, for messages.
    pub fn display_path(&self, path: &Path) -> String {
        let root = self.resolved_manifest_dir();
        path.strip_prefix(&root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// Checks the settings that can be wrong on their own; the error says which and how to fix it.
    pub fn validate(&self) -> Result<(), String> {
        if self.source_dirs.is_empty() {
            return Err("no source directory to scan for models: call Config::source_dir".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_against_the_manifest_dir() {
        let c = Config::new()
            .manifest_dir("/crate")
            .source_dir("src/models")
            .migrations_dir("db");
        assert_eq!(
            c.resolved_source_dirs(),
            vec![PathBuf::from("/crate/src/models")]
        );
        assert_eq!(c.resolved_migrations_dir(), PathBuf::from("/crate/db"));
        assert_eq!(c.display_path(Path::new("/crate/db/x.toml")), "db/x.toml");
    }

    #[test]
    fn settings_come_from_migrate_toml() {
        let dir = tempfile::tempdir().unwrap();
        let c = Config::new().manifest_dir(dir.path());
        assert_eq!(c.resolved_settings().unwrap(), ProjectSettings::default());
        std::fs::write(
            dir.path().join(CONFIG_FILE),
            "version_table = \"app_version\"\n[tables]\nexclude = [\"legacy_*\"]\n",
        )
        .unwrap();
        let settings = c.resolved_settings().unwrap();
        assert_eq!(settings.version_table, "app_version");
        assert!(!settings.tables.manages("legacy_a"));
        let overridden = c.clone().tables(TableFilter::default());
        assert!(overridden
            .resolved_settings()
            .unwrap()
            .tables
            .manages("legacy_a"));
        std::fs::write(dir.path().join(CONFIG_FILE), "\nversion_table = \"a b\"\n").unwrap();
        let err = c.resolved_settings().unwrap_err();
        assert!(
            err.starts_with("migrate.toml:2: version table name"),
            "{err}"
        );
    }
}
