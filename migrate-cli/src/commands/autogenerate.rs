//! `revision --autogenerate`: delegates to migrate-build's autogenerate (pending).

use crate::config::Settings;
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};

/// Runs `revision --autogenerate`.
pub fn exec(
    _args: &super::revision::Args,
    _ctx: &mut Context,
    _settings: &Settings,
) -> CliResult<Status> {
    Err(
        CliError::usage("`--autogenerate` is not available in this build of cargo-migrate")
            .fix("run `MIGRATE_AUTOGENERATE=\"message\" cargo build` instead"),
    )
}
