//! The revision graph: which revision follows which, and in what order to apply them.
//!
//! Revisions point at their parents; the graph adds the children, checks the history
//! (no duplicate id, no missing parent, no cycle) and fixes one topological order
//! (parents before children, ties broken by id), so every plan and every replay is
//! deterministic. Like Alembic's `RevisionMap`, it knows heads (no children), bases
//! (no parents), branch points (several children) and merges (several parents).
//!
//! - [`target`], with [`Target`]: what `upgrade`/`downgrade` is asked to reach;
//! - [`plan`], which revisions to apply or undo, and the applied heads afterwards;
//! - [`replay`](mod@replay), the schema a head leaves, with no database;
//! - [`logged`], the revisions only a database's version log holds;
//! - [`squash`], revisions that stand for a range of older ones;
//! - [`error`], with [`GraphError`].

pub mod error;
pub mod labels;
pub mod logged;
pub mod plan;
pub mod replay;
pub mod squash;
pub mod target;

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;
use std::path::{Path, PathBuf};

use crate::embed::EmbeddedRevision;
use crate::revision::{Revision, RevisionFile};

pub use error::GraphError;
pub use logged::LoggedRevision;
pub use target::Target;

/// One revision with its place in the graph.
#[derive(Clone, Debug)]
pub(crate) struct Node {
    revision: Revision,
    path: Option<PathBuf>,
    /// Parent indices, in the order the revision lists them.
    parents: Vec<usize>,
    /// Nodes this one is ordered after without depending on them: a squash comes
    /// after the last revision it replaces (see [`squash`]).
    after: Vec<usize>,
    /// The revisions of other branches it depends on (`depends_on`).
    depends: Vec<usize>,
    /// What must be applied before it: its parents and what it depends on.
    requires: Vec<usize>,
    /// What must be undone before it: its children and what depends on it.
    required_by: Vec<usize>,
    /// Child indices, in id order.
    children: Vec<usize>,
    /// Whether only the version log holds it (see [`logged`]).
    from_log: bool,
}

/// A checked revision history.
///
/// Node indices follow id order, so sets of indices iterate in id order.
#[derive(Clone, Debug)]
pub struct RevisionGraph {
    nodes: Vec<Node>,
    by_id: BTreeMap<String, usize>,
    /// Node indices in topological order (parents first, ties by id).
    topo: Vec<usize>,
    /// The squash revisions (see [`squash`]).
    squashes: Vec<squash::Squash>,
    /// Replaced ids whose files are gone: (position in `squashes`, whether last).
    squashed_away: BTreeMap<String, (usize, bool)>,
    /// Branch labels and the revision that carries each.
    labels: BTreeMap<String, usize>,
}

impl RevisionGraph {
    /// Builds and checks the graph of revisions that have no file.
    pub fn new(revisions: Vec<Revision>) -> Result<Self, GraphError> {
        Self::with_paths(revisions.into_iter().map(|r| (r, None)).collect())
    }

    /// Builds and checks the graph of revision files (errors name the files).
    pub fn from_files(files: Vec<RevisionFile>) -> Result<Self, GraphError> {
        Self::with_paths(
            files
                .into_iter()
                .map(|f| (f.revision, Some(f.path)))
                .collect(),
        )
    }

    /// Builds the graph of revisions embedded by the build script, parsing each
    /// source (errors name the file).
    pub fn from_embedded(embedded: &[EmbeddedRevision]) -> Result<Self, GraphError> {
        let mut entries = Vec::with_capacity(embedded.len());
        for e in embedded {
            let path = PathBuf::from(e.file);
            let revision = Revision::parse(e.source, &path)?;
            entries.push((revision, Some(path)));
        }
        Self::with_paths(entries)
    }

    /// Builds and checks the graph of revisions, each with its file when it has one.
    pub fn with_paths(entries: Vec<(Revision, Option<PathBuf>)>) -> Result<Self, GraphError> {
        Self::build(entries.into_iter().map(|(r, p)| (r, p, false)).collect())
    }

