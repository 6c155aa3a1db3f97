//! `cargo migrate stamp`: records revisions as applied without running them.

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};

/// Options of `stamp`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// `head`, `heads`, `base` (forget everything) or a revision id (or unique prefix).
    #[arg(value_name = "REV")]
    pub revision: String,
    /// SQL output.
    #[command(flatten)]
    pub offline: crate::cli::OfflineArgs,
}

/// Runs `stamp`.
pub fn exec(_args: &Args, _ctx: &mut Context) -> CliResult<Status> {
    Err(CliError::new(Status::Usage, "`stamp` is not wired yet").fix("use a later build"))
}
