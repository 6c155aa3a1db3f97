//! `cargo migrate upgrade`: applies revisions up to a target, or prints their SQL with `--sql`.

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};

/// Options of `upgrade`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// `head`, `heads`, a revision id (or unique prefix), or `+N` for N steps.
    #[arg(
        default_value = "head",
        value_name = "TARGET",
        allow_hyphen_values = true
    )]
    pub target: String,
    /// SQL output.
    #[command(flatten)]
    pub offline: crate::cli::OfflineArgs,
}

/// Runs `upgrade`.
pub fn exec(_args: &Args, _ctx: &mut Context) -> CliResult<Status> {
    Err(CliError::new(Status::Usage, "`upgrade` is not wired yet").fix("use a later build"))
}
