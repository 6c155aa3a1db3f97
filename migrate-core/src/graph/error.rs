//! Errors of the revision graph: broken history, unknown or ambiguous targets, and
//! revisions whose replay does not fit the schema.
//!
//! Messages name the revisions (and their files, when the graph was built from
//! files) and say how to fix the problem.

use std::path::{Path, PathBuf};

use crate::apply::ApplyError;
use crate::revision::RevisionError;

/// A problem with the revision history or with a target given by the user.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GraphError {
    /// Two revisions share an id.
    #[error(
        "two revisions have the id `{id}`{}; give one of them a new id (its `id` and its \
         file name), e.g. by re-creating it with `cargo migrate revision`",
        files_note(.files)
    )]
    DuplicateId {
        /// The id.
        id: String,
        /// The files that hold it (when known).
        files: Vec<PathBuf>,
    },
    /// A revision names a parent that does not exist.
    #[error(
        "revision `{revision}`{} lists parent `{parent}`, but no revision has that id; \
         restore the missing revision file, or correct `parents` in this one",
        file_note(.file)
    )]
    MissingParent {
        /// The revision with the bad parent.
        revision: String,
        /// The parent id that was not found.
        parent: String,
        /// The revision's file (when known).
        file: Option<PathBuf>,
    },
    /// Following parents leads back to where it started.
    #[error(
        "the revisions form a cycle (each is a parent of the next): {}{}; remove one of \
         these parent links",
        cycle_text(.revisions),
        files_note(.files)
    )]
    Cycle {
        /// The revisions on the cycle, each a parent of the next (and the last of the first).
        revisions: Vec<String>,
        /// Their files (when known).
        files: Vec<PathBuf>,
    },
    /// An id prefix matches several revisions.
    #[error(
        "revision prefix `{prefix}` is ambiguous: it matches {}; give more characters",
        .candidates.join(", ")
    )]
    AmbiguousPrefix {
        /// What was given.
        prefix: String,
        /// Every id it matches.
        candidates: Vec<String>,
    },
    /// No revision has this id or id prefix.
    #[error(
        "unknown revision `{id}`: no revision id starts with it; `cargo migrate history` \
         lists the revisions"
    )]
    UnknownRevision {
        /// What was given.
        id: String,
    },
    /// The database records a revision that no revision file has.
    #[error(
        "the database is at revision `{id}`, which is not among the revision files; it was \
         probably applied by a newer version of the application, or its file was deleted \
         (restore the file, or `cargo migrate stamp` the database to a known revision)"
    )]
    UnknownApplied {
        /// The unknown applied id.
        id: String,
    },
    /// `head` was asked for but the history has several heads.
    #[error(
        "there are {} heads ({}) and `head` needs exactly one; merge them with \
         `cargo migrate merge heads -m \"...\"`, upgrade to `heads` to apply every branch, \
         or name one revision",
        .heads.len(),
        .heads.join(", ")
    )]
    MultipleHeads {
        /// Ids of the heads.
        heads: Vec<String>,
    },
    /// A relative downgrade was asked for while several branches are applied.
    #[error(
        "the database has {} branches applied ({}), so `{target}` is ambiguous; downgrade \
         to a revision id instead",
        .heads.len(),
        .heads.join(", ")
    )]
    MultipleAppliedHeads {
        /// Applied heads.
        heads: Vec<String>,
        /// The target as given.
        target: String,
    },
    /// A relative target goes further than the history does.
    #[error(
        "`{target}` goes {steps} steps but only {available} are possible from here; use a \
         smaller number, or `head`/`base`"
    )]
    RelativeOutOfRange {
        /// The target as given.
        target: String,
        /// Steps asked for.
        steps: u64,
        /// Steps possible.
        available: usize,
    },
    /// A relative target crosses a branch point or a merge, where there is more than
    /// one way to go.
    #[error(
        "`{target}` is ambiguous: revision `{at}` has several {direction} ({}); name the \
         revision to go to instead",
        .candidates.join(", ")
    )]
    AmbiguousStep {
        /// The target as given.
        target: String,
        /// Where the path forks.
        at: String,
        /// `"children"` or `"parents"`.
        direction: &'static str,
        /// The ways it could go.
        candidates: Vec<String>,
    },
    /// A downgrade target is not applied, so the database cannot be left there.
    #[error(
        "cannot downgrade to `{id}`: that revision is not applied to the database; \
         `cargo migrate current` shows what is"
    )]
    NotApplied {
        /// The target revision.
        id: String,
    },
    /// A revision is to be applied before its parents.
    #[error(
        "revision `{revision}` cannot be applied before its parent(s) {}; apply those first",
        .missing.join(", ")
    )]
    ParentsNotApplied {
        /// The revision.
        revision: String,
        /// Parents not applied yet.
        missing: Vec<String>,
    },
    /// A revision is to be undone while revisions built on it are still applied.
    #[error(
        "revision `{revision}` cannot be undone while {} still applied; undo those first",
        dependents_text(.dependents)
    )]
    DependentsApplied {
        /// The revision.
        revision: String,
        /// Applied children.
        dependents: Vec<String>,
    },
    /// A target that makes no sense here, or cannot be read.
    #[error("invalid target `{input}`: {reason}")]
    InvalidTarget {
        /// What was given.
        input: String,
        /// Why, and what to write instead.
        reason: String,
    },
    /// A revision depends on a revision that does not exist.
    #[error(
        "revision `{revision}`{} lists `{dependency}` in `depends_on`, but no revision has \
         that id; restore its file, or correct `depends_on`",
        file_note(.file)
    )]
    MissingDependency {
        /// The revision.
        revision: String,
        /// The id not found.
        dependency: String,
        /// The revision's file (when known).
        file: Option<PathBuf>,
    },
    /// Two revisions carry the same branch label.
    #[error(
        "branch label `{label}` is on both `{first}` and `{second}`; a label names one \
         branch: remove it from one of them"
    )]
    DuplicateLabel {
        /// The label.
        label: String,
        /// The revisions that carry it.
        first: String,
        /// The second one.
        second: String,
    },
    /// A squash revision's `replaces` does not describe a range it can stand for.
    #[error("squash revision `{squash}`{} is invalid: {reason}", file_note(.file))]
    InvalidSquash {
        /// The squash revision.
        squash: String,
        /// Its file (when known).
        file: Option<PathBuf>,
        /// What is wrong and how to fix it.
        reason: String,
    },
    /// A database stands inside a squashed range whose files are gone.
    #[error(
        "the database is at revision `{revision}`, in the middle of the revisions squash \
         `{squash}` replaced (up to `{last}`), and their files are deleted, so this build \
         cannot finish that range; upgrade this database to `{last}` or later with a build \
         that still has the replaced files (any build before their deletion), or restore \
         them, then run this one"
    )]
    SquashedAway {
        /// The applied revision inside the range.
        revision: String,
        /// The squash revision.
        squash: String,
        /// The last revision it replaces.
        last: String,
    },
    /// A database applied a squash as one revision, and a downgrade targets a
    /// revision inside its range.
    #[error(
        "revision `{target}` is inside the range squash `{squash}` replaced, and this \
         database applied `{squash}` as one revision; downgrade to `{parent}` and then \
         upgrade to `{target}`"
    )]
    InsideAppliedSquash {
        /// The target.
        target: String,
        /// The squash revision.
        squash: String,
        /// Where a downgrade of the whole squash leads (`base` for a squash with no parent).
        parent: String,
    },
    /// Replaying a revision's upgrade does not fit the schema its ancestors leave.
    #[error(
        "replaying revision `{revision}`{}, upgrade step {step} ({op}): {source}; the \
         revision files disagree with each other (was an earlier revision edited?)",
        file_note(.file)
    )]
    Replay {
        /// The revision.
        revision: String,
        /// Its file (when known).
        file: Option<PathBuf>,
        /// 1-based position of the failing operation in `upgrade`.
        step: usize,
        /// The operation, described.
        op: String,
        /// Why it does not fit.
        source: Box<ApplyError>,
    },
    /// A revision file (embedded or on disk) could not be parsed.
    #[error(transparent)]
    Revision(#[from] RevisionError),
}

fn file_note(file: &Option<PathBuf>) -> String {
    match file {
        Some(path) => format!(" (in {})", path.display()),
        None => String::new(),
    }
}

fn files_note(files: &[PathBuf]) -> String {
    if files.is_empty() {
        return String::new();
    }
    let list: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    format!(" (in {})", list.join(", "))
}

fn cycle_text(revisions: &[String]) -> String {
    let mut ids: Vec<&str> = revisions.iter().map(String::as_str).collect();
    if let Some(first) = revisions.first() {
        ids.push(first);
    }
    ids.join(" -> ")
}

fn dependents_text(dependents: &[String]) -> String {
    match dependents {
        [one] => format!("its child {one} is"),
        many => format!("its children {} are", many.join(", ")),
    }
}

impl GraphError {
    /// The file the error is about, when there is exactly one.
    pub fn file(&self) -> Option<&Path> {
        match self {
            GraphError::MissingParent { file, .. } | GraphError::Replay { file, .. } => {
                file.as_deref()
            }
            GraphError::Revision(e) => Some(e.path()),
            _ => None,
        }
    }
}
