//! Revisions that only a database's version log holds: a newer binary applied them,
//! and an older binary (or a checkout without their files) must still be able to
//! place them in the graph and undo them.
//!
//! The log keeps each applied revision's parents, message and downgrade. From the
//! downgrade the graph rebuilds what the revision did to the schema: the inverse of
//! each structured operation, in reverse order. Raw SQL steps have no inverse and do
//! not change a replayed schema anyway, so they are left out of that rebuilt upgrade.
//! That is what lets [`RevisionGraph::replay`] and a downgrade render on the schema
//! the newer binary left (a column it added exists before it is dropped again).

use std::collections::BTreeMap;

use crate::graph::{GraphError, RevisionGraph};
use crate::ops::Operation;
use crate::revision::Revision;

/// A revision as the version log records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoggedRevision {
    /// Revision id.
    pub id: String,
    /// Parent ids, as recorded.
    pub parents: Vec<String>,
    /// Its message.
    pub message: String,
    /// The downgrade the newer binary recorded.
    pub downgrade: Vec<Operation>,
}

impl LoggedRevision {
    /// The revision as the graph keeps it: its upgrade rebuilt from the downgrade.
    fn into_revision(self) -> Revision {
        let upgrade = self
            .downgrade
            .iter()
            .rev()
            .filter_map(Operation::inverse)
            .collect();
        Revision {
            id: self.id,
            parents: self.parents,
            replaces: Vec::new(),
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
            message: self.message,
            created: String::new(),
            upgrade,
            downgrade: self.downgrade,
        }
    }
}

impl RevisionGraph {
    /// This graph with the revisions of the version log that it does not hold added.
    /// Logged revisions whose id the graph knows are skipped (the file wins).
    ///
    /// A logged revision's parent that is neither known nor logged (a log edited by
    /// hand) is left out of its parents rather than refused: the revision can still
    /// be undone, which is what the log is there for.
    pub fn with_logged(
        &self,
        logged: impl IntoIterator<Item = LoggedRevision>,
    ) -> Result<RevisionGraph, GraphError> {
        let mut extra: BTreeMap<String, LoggedRevision> = BTreeMap::new();
        for l in logged {
            if !self.by_id.contains_key(&l.id) {
                extra.insert(l.id.clone(), l);
            }
        }
        extra.retain(|id, _| self.replaced_by(id).is_none());
        if extra.is_empty() {
            return Ok(self.clone());
        }
        let mut entries: Vec<(Revision, Option<std::path::PathBuf>, bool)> = self
            .nodes
            .iter()
            .map(|n| (n.revision.clone(), n.path.clone(), n.from_log))
            .collect();
        entries.extend(extra.into_values().map(|l| (l.into_revision(), None, true)));
        RevisionGraph::build(entries)
    }

    /// Whether the revision `id` has a file (or was embedded), rather than being
    /// known only from the version log. `false` for an id the graph does not hold.
    pub fn has_file(&self, id: &str) -> bool {
        self.by_id.get(id).is_some_and(|&i| !self.nodes[i].from_log)
    }
}