    /// Checks that the ids are unique and links the revisions, each with its file and
    /// whether only the version log holds it. A parent of a logged revision that is not
    /// there is left out (see [`logged`]); any other is an error.
    fn build(mut entries: Vec<(Revision, Option<PathBuf>, bool)>) -> Result<Self, GraphError> {
        // Stable: of two revisions with one id, the first given stays first.
        entries.sort_by(|a, b| a.0.id.cmp(&b.0.id));
        if let Some(pair) = entries.windows(2).find(|w| w[0].0.id == w[1].0.id) {
            return Err(GraphError::DuplicateId {
                id: pair[0].0.id.clone(),
                files: pair
                    .iter()
                    .filter_map(|(_, path, _)| path.clone())
                    .collect(),
            });
        }
        let by_id: BTreeMap<String, usize> = entries
            .iter()
            .enumerate()
            .map(|(i, (r, _, _))| (r.id.clone(), i))
            .collect();
        let layout = squash::Layout::new(&entries, &by_id)?;
        let mut linked = Vec::with_capacity(entries.len());
        let mut depends = Vec::with_capacity(entries.len());
        let mut labels: BTreeMap<String, usize> = BTreeMap::new();
        for (i, (revision, path, from_log)) in entries.iter().enumerate() {
            let mut on = Vec::with_capacity(revision.depends_on.len());
            for dependency in &revision.depends_on {
                match layout.parent(&entries, &by_id, i, dependency)? {
                    Some(d) => on.push(d),
                    None if *from_log => {}
                    None => {
                        return Err(GraphError::MissingDependency {
                            revision: revision.id.clone(),
                            dependency: dependency.clone(),
                            file: path.clone(),
                        })
                    }
                }
            }
            depends.push(on);
            for label in &revision.branch_labels {
                if let Some(first) = labels.insert(label.clone(), i) {
                    return Err(GraphError::DuplicateLabel {
                        label: label.clone(),
                        first: entries[first].0.id.clone(),
                        second: revision.id.clone(),
                    });
                }
            }
            let mut parents = Vec::with_capacity(revision.parents.len());
            for parent in &revision.parents {
                match layout.parent(&entries, &by_id, i, parent)? {
                    Some(p) => parents.push(p),
                    None if *from_log => {}
                    None => {
                        return Err(GraphError::MissingParent {
                            revision: revision.id.clone(),
                            parent: parent.clone(),
                            file: path.clone(),
                        })
                    }
                }
            }
            linked.push(parents);
        }
        let mut nodes: Vec<Node> = entries
            .into_iter()
            .zip(linked)
            .zip(depends)
            .map(|(((revision, path, from_log), parents), depends)| Node {
                revision,
                path,
                requires: parents.iter().chain(&depends).copied().collect(),
                parents,
                after: Vec::new(),
                depends,
                required_by: Vec::new(),
                children: Vec::new(),
                from_log,
            })
            .collect();
        for s in &layout.squashes {
            nodes[s.index].after.extend(s.last_original());
        }
        let mut graph = Self::link(nodes, by_id)?;
        graph.squashes = layout.squashes;
        graph.squashed_away = layout.away;
        graph.labels = labels;
        Ok(graph)
    }

    /// Adds the child links, then checks for cycles and fixes the order.
    fn link(mut nodes: Vec<Node>, by_id: BTreeMap<String, usize>) -> Result<Self, GraphError> {
        for child in 0..nodes.len() {
            // Taken out while other nodes are written to, then put back.
            let parents = std::mem::take(&mut nodes[child].parents);
            let after = std::mem::take(&mut nodes[child].after);
            let depends = std::mem::take(&mut nodes[child].depends);
            for &p in parents.iter().chain(&after) {
                if !nodes[p].children.contains(&child) {
                    nodes[p].children.push(child);
                }
            }
            for &d in &depends {
                nodes[d].required_by.push(child);
            }
            let node = &mut nodes[child];
            (node.parents, node.after, node.depends) = (parents, after, depends);
        }
        for node in &mut nodes {
            node.children.sort_unstable();
            let mut required_by: Vec<usize> = node
                .children
                .iter()
                .chain(&node.required_by)
                .copied()
                .collect();
            required_by.sort_unstable();
            required_by.dedup();
            node.required_by = required_by;
        }
        let topo = topological_order(&nodes)?;
        Ok(RevisionGraph {
            nodes,
            by_id,
            topo,
            squashes: Vec::new(),
            squashed_away: BTreeMap::new(),
            labels: BTreeMap::new(),
        })
    }

    /// Number of revisions.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no revisions.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// The revision with exactly this id.
    pub fn get(&self, id: &str) -> Option<&Revision> {
        self.by_id.get(id).map(|&i| &self.nodes[i].revision)
    }

