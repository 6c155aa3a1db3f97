//! Settings of a [`Migrator`](crate::Migrator): version table name, lock mode and
//! timeout, transaction mode and the integrity checks that can be relaxed.

use std::collections::BTreeSet;
use std::time::Duration;

use migrate_core::dialect::version_table::VersionTables;

pub use migrate_core::project::{LockMode, TransactionMode};

/// Which applied revisions may differ from their embedded file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub enum ChecksumPolicy {
    /// Any difference stops the run (the default).
    #[default]
    Strict,
    /// These revisions may differ (deliberate edits); others are still checked.
    Allow(BTreeSet<String>),
    /// No revision is checked.
    AllowAll,
}

impl ChecksumPolicy {
    pub(crate) fn allows(&self, id: &str) -> bool {
        match self {
            ChecksumPolicy::Strict => false,
            ChecksumPolicy::Allow(ids) => ids.contains(id),
            ChecksumPolicy::AllowAll => true,
        }
    }
}

/// Settings of a migrator. `Config::default()` is right for most applications.
///
/// Set them with the builder methods of [`Migrator`](crate::Migrator), or change the
/// fields of a copy of [`Migrator::config`](crate::Migrator::config) (which holds the
/// version table of `migrate.toml`; `Config::default()` has the default one) and pass
/// it to [`Migrator::with_config`](crate::Migrator::with_config). It is
/// `#[non_exhaustive]`, so it is not built with a struct literal and a new setting is
/// not a breaking change:
///
/// ```
/// # static REVISIONS: &[migrate_core::embed::EmbeddedRevision] = &[];
/// let migrator = migrate_runtime::Migrator::new(REVISIONS);
/// let mut config = migrator.config().clone();
/// config.lock_timeout = std::time::Duration::from_secs(5);
/// let migrator = migrator.with_config(config);
/// assert_eq!(migrator.config().lock_timeout.as_secs(), 5);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Config {
    /// Name of the heads table (default `migrate_version`); the log table is this name
    /// followed by `_log`.
    pub table: String,
    /// How long to wait for another process's migration lock (and, on SQLite, the busy
    /// timeout). Default 60 s.
    pub lock_timeout: Duration,
    /// Which lock a run takes (default [`LockMode::Auto`]).
    pub lock_mode: LockMode,
    /// How long the lock table's lease lasts without renewal (default 30 s, at
    /// least 300 ms): the longest a crashed process keeps the lock. A run renews it
    /// every third of this. Used only with the lock table.
    pub lease: Duration,
    /// Transaction grouping on PostgreSQL and SQLite.
    pub transaction_mode: TransactionMode,
    /// Which applied revisions may have a different checksum than their file.
    pub checksum_policy: ChecksumPolicy,
    /// Whether applied revisions unknown to this binary are accepted (default: no).
    pub allow_unknown_revisions: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            table: migrate_core::dialect::version_table::DEFAULT_NAME.to_string(),
            lock_timeout: Duration::from_secs(60),
            lock_mode: LockMode::Auto,
            lease: Duration::from_secs(30),
            transaction_mode: TransactionMode::PerRevision,
            checksum_policy: ChecksumPolicy::Strict,
            allow_unknown_revisions: false,
        }
    }
}

impl Config {
    /// The heads table's name.
    pub fn version_table(&self) -> &str {
        &self.table
    }

    /// The applied-history table's name.
    pub fn log_table(&self) -> String {
        format!("{}_log", self.table)
    }

    /// The lock table's name (used by [`LockMode::Table`]).
    pub fn lock_table(&self) -> String {
        self.tables().lock_name()
    }

    /// The statements that keep both tables.
    pub(crate) fn tables(&self) -> VersionTables {
        VersionTables::new(self.table.clone())
    }
}
