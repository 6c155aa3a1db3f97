//! `cargo migrate current`: the revision(s) the database is at.

use std::collections::BTreeSet;

use super::render;
use crate::cli::FormatArgs;
use crate::context::Context;
use crate::database::Db;
use crate::error::{CliError, CliResult, Status};
use crate::fleet::{self, FleetArgs};
use crate::project::Revisions;

/// Options of `current`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Many databases at once.
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// Output format of the fleet report.
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Runs `current`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    if let Some(spec) = &args.fleet.fleet {
        let action = migrate_runtime::fleet::FleetAction::Current;
        return fleet::exec(ctx, &args.fleet, spec, &args.format, "current", "", action);
    }
    if args.format.is_json() {
        return Err(
            CliError::usage("--format json is the report of a fleet run")
                .fix("add --fleet SPEC, or leave out --format"),
        );
    }
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
