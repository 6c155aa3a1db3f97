//! Plans: which revisions to apply or undo to reach a target, and the applied heads
//! after each step.
//!
//! The database's state is its set of applied heads (one row per head in the
//! `migrate_version` table, like `alembic_version`); everything those heads depend
//! on counts as applied. A plan lists revision ids in the order to run them: parents
//! before children for an upgrade, children before parents for a downgrade, ties
//! broken by id. Any prefix of a plan leaves a consistent state, so a plan cut short
//! by a failure can be resumed.

use std::collections::BTreeSet;

use crate::graph::{GraphError, RevisionGraph, Target};

impl RevisionGraph {
    /// The revisions to apply, in order, to go from `applied_heads` to `target`.
    ///
    /// `head` needs a single head ([`GraphError::MultipleHeads`] otherwise); `heads`
    /// applies every branch; a revision applies it and what it depends on; `+N`
    /// applies the next N revisions towards the only head that is not applied yet;
    /// `base` applies nothing.
    pub fn upgrade_plan(
        &self,
        applied_heads: &[String],
        target: &Target,
    ) -> Result<Vec<String>, GraphError> {
        let applied = self.applied(applied_heads)?;
        let goal: Vec<usize> = match target {
            Target::Base => Vec::new(),
            Target::Heads => self.head_indices(),
            Target::Head => self.single_head()?.into_iter().collect(),
            Target::Revision(prefix) => vec![self.resolve_index(prefix)?],
            Target::RevisionRelative { revision, steps } => {
                vec![self.step(target, revision, *steps)?]
            }
            Target::Relative(steps) if *steps < 0 => {
                return Err(GraphError::InvalidTarget {
                    input: target.to_string(),
                    reason: "an upgrade goes forward; use `downgrade` to go back".into(),
                })
            }
            Target::Relative(steps) => {
                let pending: Vec<usize> = self
                    .head_indices()
                    .into_iter()
                    .filter(|h| !applied.contains(h))
                    .collect();
                if pending.len() > 1 {
                    return Err(GraphError::MultipleHeads {
                        heads: self.owned_ids(pending),
                    });
                }
                let mut plan = self.pending(&applied, &pending);
                let wanted = steps.unsigned_abs();
                if (plan.len() as u64) < wanted {
                    return Err(GraphError::RelativeOutOfRange {
                        target: target.to_string(),
                        steps: wanted,
                        available: plan.len(),
                    });
                }
                plan.truncate(wanted as usize);
                return Ok(self.owned_ids(plan));
            }
        };
        Ok(self.owned_ids(self.pending(&applied, &goal)))
    }

    /// The revisions to undo, in order (children first), to go from `applied_heads`
    /// to `target`.
    ///
    /// `base` undoes everything; a revision leaves the database at that revision,
    /// undoing every applied revision that depends on it; `-N` undoes the last N
    /// applied revisions (one branch applied only).
    pub fn downgrade_plan(
        &self,
        applied_heads: &[String],
        target: &Target,
    ) -> Result<Vec<String>, GraphError> {
        let (applied, one_by_one) = self.applied_split(applied_heads)?;
        // A squash is undone as the database applied it: whole, or one replaced
        // revision at a time.
        let undoable = self.undoable(&applied, &one_by_one);
        let in_order = |set: &BTreeSet<usize>| -> Vec<usize> {
            let mut order: Vec<usize> = self
                .topo
                .iter()
                .copied()
                .filter(|i| set.contains(i))
                .collect();
            order.reverse();
            order
        };
        let undo = match target {
            Target::Base => in_order(&undoable),
            Target::Revision(_) | Target::RevisionRelative { .. } => {
                let keep = match target {
                    Target::Revision(prefix) => self.resolve_index(prefix)?,
                    Target::RevisionRelative { revision, steps } => {
                        self.step(target, revision, *steps)?
                    }
                    _ => unreachable!("matched above"),
                };
                if !applied.contains(&keep) {
                    return Err(GraphError::NotApplied {
                        id: self.nodes[keep].revision.id.clone(),
                    });
                }
                if let Some(e) = self.inside_applied_squash(keep, &one_by_one) {
                    return Err(e);
                }
                // What follows it, and what depends on that: a revision that only
                // depends on `keep` stays.
                let mut after = self.closure(self.nodes[keep].children.iter().copied(), |n| {
                    &n.required_by
                });
                after.remove(&keep);
                in_order(&after.intersection(&undoable).copied().collect())
            }
            Target::Relative(steps) if *steps < 0 => {
                let heads = self.heads_of(&applied);
                if heads.len() > 1 {
                    return Err(GraphError::MultipleAppliedHeads {
                        heads,
                        target: target.to_string(),
                    });
                }
                let mut order = in_order(&undoable);
                let wanted = steps.unsigned_abs();
                if (order.len() as u64) < wanted {
                    return Err(GraphError::RelativeOutOfRange {
                        target: target.to_string(),
                        steps: wanted,
                        available: order.len(),
                    });
                }
                order.truncate(wanted as usize);
                order
            }
            Target::Relative(_) | Target::Head | Target::Heads => {
                return Err(GraphError::InvalidTarget {
                    input: target.to_string(),
                    reason: "a downgrade goes back: use `base`, `-N`, or the revision to \
                             leave the database at"
                        .into(),
                })
            }
        };
        Ok(self.owned_ids(undo))
    }

