//! What `upgrade` and `downgrade` share before they run on one database: `--sql`
//! prints the script, `--fleet` runs many databases, `--dry-run` (or `--format
//! json`) shows the plan.

use migrate_core::graph::Target;
use migrate_runtime::fleet::FleetAction;
use migrate_runtime::Direction;

use super::dry_run;
use crate::cli::{FormatArgs, OfflineArgs};
use crate::context::Context;
use crate::database::Db;
use crate::error::{CliError, CliResult, Status};
use crate::fleet::{self, FleetArgs};
use crate::offline;
use crate::project::{graph_error, Revisions};

/// The options `upgrade` and `downgrade` share.
pub struct RunArgs<'a> {
    /// The target as typed.
    pub target: &'a str,
    /// `--sql` and `--dialect`.
    pub offline: &'a OfflineArgs,
    /// `--fleet` and its options.
    pub fleet: &'a FleetArgs,
    /// `--dry-run`.
    pub dry_run: bool,
    /// `--format`.
    pub format: &'a FormatArgs,
}

/// What is left for the command: nothing (it printed a script, ran a fleet or
/// showed a plan), or a run of one database towards a target.
pub enum Prepared {
    /// Done, with the command's exit status.
    Done(Status),
    /// Run on this database towards this target.
    Run(Box<Db>, Target),
}

/// Handles `--sql`, `--fleet` and `--dry-run` for a run in `direction`.
pub fn prepare(ctx: &mut Context, direction: Direction, args: RunArgs<'_>) -> CliResult<Prepared> {
    let settings = ctx.settings()?;
    let (verb, script) = match direction {
        Direction::Upgrade => ("upgrade", migrate_core::offline::Direction::Upgrade),
        Direction::Downgrade => ("downgrade", migrate_core::offline::Direction::Downgrade),
    };
    if args.offline.sql && args.fleet.fleet.is_some() {
        return Err(CliError::usage("--sql and --fleet cannot be combined").fix(
            "print the script with --sql against one database URL, or run the fleet without --sql",
        ));
    }
    if args.offline.sql {
        let revs = Revisions::load(ctx.source, &settings)?;
        let status =
            offline::print_script(ctx, args.offline, &revs, &settings, args.target, script)?;
        return Ok(Prepared::Done(status));
    }
    let target = Target::parse(args.target).map_err(graph_error)?;
    if let Some(spec) = &args.fleet.fleet {
        if args.dry_run {
            return Err(
                CliError::usage("--dry-run and --fleet cannot be combined").fix(
                    "leave out --fleet to see one database's plan (each target's plan is the same revisions)",
                ),
            );
        }
        let action = match direction {
            Direction::Upgrade => FleetAction::Upgrade(target),
            Direction::Downgrade => FleetAction::Downgrade(target),
        };
        let status = fleet::exec(
            ctx,
            args.fleet,
            spec,
            args.format,
            verb,
            args.target,
            action,
        )?;
        return Ok(Prepared::Done(status));
    }
    let db = Db::for_run(ctx, &settings)?;
    if args.dry_run || args.format.is_json() {
        let status = dry_run::exec(
            ctx,
            &db,
            direction,
            target,
            args.target,
            args.dry_run,
            args.format,
        )?;
        return Ok(Prepared::Done(status));
    }
    Ok(Prepared::Run(Box::new(db), target))
}
