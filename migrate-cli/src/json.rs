//! `--format json`: the documents the reading commands print for scripts.
//!
//! One type per document, all in this file, so the schema documented in docs/cli.md
//! ("JSON output") has one place in the code. Every document is printed through
//! [`crate::output::Output::json`], which masks passwords like every other line.
//! Fields are only ever added, never renamed or removed.

use std::collections::BTreeSet;

use serde::Serialize;

use crate::commands::render;
use crate::project::{Entry, Revisions};

/// One revision of the files (`heads`, `history`, `branches`, `current`, `show`).
#[derive(Debug, Serialize)]
pub struct RevisionJson {
    /// The revision id (12 hex digits).
    pub id: String,
    /// Parent ids; empty for a base revision, several for a merge.
    pub parents: Vec<String>,
    /// Ids of the revisions that follow this one.
    pub children: Vec<String>,
    /// The message given to `revision -m`.
    pub message: String,
    /// When the revision was written (RFC 3339, UTC).
    pub created: String,
    /// The revision's file (as embedded, for an application's binary).
    pub path: String,
    /// `sha256:<hex>` of the file.
    pub checksum: String,
    /// The markers the text output shows: `head`, `branchpoint`, `mergepoint`,
    /// `current` (without parentheses).
    pub markers: Vec<String>,
    /// `show` only: the upgrade operations, one description each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade: Option<Vec<String>>,
    /// `show` only: the downgrade operations, one description each.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub downgrade: Option<Vec<String>>,
}

impl RevisionJson {
    /// The document for one revision; `with_ops` adds its operations (`show`).
    pub fn new(revs: &Revisions, e: &Entry, current: &BTreeSet<String>, with_ops: bool) -> Self {
        let describe =
            |ops: &[migrate_core::Operation]| ops.iter().map(|op| op.describe()).collect();
        RevisionJson {
            id: e.id().to_string(),
            parents: e.revision.parents.clone(),
            children: revs
                .children(e.id())
                .into_iter()
                .map(str::to_string)
                .collect(),
            message: e.revision.message.clone(),
            created: e.revision.created.clone(),
            path: e.path.display().to_string(),
            checksum: e.checksum.to_string(),
            markers: render::markers(revs, e, current)
                .iter()
                .map(|m| m.trim_matches(|c| c == '(' || c == ')').to_string())
                .collect(),
            upgrade: with_ops.then(|| describe(&e.revision.upgrade)),
            downgrade: with_ops.then(|| describe(&e.revision.downgrade)),
        }
    }

    /// The documents for several revisions, in the given order.
    pub fn list(revs: &Revisions, entries: &[&Entry], current: &BTreeSet<String>) -> Vec<Self> {
        entries
            .iter()
            .map(|e| RevisionJson::new(revs, e, current, false))
            .collect()
    }
}

/// `heads --format json`.
#[derive(Debug, Serialize)]
pub struct HeadsJson {
    /// The head revisions (several: a merge is due).
    pub heads: Vec<RevisionJson>,
}

/// `history --format json`.
#[derive(Debug, Serialize)]
pub struct HistoryJson {
    /// The revisions in the range, newest first.
    pub revisions: Vec<RevisionJson>,
}

/// `branches --format json`.
#[derive(Debug, Serialize)]
pub struct BranchesJson {
    /// The revisions several others follow (their `children` name them).
    pub branchpoints: Vec<RevisionJson>,
}

/// `current --format json`.
#[derive(Debug, Serialize)]
pub struct CurrentJson {
    /// The database's URL, password masked.
    pub database: String,
    /// The revisions the database is at that the files know; empty at `<base>`.
    pub current: Vec<RevisionJson>,
    /// Ids the database is at that the files do not know (applied by a newer
    /// version of the revisions).
    pub unknown: Vec<String>,
}

/// `upgrade --dry-run --format json` and `downgrade --dry-run --format json`.
#[derive(Debug, Serialize)]
pub struct PlanJson {
    /// The database's URL, password masked.
    pub database: String,
    /// `upgrade` or `downgrade`.
    pub direction: &'static str,
    /// The target as given on the command line.
    pub target: String,
    /// The revisions the run would apply or undo, in order (empty: nothing to do).
    pub revisions: Vec<PlannedJson>,
}

/// One revision of a plan.
#[derive(Debug, Serialize)]
pub struct PlannedJson {
    /// The revision id.
    pub id: String,
    /// Its message.
    pub message: String,
    /// The statements the run would execute, in order.
    pub statements: Vec<StatementJson>,
}

/// One statement of a plan.
#[derive(Debug, Serialize)]
pub struct StatementJson {
    /// The SQL text.
    pub sql: String,
    /// `false` for a statement that runs outside the revision's transaction.
    pub transactional: bool,
}

/// `check --format json`.
#[derive(Debug, Serialize)]
pub struct CheckJson {
    /// Whether nothing differs (the exit code is then 0, else 1).
    pub ok: bool,
    /// The head revision compared against (`<base>` when there is no revision).
    pub head: String,
    /// The models against the head.
    pub models: CheckPart,
    /// The live database against the head.
    pub database: CheckPart,
}

/// One half of `check`.
#[derive(Debug, Default, Serialize)]
pub struct CheckPart {
    /// Whether this half was compared at all.
    pub checked: bool,
    /// Why it was not compared (`checked` is false), else absent.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The database's URL, password masked (database half only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Each difference, one sentence each; empty when it matches.
    pub differences: Vec<String>,
    /// Database half only: the revisions the version table records, and the heads.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<VersionJson>,
    /// Database half only: what the database holds that the models cannot, and so
    /// was not compared (one line each, e.g. "event `nightly`"); absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_compared: Vec<String>,
}

/// What the version table records against the head(s).
#[derive(Debug, Serialize)]
pub struct VersionJson {
    /// The revisions the database is at (empty: `<base>`).
    pub current: Vec<String>,
    /// The head revisions of the files.
    pub heads: Vec<String>,
}
