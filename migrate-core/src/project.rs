//! `migrate.toml`: the project's settings, read by the build script, the CLI and
//! (through what the build script embeds, [`crate::embed::EmbeddedSettings`]) the
//! runtime and `run_embedded`.
//!
//! Rule: this file is the one source of the version table's name, the default
//! dialect and the `[tables]` filter. The build script embeds the three in the
//! binary, so the CLI on the files and the deployed binary on what it embedded use
//! the same version table and leave the same tables alone.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::dialect::version_table::DEFAULT_NAME as DEFAULT_VERSION_TABLE;
use crate::dialect::DialectKind;
use crate::filter::TableFilter;
use crate::online::{locate, PolicyError};

/// The configuration file's name, in the project root (the crate root for the
/// build script).
pub const CONFIG_FILE: &str = "migrate.toml";

/// The contents of `migrate.toml`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    /// The directory holding revision files, relative to the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migrations_dir: Option<PathBuf>,
    /// Directories scanned for `#[derive(Model)]` structs, relative to the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub models: Option<Vec<PathBuf>>,
    /// The database URL (prefer `DATABASE_URL` for URLs with a password).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
    /// The dialect for `--sql` without a URL: `postgres`, `mysql` or `sqlite`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dialect: Option<String>,
    /// The version table's name (default `migrate_version`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_table: Option<String>,
    /// `[tables]`: the tables migrate manages (include and exclude glob patterns).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tables: Option<TableFilter>,
    /// `[hooks]`: commands the CLI runs after it writes a file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hooks: Option<Hooks>,
    /// `[runtime]`: how runs take the migration lock.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<RuntimeSection>,
    /// The directory of schema object files (views, triggers, functions...),
    /// relative to the file; `schema` by default (see [`crate::objects::files`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objects_dir: Option<PathBuf>,
    /// `[safety]`: the run policy autogenerate writes into new revisions, and the
    /// lint levels (docs/safety.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub safety: Option<crate::online::SafetyTable>,
}

/// `[runtime]` of `migrate.toml`: the migration lock of `upgrade`, `downgrade`,
/// `stamp` and `resolve`, and how their revisions share transactions (the CLI's
/// and `run_embedded`'s).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuntimeSection {
    /// `auto` (default), `advisory` or `table` ([`LockMode`]).
    #[serde(default, skip_serializing_if = "Option::is_none", with = "lock_mode")]
    pub lock: Option<LockMode>,
    /// The lock table's lease in milliseconds (default 30000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lease_ms: Option<u64>,
    /// `per_revision` (default) or `all` ([`TransactionMode`]).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "transaction_mode"
    )]
    pub transaction: Option<TransactionMode>,
}

/// How a run's revisions share transactions on PostgreSQL and SQLite (`[runtime]
/// transaction` of `migrate.toml`; the runtime's `Migrator::transaction_mode`).
/// MySQL/MariaDB commits each DDL statement on its own, whatever this says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TransactionMode {
    /// Each revision in its own transaction (the default): a failing revision leaves the
    /// database at the previous revision, with the earlier ones of the run kept.
    #[default]
    PerRevision,
    /// All pending revisions in one transaction: a failure undoes the whole run.
    /// A statement flagged non-transactional still commits what came before it.
    All,
}

impl TransactionMode {
    /// The name used in `migrate.toml`: `per_revision` or `all`.
    pub fn name(self) -> &'static str {
        match self {
            TransactionMode::PerRevision => "per_revision",
            TransactionMode::All => "all",
        }
    }
}

impl fmt::Display for TransactionMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for TransactionMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "per_revision" => Ok(TransactionMode::PerRevision),
            "all" => Ok(TransactionMode::All),
            other => Err(format!(
                "unknown transaction mode `{other}`: expected `per_revision` (one \
                 transaction per revision) or `all` (one for the whole run)"
            )),
        }
    }
}

