//! `cargo migrate downgrade TARGET [--sql]`: undoes revisions (`-N`, a revision to stay
//! at, or `base`) in one run of the runtime, one progress line per revision, or prints
//! the script. Revisions only the database's log knows (applied by a newer version)
//! are undone with the downgrade it recorded.

use super::prepare::{prepare, Prepared, RunArgs};
use crate::cli::{FormatArgs, OfflineArgs};
use crate::context::Context;
use crate::error::{CliResult, Status};
use crate::fleet::FleetArgs;
use crate::output::{human_duration, paint, style};

/// Options of `downgrade`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// `-N` for N steps, a revision id (or unique prefix) to stay at, or `base` to undo
    /// everything; with `--sql`, also `START:END`.
    #[arg(value_name = "TARGET", allow_hyphen_values = true)]
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

/// Runs `downgrade`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let run = RunArgs {
        target: &args.target,
        offline: &args.offline,
        fleet: &args.fleet,
        dry_run: args.dry_run,
        format: &args.format,
    };
    let (db, target) = match prepare(ctx, migrate_runtime::Direction::Downgrade, run)? {
        Prepared::Done(status) => return Ok(status),
        Prepared::Run(db, target) => (*db, target),
    };
    let (report, took) = db.run(migrate_runtime::Direction::Downgrade, target)?;
    if report.revisions.is_empty() {
        ctx.out
            .status(format!("{} is already at {}", db.masked_url(), args.target));
    } else {
        // Name what was undone: across a merge, that is more than one branch.
        let count = report.revisions.len();
        ctx.out.status(format!(
            "{} undid {count} revision{} ({}) in {}",
            paint(style::MARKER, "done:"),
            if count == 1 { "" } else { "s" },
            report.revisions.join(", "),
            human_duration(took)
        ));
    }
    Ok(Status::Ok)
}
