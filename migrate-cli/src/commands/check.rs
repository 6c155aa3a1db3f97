//! `cargo migrate check`: checks that the models and the database match the head revision (exit 1 on drift).

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};

/// Options of `check`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {}

/// Runs `check`.
pub fn exec(_args: &Args, _ctx: &mut Context) -> CliResult<Status> {
    Err(CliError::new(Status::Usage, "`check` is not wired yet").fix("use a later build"))
}
