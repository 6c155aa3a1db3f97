//! `cargo migrate merge`: creates a revision whose parents are several heads.

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};

/// Options of `merge`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// What the merge is for.
    #[arg(short, long, value_name = "MSG")]
    pub message: String,
    /// The revisions to merge (ids or prefixes), or `heads` for all heads.
    #[arg(required = true, value_name = "REV")]
    pub revisions: Vec<String>,
}

/// Runs `merge`.
pub fn exec(_args: &Args, _ctx: &mut Context) -> CliResult<Status> {
    Err(CliError::new(Status::Usage, "`merge` is not wired yet").fix("use a later build"))
}
