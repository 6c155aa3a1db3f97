//! `cargo migrate upgrade [TARGET] [--sql]`: applies revisions up to a target (default
//! `head`) in one run of the runtime, one progress line per revision with its
//! duration, or prints the script.

use migrate_core::graph::Target;
use migrate_core::offline::Direction;

use super::dry_run;
use crate::cli::{FormatArgs, OfflineArgs};
use crate::context::Context;
use crate::database::Db;
use crate::error::{CliError, CliResult, Status};
use crate::fleet::{self, FleetArgs};
use crate::offline;
use crate::output::{human_duration, paint, style};
use crate::project::{graph_error, Revisions};

/// Options of `upgrade`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// `head`, `heads`, a revision id (or unique prefix), `+N`, or `REV+N`; with `--sql`,
    /// also `START:END`.
    #[arg(
        default_value = "head",
        value_name = "TARGET",
        allow_hyphen_values = true
    )]
    pub target: String,
    /// SQL output.
    #[command(flatten)]
    pub offline: OfflineArgs,
    /// Many databases at once.
    #[command(flatten)]
    pub fleet: FleetArgs,
    /// Connect and show what the run would do (revisions and statements), changing
    /// nothing.
    #[arg(long, conflicts_with = "sql")]
    pub dry_run: bool,
    /// Output format of `--dry-run`, or of the fleet report with `--fleet`.
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Runs `upgrade`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    if args.offline.sql && args.fleet.fleet.is_some() {
        return Err(CliError::usage("--sql and --fleet cannot be combined").fix(
            "print the script with --sql against one database URL, or run the fleet without --sql",
        ));
    }
    if args.offline.sql {
        let revs = Revisions::load(ctx.source, &settings)?;
        return offline::print_script(
            ctx,
            &args.offline,
            &revs,
            &settings,
            &args.target,
            Direction::Upgrade,
        );
    }
    let target = Target::parse(&args.target).map_err(graph_error)?;
    if let Some(spec) = &args.fleet.fleet {
        if args.dry_run {
            return Err(
                CliError::usage("--dry-run and --fleet cannot be combined").fix(
                    "leave out --fleet to see one database's plan (each target's plan is the same revisions)",
                ),
            );
        }
        let action = migrate_runtime::fleet::FleetAction::Upgrade(target);
        return fleet::exec(
            ctx,
            &args.fleet,
            spec,
            &args.format,
            "upgrade",
            &args.target,
            action,
        );
    }
    let db = Db::for_run(ctx, &settings)?;
    if args.dry_run || args.format.is_json() {
        return dry_run::exec(
            ctx,
            &db,
            migrate_runtime::Direction::Upgrade,
            target,
            &args.target,
            args.dry_run,
            &args.format,
        );
    }
    let (report, took) = db.run(migrate_runtime::Direction::Upgrade, target)?;
    match report.revisions.last() {
        None => ctx
            .out
            .status(format!("{} is already at {}", db.masked_url(), args.target)),
        Some(last) => ctx.out.status(format!(
            "{} upgraded to {last} in {}",
            paint(style::MARKER, "done:"),
            human_duration(took)
        )),
    }
    Ok(Status::Ok)
}
