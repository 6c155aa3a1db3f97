//! `cargo migrate database create | drop | reset`: the database the URL names, as
//! sqlx users know these commands. `drop` and `reset` ask first, unless `-y`; with
//! no terminal to ask on (CI, a pipe) they refuse rather than guess. `reset` is
//! drop, create, then `upgrade head`.

use std::io::{BufRead, IsTerminal, Write};

use crate::config::DatabaseUrl;
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::output::{paint, style};
use crate::server;

/// Options of `database`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// What to do.
    #[command(subcommand)]
    pub action: Action,
}

/// `database` subcommands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum Action {
    /// Create the database the URL names (nothing happens when it exists).
    Create,
    /// Drop the database the URL names, with everything in it (asks first).
    Drop(Confirm),
    /// Drop the database, create it again and upgrade it to head (asks first).
    Reset(Confirm),
}

/// The confirmation of `drop` and `reset`.
#[derive(Debug, Clone, clap::Args)]
pub struct Confirm {
    /// Do not ask: drop without confirmation (needed when stdin is not a terminal).
    #[arg(short = 'y', long = "yes")]
    pub yes: bool,
}

/// Runs `database`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let url = settings.require_url()?.clone();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::io(format!("cannot start the async runtime: {e}")))?;
    let shown = url.masked();
    let exists = runtime
        .block_on(server::exists(&url.url))
        .map_err(|e| server_error(ctx, "reach the server of", &url, e))?;
    match &args.action {
        Action::Create => {
            if exists {
                ctx.out
                    .status(format!("kept: the database {shown} already exists"));
                return Ok(Status::Ok);
            }
            create(ctx, &runtime, &url)?;
            Ok(Status::Ok)
        }
        Action::Drop(confirm) => {
            if !exists {
                ctx.out.status(format!(
                    "the database {shown} does not exist: nothing to drop"
                ));
                return Ok(Status::Ok);
            }
            if !confirmed(ctx, "drop", &shown, confirm)? {
                return Ok(Status::Ok);
            }
            drop(ctx, &runtime, &url)?;
            Ok(Status::Ok)
        }
        Action::Reset(confirm) => {
            if exists {
                if !confirmed(ctx, "reset", &shown, confirm)? {
                    return Ok(Status::Ok);
                }
                drop(ctx, &runtime, &url)?;
            }
            create(ctx, &runtime, &url)?;
            // Let the upgrade's own runtime connect: this one is done.
            std::mem::drop(runtime);
            let upgrade = super::upgrade::Args {
                target: "head".to_string(),
                offline: crate::cli::OfflineArgs {
                    sql: false,
                    dialect: None,
                },
                fleet: crate::fleet::FleetArgs {
                    fleet: None,
                    jobs: 1,
                    timeout: None,
                    fail_fast: false,
                },
                dry_run: false,
                format: crate::cli::FormatArgs {
                    format: crate::cli::Format::Text,
                },
            };
            super::upgrade::exec(&upgrade, ctx)
        }
    }
}

/// Creates the database. Several processes may run `database create` at once (CI
/// jobs, deploy hooks): all saw it missing, one creates it, and the others' `CREATE
/// DATABASE` fails (PostgreSQL: `42P04` or a duplicate key in `pg_database`; MySQL:
/// 1007). A failure after which the database exists is that race: the database is
/// kept, as when it existed before.
fn create(ctx: &Context, runtime: &tokio::runtime::Runtime, url: &DatabaseUrl) -> CliResult<()> {
    if let Err(e) = runtime.block_on(server::create(&url.url)) {
        if !matches!(runtime.block_on(server::exists(&url.url)), Ok(true)) {
            return Err(server_error(ctx, "create", url, e));
        }
        ctx.out.status(format!(
            "kept: the database {} already exists (another process created it at the same \
             moment)",
            url.masked()
        ));
        return Ok(());
    }
    ctx.out.status(format!(
        "{} the database {}",
        paint(style::MARKER, "created:"),
        url.masked()
    ));
    Ok(())
}

fn drop(ctx: &Context, runtime: &tokio::runtime::Runtime, url: &DatabaseUrl) -> CliResult<()> {
    runtime
        .block_on(server::drop(&url.url))
        .map_err(|e| server_error(ctx, "drop", url, e))?;
    ctx.out.status(format!(
        "{} the database {}",
        paint(style::MARKER, "dropped:"),
        url.masked()
    ));
    Ok(())
}

/// Asks on the terminal whether to go on; refuses when there is no terminal.
fn confirmed(ctx: &Context, verb: &str, shown: &str, confirm: &Confirm) -> CliResult<bool> {
    if confirm.yes {
        return Ok(true);
    }
    let program = ctx.program();
    if !std::io::stdin().is_terminal() {
        return Err(CliError::usage(format!(
            "`database {verb}` deletes every table and row of {shown}, and asks first; \
             standard input is not a terminal, so it cannot ask"
        ))
        .fix(format!(
            "run `{program} database {verb} -y` to {verb} it without asking"
        )));
    }
    let mut err = std::io::stderr();
    let _ = write!(
        err,
        "{verb} the database {}, deleting everything in it? [y/N] ",
        ctx.out.masker().mask(shown)
    );
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut answer)
        .map_err(|e| CliError::io(format!("cannot read the answer: {e}")))?;
    if matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes") {
        return Ok(true);
    }
    ctx.out
        .status(format!("not confirmed: the database {shown} is unchanged"));
    Ok(false)
}

fn server_error(
    ctx: &Context,
    what: &str,
    url: &DatabaseUrl,
    err: server::ServerError,
) -> CliError {
    let status = match err {
        server::ServerError::Unsupported => Status::Usage,
        server::ServerError::Driver(_) => Status::Database,
    };
    CliError::new(
        status,
        format!("cannot {what} the database {}: {err}", url.masked()),
    )
    .fix(format!(
        "check that the server runs, and that the user may create and drop databases (the URL came from {}); `{} database` needs a URL naming the database",
        url.source,
        ctx.program()
    ))
}
