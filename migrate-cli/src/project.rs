//! The revisions a command works on, read from the migrations directory or from the
//! binary's embedded revisions, with the graph queries the commands print (heads,
//! branch points, children, newest-first order) answered by core's one graph
//! (`migrate_core::graph::RevisionGraph`), and id resolution by unique prefix.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use migrate_core::embed::EmbeddedRevision;
use migrate_core::graph::{GraphError, RevisionGraph};
use migrate_core::revision::{load_dir, Revision, RevisionError};

use crate::config::Settings;
use crate::context::RevisionSource;
use crate::error::{CliError, CliResult};

/// One revision and where it came from.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The parsed revision.
    pub revision: Revision,
    /// Its file (on disk, or the embedded file name).
    pub path: PathBuf,
    /// Its checksum, `sha256:<hex>`.
    pub checksum: String,
}

impl Entry {
    /// The revision id.
    pub fn id(&self) -> &str {
        &self.revision.id
    }
}

/// Every revision, in file order, with its checked graph.
#[derive(Clone, Debug)]
pub struct Revisions {
    entries: Vec<Entry>,
    graph: RevisionGraph,
}

impl Revisions {
    /// Reads the revisions from where the command runs: the migrations directory, or
    /// the embedded revisions.
    pub fn load(source: RevisionSource, settings: &Settings) -> CliResult<Revisions> {
        match source {
            RevisionSource::Directory => Self::from_dir(&settings.migrations_dir),
            RevisionSource::Embedded(embedded) => Self::from_embedded(embedded.revisions),
        }
    }

    /// Reads every revision file of `dir`.
    pub fn from_dir(dir: &Path) -> CliResult<Revisions> {
        require_dir(dir)?;
        let files = load_dir(dir).map_err(revision_error)?;
        // Paths are shown relative to where the command runs, when they can be.
        let shown = ShownPaths::here();
        Self::new(
            files
                .into_iter()
                .map(|f| Entry {
                    path: shown.show(&f.path),
                    revision: f.revision,
                    checksum: f.checksum.to_string(),
                })
                .collect(),
        )
    }

    /// Parses the revisions embedded in the binary.
    pub fn from_embedded(embedded: &[EmbeddedRevision]) -> CliResult<Revisions> {
        let mut entries = Vec::with_capacity(embedded.len());
        for e in embedded {
            let path = PathBuf::from(e.file);
            let revision = Revision::parse(e.source, &path).map_err(revision_error)?;
            entries.push(Entry {
                revision,
                path,
                checksum: e.checksum.to_string(),
            });
        }
        Self::new(entries)
    }

    /// Builds the graph of the revisions: core's checks (duplicate ids, missing
    /// parents, cycles) report what is wrong with the files named.
    pub fn new(entries: Vec<Entry>) -> CliResult<Revisions> {
        let graph = RevisionGraph::with_paths(
            entries
                .iter()
                .map(|e| (e.revision.clone(), Some(e.path.clone())))
                .collect(),
        )
        .map_err(graph_error)?;
        Ok(Revisions { entries, graph })
    }

    /// The core's checked graph of the same revisions (plans, replay).
    pub fn graph(&self) -> &RevisionGraph {
        &self.graph
    }

    /// All revisions, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Whether there are no revisions.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The revision with exactly this id.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.id() == id)
    }

    /// The ids of the revisions that follow `id`, as the graph links them (what
    /// follows the last revision a squash replaced follows the squash).
    pub fn children(&self, id: &str) -> Vec<&str> {
        self.graph.children(id).unwrap_or_default()
    }

    /// The revisions nothing follows, in file order.
    pub fn heads(&self) -> Vec<&Entry> {
        let heads: BTreeSet<&str> = self.graph.heads().into_iter().collect();
        self.entries
            .iter()
            .filter(|e| heads.contains(e.id()))
            .collect()
    }

    /// The revisions several others follow.
    pub fn branch_points(&self) -> Vec<&Entry> {
        let points = self.graph.branch_points();
        self.entries
            .iter()
            .filter(|e| points.contains(&e.id()))
            .collect()
    }

    /// The one head, or an error saying there are several (or none).
    pub fn single_head(&self) -> CliResult<&Entry> {
        let heads = self.heads();
        match heads.as_slice() {
            [one] => Ok(one),
            [] => Err(CliError::usage("there are no revisions yet")
                .fix("create one with `cargo migrate revision -m \"MESSAGE\"`")),
            many => Err(CliError::revisions(format!(
                "there are {} heads ({}); `head` is ambiguous",
                many.len(),
                self.with_files(many.iter().map(|e| e.id()))
            ))
            .fix("merge them with `cargo migrate merge -m \"merge\" heads`, or name one revision")),
        }
    }

    /// Revision ids with their files, for a message: `ae10f3 (migrations/ae10f3_x.toml)`.
    pub fn with_files<'a>(&self, ids: impl IntoIterator<Item = &'a str>) -> String {
        ids.into_iter()
            .map(|id| match self.get(id) {
                Some(e) => format!("{id} ({})", e.path.display()),
                None => id.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// A planning error as a CLI error, with the files of the heads when there are
    /// several (they are what the user merges or picks from).
    pub fn plan_error(&self, err: GraphError) -> CliError {
        match err {
            GraphError::MultipleHeads { heads } => multiple_heads_error(
                heads.len(),
                &self.with_files(heads.iter().map(String::as_str)),
            ),
            other => graph_error(other),
        }
    }

    /// Resolves `head` or an id (or unique prefix of one) to a revision.
    pub fn resolve(&self, text: &str) -> CliResult<&Entry> {
        if text == "head" {
            return self.single_head();
        }
        let text = text.trim().to_ascii_lowercase();
        if let Some(exact) = self.get(&text) {
            return Ok(exact);
        }
        let matches: Vec<&Entry> = self
            .entries
            .iter()
            .filter(|e| !text.is_empty() && e.id().starts_with(&text))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one),
            [] => Err(CliError::usage(format!("no revision matches `{text}`"))
                .fix("list the revisions with `cargo migrate history`, and give an id or a unique prefix of one")),
            many => Err(CliError::usage(format!(
                "`{text}` is ambiguous: it starts {}",
                many.iter().map(|e| e.id()).collect::<Vec<_>>().join(", ")
            ))
            .fix("give more characters of the id")),
        }
    }

    /// `id` and every revision before it.
    pub fn ancestors(&self, id: &str) -> BTreeSet<String> {
        let before = self.graph.ancestors(id).unwrap_or_default();
        itself_and(id, before)
    }

    /// `id` and every revision after it.
    pub fn descendants(&self, id: &str) -> BTreeSet<String> {
        let after = self.graph.descendants(id).unwrap_or_default();
        itself_and(id, after)
    }

    /// Every revision, each after all of its children (heads first, bases last), as
    /// `history` prints it: from the heads down, each branch followed to its end
    /// before the next (ties in reverse file order), over the graph's links.
    pub fn newest_first(&self) -> Vec<&Entry> {
        let mut remaining: BTreeMap<&str, usize> = self
            .entries
            .iter()
            .map(|e| (e.id(), self.children(e.id()).len()))
            .collect();
        let mut ready: Vec<&Entry> = self.heads();
        let mut out = Vec::with_capacity(self.entries.len());
        while let Some(e) = ready.pop() {
            out.push(e);
            for parent in self.graph.linked_parents(e.id()).into_iter().rev() {
                // The graph has no cycle, so every parent's count reaches zero.
                if let Some(count) = remaining.get_mut(parent) {
                    *count -= 1;
                    if *count == 0 {
                        ready.extend(self.get(parent));
                    }
                }
            }
        }
        out
    }
}

