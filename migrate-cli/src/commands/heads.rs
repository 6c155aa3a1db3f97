//! `cargo migrate heads`: lists the head revisions (revisions without children).

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};

/// Options of `heads`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Runs `heads`.
pub fn exec(_args: &Args, _ctx: &mut Context) -> CliResult<Status> {
    Err(CliError::new(Status::Usage, "`heads` is not wired yet").fix("use a later build"))
}
