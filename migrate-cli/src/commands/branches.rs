//! `cargo migrate branches`: the revisions several others follow (branch points).

use std::collections::BTreeSet;

use super::render;
use crate::cli::FormatArgs;
use crate::context::Context;
use crate::error::{CliResult, Status};
use crate::json::{BranchesJson, RevisionJson};
use crate::output::{paint, style, Verbosity};
use crate::project::Revisions;

/// Options of `branches`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Output format.
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Runs `branches`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let points = revs.branch_points();
    let none = BTreeSet::new();
    if args.format.is_json() {
        ctx.out.json(&BranchesJson {
            branchpoints: RevisionJson::list(&revs, &points, &none),
        });
        return Ok(Status::Ok);
    }
    if ctx.out.verbosity() == Verbosity::Quiet {
        render::ids(ctx, &points);
        return Ok(Status::Ok);
    }
    for e in &points {
        if ctx.out.is_verbose() {
            ctx.out.data(render::block(&revs, e, &none, false));
        } else {
            for line in render::lines(&revs, &[*e], &none) {
                ctx.out.data(line);
            }
        }
        for child in revs.children(e.id()) {
            let message = revs
                .get(child)
                .map(|c| c.revision.message.as_str())
                .unwrap_or("");
            ctx.out
                .data(format!("    -> {}  {message}", paint(style::ID, child)));
        }
    }
    if points.is_empty() {
        ctx.out.status("no branch points");
    }
    Ok(Status::Ok)
}