/// `transaction = "..."`, read with [`TransactionMode`]'s own parser.
mod transaction_mode {
    use super::TransactionMode;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(
        mode: &Option<TransactionMode>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match mode {
            Some(mode) => s.serialize_str(mode.name()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<TransactionMode>, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map(Some).map_err(serde::de::Error::custom)
    }
}

/// Which migration lock a run takes (`[runtime] lock` of `migrate.toml`; the runtime's `Migrator::lock_mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LockMode {
    /// The database's own lock, except where it does not serialise the whole
    /// database: on a MariaDB Galera cluster (`wsrep_on` is `ON`), where `GET_LOCK` is
    /// local to one node, the lock table is used. The default.
    #[default]
    Auto,
    /// The database's own lock: `pg_advisory_lock` on PostgreSQL, `GET_LOCK` on MySQL,
    /// the write transaction on SQLite. Refused on a Galera cluster.
    Advisory,
    /// A row in the lock table `<table>_lock`, held with a lease that the run renews
    /// while it lasts: a process that dies frees it when the lease ends.
    Table,
}

impl LockMode {
    /// The name used in `migrate.toml`: `auto`, `advisory` or `table`.
    pub fn name(self) -> &'static str {
        match self {
            LockMode::Auto => "auto",
            LockMode::Advisory => "advisory",
            LockMode::Table => "table",
        }
    }
}

impl fmt::Display for LockMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for LockMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "auto" => Ok(LockMode::Auto),
            "advisory" => Ok(LockMode::Advisory),
            "table" => Ok(LockMode::Table),
            other => Err(format!(
                "unknown lock mode `{other}`: expected `auto`, `advisory` or `table`"
            )),
        }
    }
}

/// `lock = "..."`, read with [`LockMode`]'s own parser.
mod lock_mode {
    use super::LockMode;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(mode: &Option<LockMode>, s: S) -> Result<S::Ok, S::Error> {
        match mode {
            Some(mode) => s.serialize_str(mode.name()),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<LockMode>, D::Error> {
        let text = String::deserialize(d)?;
        text.parse().map(Some).map_err(serde::de::Error::custom)
    }
}

/// `[hooks]` of `migrate.toml` (Alembic's `post_write_hooks`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hooks {
    /// A shell command run after a revision file is written (by `revision`,
    /// `merge` or `adopt`), with the file's path as its last argument, in the
    /// project root; e.g. `"taplo format"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub post_write: Option<String>,
}

/// What is wrong with a `migrate.toml`, and on which line.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ProjectFileError {
    /// 1-based line of the offending key or value.
    pub line: usize,
    /// What is wrong, with the fix.
    pub message: String,
}

/// A bad `[safety]` table of `migrate.toml` as the file's error.
fn safety_error(e: PolicyError) -> ProjectFileError {
    ProjectFileError {
        line: e.line.unwrap_or(1),
        message: PolicyError { line: None, ..e }.to_string(),
    }
}

/// The keys `migrate.toml` has, for error messages.
pub const KEYS_HELP: &str =
    "the keys are migrations_dir, models, database_url, dialect, version_table, [tables] (include, exclude), [hooks] (post_write), [runtime] (lock, lease_ms, transaction), objects_dir and [safety] (docs/safety.md)";

impl ProjectFile {
    /// Parses the text of a `migrate.toml` and checks the settings that can be wrong
    /// on their own (the version table's name, the dialect, the table patterns).
    pub fn parse(text: &str) -> Result<ProjectFile, ProjectFileError> {
        let file: ProjectFile = toml::from_str(text).map_err(|e| {
            // A key of `[safety]` is explained with what it accepts.
            let safety = e.span().and_then(|s| locate::at(text, s.start));
            match safety {
                Some(_) => safety_error(PolicyError::from_toml(text, e.message(), e.span())),
                None => ProjectFileError {
                    line: e
                        .span()
                        .map_or(1, |s| crate::revision::read::line_of(text, s.start)),
                    message: format!("{}; {KEYS_HELP}", e.message().trim_end()),
                },
            }
        })?;
        if let Some(safety) = &file.safety {
            safety
                .validate()
                .map_err(|e| safety_error(e.placed(text)))?;
        }
        // The key's line, for the checks below.
        let key_line = |key: &str| {
            text.lines()
                .position(|l| l.trim_start().starts_with(key))
                .map(|i| i + 1)
                .unwrap_or(1)
        };
        if let Some(name) = &file.version_table {
            check_version_table_name(name).map_err(|message| ProjectFileError {
                line: key_line("version_table"),
                message,
            })?;
        }
        if let Some(dialect) = &file.dialect {
            dialect
                .parse::<DialectKind>()
                .map_err(|_| ProjectFileError {
                    line: key_line("dialect"),
                    message: format!(
                        "unknown dialect '{dialect}': use one of postgres, mysql, sqlite"
                    ),
                })?;
        }
        Ok(file)
    }

