//! `cargo migrate revision -m MSG [--autogenerate]`: a new revision file on top of the
//! head, empty (with a template for hand-written SQL) or filled from the models.

use std::path::{Path, PathBuf};

use migrate_core::online::SafetyTable;
use migrate_core::revision::{file_name, now_utc, Revision};

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::output::{paint, style};
use crate::project::Revisions;

/// Options of `revision`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// What the revision does (also the file name's slug).
    #[arg(short, long, value_name = "MSG")]
    pub message: String,
    /// Fill the revision with the operations that turn the head schema into the models.
    #[arg(long)]
    pub autogenerate: bool,
    /// With --autogenerate: accept operations that lose data (dropping tables or columns).
    #[arg(long, requires = "autogenerate")]
    pub allow_destructive: bool,
    /// With --autogenerate: write a change that breaks the release still running as
    /// an expand revision and a contract revision that waits in `next/` for a later
    /// release (docs/safety.md).
    #[arg(long, requires = "autogenerate")]
    pub expand: bool,
    /// Parent revision [default: the single head]; `base` starts a new base (a
    /// history of its own beside the others).
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// A name for the branch this revision starts (`NAME` and `NAME@head` then work
    /// as targets and as --head). Repeatable.
    #[arg(long = "branch-label", value_name = "NAME")]
    pub branch_labels: Vec<String>,
    /// A revision of another branch that must be applied before this one, without
    /// merging the branches. Repeatable.
    #[arg(long = "depends-on", value_name = "REV")]
    pub depends_on: Vec<String>,
}

/// Runs `revision`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    if args.autogenerate {
        return super::autogenerate::exec(args, ctx, &settings);
    }
    let revs = Revisions::load(ctx.source, &settings)?;
    let parents = match args.head.as_deref() {
        Some("base") => Vec::new(),
        Some(head) => vec![resolve(&revs, head)?],
        None if revs.is_empty() => Vec::new(),
        None => vec![revs.single_head()?.id().to_string()],
    };
    let mut revision = Revision::new_empty(args.message.clone(), parents, now_utc());
    revision.branch_labels = args.branch_labels.clone();
    for dependency in &args.depends_on {
        revision.depends_on.push(resolve(&revs, dependency)?);
    }
    // Checked as every later command will read it: labels unique, names valid.
    let mut all: Vec<(Revision, Option<PathBuf>)> = revs
        .entries()
        .iter()
        .map(|e| (e.revision.clone(), Some(e.path.clone())))
        .collect();
    all.push((revision.clone(), None));
    migrate_core::graph::RevisionGraph::with_paths(all).map_err(crate::project::graph_error)?;
    migrate_core::revision::read::check_names(
        &revision.id,
        &revision.parents,
        "branch_labels",
        &revision.branch_labels,
    )
    .map_err(|m| CliError::usage(m).fix("give --branch-label a name of letters, digits and `_`"))?;
    // The file says how it runs (`[safety]` from migrate.toml's), so its SQL is linted.
    let config = super::autogenerate::build_config(&settings);
    let project = config.resolved_safety().map_err(|e| {
        CliError::usage(e).fix("correct migrate.toml's [safety] table (docs/safety.md)")
    })?;
    let safety = SafetyTable::for_new_revision(project.as_ref()).map_err(|e| {
        CliError::usage(format!("migrate.toml: {e}"))
            .fix("correct migrate.toml's [safety] table (docs/safety.md)")
    })?;
    let path = write_revision_text(
        &settings.migrations_dir,
        &revision,
        &format!("{}{}", revision.to_toml(), safety.to_toml()),
    )?;
    report_written(ctx, &revision, &path);
    crate::hooks::post_write(ctx, &settings, &path)?;
    Ok(Status::Ok)
}

/// Writes a new revision file into `dir`, refusing to overwrite one.
pub fn write_revision(dir: &Path, revision: &Revision) -> CliResult<PathBuf> {
    write_revision_text(dir, revision, &revision.to_toml())
}

/// Writes `text` as the file of `revision` into `dir`, refusing to overwrite one.
pub fn write_revision_text(dir: &Path, revision: &Revision, text: &str) -> CliResult<PathBuf> {
    let path = dir.join(file_name(revision));
    if path.exists() {
        return Err(CliError::io(format!("{} already exists", path.display()))
            .fix("wait a second and run the command again (the id depends on the time)"));
    }
    std::fs::write(&path, text).map_err(|e| {
        CliError::io(format!("cannot write {}: {e}", path.display()))
            .fix("check that the migrations directory is writable")
    })?;
    Ok(path)
}

/// A revision id, unique prefix, `head`, branch label or `LABEL@head`, as an id.
fn resolve(revs: &Revisions, text: &str) -> CliResult<String> {
    if let Ok(r) = revs.graph().resolve(text) {
        return Ok(r.id.clone());
    }
    Ok(revs.resolve(text)?.id().to_string())
}

/// Prints `created <id> <path>`.
pub fn report_written(ctx: &Context, revision: &Revision, path: &Path) {
    let shown = path.strip_prefix(&ctx.cwd).unwrap_or(path);
    ctx.out.status(format!(
        "{} revision {} at {}",
        paint(style::MARKER, "created"),
        paint(style::ID, &revision.id),
        shown.display()
    ));
    ctx.out.data(revision.id.clone());
}
