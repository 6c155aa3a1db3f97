//! `cargo migrate upgrade [TARGET] [--sql]`: applies revisions up to a target (default
//! `head`), one progress line per revision with its duration, or prints the script.

use migrate_core::offline::Direction;

use crate::cli::OfflineArgs;
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::offline;
use crate::project::Revisions;

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
}

/// Runs `upgrade`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    if args.offline.sql {
        let kind = offline::dialect_for(&args.offline, &settings)?;
        let script = offline::script(&revs, &settings, kind, &args.target, Direction::Upgrade)?;
        ctx.out.data_raw(script);
        return Ok(Status::Ok);
    }
    Err(CliError::usage(format!(
        "`{}` against a database needs migrate-runtime, which this build does not include yet",
        "upgrade"
    ))
    .fix("use --sql to print the script, and run it with your database's client"))
}