    /// The objects directory, relative to the file (`schema` unless `objects_dir`
    /// says otherwise).
    pub fn objects_dir(&self) -> PathBuf {
        self.objects_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from(crate::objects::files::DEFAULT_DIR))
    }

    /// The settings the build script embeds.
    pub fn settings(&self) -> ProjectSettings {
        ProjectSettings {
            version_table: self
                .version_table
                .clone()
                .unwrap_or_else(|| DEFAULT_VERSION_TABLE.to_string()),
            dialect: self.dialect.as_deref().and_then(|d| d.parse().ok()),
            tables: self.tables.clone().unwrap_or_default(),
        }
    }
}

/// The settings of `migrate.toml` that a binary carries with its revisions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectSettings {
    /// The version table's name (the log table is `<name>_log`).
    pub version_table: String,
    /// The dialect for offline scripts when no URL says which.
    pub dialect: Option<DialectKind>,
    /// The tables migrate manages.
    pub tables: TableFilter,
}

impl Default for ProjectSettings {
    fn default() -> Self {
        ProjectSettings {
            version_table: DEFAULT_VERSION_TABLE.to_string(),
            dialect: None,
            tables: TableFilter::default(),
        }
    }
}

/// Checks a version table name: a plain SQL identifier (letters, digits and `_`, not
/// starting with a digit, at most 63 bytes), so it needs no quoting anywhere and
/// fits PostgreSQL's limit with its `_log` companion's name.
pub fn check_version_table_name(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() + "_log".len() <= crate::naming::MAX_IDENTIFIER_LEN
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if ok {
        Ok(())
    } else {
        Err(format!(
            "version table name '{name}' is not a plain SQL identifier: use letters, digits \
             and '_', not starting with a digit, at most {} characters (its log table adds `_log`)",
            crate::naming::MAX_IDENTIFIER_LEN - "_log".len()
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_default_and_read_back() {
        let file = ProjectFile::parse("").unwrap();
        assert_eq!(file.settings(), ProjectSettings::default());
        let file = ProjectFile::parse(
            "version_table = \"app_version\"\ndialect = \"mysql\"\n[tables]\nexclude = [\"legacy_*\"]\n",
        )
        .unwrap();
        let settings = file.settings();
        assert_eq!(settings.version_table, "app_version");
        assert_eq!(settings.dialect, Some(DialectKind::MySql));
        assert!(!settings.tables.manages("legacy_orders"));
    }

    #[test]
    fn bad_values_name_their_line() {
        let err = ProjectFile::parse("models = [\"src\"]\nversion_table = \"drop table;\"\n")
            .unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("drop table;"), "{err}");
        let err = ProjectFile::parse("\ndialect = \"oracle\"\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.message.contains("oracle"), "{err}");
        let err = ProjectFile::parse("\n\nversion = 1\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("version_table"), "{err}");
        // `[safety]`: the line, the key, its value and what it takes.
        let err =
            ProjectFile::parse("dialect = \"postgres\"\n[safety]\nforms = \"fast\"\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.message.starts_with("[safety] forms: forms = \"fast\""),
            "{err}"
        );
        assert!(err.message.contains("\"online\" or \"blocking\""), "{err}");
        let err = ProjectFile::parse(
            "[safety]\nforms = \"online\"\nstatement_timeout = \"1 fortnight-ish\"\n",
        )
        .unwrap_err();
        assert_eq!(err.line, 3);
        assert!(
            err.message
                .contains("[safety] statement_timeout: `1 fortnight-ish`"),
            "{err}"
        );
        let err = ProjectFile::parse("[safety]\n\n[safety.lints]\nrenaming-column = \"never\"\n")
            .unwrap_err();
        assert_eq!(err.line, 4);
        assert!(err.message.contains("lints.renaming-column"), "{err}");
        let long = "a".repeat(60);
        assert!(check_version_table_name(&long).is_err());
        assert!(check_version_table_name("schema_version").is_ok());
    }
}