    /// The parent ids of the revision with exactly this id (none for an unknown id).
    pub fn parents(&self, id: &str) -> &[String] {
        self.get(id).map_or(&[], |r| r.parents.as_slice())
    }

    /// The file of the revision with this id, when the graph was built from files.
    pub fn path(&self, id: &str) -> Option<&Path> {
        self.by_id
            .get(id)
            .and_then(|&i| self.nodes[i].path.as_deref())
    }

    /// The revision whose id is `prefix`, or the only one whose id starts with it.
    pub fn resolve(&self, prefix: &str) -> Result<&Revision, GraphError> {
        self.resolve_index(prefix).map(|i| &self.nodes[i].revision)
    }

    pub(crate) fn resolve_index(&self, prefix: &str) -> Result<usize, GraphError> {
        if let Some(&i) = self.by_id.get(prefix) {
            return Ok(i);
        }
        if let Some(found) = self.resolve_label(prefix) {
            return found;
        }
        if let Some(&(position, _)) = self.squashed_away.get(prefix) {
            let squash = &self.nodes[self.squashes[position].index].revision.id;
            return Err(GraphError::InvalidTarget {
                input: prefix.to_string(),
                reason: format!(
                    "revision `{prefix}` was squashed into `{squash}` and its file deleted; \
                     use `{squash}` or a revision after it"
                ),
            });
        }
        let matches: Vec<(&String, &usize)> = if prefix.is_empty() {
            Vec::new()
        } else {
            self.by_id
                .range::<str, _>((Bound::Included(prefix), Bound::Unbounded))
                .take_while(|(id, _)| id.starts_with(prefix))
                .collect()
        };
        match matches.as_slice() {
            [] => Err(GraphError::UnknownRevision {
                id: prefix.to_string(),
            }),
            [(_, &i)] => Ok(i),
            many => Err(GraphError::AmbiguousPrefix {
                prefix: prefix.to_string(),
                candidates: many.iter().map(|(id, _)| (*id).clone()).collect(),
            }),
        }
    }

    /// Every revision in topological order (parents first, ties broken by id).
    pub fn revisions(&self) -> impl Iterator<Item = &Revision> + '_ {
        self.topo.iter().map(|&i| &self.nodes[i].revision)
    }

    /// Revisions with no children, by id. Revisions only the version log holds are
    /// not heads, and do not stop their parents from being ones: `head` means the
    /// newest revision of the files (see [`logged`]).
    pub fn heads(&self) -> Vec<&str> {
        self.ids(self.head_indices())
    }

    /// The indices of [`RevisionGraph::heads`].
    pub(crate) fn head_indices(&self) -> Vec<usize> {
        (0..self.nodes.len())
            .filter(|&i| {
                let n = &self.nodes[i];
                !n.from_log && n.children.iter().all(|&c| self.nodes[c].from_log)
            })
            .collect()
    }

    /// Revisions with no parents, by id.
    pub fn bases(&self) -> Vec<&str> {
        self.ids(
            (0..self.nodes.len())
                .filter(|&i| self.nodes[i].parents.is_empty() && self.squashed_into(i).is_none()),
        )
    }

    /// Branch points: revisions with more than one child, by id.
    pub fn branch_points(&self) -> Vec<&str> {
        // The first revision a squash replaces is not a second child of their parent.
        self.ids_where(|n| {
            n.children
                .iter()
                .filter(|&&c| self.squashed_into(c).is_none())
                .count()
                > 1
        })
    }

    /// Merge revisions: revisions with more than one parent, by id.
    pub fn merges(&self) -> Vec<&str> {
        self.ids_where(|n| n.parents.len() > 1)
    }

    /// Ids of the children of the revision `id` (exact id or unique prefix).
    pub fn children(&self, id: &str) -> Result<Vec<&str>, GraphError> {
        let i = self.resolve_index(id)?;
        Ok(self.ids(self.nodes[i].children.iter().copied()))
    }

    /// Every revision `id` depends on (not itself), in topological order.
    pub fn ancestors(&self, id: &str) -> Result<Vec<&str>, GraphError> {
        let i = self.resolve_index(id)?;
        let mut set = self.closure([i], |n| &n.requires);
        set.remove(&i);
        Ok(self.ids_in_order(&set))
    }

    /// Every revision that depends on `id` (not itself), in topological order.
    pub fn descendants(&self, id: &str) -> Result<Vec<&str>, GraphError> {
        let i = self.resolve_index(id)?;
        let mut set = self.closure([i], |n| &n.children);
        set.remove(&i);
        Ok(self.ids_in_order(&set))
    }

    /// The revisions to apply to go from `from` to `to`, in order: descendants of
    /// `from` that are ancestors of `to`, and `to` itself. Empty when they are equal;
    /// an error when `from` is not an ancestor of `to`.
    pub fn path_between(&self, from: &str, to: &str) -> Result<Vec<&str>, GraphError> {
        let (f, t) = (self.resolve_index(from)?, self.resolve_index(to)?);
        let up = self.closure([t], |n| &n.parents);
        if !up.contains(&f) {
            return Err(GraphError::InvalidTarget {
                input: to.to_string(),
                reason: format!(
                    "revision `{}` is not an ancestor of `{}`, so there is no path between them",
                    self.nodes[f].revision.id, self.nodes[t].revision.id
                ),
            });
        }
        let down = self.closure([f], |n| &n.children);
        let set: BTreeSet<usize> = up
            .intersection(&down)
            .copied()
            .filter(|&i| i != f)
            .collect();
        Ok(self.ids_in_order(&set))
    }

    /// The node indices reachable from `start` (included) through `next`.
    pub(crate) fn closure(
        &self,
        start: impl IntoIterator<Item = usize>,
        next: impl Fn(&Node) -> &Vec<usize>,
    ) -> BTreeSet<usize> {
        let mut seen = BTreeSet::new();
        let mut stack: Vec<usize> = start.into_iter().collect();
        while let Some(i) = stack.pop() {
            if seen.insert(i) {
                stack.extend(next(&self.nodes[i]).iter().copied());
            }
        }
        seen
    }

    fn ids_where(&self, keep: impl Fn(&Node) -> bool) -> Vec<&str> {
        self.nodes
            .iter()
            .filter(|n| keep(n))
            .map(|n| n.revision.id.as_str())
            .collect()
    }

    fn ids(&self, indices: impl IntoIterator<Item = usize>) -> Vec<&str> {
        indices
            .into_iter()
            .map(|i| self.nodes[i].revision.id.as_str())
            .collect()
    }

    /// The ids of `set`, in topological order.
    pub(crate) fn ids_in_order(&self, set: &BTreeSet<usize>) -> Vec<&str> {
        self.ids(self.topo.iter().copied().filter(|i| set.contains(i)))
    }
}

