//! Configuration: where the migrations are, and which database to talk to.
//!
//! The database URL is taken from the first of: `--database-url`, the `DATABASE_URL`
//! environment variable, a `.env` file (in the current directory, then the project
//! root), and `database_url` in `migrate.toml`. The project root is the directory of
//! `migrate.toml` (given with `--config`, or found in the current directory or one of
//! its parents); without one, the current directory.

use std::fmt;
use std::path::{Path, PathBuf};

use migrate_core::embed::EmbeddedSettings;
use migrate_core::filter::TableFilter;

use crate::error::{CliError, CliResult};
use crate::mask::mask_url;

/// The configuration file's name, and its contents (parsed by the core, which the
/// build script shares).
pub use migrate_core::project::{ProjectFile as ConfigFile, CONFIG_FILE};

/// The URL `init` writes when none is given; commands refuse to connect to it.
pub const PLACEHOLDER_URL: &str = "postgres://USER:PASSWORD@localhost/DBNAME";

/// Reads and parses a configuration file; errors name the file and line.
pub fn load_config_file(path: &Path) -> CliResult<ConfigFile> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::usage(format!("cannot read {}: {e}", path.display()))
            .fix("check the path given to --config, or run `cargo migrate init`")
    })?;
    ConfigFile::parse(&text).map_err(|e| {
        CliError::usage(format!("{}:{}: {}", path.display(), e.line, e.message))
            .fix("correct that line of the file, then run the command again")
    })
}

/// Where the database URL came from (shown with `--verbose` and in errors).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UrlSource {
    /// `--database-url`.
    Flag,
    /// The `DATABASE_URL` environment variable.
    Env,
    /// A `.env` file.
    DotEnv(PathBuf),
    /// `database_url` in `migrate.toml`.
    ConfigFile(PathBuf),
}

impl fmt::Display for UrlSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UrlSource::Flag => f.write_str("--database-url"),
            UrlSource::Env => f.write_str("the DATABASE_URL environment variable"),
            UrlSource::DotEnv(path) => write!(f, "DATABASE_URL in {}", path.display()),
            UrlSource::ConfigFile(path) => write!(f, "database_url in {}", path.display()),
        }
    }
}

/// A database URL and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatabaseUrl {
    /// The URL, password included: never print it, print [`DatabaseUrl::masked`].
    pub url: String,
    /// Where it came from.
    pub source: UrlSource,
}

impl DatabaseUrl {
    /// Checks that the URL names a database migrate supports (by its scheme).
    pub fn validate(&self) -> CliResult<()> {
        match migrate_core::url::kind_of(&self.url) {
            Some(_) => Ok(()),
            None => Err(CliError::usage(format!(
                "the database URL {} (from {}) is not a SQLite, PostgreSQL or MySQL URL",
                self.masked(),
                self.source
            ))
            .fix("write it as sqlite://path.db, postgres://user:password@host/db or mysql://user:password@host/db")),
        }
    }

    /// The URL with its password replaced by `***`.
    pub fn masked(&self) -> String {
        mask_url(&self.url)
    }
}

/// What the command line says about configuration.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--database-url`.
    pub database_url: Option<String>,
    /// `--migrations-dir`.
    pub migrations_dir: Option<PathBuf>,
}

/// The resolved configuration.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The project root: the config file's directory, or the current directory.
    pub root: PathBuf,
    /// The config file, if one was found.
    pub config_path: Option<PathBuf>,
    /// The parsed config file (empty when there is none).
    pub file: ConfigFile,
    /// The migrations directory (absolute or relative to the current directory).
    pub migrations_dir: PathBuf,
    /// Directories to scan for models.
    pub model_dirs: Vec<PathBuf>,
    /// The database URL, if any source gave one.
    pub database_url: Option<DatabaseUrl>,
    /// The version table's name.
    pub version_table: String,
    /// The tables migrate manages (`[tables]` of the file; default every table).
    pub tables: TableFilter,
}

