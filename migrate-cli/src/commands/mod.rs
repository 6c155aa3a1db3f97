//! One module per subcommand, each with its clap `Args` and an `exec`, like cargo's
//! `src/bin/cargo/commands/`.

mod autogenerate;
mod dry_run;
mod prepare;
pub(crate) mod render;

pub mod adopt;
pub mod branches;
pub mod check;
pub mod current;
pub mod database;
pub mod downgrade;
pub mod edit;
pub mod erd;
pub mod heads;
pub mod history;
pub mod init;
pub mod merge;
pub mod resolve;
pub mod revision;
pub mod show;
pub mod squash;
pub mod stamp;
pub mod upgrade;

use crate::cli::Command;
use crate::context::Context;
use crate::error::{CliResult, Status};

/// Runs a parsed command.
pub fn exec(command: &Command, ctx: &mut Context) -> CliResult<Status> {
    if ctx.is_embedded() && command.writes_files() {
        return Err(ctx.not_embedded(command.name()));
    }
    match command {
        Command::Init(args) => init::exec(args, ctx),
        Command::Revision(args) => revision::exec(args, ctx),
        Command::Upgrade(args) => upgrade::exec(args, ctx),
        Command::Downgrade(args) => downgrade::exec(args, ctx),
        Command::Current(args) => current::exec(args, ctx),
        Command::History(args) => history::exec(args, ctx),
        Command::Show(args) => show::exec(args, ctx),
        Command::Heads(args) => heads::exec(args, ctx),
        Command::Branches(args) => branches::exec(args, ctx),
        Command::Merge(args) => merge::exec(args, ctx),
        Command::Stamp(args) => stamp::exec(args, ctx),
        Command::Resolve(args) => resolve::exec(args, ctx),
        Command::Check(args) => check::exec(args, ctx),
        Command::Adopt(args) => adopt::exec(args, ctx),
        Command::Database(args) => database::exec(args, ctx),
        Command::Edit(args) => edit::exec(args, ctx),
        Command::Erd(args) => erd::exec(args, ctx),
        Command::Squash(args) => squash::exec(args, ctx),
    }
}
