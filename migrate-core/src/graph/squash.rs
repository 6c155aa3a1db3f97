//! Squash revisions: one revision standing for a consecutive range of older ones
//! (Django's `replaces`), written by `cargo migrate squash`.
//!
//! A squash `S` lists the ids it replaces, oldest first: a chain `a1 <- ... <- an`
//! whose first revision has `S`'s parents. A revision whose file names `an` as a
//! parent follows `S` in the graph, so a fresh database applies `S` alone, and the
//! build's replay reads `S` instead of the range.
//!
//! While the replaced files are still there, both stay in the graph:
//! - a database that applied `an` (and so the whole range) counts as having applied
//!   `S`, and one that applied `S` counts as having applied the range;
//! - a database in the middle of the range applies the rest of the range, one
//!   revision at a time, in place of `S`;
//! - a downgrade undoes what the database applied: the originals, or `S` as a whole;
//! - `S` is ordered after `an`, so every order lists the range before what follows.
//!
//! Once the replaced files are deleted their ids still stand for `S`: `an` (or any
//! id of a database past the range) means `S` is applied; a database in the middle
//! of the range is refused with [`GraphError::SquashedAway`], which says to bring it
//! past the range with a build that still has the files.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use crate::graph::{GraphError, RevisionGraph};
use crate::revision::Revision;

/// One squash revision and what it replaces.
#[derive(Clone, Debug)]
pub(crate) struct Squash {
    /// The squash's node.
    pub(crate) index: usize,
    /// The replaced revisions' nodes, oldest first; empty once their files are gone.
    pub(crate) originals: Vec<usize>,
    /// The replaced ids, oldest first.
    pub(crate) replaced: Vec<String>,
}

impl Squash {
    /// The last replaced revision's node, while the files are there.
    pub(crate) fn last_original(&self) -> Option<usize> {
        self.originals.last().copied()
    }
}

/// The squashes of a set of revisions, found before the graph links them.
#[derive(Debug, Default)]
pub(crate) struct Layout {
    pub(crate) squashes: Vec<Squash>,
    /// Replaced ids whose files are gone: (position in `squashes`, whether it is the
    /// last of its range).
    pub(crate) away: BTreeMap<String, (usize, bool)>,
    /// Replaced nodes still present: (position in `squashes`, position in the range).
    member: BTreeMap<usize, (usize, usize)>,
}

type Entry = (Revision, Option<PathBuf>, bool);

impl Layout {
    /// Finds the squashes of `entries` (sorted by id, indexed by `by_id`) and checks
    /// that each replaces a range it can stand for.
    pub(crate) fn new(
        entries: &[Entry],
        by_id: &BTreeMap<String, usize>,
    ) -> Result<Layout, GraphError> {
        let mut layout = Layout::default();
        let mut claimed: BTreeMap<&str, &str> = BTreeMap::new();
        for (index, (revision, path, _)) in entries.iter().enumerate() {
            if revision.replaces.is_empty() {
                continue;
            }
            let invalid = |reason: String| GraphError::InvalidSquash {
                squash: revision.id.clone(),
                file: path.clone(),
                reason,
            };
            for id in &revision.replaces {
                if let Some(other) = claimed.insert(id, &revision.id) {
                    return Err(invalid(format!(
                        "it replaces `{id}`, which squash `{other}` replaces too; a revision \
                         can be squashed once (squash the squash and what follows it instead)"
                    )));
                }
            }
            let present: Vec<Option<usize>> = revision
                .replaces
                .iter()
                .map(|id| by_id.get(id).copied())
                .collect();
            let originals: Vec<usize> = present.iter().flatten().copied().collect();
            if !originals.is_empty() && originals.len() != present.len() {
                let missing: Vec<&str> = revision
                    .replaces
                    .iter()
                    .zip(&present)
                    .filter(|(_, p)| p.is_none())
                    .map(|(id, _)| id.as_str())
                    .collect();
                return Err(invalid(format!(
                    "some of the revisions it replaces have files and some do not (missing: \
                     {}); keep all of their files or delete all of them",
                    missing.join(", ")
                )));
            }
            // The files, when present, must form the chain the squash stands for.
            let mut expected: &[String] = &revision.parents;
            for (k, &o) in originals.iter().enumerate() {
                let original = &entries[o].0;
                if original.parents != expected {
                    return Err(invalid(format!(
                        "it replaces `{}`, whose parents are [{}], but a squash replaces a \
                         consecutive chain starting at its own parents [{}]; squash such a \
                         range again with `cargo migrate squash`",
                        original.id,
                        original.parents.join(", "),
                        if k == 0 {
                            revision.parents.join(", ")
                        } else {
                            revision.replaces[k - 1].clone()
                        },
                    )));
                }
                expected = std::slice::from_ref(&original.id);
            }
            let position = layout.squashes.len();
            let last = revision.replaces.len() - 1;
            for (k, id) in revision.replaces.iter().enumerate() {
                match present[k] {
                    Some(o) => {
                        layout.member.insert(o, (position, k));
                    }
                    None => {
                        layout.away.insert(id.clone(), (position, k == last));
                    }
                }
            }
            layout.squashes.push(Squash {
                index,
                originals,
                replaced: revision.replaces.clone(),
            });
        }
        Ok(layout)
    }

