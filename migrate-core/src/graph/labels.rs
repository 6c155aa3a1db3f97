//! Branch labels (Alembic's `branch_labels`): a name on a revision, so that a branch
//! can be targeted without its ids. `networking` is the labelled revision,
//! `networking@head` the head of the branch that starts there.

use crate::graph::{GraphError, RevisionGraph};

impl RevisionGraph {
    /// The revision a branch label or `label@head` names: `None` when `text` is
    /// neither (an id or a prefix, resolved as such).
    pub(crate) fn resolve_label(&self, text: &str) -> Option<Result<usize, GraphError>> {
        if let Some(&i) = self.labels.get(text) {
            return Some(Ok(i));
        }
        let (label, "head") = text.split_once('@')? else {
            return None;
        };
        let Some(&start) = self.labels.get(label) else {
            let known: Vec<&str> = self.labels.keys().map(String::as_str).collect();
            return Some(Err(GraphError::InvalidTarget {
                input: text.to_string(),
                reason: if known.is_empty() {
                    format!("no revision has the branch label `{label}` (none has a label)")
                } else {
                    format!(
                        "no revision has the branch label `{label}`; the labels are {}",
                        known.join(", ")
                    )
                },
            }));
        };
        let branch = self.closure([start], |n| &n.children);
        let heads: Vec<usize> = self
            .head_indices()
            .into_iter()
            .filter(|h| branch.contains(h))
            .collect();
        Some(match heads.as_slice() {
            [one] => Ok(*one),
            _ => Err(GraphError::MultipleHeads {
                heads: heads
                    .iter()
                    .map(|&h| self.nodes[h].revision.id.clone())
                    .collect(),
            }),
        })
    }

    /// The branch labels, each with the revision that carries it, by label.
    pub fn branch_labels(&self) -> Vec<(&str, &str)> {
        self.labels
            .iter()
            .map(|(label, &i)| (label.as_str(), self.nodes[i].revision.id.as_str()))
            .collect()
    }
}
