//! `cargo migrate current`: shows the revisions the database is at.

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};

/// Options of `current`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Runs `current`.
pub fn exec(_args: &Args, _ctx: &mut Context) -> CliResult<Status> {
    Err(CliError::new(Status::Usage, "`current` is not wired yet").fix("use a later build"))
}
