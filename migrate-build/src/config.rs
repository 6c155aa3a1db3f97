//! The build script's settings: where the models and the revisions are, and the
//! builder a `build.rs` uses when the defaults do not fit.
//!
//! Relative paths are resolved against the crate's manifest directory
//! (`CARGO_MANIFEST_DIR` in a build script, or [`Config::manifest_dir`] when called
//! from elsewhere, e.g. the CLI), so the result never depends on the current directory.
//!
//! The tables migrate manages come from [`Config::tables`], else from the `[tables]`
//! section of the crate's `migrate.toml` (the file the CLI reads too), else every table.

use std::env;
use std::path::{Path, PathBuf};

use migrate_core::filter::TableFilter;

/// Default directory scanned for `#[derive(Model)]` structs.
pub const DEFAULT_SOURCE_DIR: &str = "src";
/// Default directory holding the revision files.
pub const DEFAULT_MIGRATIONS_DIR: &str = "migrations";
/// Default name of the version table.
pub const DEFAULT_VERSION_TABLE: &str = "migrate_version";
/// The project configuration file the CLI reads; the build script reads its `[tables]`.
pub const CONFIG_FILE: &str = "migrate.toml";
/// Dialect names [`Config::dialects`] accepts.
pub const KNOWN_DIALECTS: &[&str] = &["postgres", "mysql", "sqlite"];

/// Settings of the build script; `Config::new()` gives the defaults
/// (`src/` for models, `migrations/` for revisions, table `migrate_version`).
///
/// ```no_run
/// // build.rs
/// fn main() {
///     migrate_build::Config::new()
///         .source_dir("src/models")
///         .migrations_dir("db/migrations")
///         .version_table("schema_version")
///         .dialects(&["postgres", "sqlite"])
///         .run();
/// }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    manifest_dir: Option<PathBuf>,
    out_dir: Option<PathBuf>,
    source_dirs: Vec<PathBuf>,
    migrations_dir: PathBuf,
    version_table: String,
    dialects: Vec<String>,
    drift_on_fields: bool,
    tables: Option<TableFilter>,
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
            version_table: DEFAULT_VERSION_TABLE.to_string(),
            dialects: Vec::new(),
            drift_on_fields: false,
            tables: None,
        }
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

    /// Name of the version table the runtime uses (instead of `migrate_version`).
    /// The build passes it to the crate as the compile-time environment variable
    /// `MIGRATE_VERSION_TABLE`.
    pub fn version_table(mut self, name: impl Into<String>) -> Self {
        self.version_table = name.into();
        self
    }

    /// The databases the crate targets (`"postgres"`, `"mysql"`, `"sqlite"`).
    /// Passed to the crate as `MIGRATE_DIALECTS` (comma separated).
    pub fn dialects(mut self, dialects: &[&str]) -> Self {
        self.dialects = dialects.iter().map(|d| d.to_string()).collect();
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

    /// The configuration file the table filter is read from when
    /// [`Config::tables`] is not set: `migrate.toml` in the crate root.
    pub fn config_file(&self) -> PathBuf {
        self.resolved_manifest_dir().join(CONFIG_FILE)
    }

    /// The tables to compare: [`Config::tables`], else `[tables]` of
    /// [`Config::config_file`] when it exists, else every table. A bad file or
    /// pattern is an error naming the file, line and pattern.
    pub fn resolved_table_filter(&self) -> Result<TableFilter, String> {
        if let Some(filter) = &self.tables {
            return Ok(filter.clone());
        }
        let path = self.config_file();
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Ok(TableFilter::default());
        };
        // Only `[tables]` matters here; the CLI validates the other keys.
        #[derive(serde::Deserialize)]
        struct Project {
            #[serde(default)]
            tables: TableFilter,
        }
        toml::from_str::<Project>(&text)
            .map(|p| p.tables)
            .map_err(|e| {
                let line = e
                    .span()
                    .map(|span| text[..span.start].matches('\n').count() + 1)
                    .unwrap_or(1);
                format!(
                    "{}:{line}: {}",
                    self.display_path(&path),
                    e.message().trim_end()
                )
            })
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

    /// The version table's name.
    pub fn version_table_name(&self) -> &str {
        &self.version_table
    }

    /// The dialects set with [`Config::dialects`].
    pub fn dialect_names(&self) -> &[String] {
        &self.dialects
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
        let t = &self.version_table;
        let ident_ok = !t.is_empty()
            && t.len() <= 63
            && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !t.starts_with(|c: char| c.is_ascii_digit());
        if !ident_ok {
            return Err(format!(
                "version table name '{t}' is not a plain SQL identifier: use letters, digits \
                 and '_', at most 63 characters, not starting with a digit"
            ));
        }
        for d in &self.dialects {
            if !KNOWN_DIALECTS.contains(&d.as_str()) {
                return Err(format!(
                    "unknown dialect '{d}' in Config::dialects: use one of {}",
                    KNOWN_DIALECTS.join(", ")
                ));
            }
        }
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
    fn bad_version_table_and_dialect_are_rejected() {
        assert!(Config::new().validate().is_ok());
        let err = Config::new().version_table("drop table;").validate();
        assert!(err.unwrap_err().contains("drop table;"));
        let err = Config::new().dialects(&["oracle"]).validate();
        assert!(err.unwrap_err().contains("oracle"));
    }
}
