//! Everything that stops the build script, each with what is wrong, where, and
//! how to fix it.

use std::path::PathBuf;

use migrate_core::graph::GraphError;
use migrate_core::revision::RevisionError;
use migrate_model::scan::ScanError;
use thiserror::Error;

use crate::report::DriftReport;

/// The merge command suggested when the graph has several heads.
pub const MERGE_COMMAND: &str = "cargo migrate merge heads -m \"merge\"";

/// Why the build script (or [`crate::autogenerate`]) stopped.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A setting of [`crate::Config`] is wrong.
    #[error("migrate-build configuration: {0}")]
    Config(String),

    /// A file or directory could not be read or written.
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        /// What was being done (`read`, `write`, `create directory`).
        action: &'static str,
        /// The path.
        path: PathBuf,
        /// The system error.
        source: std::io::Error,
    },

    /// The model scanner failed (a file it cannot read or a model it cannot parse).
    #[error("scanning the models: {0}")]
    Scan(#[from] ScanError),

    /// A schema object file (view, trigger, function...) cannot be read.
    #[error("reading the schema objects: {0}")]
    Objects(#[from] migrate_core::objects::files::ObjectFileError),

    /// A revision file is malformed.
    #[error("reading the revision files: {0}")]
    Revision(#[from] RevisionError),

    /// The revision graph is broken (missing parent, cycle, duplicate id, a
    /// revision that does not replay).
    #[error("the revision graph in {dir} is broken: {source}")]
    Graph {
        /// The migrations directory, for the message.
        dir: String,
        /// The graph's error.
        source: GraphError,
    },

    /// Several heads: the graph must be merged before a build can check drift.
    #[error(
        "the revisions in {dir} have {} heads ({}); merge them with:\n    {MERGE_COMMAND}",
        heads.len(),
        heads.join(", ")
    )]
    MultipleHeads {
        /// The migrations directory, for the message.
        dir: String,
        /// Each head, as `id (file name)`.
        heads: Vec<String>,
    },

    /// The models differ from the head schema.
    #[error("{0}")]
    Drift(Box<DriftReport>),

    /// Autogenerate found destructive changes and they were not confirmed.
    #[error(
        "autogenerate found destructive changes and wrote nothing:\n{}\n\
         confirm them with MIGRATE_ALLOW_DESTRUCTIVE=1 (build) or --allow-destructive (CLI), \
         or change the models",
        reasons.iter().map(|r| format!("    ! {r}")).collect::<Vec<_>>().join("\n")
    )]
    DestructiveNotConfirmed {
        /// One reason per destructive operation.
        reasons: Vec<String>,
    },

    /// Autogenerate found a drop and an add of the same shape: maybe a rename.
    #[error(
        "autogenerate stopped: these look like renames, not a drop and an add:\n{}\n\
         if it is a rename, declare it on the model (#[model(renamed_from = \"old_name\")] on the \
         field or struct); if the old data should really go, confirm the drop with \
         MIGRATE_ALLOW_DESTRUCTIVE=1 (build) or --allow-destructive (CLI)",
        suspects.iter().map(|s| format!("    ? {s}")).collect::<Vec<_>>().join("\n")
    )]
    RenameSuspected {
        /// One line per suspect pair.
        suspects: Vec<String>,
    },

    /// A model declares what the project's database (`dialect` in migrate.toml)
    /// cannot store: an expression or partial index on MariaDB, a method another
    /// database has, a deferrable key on MySQL.
    #[error(
        "the models ask for what {dialect} cannot store (migrate.toml sets dialect = \"{dialect}\"):\n{}",
        problems.iter().map(|p| format!("    {p}")).collect::<Vec<_>>().join("\n")
    )]
    UnsupportedByDialect {
        /// The project's database.
        dialect: migrate_core::dialect::DialectKind,
        /// One line per problem: file:line, model, what and how to fix it.
        problems: Vec<String>,
    },

    /// A `[safety]` table (of a revision file or `migrate.toml`) does not read.
    #[error("{file}: {message}")]
    Safety {
        /// The file, as shown to the user.
        file: String,
        /// What is wrong, and what is accepted.
        message: String,
    },

    /// A lint at `deny` fired on a revision (docs/safety.md).
    #[error(
        "{} lint(s) at deny:\n{}\nchange the revision, or lower the rule's level in the \
         revision's [safety.lints] table (or migrate.toml's)",
        findings.len(),
        findings.join("\n")
    )]
    LintDenied {
        /// Each denied finding, as printed.
        findings: Vec<String>,
    },

    /// `OUT_DIR` is not set: `run()` was called outside a build script.
    #[error(
        "OUT_DIR is not set: migrate_build::run() must be called from a build script \
         (build.rs), or give Config::out_dir"
    )]
    NoOutDir,

    /// A contract revision waiting in `migrations/next/` does not fit on the head
    /// (see [`crate::pending`]), or blocks a new revision.
    #[error("{file}: {message}")]
    Pending {
        /// The file, as shown to the user.
        file: String,
        /// What is wrong, and what to do.
        message: String,
    },

    /// `--expand` found changes that cannot be split into expand and contract
    /// revisions.
    #[error(
        "autogenerate --expand wrote nothing: these changes cannot be split into expand and \
         contract revisions:\n{}\n\
         write them without --expand (MIGRATE_EXPAND unset) if the release still running \
         can take them, or change the models in two releases",
        refused.iter().map(|r| format!("    ! {r}")).collect::<Vec<_>>().join("\n")
    )]
    NotExpandable {
        /// One line per change: what, the rule and why.
        refused: Vec<String>,
    },
}

impl BuildError {
    /// Wraps an I/O error with the path and what was being done.
    pub(crate) fn io(
        action: &'static str,
        path: impl Into<PathBuf>,
        source: std::io::Error,
    ) -> Self {
        BuildError::Io {
            action,
            path: path.into(),
            source,
        }
    }
}
