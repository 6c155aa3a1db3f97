//! `cargo migrate branches`: the revisions several others follow (branch points).

use std::collections::BTreeSet;

use super::render;
use crate::context::Context;
use crate::error::{CliResult, Status};
use crate::output::{paint, style};
use crate::project::Revisions;

/// Options of `branches`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Runs `branches`.
pub fn exec(_args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let points = revs.branch_points();
    let none = BTreeSet::new();
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
