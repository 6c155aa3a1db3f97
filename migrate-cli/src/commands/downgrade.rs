//! `cargo migrate downgrade`: undoes revisions down to a target, or prints their SQL with `--sql`.

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};

/// Options of `downgrade`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// `-N` for N steps, a revision id (or unique prefix), or `base` to undo all.
    #[arg(value_name = "TARGET", allow_hyphen_values = true)]
    pub target: String,
    /// SQL output.
    #[command(flatten)]
    pub offline: crate::cli::OfflineArgs,
}

/// Runs `downgrade`.
pub fn exec(_args: &Args, _ctx: &mut Context) -> CliResult<Status> {
    Err(CliError::new(Status::Usage, "`downgrade` is not wired yet").fix("use a later build"))
}
