//! `cargo migrate current`: the revision(s) the database is at.

use std::collections::BTreeSet;

use super::render;
use crate::context::Context;
use crate::database::Db;
use crate::error::{CliResult, Status};
use crate::project::Revisions;

/// Options of `current`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Runs `current`.
pub fn exec(_args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let db = Db::new(ctx, &settings, &revs)?;
    let heads = db.current()?;
    if heads.is_empty() {
        ctx.out.data("<base> (no revision applied)");
        return Ok(Status::Ok);
    }
    let current: BTreeSet<String> = heads.iter().cloned().collect();
    for id in &heads {
        match revs.get(id) {
            Some(e) if ctx.out.is_verbose() => {
                ctx.out.data(render::block(&revs, e, &current, false))
            }
            Some(e) => {
                for line in render::lines(&revs, &[e], &current) {
                    ctx.out.data(line);
                }
            }
            None => ctx.out.data(format!(
                "{id} (current, unknown here: applied by a newer version of the revisions)"
            )),
        }
    }
    Ok(Status::Ok)
}