    /// The node `child` links to for its parent `parent_id`: the squash when the
    /// parent is the last revision it replaces (unless `child` is the squash or in its
    /// range), `None` for an unknown id. A revision outside a range that follows one
    /// in its middle is refused: the squash cannot stand for that branch point.
    pub(crate) fn parent(
        &self,
        entries: &[Entry],
        by_id: &BTreeMap<String, usize>,
        child: usize,
        parent_id: &str,
    ) -> Result<Option<usize>, GraphError> {
        let (position, is_last) = if let Some(&p) = by_id.get(parent_id) {
            match self.member.get(&p) {
                None => return Ok(Some(p)),
                Some(&(position, k)) => {
                    let squash = &self.squashes[position];
                    if self.member.get(&child).is_some_and(|&(s, _)| s == position) {
                        return Ok(Some(p));
                    }
                    (position, k + 1 == squash.replaced.len())
                }
            }
        } else if let Some(&(position, is_last)) = self.away.get(parent_id) {
            (position, is_last)
        } else {
            return Ok(None);
        };
        let squash = &self.squashes[position];
        if is_last {
            return Ok(Some(squash.index));
        }
        let (child_rev, child_path, _) = &entries[child];
        Err(GraphError::InvalidSquash {
            squash: entries[squash.index].0.id.clone(),
            file: entries[squash.index].1.clone(),
            reason: format!(
                "revision `{}`{} follows `{parent_id}`, in the middle of the squashed range, \
                 so the squash cannot stand for that range; squash a range that ends at a \
                 branch point or before it",
                child_rev.id,
                child_path
                    .as_ref()
                    .map(|p| format!(" ({})", p.display()))
                    .unwrap_or_default(),
            ),
        })
    }
}

impl RevisionGraph {
    /// The squash revision that stands for node `i`, when `i` is a replaced revision
    /// whose file is still there.
    pub(crate) fn squashed_into(&self, i: usize) -> Option<usize> {
        self.squashes
            .iter()
            .find(|s| s.originals.contains(&i))
            .map(|s| s.index)
    }

    /// The ids of the revisions `id` comes after, as the graph links them: its
    /// parents (the squash in place of the last revision a squash replaced), and for
    /// a squash whose replaced files are there, the last of them.
    pub fn linked_parents(&self, id: &str) -> Vec<&str> {
        match self.by_id.get(id) {
            Some(&i) => {
                let n = &self.nodes[i];
                self.ids(n.parents.iter().chain(&n.after).copied())
            }
            None => Vec::new(),
        }
    }

    /// The ids revision `id` replaces (empty for an ordinary or unknown revision).
    pub fn replaces(&self, id: &str) -> &[String] {
        self.get(id).map_or(&[], |r| r.replaces.as_slice())
    }

    /// The squash revision that replaced `id`, when `id` is a replaced revision
    /// (its file still there or not).
    pub fn replaced_by(&self, id: &str) -> Option<&str> {
        self.squashes
            .iter()
            .find(|s| s.replaced.iter().any(|r| r == id))
            .map(|s| self.nodes[s.index].revision.id.as_str())
    }