/// Kahn's algorithm, always taking the ready node with the smallest id; the nodes
/// left over lie on or behind a cycle, which is reported.
fn topological_order(nodes: &[Node]) -> Result<Vec<usize>, GraphError> {
    let mut waiting: Vec<usize> = nodes
        .iter()
        .map(|n| n.parents.len() + n.after.len() + n.depends.len())
        .collect();
    let mut ready: BTreeSet<usize> = (0..nodes.len()).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(i) = ready.pop_first() {
        order.push(i);
        let dependents = nodes[i]
            .required_by
            .iter()
            .filter(|c| !nodes[i].children.contains(c));
        for &c in nodes[i].children.iter().chain(dependents) {
            waiting[c] -= 1;
            if waiting[c] == 0 {
                ready.insert(c);
            }
        }
    }
    if order.len() == nodes.len() {
        return Ok(order);
    }
    // Every node left has a parent left, so walking parents from the smallest one
    // must come back to a node already visited: that loop is a cycle.
    let start = (0..nodes.len()).find(|&i| waiting[i] > 0).unwrap_or(0);
    let mut walk = vec![start];
    let mut at = start;
    loop {
        let parent = nodes[at]
            .parents
            .iter()
            .copied()
            .find(|&p| waiting[p] > 0)
            .unwrap_or(at);
        if let Some(pos) = walk.iter().position(|&w| w == parent) {
            let mut cycle = walk.split_off(pos);
            // The walk goes child -> parent; report parent -> child, smallest id first.
            cycle.reverse();
            let smallest = (0..cycle.len()).min_by_key(|&k| cycle[k]).unwrap_or(0);
            cycle.rotate_left(smallest);
            return Err(GraphError::Cycle {
                revisions: cycle
                    .iter()
                    .map(|&i| nodes[i].revision.id.clone())
                    .collect(),
                files: cycle
                    .iter()
                    .filter_map(|&i| nodes[i].path.clone())
                    .collect(),
            });
        }
        walk.push(parent);
        at = parent;
    }
}
