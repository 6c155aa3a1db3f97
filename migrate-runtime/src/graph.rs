//! The revision graph as the runtime sees it: the revisions this binary knows plus
//! the ones the log says are applied (which a newer binary may have added), and the
//! ordered lists of revisions to apply or undo for a [`Target`].
//!
//! This is a small stand-in until `migrate_core::graph::RevisionGraph` is available;
//! it only needs ids and parents.

use std::collections::{BTreeMap, BTreeSet};

use crate::error::Error;
use crate::target::Target;

/// Ids and parents of every revision in play, in a topological order.
#[derive(Debug, Clone)]
pub(crate) struct Graph {
    parents: BTreeMap<String, Vec<String>>,
    /// Ids known to the binary.
    known: BTreeSet<String>,
    /// Every id, parents before children; ties in the order the revisions were given.
    topo: Vec<String>,
}

impl Graph {
    /// Builds the graph; `nodes` are (id, parents) in a preferred order (known first).
    /// Checks duplicate ids, missing parents and cycles among the known revisions.
    pub(crate) fn new(
        known: &[(String, Vec<String>)],
        extra: &[(String, Vec<String>)],
    ) -> Result<Graph, Error> {
        let mut parents = BTreeMap::new();
        let mut order = Vec::new();
        for (id, ps) in known {
            if parents.insert(id.clone(), ps.clone()).is_some() {
                return Err(Error::Graph(format!("two revisions have the id {id}")));
            }
            order.push(id.clone());
        }
        for (id, ps) in extra {
            if !parents.contains_key(id) {
                parents.insert(id.clone(), ps.clone());
                order.push(id.clone());
            }
        }
        for (id, ps) in known {
            for p in ps {
                if !parents.contains_key(p) {
                    return Err(Error::Graph(format!(
                        "revision {id} names parent {p}, which does not exist"
                    )));
                }
            }
        }
        // Kahn's algorithm, taking ready nodes in the given order. Parents that are
        // missing (possible only for unknown revisions from the log) are ignored.
        let position: BTreeMap<&str, usize> = order
            .iter()
            .enumerate()
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let mut pending: BTreeMap<&str, usize> = BTreeMap::new();
        let mut children: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for id in &order {
            let ps: Vec<&String> = parents[id]
                .iter()
                .filter(|p| parents.contains_key(*p))
                .collect();
            pending.insert(id, ps.len());
            for p in ps {
                children.entry(p.as_str()).or_default().push(id);
            }
        }
        let mut ready: BTreeSet<(usize, &str)> = pending
            .iter()
            .filter(|(_, n)| **n == 0)
            .map(|(id, _)| (position[id], *id))
            .collect();
        let mut topo = Vec::with_capacity(order.len());
        while let Some(first) = ready.iter().next().copied() {
            ready.remove(&first);
            topo.push(first.1.to_string());
            for c in children.get(first.1).into_iter().flatten() {
                let n = pending.get_mut(c).expect("child is a node");
                *n -= 1;
                if *n == 0 {
                    ready.insert((position[c], c));
                }
            }
        }
        if topo.len() != order.len() {
            let stuck: Vec<&String> = order.iter().filter(|id| !topo.contains(id)).collect();
            return Err(Error::Graph(format!(
                "the parents of revisions {stuck:?} form a cycle"
            )));
        }
        Ok(Graph {
            parents,
            known: known.iter().map(|(id, _)| id.clone()).collect(),
            topo,
        })
    }

    /// The graph with revisions from the log added.
    pub(crate) fn with_extra(&self, extra: &[(String, Vec<String>)]) -> Result<Graph, Error> {
        if extra.iter().all(|(id, _)| self.parents.contains_key(id)) {
            // Nothing new (the usual case): the same graph.
            return Ok(self.clone());
        }
        let known: Vec<(String, Vec<String>)> = self
            .topo
            .iter()
            .filter(|id| self.known.contains(*id))
            .map(|id| (id.clone(), self.parents[id].clone()))
            .collect();
        Graph::new(&known, extra)
    }

