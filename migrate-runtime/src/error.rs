//! The runtime's error type.
//!
//! Every failure is one variant of [`Error`], a `#[non_exhaustive]` enum whose messages
//! say what went wrong, which revision (and step) it concerns, and how to fix it.
//! Database URLs only ever appear through [`RedactedUrl`], so a password is never printed.

use std::time::Duration;

use migrate_core::graph::GraphError;

use crate::redact::RedactedUrl;

/// Everything that can go wrong while migrating a database.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The URL's scheme names no database this build supports.
    #[error(
        "unsupported database URL `{url}`: expected sqlite:, postgres:// or mysql:// \
         (and the matching cargo feature of migrate-runtime)"
    )]
    UnsupportedUrl {
        /// The URL, password hidden.
        url: RedactedUrl,
    },

    /// Opening a connection failed.
    #[error("cannot connect to `{url}`: {source}")]
    Connect {
        /// The URL, password hidden.
        url: RedactedUrl,
        /// The driver's error.
        source: sqlx::Error,
    },

    /// A query of the runtime itself (version tables, locks) failed.
    #[error("{context}: {source}")]
    Database {
        /// What the runtime was doing.
        context: String,
        /// The driver's error.
        source: sqlx::Error,
    },

    /// A revision's file could not be read.
    #[error("revision {revision} (file `{file}`) is invalid: {message}")]
    InvalidRevision {
        /// Revision id.
        revision: String,
        /// File name.
        file: String,
        /// What is wrong.
        message: String,
    },

    /// Two revisions share an id, or a revision names a parent that does not exist, or
    /// the parents form a cycle.
    #[error("revision graph is invalid: {0}")]
    Graph(String),

    /// A target names no revision.
    #[error("no revision matches `{target}`; run `history` to list the known ids")]
    UnknownTarget {
        /// The target as given.
        target: String,
    },

    /// A target is a prefix of several revision ids.
    #[error("`{target}` is ambiguous: it matches revisions {matches:?}; give more characters")]
    AmbiguousTarget {
        /// The target as given.
        target: String,
        /// The matching ids.
        matches: Vec<String>,
    },

    /// `head` was asked for but the graph has several heads.
    #[error(
        "the revisions have several heads {heads:?}; upgrade to `heads`, to one of them, \
         or create a merge revision"
    )]
    MultipleHeads {
        /// The heads.
        heads: Vec<String>,
    },

    /// A target cannot be reached in the asked direction.
    #[error("cannot {direction} to `{target}`: {reason}")]
    InvalidTarget {
        /// `upgrade`, `downgrade` or `stamp`.
        direction: &'static str,
        /// The target as given.
        target: String,
        /// Why.
        reason: String,
    },

    /// A statement of a revision failed. Where the revision ran in a transaction it
    /// was rolled back and the database is at the previous revision (`dirty` false);
    /// where statements committed on their own (MySQL DDL, `no_transaction` steps),
    /// the revision is left marked dirty for a repair by hand and `resolve`.
    #[error(
        "revision {revision} ({message}) failed at step {step}: {source}\n  SQL: {sql}\n  \
         {outcome}"
    )]
    RevisionFailed {
        /// Revision id.
        revision: String,
        /// Revision message.
        message: String,
        /// 1-based index of the failing statement.
        step: usize,
        /// The failing statement.
        sql: String,
        /// The database's state afterwards, in words.
        outcome: String,
        /// Whether the revision was left marked dirty in the version log (some of
        /// its statements stay applied): repair by hand, then resolve it.
        dirty: bool,
        /// The driver's error.
        source: sqlx::Error,
    },

    /// A previous run failed half-way through a revision on a database whose DDL commits
    /// on its own (MySQL); the database must be repaired by hand.
    #[error(
        "the database is dirty: revision {revision} failed at step {step} in an earlier run \
         ({error}); the steps before it were committed. Repair the schema by hand, then call \
         `Migrator::resolve_dirty(db, \"{revision}\", Resolution::…)`, or run `cargo \
         migrate resolve {revision} --applied` (or `--not-applied`), to mark it applied or \
         not applied{}",
        also_dirty(others)
    )]
    Dirty {
        /// Revision id.
        revision: String,
        /// 1-based index of the failing statement (0 if unknown).
        step: i64,
        /// The recorded error.
        error: String,
        /// Other revisions marked dirty: those of the same MySQL group, when the run
        /// stopped before it could record them; each may or may not have been applied.
        others: Vec<String>,
    },

    /// An applied revision's file changed since it was applied.
    #[error(
        "revision {revision} was applied with checksum {recorded} but its file now has \
         {embedded}: an applied revision must not be edited (write a new revision); if the \
         edit was deliberate, allow it with `Migrator::allow_checksum_mismatch`"
    )]
    ChecksumMismatch {
        /// Revision id.
        revision: String,
        /// Checksum in the version log.
        recorded: String,
        /// Checksum of the embedded file.
        embedded: String,
    },

    /// The database holds revisions this binary does not know (a newer binary ran).
    #[error(
        "the database has revision(s) {revisions:?} that this binary does not know (a newer \
         version of the application migrated it); deploy the newer binary, downgrade with it, \
         or allow this with `Config::allow_unknown_revisions`"
    )]
    UnknownApplied {
        /// The unknown ids.
        revisions: Vec<String>,
    },

    /// The version table does not list the heads the version log gives (a row deleted
    /// or edited by hand, another tool's writes): the run cannot move the heads past
    /// `revision`, and stopped before running anything.
    #[error(
        "cannot run revision {revision}: the version table `{table}` lists the heads \
         {recorded:?}, but its log `{table}_log` gives {logged:?} (one of the two was \
         changed outside migrate); nothing was run. If the log is right, set the table to \
         its heads (`{repair}`) and run again; if the table is right, the log lost rows: \
         record the database afresh at its real revision (`cargo migrate stamp --purge \
         REV`, or `Migrator::purge` then `Migrator::stamp`)"
    )]
    HeadsDisagree {
        /// The revision the run was about to run.
        revision: String,
        /// The version table.
        table: String,
        /// The heads the version table lists.
        recorded: Vec<String>,
        /// The heads the log's revisions give.
        logged: Vec<String>,
        /// The SQL that sets the version table to `logged`.
        repair: String,
    },

    /// A revision must be undone but neither the binary nor the version log has its
    /// downgrade.
    #[error("cannot downgrade revision {revision}: {reason}")]
    NoDowngrade {
        /// Revision id.
        revision: String,
        /// Why.
        reason: String,
    },

    /// A revision's operations cannot be turned into SQL for this database.
    #[error("revision {revision}: cannot render its operations for {backend}: {reason}")]
    Render {
        /// Revision id.
        revision: String,
        /// 1-based index of the operation, 0 if the dialect does not say.
        step: usize,
        /// Database kind.
        backend: &'static str,
        /// Why.
        reason: String,
    },

    /// The migration lock was not obtained in time.
    #[error(
        "timed out after {waited:?} waiting for the migration lock ({lock}); another process \
         is migrating this database. Retry, or raise `Config::lock_timeout`"
    )]
    LockTimeout {
        /// Which lock.
        lock: String,
        /// How long we waited.
        waited: Duration,
    },

    /// The lock table's lease was lost while the run held it (a renewal found another
    /// holder, or none got through for a whole lease): the run stopped before
    /// `revision`, with the revisions before it applied and recorded.
    #[error(
        "the migration lock's lease (lock table `{table}`) was lost: {reason}. The run \
         stopped before revision {revision}; the revisions before it are applied and \
         recorded. Run again to continue from there; if it recurs, make the lease longer \
         (`Config::lease`, `lease_ms` under [runtime] in migrate.toml)"
    )]
    LeaseLost {
        /// The lock table.
        table: String,
        /// The revision the run did not start.
        revision: String,
        /// What the renewal found.
        reason: String,
    },

    /// The advisory lock was asked for on a MariaDB Galera cluster, where `GET_LOCK`
    /// holds on one node only.
    #[error(
        "the server is a node of a MariaDB Galera cluster (wsrep_on = ON), where GET_LOCK \
         locks one node only: two nodes could migrate at once. Use the lock table: \
         lock = \"table\" (or \"auto\") under [runtime] in migrate.toml, or \
         `LockMode::Table` / `LockMode::Auto`"
    )]
    AdvisoryLockOnGalera,

    /// A fleet spec (`file:`, `glob:`, `schemas:`, `query:`) cannot be used.
    #[error("fleet `{spec}`: {reason}")]
    FleetSpec {
        /// The spec, passwords hidden.
        spec: String,
        /// What is wrong, and where (file and line).
        reason: String,
    },

    /// `resolve_dirty` was called for a revision that is not dirty.
    #[error("revision {revision} is not marked dirty; nothing to resolve")]
    NotDirty {
        /// Revision id.
        revision: String,
    },

    /// The target cannot be reached from where the database is, or is not a valid
    /// target (the planner's own error: `migrate_core::graph::GraphError`).
    #[error(transparent)]
    Plan(GraphError),
}

/// The planner's errors keep the runtime variants callers already match on (unknown
/// or ambiguous id, several heads); every other one is [`Error::Plan`].
impl From<GraphError> for Error {
    fn from(e: GraphError) -> Error {
        match e {
            GraphError::UnknownRevision { id } => Error::UnknownTarget { target: id },
            GraphError::AmbiguousPrefix { prefix, candidates } => Error::AmbiguousTarget {
                target: prefix,
                matches: candidates,
            },
            GraphError::MultipleHeads { heads } => Error::MultipleHeads { heads },
            other => Error::Plan(other),
        }
    }
}

/// The end of [`Error::Dirty`]'s message when more than one revision is dirty.
fn also_dirty(others: &[String]) -> String {
    if others.is_empty() {
        return String::new();
    }
    format!(
        ". The same interrupted run also left {} marked dirty: each may or may not have \
         run; check and resolve each the same way",
        others.join(", ")
    )
}

impl Error {
    pub(crate) fn db(context: impl Into<String>) -> impl FnOnce(sqlx::Error) -> Error {
        let context = context.into();
        move |source| Error::Database { context, source }
    }
}
