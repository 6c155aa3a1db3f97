//! `cargo migrate`: Alembic's commands for migrate, as a library.
//!
//! The `cargo-migrate` binary is a thin wrapper over [`run_cargo`]. An application
//! offers the same commands from its own binary, with the revisions it embedded at
//! build time, through [`run_embedded`]:
//!
//! ```no_run
//! # fn embedded() -> &'static [migrate_core::embed::EmbeddedRevision] { &[] }
//! // `myapp migrate upgrade head`
//! let mut args = std::env::args_os().skip(1); // skip the program name
//! if args.next().as_deref() == Some("migrate".as_ref()) {
//!     let code = migrate_cli::run_embedded(["migrate".into()].into_iter().chain(args), embedded());
//!     std::process::exit(code.code().into());
//! }
//! ```
//!
//! There, the commands that write files into the source tree (`init`, `revision`,
//! `merge`, `adopt`, `edit`) are hidden and refuse to run: a deployed binary has no
//! source tree, and its revisions are fixed at build time.
//!
//! Every command is one module in [`commands`] with its clap `Args` and an `exec`.

pub mod cli;
pub mod commands;
pub mod config;
pub mod context;
pub mod database;
pub mod error;
pub mod fleet;
pub mod hooks;
pub mod json;
pub mod mask;
pub mod offline;
pub mod output;
pub mod picture;
pub mod progress;
pub mod project;
pub mod server;

use std::ffi::OsString;

use clap::{CommandFactory, FromArgMatches};
use migrate_core::embed::Embedded;

pub use cli::{Cli, Command};
pub use context::{Context, RevisionSource};
pub use error::{CliError, CliResult, Status};
pub use mask::{mask_url, Masker};

/// Runs `cargo migrate` with the process arguments as cargo passes them
/// (`cargo-migrate migrate <command> ...`; the `migrate` word is optional) and returns
/// the exit status. Errors are printed to stderr with their fix.
pub fn run_cargo<I, T>(args: I) -> Status
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let mut args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    if args.get(1).map(|a| a == "migrate").unwrap_or(false) {
        args.remove(1);
    }
    run_with(args, RevisionSource::Directory)
}

/// Runs a migrate command inside an application, on the revisions it embedded with
/// `migrate::embedded!()`, with the version table and `[tables]` filter of the
/// project's `migrate.toml` that the build embedded beside them (a `migrate.toml`
/// where the binary runs can give the database URL, not these). `args[0]` is the name shown in help (e.g. `migrate` for
/// `myapp migrate upgrade head`), the rest are the command and its options.
///
/// It may be called from synchronous code or from inside a tokio runtime
/// (`#[tokio::main] async fn main`); there the command runs on a thread of its own
/// while the calling thread waits for it.
pub fn run_embedded<I, T>(args: I, embedded: impl Into<Embedded>) -> Status
where
    I: IntoIterator<Item = T>,
    T: Into<OsString>,
{
    let args: Vec<OsString> = args.into_iter().map(Into::into).collect();
    run_with(args, RevisionSource::Embedded(embedded.into()))
}

fn run_with(args: Vec<OsString>, source: RevisionSource) -> Status {
    // The database commands drive the runtime on a tokio runtime of their own, which
    // cannot start on a thread that already runs one (`#[tokio::main] async fn
    // main`): there the command runs on a thread of its own, and this one waits.
    if tokio::runtime::Handle::try_current().is_ok() {
        return std::thread::scope(|scope| {
            let command = std::thread::Builder::new()
                .name("migrate".into())
                .spawn_scoped(scope, || run_here(args, source));
            match command {
                Ok(thread) => thread
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                Err(e) => {
                    eprintln!(
                        "error: cannot start the migrate command's thread: {e}\n  \
                         fix: check the process limits (threads)"
                    );
                    Status::Io
                }
            }
        });
    }
    run_here(args, source)
}

/// Runs a command on the calling thread, which runs no tokio runtime.
fn run_here(args: Vec<OsString>, source: RevisionSource) -> Status {
    let embedded = matches!(source, RevisionSource::Embedded(_));
    let mut command_name = String::new();
    let mut command = Cli::command().mut_subcommands(|c| c.after_help(error::EXIT_CODES_HELP));
    if embedded {
        let name = args
            .first()
            .map(|a| a.to_string_lossy().into_owned())
            .unwrap_or_else(|| "migrate".to_string());
        command = command.name(name.clone()).bin_name(name.clone());
        command_name = name;
        for hidden in cli::FILE_WRITING_COMMANDS {
            command = command.mut_subcommand(*hidden, |c| c.hide(true));
        }
    }
    let matches = match command.try_get_matches_from(args) {
        Ok(matches) => matches,
        Err(err) => return clap_exit(err),
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(err) => return clap_exit(err),
    };
    let mut ctx = Context::new(cli.global.clone(), source);
    if embedded {
        // The application's binary, then the word its `main` matched.
        let exe = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "<application>".to_string());
        ctx.program = format!("{exe} {}", command_name);
    }
    let result = commands::exec(&cli.command, &mut ctx);
    match result {
        Ok(status) => status,
        Err(err) => {
            ctx.out.error(&err);
            err.status
        }
    }
}

fn clap_exit(err: clap::Error) -> Status {
    use std::io::Write;
    // clap echoes offending arguments, which may be a URL with a password.
    let text = Masker::new().mask(&err.render().ansi().to_string());
    if err.use_stderr() {
        let mut out = anstream::stderr();
        let _ = write!(out, "{text}");
    } else {
        let mut out = anstream::stdout();
        let _ = write!(out, "{text}");
    }
    match err.kind() {
        clap::error::ErrorKind::DisplayHelp
        | clap::error::ErrorKind::DisplayVersion
        | clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            if err.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand {
                Status::Usage
            } else {
                Status::Ok
            }
        }
        _ => Status::Usage,
    }
}
