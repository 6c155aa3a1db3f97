//! `cargo migrate squash FROM TO`: one revision that replaces the consecutive range
//! FROM..TO (both included), as Django's `squashmigrations` does.
//!
//! The squash has FROM's parents, the upgrades of the range one after the other and
//! their downgrades in reverse, and lists the ids it replaces. The range's files stay:
//! a database inside the range finishes it through them, and a fresh one applies the
//! squash (see `migrate_core::graph::squash`). Once every database is past TO, the
//! replaced files can be deleted; the squash then stands for their ids.

use migrate_core::graph::RevisionGraph;
use migrate_core::revision::{now_utc, Revision};

use super::revision::{report_written, write_revision};
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::project::{graph_error, Revisions};

/// Options of `squash`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The first revision to replace (id or unique prefix).
    #[arg(value_name = "FROM")]
    pub from: String,
    /// The last revision to replace (id, unique prefix, or `head`).
    #[arg(value_name = "TO")]
    pub to: String,
    /// What the squash is for [default: "squash FROM..TO"].
    #[arg(short, long, value_name = "MSG")]
    pub message: Option<String>,
}

/// Runs `squash`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let from = revs.resolve(&args.from)?.revision.clone();
    let to = revs.resolve(&args.to)?.revision.clone();
    let range = range(&revs, &from, &to)?;
    let message = args
        .message
        .clone()
        .unwrap_or_else(|| format!("squash {}..{}", from.id, to.id));
    let upgrade = range.iter().flat_map(|r| r.upgrade.clone()).collect();
    let downgrade = range
        .iter()
        .rev()
        .flat_map(|r| r.downgrade.clone())
        .collect();
    let mut squash = Revision::new(message, from.parents.clone(), now_utc(), upgrade, downgrade);
    squash.replaces = range.iter().map(|r| r.id.clone()).collect();
    // The history with the squash must still be a valid graph (the same check every
    // later command makes), before anything is written.
    let mut all: Vec<(Revision, Option<std::path::PathBuf>)> = revs
        .entries()
        .iter()
        .map(|e| (e.revision.clone(), Some(e.path.clone())))
        .collect();
    all.push((squash.clone(), None));
    RevisionGraph::with_paths(all).map_err(graph_error)?;
    let path = write_revision(&settings.migrations_dir, &squash)?;
    report_written(ctx, &squash, &path);
    ctx.out.status(format!(
        "it replaces {} revisions ({}): a fresh database applies it alone; one inside \
         the range goes on through their files. Delete those files only once every \
         database is at {} or later",
        range.len(),
        squash.replaces.join(", "),
        to.id
    ));
    crate::hooks::post_write(ctx, &settings, &path)?;
    Ok(Status::Ok)
}

/// FROM..TO, oldest first, checked to be a chain a squash can stand for.
fn range(revs: &Revisions, from: &Revision, to: &Revision) -> CliResult<Vec<Revision>> {
    let graph = revs.graph();
    let mut range = vec![from.clone()];
    if from.id != to.id {
        let between = graph.path_between(&from.id, &to.id).map_err(|_| {
            CliError::usage(format!("{} does not come before {}", from.id, to.id))
                .fix("give the older revision first: `cargo migrate squash FROM TO`")
        })?;
        range.extend(between.iter().filter_map(|id| graph.get(id)).cloned());
    }
    if range.len() < 2 {
        return Err(CliError::usage(format!(
            "{}..{} is a single revision; there is nothing to squash",
            from.id, to.id
        ))
        .fix("give a range of at least two revisions"));
    }
    for pair in range.windows(2) {
        let (before, r) = (&pair[0], &pair[1]);
        if r.parents != [before.id.clone()] {
            return Err(CliError::usage(format!(
                "{} has the parents [{}]: {}..{} is not a single chain of revisions",
                r.id,
                r.parents.join(", "),
                from.id,
                to.id
            ))
            .fix("squash a range without merges (a merge may only be its first revision)"));
        }
        let children = revs.children(&before.id);
        if children.len() > 1 {
            return Err(CliError::usage(format!(
                "{} has several children ({}): the history branches inside {}..{}",
                before.id,
                children.join(", "),
                from.id,
                to.id
            ))
            .fix("squash a range that ends at the branch point or before it"));
        }
    }
    for r in &range {
        if let Some(squash) = graph.replaced_by(&r.id) {
            return Err(CliError::usage(format!(
                "{} is already replaced by squash {squash}",
                r.id
            ))
            .fix(format!(
                "delete the files {squash} replaces once every database is past them, then \
                 squash a range starting at {squash}"
            )));
        }
    }
    Ok(range)
}
