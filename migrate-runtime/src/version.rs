//! What the version tables hold, as Rust values.
//!
//! Two tables (see docs/DESIGN.md "Version tables"): `migrate_version`, one row per
//! applied head (like Alembic's `alembic_version`), and `migrate_version_log`, one row
//! per applied revision with its checksum, time, duration and downgrade operations.
//! The SQL for them is per dialect, in `migrate_core::dialect::version_table`.

use std::time::Duration;

/// State of a row of the log table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowState {
    /// The revision is applied.
    Applied,
    /// A revision started on a database without transactional DDL (MySQL) and did not
    /// finish: the schema may be half-changed.
    Dirty,
}

impl RowState {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RowState::Applied => "applied",
            RowState::Dirty => "dirty",
        }
    }

    pub(crate) fn parse(s: &str) -> RowState {
        if s == "applied" {
            RowState::Applied
        } else {
            RowState::Dirty
        }
    }
}

/// One applied revision, as recorded in the log table (returned by
/// [`Migrator::history`](crate::Migrator::history)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppliedRevision {
    /// Revision id.
    pub id: String,
    /// Parent ids.
    pub parents: Vec<String>,
    /// The revision's message.
    pub message: String,
    /// Checksum of the file when it was applied.
    pub checksum: String,
    /// When it was applied, RFC 3339 UTC (`2026-01-31T12:00:00.123Z`; the database
    /// stores a timestamp).
    pub applied_at: String,
    /// How long it took.
    pub duration: Duration,
    /// Whether it finished.
    pub state: RowState,
    /// For a dirty revision, the 1-based step that failed (0: it stopped before a step).
    pub failed_step: Option<i64>,
    /// For a dirty revision, the error.
    pub error: Option<String>,
    /// Whether this binary knows the revision.
    pub known: bool,
}

/// A row of the log, as read by the runtime.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LogRow {
    pub revision: String,
    pub parents: Vec<String>,
    pub message: String,
    pub checksum: String,
    pub applied_at: String,
    pub duration_ms: i64,
    pub state: RowState,
    pub failed_step: Option<i64>,
    pub error: Option<String>,
}

impl LogRow {
    /// A row as the brief read of the log gives it: the other columns empty.
    pub(crate) fn brief(revision: String, checksum: String, state: &str) -> LogRow {
        LogRow {
            revision,
            parents: Vec::new(),
            message: String::new(),
            checksum,
            applied_at: String::new(),
            duration_ms: 0,
            state: RowState::parse(state),
            failed_step: None,
            error: None,
        }
    }
}

/// Parents are stored space-separated.
pub(crate) fn split_parents(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_round_trip() {
        assert_eq!(split_parents("aa bb"), ["aa", "bb"]);
        assert!(split_parents("").is_empty());
    }
}
