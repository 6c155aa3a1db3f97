//! Replay: the schema a head leaves, computed from the revision files alone.
//!
//! Each revision's `upgrade` is applied with [`crate::apply::apply`] onto an empty
//! schema, ancestors first in the graph's topological order. Raw SQL steps do not
//! change the replayed schema. An operation that does not fit is an error naming
//! the revision, its file and the step.

use crate::apply::apply;
use crate::graph::{GraphError, RevisionGraph};
use crate::schema::Schema;

impl RevisionGraph {
    /// The schema after applying `head` (an id or unique prefix) and everything it
    /// depends on, starting from an empty schema.
    pub fn replay(&self, head: &str) -> Result<Schema, GraphError> {
        let i = self.resolve_index(head)?;
        let needed = self.closure([i], |n| &n.parents);
        self.replay_indices(self.topo.iter().copied().filter(|i| needed.contains(i)))
    }

    /// The schema when every head is applied: all revisions, in topological order
    /// (with several branches, the schema a merge of them would start from).
    pub fn replay_heads(&self) -> Result<Schema, GraphError> {
        self.replay_indices(self.topo.iter().copied())
    }

    fn replay_indices(&self, order: impl Iterator<Item = usize>) -> Result<Schema, GraphError> {
        let mut schema = Schema::new();
        for i in order {
            let node = &self.nodes[i];
            for (step, op) in node.revision.upgrade.iter().enumerate() {
                apply(&mut schema, op).map_err(|source| GraphError::Replay {
                    revision: node.revision.id.clone(),
                    file: node.path.clone(),
                    step: step + 1,
                    op: op.describe(),
                    source: Box::new(source),
                })?;
            }
        }
        Ok(schema)
    }
}