impl Settings {
    /// Resolves the configuration from the command line, the environment, `.env`
    /// and `migrate.toml`, starting the search at `cwd`.
    pub fn resolve(overrides: &Overrides, cwd: &Path) -> CliResult<Settings> {
        let config_path =
            match &overrides.config {
                Some(path) => {
                    let path = cwd.join(path);
                    if !path.is_file() {
                        return Err(CliError::usage(format!(
                        "config file {} does not exist",
                        path.display()
                    ))
                    .fix("give the path of an existing migrate.toml, or run `cargo migrate init`"));
                    }
                    Some(path)
                }
                None => find_config(cwd),
            };
        let file = match &config_path {
            Some(path) => load_config_file(path)?,
            None => ConfigFile::default(),
        };
        let root = config_path
            .as_deref()
            .and_then(Path::parent)
            .map(Path::to_path_buf)
            .unwrap_or_else(|| cwd.to_path_buf());
        let migrations_dir = match &overrides.migrations_dir {
            Some(dir) => cwd.join(dir),
            None => root.join(
                file.migrations_dir
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("migrations")),
            ),
        };
        let model_dirs = file
            .models
            .clone()
            .unwrap_or_else(|| vec![PathBuf::from("src")])
            .into_iter()
            .map(|dir| root.join(dir))
            .collect();
        let database_url = resolve_url(overrides, cwd, &root, &file, config_path.as_deref())?;
        let project = file.settings();
        Ok(Settings {
            version_table: project.version_table,
            tables: project.tables,
            root,
            config_path,
            file,
            migrations_dir,
            model_dirs,
            database_url,
        })
    }

    /// Takes the version table, the dialect and the table filter from the settings
    /// a binary embedded (see [`crate::run_embedded`]).
    pub fn use_embedded(&mut self, embedded: &EmbeddedSettings) -> CliResult<()> {
        let project = embedded.to_project_settings().map_err(|e| {
            CliError::usage(format!("the table filter embedded in this binary: {e}"))
                .fix("correct [tables] in the project's migrate.toml and rebuild the binary")
        })?;
        self.version_table = project.version_table;
        self.tables = project.tables;
        self.file.dialect = project.dialect.map(|d| d.name().to_string());
        self.file.version_table = Some(self.version_table.clone());
        Ok(())
    }

    /// The database URL, unless none is configured or it is still `init`'s placeholder.
    pub fn url(&self) -> Option<&DatabaseUrl> {
        self.database_url
            .as_ref()
            .filter(|u| u.url != PLACEHOLDER_URL)
    }

    /// The database URL, or an error saying every place it can be given.
    pub fn require_url(&self) -> CliResult<&DatabaseUrl> {
        if let Some(found) = self
            .database_url
            .as_ref()
            .filter(|u| u.url == PLACEHOLDER_URL)
        {
            return Err(CliError::usage(format!(
                "the database URL from {} is still the placeholder written by `init`",
                found.source
            ))
            .fix("set database_url in migrate.toml, or DATABASE_URL, to your database's URL"));
        }
        let url = self.database_url.as_ref().ok_or_else(|| {
            CliError::usage("no database URL is configured").fix(
                "pass --database-url URL, set DATABASE_URL (in the environment or .env), \
                 or set database_url in migrate.toml; or use --sql to print the script instead",
            )
        })?;
        url.validate()?;
        Ok(url)
    }
}

fn find_config(cwd: &Path) -> Option<PathBuf> {
    cwd.ancestors()
        .map(|dir| dir.join(CONFIG_FILE))
        .find(|path| path.is_file())
}

fn resolve_url(
    overrides: &Overrides,
    cwd: &Path,
    root: &Path,
    file: &ConfigFile,
    config_path: Option<&Path>,
) -> CliResult<Option<DatabaseUrl>> {
    let found = if let Some(url) = non_empty(overrides.database_url.clone()) {
        Some(DatabaseUrl {
            url,
            source: UrlSource::Flag,
        })
    } else if let Some(url) = non_empty(std::env::var("DATABASE_URL").ok()) {
        Some(DatabaseUrl {
            url,
            source: UrlSource::Env,
        })
    } else if let Some(found) = dotenv_url(cwd)?.or(dotenv_url(root)?) {
        Some(found)
    } else {
        non_empty(file.database_url.clone()).map(|url| DatabaseUrl {
            url,
            source: UrlSource::ConfigFile(config_path.map(Path::to_path_buf).unwrap_or_default()),
        })
    };
    Ok(found)
}

fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.trim().is_empty())
}

fn dotenv_url(dir: &Path) -> CliResult<Option<DatabaseUrl>> {
    let path = dir.join(".env");
    if !path.is_file() {
        return Ok(None);
    }
    let iter = dotenvy::from_path_iter(&path).map_err(|e| {
        CliError::usage(format!("cannot read {}: {e}", path.display()))
            .fix("fix the .env file: one KEY=value per line")
    })?;
    for item in iter {
        let (key, value) = item.map_err(|e| {
            CliError::usage(format!("{}: {e}", path.display()))
                .fix("fix the .env file: one KEY=value per line")
        })?;
        if key == "DATABASE_URL" && !value.trim().is_empty() {
            return Ok(Some(DatabaseUrl {
                url: value,
                source: UrlSource::DotEnv(path),
            }));
        }
    }
    Ok(None)
}

/// Adds `tables` (exact names) to `exclude` in the `[tables]` section of the
/// configuration file at `path`, creating the file or the section when missing and
/// keeping the rest of the file (comments included) as it is.
pub fn exclude_tables(path: &Path, tables: &[String]) -> CliResult<()> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            return Err(CliError::io(format!("cannot read {}: {e}", path.display()))
                .fix("check the file's permissions"))
        }
    };
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| {
        CliError::usage(format!("{} is not valid TOML: {e}", path.display()))
            .fix("fix the file, then run the command again")
    })?;
    let section = doc
        .entry("tables")
        .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()))
        .as_table_like_mut()
        .ok_or_else(|| {
            CliError::usage(format!("`tables` in {} is not a table", path.display()))
                .fix("write it as a [tables] section with include and exclude lists")
        })?;
    let exclude = section
        .entry("exclude")
        .or_insert(toml_edit::value(toml_edit::Array::new()))
        .as_array_mut()
        .ok_or_else(|| {
            CliError::usage(format!(
                "`exclude` in [tables] of {} is not a list",
                path.display()
            ))
            .fix("write it as exclude = [\"pattern\", ...]")
        })?;
    let filter = TableFilter::default().excluding(tables);
    for pattern in filter.exclude_patterns() {
        if !exclude.iter().any(|v| v.as_str() == Some(pattern.as_str())) {
            exclude.push(pattern);
        }
    }
    std::fs::write(path, doc.to_string()).map_err(|e| {
        CliError::io(format!("cannot write {}: {e}", path.display()))
            .fix("check that the project directory is writable")
    })
}
