//! Replay: the schema a head leaves, computed from the revision files alone.
//!
//! Each revision's `upgrade` is applied with [`crate::apply::apply`] onto an empty
//! schema, ancestors first in the graph's topological order. Raw SQL steps do not
//! change the replayed schema. An operation that does not fit is an error naming
//! the revision, its file and the step.

use crate::apply::apply;
use crate::dialect::{DialectKind, KeptNames};
use crate::graph::{GraphError, RevisionGraph};
use crate::schema::Schema;

impl RevisionGraph {
    /// The schema after applying `head` (an id or unique prefix) and everything it
    /// depends on, starting from an empty schema.
    pub fn replay(&self, head: &str) -> Result<Schema, GraphError> {
        let i = self.resolve_index(head)?;
        let needed = self.closure([i], |n| &n.requires);
        self.replay_indices(self.topo.iter().copied().filter(|i| needed.contains(i)))
    }

    /// The schema when every head is applied: all revisions, in topological order
    /// (with several branches, the schema a merge of them would start from).
    pub fn replay_heads(&self) -> Result<Schema, GraphError> {
        self.replay_indices(self.all_once())
    }

    /// Every node in topological order, but a squash's range only through the squash.
    fn all_once(&self) -> impl Iterator<Item = usize> + '_ {
        self.topo
            .iter()
            .copied()
            .filter(|&i| self.squashed_into(i).is_none())
    }

    /// [`RevisionGraph::replay`] as the database `kind` holds it: each key, index
    /// and check under the name that database gives it, which is its old name
    /// where the database cannot rename it ([`KeptNames`]). What the live check
    /// compares a database with.
    pub fn replay_as(&self, head: &str, kind: DialectKind) -> Result<Schema, GraphError> {
        let (schema, kept) = self.replay_keeping(head, kind)?;
        Ok(kept.physical(&schema).into_owned())
    }

    /// [`RevisionGraph::replay`], with the names the database `kind` kept on the
    /// way ([`KeptNames`]): where rendering the revisions after `head` starts.
    pub fn replay_keeping(
        &self,
        head: &str,
        kind: DialectKind,
    ) -> Result<(Schema, KeptNames), GraphError> {
        let i = self.resolve_index(head)?;
        let needed = self.closure([i], |n| &n.requires);
        let mut kept = KeptNames::new(kind);
        let order = self.topo.iter().copied().filter(|i| needed.contains(i));
        let schema = self.replay_kept(order, Some(&mut kept))?;
        Ok((schema, kept))
    }

    /// [`RevisionGraph::replay_heads`] as the database `kind` holds it (see
    /// [`RevisionGraph::replay_as`]).
    pub fn replay_heads_as(&self, kind: DialectKind) -> Result<Schema, GraphError> {
        let mut kept = KeptNames::new(kind);
        let schema = self.replay_kept(self.all_once(), Some(&mut kept))?;
        Ok(kept.physical(&schema).into_owned())
    }

    fn replay_indices(&self, order: impl Iterator<Item = usize>) -> Result<Schema, GraphError> {
        self.replay_kept(order, None)
    }

    fn replay_kept(
        &self,
        order: impl Iterator<Item = usize>,
        mut kept: Option<&mut KeptNames>,
    ) -> Result<Schema, GraphError> {
        let mut schema = Schema::new();
        for i in order {
            let node = &self.nodes[i];
            for (step, op) in node.revision.upgrade.iter().enumerate() {
                if let Some(kept) = kept.as_deref_mut() {
                    kept.note(&schema, op);
                }
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
