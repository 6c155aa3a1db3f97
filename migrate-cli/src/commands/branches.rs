//! `cargo migrate branches`: lists the branch points (revisions with several children).

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};

/// Options of `branches`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Runs `branches`.
pub fn exec(_args: &Args, _ctx: &mut Context) -> CliResult<Status> {
    Err(CliError::new(Status::Usage, "`branches` is not wired yet").fix("use a later build"))
}
