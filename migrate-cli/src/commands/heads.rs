//! `cargo migrate heads`: the revisions nothing follows yet (several mean the history
//! has branched and needs a `merge`).

use std::collections::BTreeSet;

use super::render;
use crate::context::Context;
use crate::error::{CliResult, Status};
use crate::project::Revisions;

/// Options of `heads`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Runs `heads`.
pub fn exec(_args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let heads = revs.heads();
    let none = BTreeSet::new();
    if ctx.out.is_verbose() {
        for e in &heads {
            ctx.out.data(render::block(&revs, e, &none, false));
        }
    } else {
        for line in render::lines(&revs, &heads, &none) {
            ctx.out.data(line);
        }
    }
    if heads.is_empty() {
        ctx.out.status("no revisions yet");
    }
    Ok(Status::Ok)
}