/// `id` and the revisions `others`, as a set.
fn itself_and(id: &str, others: Vec<&str>) -> BTreeSet<String> {
    others.into_iter().chain([id]).map(str::to_string).collect()
}

/// A revision-file error as a CLI error with its fix.
pub fn revision_error(err: RevisionError) -> CliError {
    let fix = match &err {
        RevisionError::Io { .. } => "check that the migrations directory is readable",
        RevisionError::FileName { .. } => "rename the file as the message says",
        _ => "fix the file at that line (see docs/revision-format.md)",
    };
    CliError::revisions(err.to_string()).fix(fix)
}

/// `head` asked for while there are several heads; `named` lists them with their
/// files.
pub fn multiple_heads_error(count: usize, named: &str) -> CliError {
    CliError::usage(format!(
        "there are {count} heads ({named}) and `head` needs exactly one"
    ))
    .fix("merge them with `cargo migrate merge heads -m \"...\"`, upgrade to `heads` to apply every branch, or name one revision")
}

/// An error unless the migrations directory exists.
pub fn require_dir(dir: &Path) -> CliResult<()> {
    if dir.is_dir() {
        return Ok(());
    }
    Err(CliError::usage(format!(
        "the migrations directory {} does not exist",
        dir.display()
    ))
    .fix("run `cargo migrate init`, or give the directory with --migrations-dir or migrations_dir in migrate.toml"))
}

/// `path` relative to where the command runs, when it is inside it (for messages).
pub fn shown_path(path: &Path) -> PathBuf {
    ShownPaths::here().show(path)
}

/// Paths relative to one working directory, read once: a loop over hundreds of
/// revision files asks the kernel for it once, not once per file.
pub struct ShownPaths {
    cwd: PathBuf,
}

impl ShownPaths {
    /// Relative to where the command runs now.
    pub fn here() -> ShownPaths {
        ShownPaths {
            cwd: std::env::current_dir().unwrap_or_default(),
        }
    }

    /// `path` relative to the directory, when it is inside it.
    pub fn show(&self, path: &Path) -> PathBuf {
        path.strip_prefix(&self.cwd)
            .map(Path::to_path_buf)
            .unwrap_or_else(|_| path.to_path_buf())
    }
}

/// A graph error as a CLI error: the core's message says what is wrong, then (after
/// `; `) how to fix it; targets and ids the user typed are usage errors.
pub fn graph_error(err: GraphError) -> CliError {
    let status = match &err {
        GraphError::AmbiguousPrefix { .. }
        | GraphError::UnknownRevision { .. }
        | GraphError::InvalidTarget { .. }
        | GraphError::RelativeOutOfRange { .. }
        | GraphError::AmbiguousStep { .. }
        | GraphError::NotApplied { .. }
        | GraphError::ParentsNotApplied { .. }
        | GraphError::DependentsApplied { .. }
        // Several heads make `head` or `-N` ambiguous: the files are fine, the target
        // must be more precise.
        | GraphError::MultipleHeads { .. }
        | GraphError::MultipleAppliedHeads { .. } => crate::error::Status::Usage,
        _ => crate::error::Status::Revisions,
    };
    let text = err.to_string();
    match text.split_once("; ") {
        Some((message, fix)) => CliError::new(status, message).fix(fix),
        None => {
            CliError::new(status, text).fix("see `cargo migrate history` and `cargo migrate heads`")
        }
    }
}
