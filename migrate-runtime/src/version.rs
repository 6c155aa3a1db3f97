//! What the version tables hold, as Rust values.
//!
//! Two tables (see docs/DESIGN.md "Version tables"): `migrate_version`, one row per
//! applied head (like Alembic's `alembic_version`), and `migrate_version_log`, one row
//! per applied revision with its checksum, time, duration and downgrade operations.
//! The SQL for them is per database, in [`crate::backend`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

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
    /// When it was applied, RFC 3339 UTC (`2026-01-31T12:00:00.123Z`).
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
#[derive(Clone, Debug)]
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

/// Parents are stored space-separated.
pub(crate) fn join_parents(parents: &[String]) -> String {
    parents.join(" ")
}

pub(crate) fn split_parents(text: &str) -> Vec<String> {
    text.split_whitespace().map(str::to_string).collect()
}

/// The current time as RFC 3339 UTC with milliseconds.
pub(crate) fn now_rfc3339() -> String {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    format_rfc3339(since)
}

/// Formats a time since the Unix epoch (days-to-civil conversion, proleptic Gregorian).
pub(crate) fn format_rfc3339(since_epoch: Duration) -> String {
    let secs = since_epoch.as_secs() as i64;
    let millis = since_epoch.subsec_millis();
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{millis:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        assert_eq!(format_rfc3339(Duration::ZERO), "1970-01-01T00:00:00.000Z");
        // 2024-02-29T23:59:59.5Z, a leap day.
        assert_eq!(
            format_rfc3339(Duration::from_millis(1_709_251_199_500)),
            "2024-02-29T23:59:59.500Z"
        );
        assert_eq!(
            format_rfc3339(Duration::from_secs(951_782_400)),
            "2000-02-29T00:00:00.000Z"
        );
    }

    #[test]
    fn parents_round_trip() {
        let p = vec!["aa".to_string(), "bb".to_string()];
        assert_eq!(split_parents(&join_parents(&p)), p);
        assert!(split_parents("").is_empty());
    }
}
