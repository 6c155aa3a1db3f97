//! `cargo migrate current`: the revision(s) the database is at.

use std::collections::BTreeSet;

use super::render;
use crate::cli::FormatArgs;
use crate::context::Context;
use crate::database::Db;
use crate::error::{CliResult, Status};
use crate::fleet::{self, FleetArgs};
use crate::json::{CurrentJson, RevisionJson};
use crate::output::Verbosity;
use crate::project::Revisions;

/// Options of `current`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Many databases at once.
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// Output format (with `--fleet`, of the fleet report).
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Runs `current`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    if let Some(spec) = &args.fleet.fleet {
        let action = migrate_runtime::fleet::FleetAction::Current;
        return fleet::exec(ctx, &args.fleet, spec, &args.format, "current", "", action);
    }
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let db = Db::new(ctx, &settings, &revs)?;
    let heads = db.current()?;
    let current: BTreeSet<String> = heads.iter().cloned().collect();
    let known: Vec<_> = heads.iter().filter_map(|id| revs.get(id)).collect();
    let unknown: Vec<&String> = heads.iter().filter(|id| revs.get(id).is_none()).collect();
    if args.format.is_json() {
        ctx.out.json(&CurrentJson {
            database: db.masked_url(),
            current: RevisionJson::list(&revs, &known, &current),
            unknown: unknown.into_iter().cloned().collect(),
        });
        return Ok(Status::Ok);
    }
    if ctx.out.verbosity() == Verbosity::Quiet {
        // Plain ids for scripts; nothing at all when no revision is applied.
        for id in &heads {
            ctx.out.data(id);
        }
        return Ok(Status::Ok);
    }
    if heads.is_empty() {
        ctx.out.data("<base> (no revision applied)");
        return Ok(Status::Ok);
    }
    for e in &known {
        if ctx.out.is_verbose() {
            ctx.out.data(render::block(&revs, e, &current, false));
        }
    }
    if !ctx.out.is_verbose() {
        for line in render::lines(&revs, &known, &current) {
            ctx.out.data(line);
        }
    }
    for id in unknown {
        ctx.out.data(format!(
            "{id} (current, unknown here: applied by a newer version of the revisions)"
        ));
    }
    Ok(Status::Ok)
}
