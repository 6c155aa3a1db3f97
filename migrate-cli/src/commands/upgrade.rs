//! `cargo migrate upgrade [TARGET] [--sql]`: applies revisions up to a target (default
//! `head`) in one run of the runtime, one progress line per revision with its
//! duration, or prints the script.

use super::prepare::{prepare, Prepared, RunArgs};
use crate::cli::{FormatArgs, OfflineArgs};
use crate::context::Context;
use crate::error::{CliResult, Status};
use crate::fleet::FleetArgs;
use crate::output::{human_duration, paint, style};

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
    let run = RunArgs {
        target: &args.target,
        offline: &args.offline,
        fleet: &args.fleet,
        dry_run: args.dry_run,
        format: &args.format,
    };
    let (db, target) = match prepare(ctx, migrate_runtime::Direction::Upgrade, run)? {
        Prepared::Done(status) => return Ok(status),
        Prepared::Run(db, target) => (*db, target),
    };
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
