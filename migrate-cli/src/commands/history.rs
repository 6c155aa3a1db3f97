//! `cargo migrate history`: lists the revisions, newest first.

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};

/// Options of `history`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Range `A:B` (from A to B, both included; either side may be empty, `base`, `head` or `current`).
    #[arg(short = 'r', long = "rev-range", value_name = "A:B")]
    pub range: Option<String>,
}

/// Runs `history`.
pub fn exec(_args: &Args, _ctx: &mut Context) -> CliResult<Status> {
    Err(CliError::new(Status::Usage, "`history` is not wired yet").fix("use a later build"))
}
