//! `cargo migrate downgrade TARGET [--sql]`: undoes revisions (`-N`, a revision to stay
//! at, or `base`), one progress line per revision on a linear history, or prints the
//! script.

use migrate_core::offline::Direction;

use crate::cli::OfflineArgs;
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::offline;
use crate::project::Revisions;

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
}

/// Runs `downgrade`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    if args.offline.sql {
        let kind = offline::dialect_for(&args.offline, &settings)?;
        let script = offline::script(&revs, &settings, kind, &args.target, Direction::Downgrade)?;
        ctx.out.data_raw(script);
        return Ok(Status::Ok);
    }
    Err(CliError::usage(format!(
        "`{}` against a database needs migrate-runtime, which this build does not include yet",
        "downgrade"
    ))
    .fix("use --sql to print the script, and run it with your database's client"))
}
