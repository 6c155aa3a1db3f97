//! `cargo migrate show`: shows one revision: header, parents, children and operations.

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};

/// Options of `show`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Revision id, unique prefix, or `head`.
    #[arg(value_name = "REV")]
    pub revision: String,
}

/// Runs `show`.
pub fn exec(_args: &Args, _ctx: &mut Context) -> CliResult<Status> {
    Err(CliError::new(Status::Usage, "`show` is not wired yet").fix("use a later build"))
}