    /// Parents of a revision.
    pub(crate) fn parents(&self, id: &str) -> &[String] {
        self.parents.get(id).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Heads of the known revisions (no known child).
    pub(crate) fn known_heads(&self) -> Vec<String> {
        let with_child: BTreeSet<&String> = self
            .known
            .iter()
            .flat_map(|id| self.parents[id].iter())
            .collect();
        self.topo
            .iter()
            .filter(|id| self.known.contains(*id) && !with_child.contains(id))
            .cloned()
            .collect()
    }

    /// Heads of a set of applied revisions (no applied child).
    pub(crate) fn heads_of(&self, applied: &BTreeSet<String>) -> Vec<String> {
        let with_child: BTreeSet<&String> = applied
            .iter()
            .flat_map(|id| self.parents(id).iter())
            .collect();
        self.topo
            .iter()
            .filter(|id| applied.contains(*id) && !with_child.contains(id))
            .cloned()
            .collect()
    }

    /// A revision id from a full id or unique prefix.
    pub(crate) fn resolve(&self, prefix: &str) -> Result<String, Error> {
        if self.parents.contains_key(prefix) {
            return Ok(prefix.to_string());
        }
        let matches: Vec<String> = self
            .topo
            .iter()
            .filter(|id| id.starts_with(prefix))
            .cloned()
            .collect();
        match matches.len() {
            0 => Err(Error::UnknownTarget {
                target: prefix.to_string(),
            }),
            1 => Ok(matches.into_iter().next().expect("one match")),
            _ => Err(Error::AmbiguousTarget {
                target: prefix.to_string(),
                matches,
            }),
        }
    }

    /// `id` and all its ancestors.
    pub(crate) fn ancestors_incl(&self, id: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![id.to_string()];
        while let Some(x) = stack.pop() {
            if seen.insert(x.clone()) {
                stack.extend(self.parents(&x).iter().cloned());
            }
        }
        seen
    }

    /// The ids of `set`, parents first.
    pub(crate) fn in_topo_order(&self, set: &BTreeSet<String>) -> Vec<String> {
        self.topo
            .iter()
            .filter(|id| set.contains(*id))
            .cloned()
            .collect()
    }

    fn single_head(&self) -> Result<String, Error> {
        let heads = self.known_heads();
        match heads.len() {
            1 => Ok(heads[0].clone()),
            0 => Err(Error::Graph("there are no revisions".to_string())),
            _ => Err(Error::MultipleHeads { heads }),
        }
    }

    /// Revisions to apply, in order, to reach `target` from `applied`.
    pub(crate) fn upgrade_plan(
        &self,
        applied: &BTreeSet<String>,
        target: &Target,
    ) -> Result<Vec<String>, Error> {
        let invalid = |reason: &str| Error::InvalidTarget {
            direction: "upgrade",
            target: target.to_string(),
            reason: reason.to_string(),
        };
        let wanted: BTreeSet<String> = match target {
            Target::Head if self.known.is_empty() => BTreeSet::new(),
            Target::Head => self.ancestors_incl(&self.single_head()?),
            Target::Heads => self
                .known_heads()
                .iter()
                .flat_map(|h| self.ancestors_incl(h))
                .collect(),
            Target::Base => BTreeSet::new(),
            Target::Revision(prefix) => self.ancestors_incl(&self.resolve(prefix)?),
            Target::Relative(n) if *n < 0 => {
                return Err(invalid("a negative step goes down: use downgrade"))
            }
            Target::Relative(n) => {
                let all: BTreeSet<String> = self.known.iter().cloned().collect();
                let pending: Vec<String> = self
                    .in_topo_order(&all)
                    .into_iter()
                    .filter(|id| !applied.contains(id))
                    .collect();
                let n = *n as usize;
                if pending.len() < n {
                    return Err(invalid(&format!(
                        "only {} revision(s) are pending",
                        pending.len()
                    )));
                }
                return Ok(pending.into_iter().take(n).collect());
            }
        };
        let todo: BTreeSet<String> = wanted.difference(applied).cloned().collect();
        Ok(self.in_topo_order(&todo))
    }

    /// Revisions to undo, in order, to go back to `target` from `applied`.
    pub(crate) fn downgrade_plan(
        &self,
        applied: &BTreeSet<String>,
        target: &Target,
    ) -> Result<Vec<String>, Error> {
        let invalid = |reason: String| Error::InvalidTarget {
            direction: "downgrade",
            target: target.to_string(),
            reason,
        };
        let keep: BTreeSet<String> = match target {
            Target::Base => BTreeSet::new(),
            Target::Head | Target::Heads => return Ok(Vec::new()),
            Target::Relative(n) if *n > 0 => {
                return Err(invalid("a positive step goes up: use upgrade".into()))
            }
            Target::Relative(n) => {
                let mut order = self.in_topo_order(applied);
                order.reverse();
                let n = n.unsigned_abs() as usize;
                if order.len() < n {
                    return Err(invalid(format!(
                        "only {} revision(s) are applied",
                        order.len()
                    )));
                }
                return Ok(order.into_iter().take(n).collect());
            }
            Target::Revision(prefix) => {
                let id = self.resolve(prefix)?;
                if !applied.contains(&id) {
                    return Err(invalid(format!("revision {id} is not applied")));
                }
                self.ancestors_incl(&id)
            }
        };
        let undo: BTreeSet<String> = applied.difference(&keep).cloned().collect();
        let mut order = self.in_topo_order(&undo);
        order.reverse();
        Ok(order)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, parents: &[&str]) -> (String, Vec<String>) {
        (id.into(), parents.iter().map(|p| p.to_string()).collect())
    }

    fn set(ids: &[&str]) -> BTreeSet<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn plans_linear_history() {
        let g = Graph::new(&[node("c", &["b"]), node("a", &[]), node("b", &["a"])], &[]).unwrap();
        assert_eq!(g.known_heads(), vec!["c"]);
        assert_eq!(
            g.upgrade_plan(&set(&[]), &Target::Head).unwrap(),
            ["a", "b", "c"]
        );
        assert_eq!(
            g.upgrade_plan(&set(&["a"]), &Target::Relative(1)).unwrap(),
            ["b"]
        );
        assert_eq!(
            g.upgrade_plan(&set(&["a"]), &Target::parse("b")).unwrap(),
            ["b"]
        );
        assert_eq!(
            g.downgrade_plan(&set(&["a", "b", "c"]), &Target::Base)
                .unwrap(),
            ["c", "b", "a"]
        );
        assert_eq!(
            g.downgrade_plan(&set(&["a", "b", "c"]), &Target::parse("a"))
                .unwrap(),
            ["c", "b"]
        );
        assert_eq!(
            g.downgrade_plan(&set(&["a", "b", "c"]), &Target::Relative(-1))
                .unwrap(),
            ["c"]
        );
        assert!(matches!(
            g.upgrade_plan(&set(&[]), &Target::Relative(4)),
            Err(Error::InvalidTarget { .. })
        ));
    }

    #[test]
    fn branches_and_errors() {
        let g = Graph::new(
            &[node("a", &[]), node("b1", &["a"]), node("b2", &["a"])],
            &[],
        )
        .unwrap();
        assert!(matches!(
            g.upgrade_plan(&set(&[]), &Target::Head),
            Err(Error::MultipleHeads { .. })
        ));
        assert_eq!(
            g.upgrade_plan(&set(&[]), &Target::Heads).unwrap(),
            ["a", "b1", "b2"]
        );
        assert_eq!(g.heads_of(&set(&["a", "b1", "b2"])), ["b1", "b2"]);
        assert!(matches!(g.resolve("b"), Err(Error::AmbiguousTarget { .. })));
        assert!(matches!(g.resolve("z"), Err(Error::UnknownTarget { .. })));
        assert!(Graph::new(&[node("a", &["x"])], &[]).is_err());
        assert!(Graph::new(&[node("a", &["b"]), node("b", &["a"])], &[]).is_err());
        assert!(Graph::new(&[node("a", &[]), node("a", &[])], &[]).is_err());
    }

    #[test]
    fn unknown_applied_revisions_join_the_graph() {
        let g = Graph::new(&[node("a", &[])], &[]).unwrap();
        let g = g.with_extra(&[node("n", &["a"])]).unwrap();
        assert_eq!(g.known_heads(), ["a"]);
        assert_eq!(
            g.downgrade_plan(&set(&["a", "n"]), &Target::parse("a"))
                .unwrap(),
            ["n"]
        );
    }
}