    /// The applied heads after applying revision `id` on top of `applied_heads`:
    /// its parents stop being heads and it becomes one. Sorted by id.
    pub fn heads_after_upgrade(
        &self,
        applied_heads: &[String],
        id: &str,
    ) -> Result<Vec<String>, GraphError> {
        let mut after = self.heads_after_upgrades(applied_heads, &[id])?;
        Ok(after.pop().unwrap_or_default())
    }

    /// The applied heads after each of `ids`, applied in turn on top of
    /// `applied_heads`: what [`RevisionGraph::heads_after_upgrade`] gives for each
    /// on the heads the one before left. The applied set is kept from one revision
    /// to the next and the heads are updated where it grew, instead of both being
    /// rebuilt from the heads for each revision (quadratic in a run of hundreds).
    pub fn heads_after_upgrades(
        &self,
        applied_heads: &[String],
        ids: &[impl AsRef<str>],
    ) -> Result<Vec<Vec<String>>, GraphError> {
        let mut applied = self.applied(applied_heads)?;
        let mut heads: BTreeSet<usize> = self.head_indices_of(&applied).collect();
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            let before = (!self.squashes.is_empty()).then(|| applied.clone());
            // As `applied` would count the heads: a squash whose range is in.
            self.cover(&mut applied);
            let i = self.resolve_index(id.as_ref())?;
            let missing: Vec<usize> = self.nodes[i]
                .requires
                .iter()
                .copied()
                .filter(|p| !applied.contains(p))
                .collect();
            if !missing.is_empty() {
                return Err(GraphError::ParentsNotApplied {
                    revision: self.nodes[i].revision.id.clone(),
                    missing: self.owned_ids(missing),
                });
            }
            let mut added = Vec::new();
            if applied.insert(i) {
                added.push(i);
            }
            if let Some(before) = before {
                self.cover(&mut applied);
                added = applied.difference(&before).copied().collect();
            }
            // A head stays one unless a child of it came in; a newcomer is one
            // unless a child of it is applied.
            heads.retain(|h| !self.nodes[*h].children.iter().any(|c| added.contains(c)));
            for &n in &added {
                if !self.nodes[n].children.iter().any(|c| applied.contains(c)) {
                    heads.insert(n);
                }
            }
            out.push(self.owned_ids(heads.iter().copied()));
        }
        Ok(out)
    }

    /// The applied heads after undoing revision `id` from `applied_heads`: it stops
    /// being a head and those of its parents that nothing else applied depends on
    /// become heads. Sorted by id.
    pub fn heads_after_downgrade(
        &self,
        applied_heads: &[String],
        id: &str,
    ) -> Result<Vec<String>, GraphError> {
        let mut applied = self.applied(applied_heads)?;
        let i = self.resolve_index(id)?;
        if !applied.contains(&i) {
            return Err(GraphError::NotApplied {
                id: self.nodes[i].revision.id.clone(),
            });
        }
        // What follows the last revision a squash replaced follows the squash.
        let squash = self.squashed_into(i);
        let children = match squash {
            Some(s) if self.nodes[s].after.contains(&i) => &self.nodes[s].required_by,
            _ => &self.nodes[i].required_by,
        };
        let dependents: Vec<usize> = children
            .iter()
            .copied()
            .filter(|c| applied.contains(c) && Some(*c) != squash)
            .collect();
        if !dependents.is_empty() {
            return Err(GraphError::DependentsApplied {
                revision: self.nodes[i].revision.id.clone(),
                dependents: self.owned_ids(dependents),
            });
        }
        applied.remove(&i);
        // Undoing a replaced revision leaves its squash unapplied; undoing a squash,
        // its whole range.
        if let Some(s) = squash {
            applied.remove(&s);
        }
        if let Some(sq) = self.squashes.iter().find(|sq| sq.index == i) {
            for o in &sq.originals {
                applied.remove(o);
            }
        }
        Ok(self.heads_of(&applied))
    }

    /// The applied heads of a database where `applied` (heads, or every applied id
    /// as the version log lists them) are applied: those no other applied revision
    /// depends on. Sorted by id.
    pub fn applied_heads(&self, applied: &[String]) -> Result<Vec<String>, GraphError> {
        Ok(self.heads_of(&self.applied(applied)?))
    }

    /// Every revision `applied_heads` stand for (themselves and their ancestors).
    /// A squash counts as applied exactly when its whole range is (see
    /// [`RevisionGraph::applied_split`]).
    fn applied(&self, applied_heads: &[String]) -> Result<BTreeSet<usize>, GraphError> {
        Ok(self.applied_split(applied_heads)?.0)
    }

    /// The members of an ancestor-closed set that no other member depends on.
    fn heads_of(&self, set: &BTreeSet<usize>) -> Vec<String> {
        self.owned_ids(self.head_indices_of(set))
    }

    /// [`RevisionGraph::heads_of`] as indices, in id order.
    fn head_indices_of<'a>(&'a self, set: &'a BTreeSet<usize>) -> impl Iterator<Item = usize> + 'a {
        set.iter()
            .copied()
            .filter(|&i| !self.nodes[i].children.iter().any(|c| set.contains(c)))
    }

    /// What `goal` needs that is not applied, in topological order.
    fn pending(&self, applied: &BTreeSet<usize>, goal: &[usize]) -> Vec<usize> {
        let mut needed = self.closure(goal.iter().copied(), |n| &n.requires);
        self.unsquash_partial(applied, &mut needed);
        self.topo
            .iter()
            .copied()
            .filter(|i| needed.contains(i) && !applied.contains(i))
            .collect()
    }

    /// The only head (`None` for an empty history).
    fn single_head(&self) -> Result<Option<usize>, GraphError> {
        match self.head_indices().as_slice() {
            [] => Ok(None),
            [one] => Ok(Some(*one)),
            many => Err(GraphError::MultipleHeads {
                heads: self.owned_ids(many.iter().copied()),
            }),
        }
    }

    /// The revision `steps` away from `anchor` (`head` or an id prefix), following the
    /// only child (or parent) at each step.
    fn step(&self, target: &Target, anchor: &str, steps: i64) -> Result<usize, GraphError> {
        let mut at = if anchor == "head" {
            self.single_head()?
                .ok_or_else(|| GraphError::UnknownRevision {
                    id: "head".to_string(),
                })?
        } else {
            self.resolve_index(anchor)?
        };
        let (direction, forward) = if steps > 0 {
            ("children", true)
        } else {
            ("parents", false)
        };
        for taken in 0..steps.unsigned_abs() {
            let node = &self.nodes[at];
            // Forward steps follow the revision files: a revision only the log holds
            // is not a step this binary can take.
            let next: Vec<usize> = if forward {
                node.children
                    .iter()
                    .copied()
                    .filter(|&c| !self.nodes[c].from_log)
                    .collect()
            } else {
                node.parents.clone()
            };
            at = match next.as_slice() {
                [] => {
                    return Err(GraphError::RelativeOutOfRange {
                        target: target.to_string(),
                        steps: steps.unsigned_abs(),
                        available: taken as usize,
                    })
                }
                [one] => *one,
                many => {
                    return Err(GraphError::AmbiguousStep {
                        target: target.to_string(),
                        at: node.revision.id.clone(),
                        direction,
                        candidates: self.owned_ids(many.iter().copied()),
                    })
                }
            };
        }
        Ok(at)
    }

    fn owned_ids(&self, indices: impl IntoIterator<Item = usize>) -> Vec<String> {
        indices
            .into_iter()
            .map(|i| self.nodes[i].revision.id.clone())
            .collect()
    }
}
