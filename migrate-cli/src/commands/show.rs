//! `cargo migrate show REV`: one revision's header, message and operations.

use std::collections::BTreeSet;

use super::render;
use crate::cli::FormatArgs;
use crate::context::Context;
use crate::error::{CliResult, Status};
use crate::json::RevisionJson;
use crate::project::Revisions;

/// Options of `show`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Revision id, unique prefix, or `head`.
    #[arg(value_name = "REV")]
    pub revision: String,
    /// Output format.
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Runs `show`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let e = revs.resolve(&args.revision)?;
    if args.format.is_json() {
        ctx.out
            .json(&RevisionJson::new(&revs, e, &BTreeSet::new(), true));
        return Ok(Status::Ok);
    }
    ctx.out
        .data_raw(render::block(&revs, e, &BTreeSet::new(), true));
    Ok(Status::Ok)
}
