//! `cargo migrate heads`: the revisions nothing follows yet (several mean the history
//! has branched and needs a `merge`).

use std::collections::BTreeSet;

use super::render;
use crate::cli::FormatArgs;
use crate::context::Context;
use crate::error::{CliResult, Status};
use crate::json::{HeadsJson, RevisionJson};
use crate::output::Verbosity;
use crate::project::Revisions;

/// Options of `heads`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Output format.
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Runs `heads`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let heads = revs.heads();
    let none = BTreeSet::new();
    if args.format.is_json() {
        ctx.out.json(&HeadsJson {
            heads: RevisionJson::list(&revs, &heads, &none),
        });
        return Ok(Status::Ok);
    }
    match ctx.out.verbosity() {
        Verbosity::Quiet => render::ids(ctx, &heads),
        Verbosity::Verbose => {
            for e in &heads {
                ctx.out.data(render::block(&revs, e, &none, false));
            }
        }
        Verbosity::Normal => {
            for line in render::lines(&revs, &heads, &none) {
                ctx.out.data(line);
            }
        }
    }
    if heads.is_empty() {
        ctx.out.status("no revisions yet");
    }
    Ok(Status::Ok)
}