    /// Every node a database stands for when it reports `ids` (its applied heads, or
    /// every applied id as the version log lists them), with each squash counted
    /// applied exactly when its whole range is; and the squashes it applied one
    /// replaced revision at a time (the others, if applied, it applied whole).
    pub(crate) fn applied_split(
        &self,
        ids: &[String],
    ) -> Result<(BTreeSet<usize>, BTreeSet<usize>), GraphError> {
        let mut start = Vec::with_capacity(ids.len());
        let mut inside = Vec::new();
        for id in ids {
            if let Some(&i) = self.by_id.get(id) {
                start.push(i);
            } else if let Some(&(position, is_last)) = self.squashed_away.get(id) {
                let squash = self.squashes[position].index;
                if is_last {
                    start.push(squash);
                } else {
                    inside.push((id, squash));
                }
            } else {
                return Err(GraphError::UnknownApplied { id: id.clone() });
            }
        }
        let mut set = self.closure(start, |n| &n.requires);
        let mut one_by_one = BTreeSet::new();
        for squash in &self.squashes {
            let Some(last) = squash.last_original() else {
                continue;
            };
            if set.contains(&last) {
                one_by_one.insert(squash.index);
            }
        }
        self.cover(&mut set);
        // Name the newest revision of the range the database ran.
        let position = |id: &str, squash: usize| {
            self.nodes[squash]
                .revision
                .replaces
                .iter()
                .position(|r| r == id)
        };
        inside.retain(|(_, s)| !set.contains(s));
        inside.sort_by_key(|(id, s)| position(id, *s));
        if let Some((id, squash)) = inside.pop() {
            return Err(GraphError::SquashedAway {
                revision: id.clone(),
                squash: self.nodes[squash].revision.id.clone(),
                last: self.nodes[squash]
                    .revision
                    .replaces
                    .last()
                    .cloned()
                    .unwrap_or_default(),
            });
        }
        Ok((set, one_by_one))
    }

    /// Adds to an applied set each squash whose range it holds, and each range whose
    /// squash it holds.
    pub(crate) fn cover(&self, set: &mut BTreeSet<usize>) {
        for squash in &self.squashes {
            let Some(last) = squash.last_original() else {
                continue;
            };
            if set.contains(&last) || set.contains(&squash.index) {
                let with_parents = self.closure([squash.index, last], |n| &n.requires);
                set.extend(with_parents);
            }
        }
    }

    /// `needed` with each squash a partly applied range stands for replaced by the
    /// rest of its range: that database goes on one replaced revision at a time.
    pub(crate) fn unsquash_partial(&self, applied: &BTreeSet<usize>, needed: &mut BTreeSet<usize>) {
        for squash in &self.squashes {
            if needed.contains(&squash.index)
                && !applied.contains(&squash.index)
                && squash.originals.iter().any(|o| applied.contains(o))
            {
                needed.remove(&squash.index);
                needed.extend(squash.originals.iter().copied());
            }
        }
    }

    /// The nodes a downgrade may undo: `applied` without the side of each squash the
    /// database did not apply (`one_by_one` from [`RevisionGraph::applied_split`]).
    pub(crate) fn undoable(
        &self,
        applied: &BTreeSet<usize>,
        one_by_one: &BTreeSet<usize>,
    ) -> BTreeSet<usize> {
        let mut out = applied.clone();
        for squash in self.squashes.iter().filter(|s| applied.contains(&s.index)) {
            if one_by_one.contains(&squash.index) {
                out.remove(&squash.index);
            } else {
                for o in &squash.originals {
                    out.remove(o);
                }
            }
        }
        out
    }

    /// The error for a downgrade to revision `keep` inside the range of a squash the
    /// database applied whole, if that is the case.
    pub(crate) fn inside_applied_squash(
        &self,
        keep: usize,
        one_by_one: &BTreeSet<usize>,
    ) -> Option<GraphError> {
        let squash = self.squashed_into(keep)?;
        if one_by_one.contains(&squash) {
            return None;
        }
        let revision = &self.nodes[squash].revision;
        Some(GraphError::InsideAppliedSquash {
            target: self.nodes[keep].revision.id.clone(),
            squash: revision.id.clone(),
            parent: match revision.parents.as_slice() {
                [] => "base".to_string(),
                parents => parents.join(", "),
            },
        })
    }

    /// The revisions a database reporting `applied` has applied, each once, in
    /// topological order: a squash or the revisions it replaced, whichever it ran.
    /// What a replay of that database's schema goes through.
    pub fn applied_revisions(&self, applied: &[String]) -> Result<Vec<&str>, GraphError> {
        let (set, one_by_one) = self.applied_split(applied)?;
        let set = self.undoable(&set, &one_by_one);
        Ok(self.ids_in_order(&set))
    }
}
