//! `cargo migrate check`: exit 1 when the models differ from the head revision, or,
//! with a database URL, when the live database's schema differs from it. For CI.
//!
//! The models are the `#[derive(Model)]` structs under the `models` directories of
//! `migrate.toml` (default `src/`); a project without any model (hand-written SQL only)
//! skips that half. The database is read back with migrate-introspect; the version
//! tables, and the tables `[tables]` of `migrate.toml` leaves alone, are not compared.

use migrate_core::{Operation, Schema};
use migrate_introspect::{IntrospectError, IntrospectOptions};

use crate::config::Settings;
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::output::{paint, style};
use crate::project::{graph_error, Revisions};

/// Options of `check`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Check only the models, even when a database URL is configured.
    #[arg(long)]
    pub models_only: bool,
}

/// Runs `check`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let (head, head_schema) = if revs.is_empty() {
        ("<base>".to_string(), Schema::new())
    } else {
        let head = revs.single_head()?.id().to_string();
        let schema = revs.graph().replay(&head).map_err(graph_error)?;
        (head, schema)
    };
    let mut drift = false;
    if let (Some(url), false) = (settings.url(), args.models_only) {
        url.validate()?;
    }

    if ctx.is_embedded() {
        ctx.out
            .detail("models: not checked (the application's build already did)");
    } else {
        drift |= check_models(ctx, &settings)?;
    }

    match settings.url() {
        Some(_) if args.models_only => {}
        Some(url) => {
            let url = url.clone();
            let options = IntrospectOptions {
                version_table: settings.version_table.clone(),
                filter: settings.tables.clone(),
                ..IntrospectOptions::default()
            };
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| CliError::io(format!("cannot start the async runtime: {e}")))?;
            crate::database::preflight(&runtime, &url)?;
            // The database is compared with the head as it holds it: under the
            // names it kept where it could not rename.
            let live_head = match migrate_core::url::kind_of(url.url.as_str()) {
                Some(kind) if !revs.is_empty() => {
                    revs.graph().replay_as(&head, kind).map_err(graph_error)?
                }
                _ => head_schema,
            };
            let ops = runtime
                .block_on(migrate_introspect::check(
                    url.url.as_str(),
                    &live_head,
                    &options,
                ))
                .map_err(|e| introspect_error(e, &url.source.to_string()))?;
            drift |= report(ctx, &format!("the database {}", url.masked()), &head, &ops);
            drift |= check_version(ctx, &settings, &revs)?;
        }
        None => ctx
            .out
            .detail("database: not checked (no database URL configured)"),
    }
    Ok(if drift { Status::Drift } else { Status::Ok })
}

fn check_models(ctx: &Context, settings: &Settings) -> CliResult<bool> {
    if !settings.model_dirs.iter().any(|d| d.is_dir()) {
        ctx.out
            .detail("models: no model directory found; not checked");
        return Ok(false);
    }
    let config = super::autogenerate::build_config(settings);
    let checked = migrate_build::check(&config).map_err(super::autogenerate::build_error)?;
    if checked.models.models.is_empty() {
        ctx.out
            .detail("models: no #[derive(Model)] struct found; not checked");
        return Ok(false);
    }
    let head = checked.head.clone().unwrap_or_else(|| "<base>".to_string());
    if checked.is_clean() {
        ctx.out.status(format!(
            "{} the models match revision {head}",
            paint(style::MARKER, "ok:")
        ));
        return Ok(false);
    }
    ctx.out.data(format!(
        "{} {}",
        paint(style::ERROR, "drift:"),
        checked.drift_report(&config)
    ));
    Ok(true)
}

/// Whether the version table records the head(s); prints the difference.
fn check_version(ctx: &Context, settings: &Settings, revs: &Revisions) -> CliResult<bool> {
    let db = crate::database::Db::new(ctx, settings, revs)?;
    let mut current = db.current()?;
    let mut heads: Vec<String> = revs.heads().iter().map(|e| e.id().to_string()).collect();
    current.sort();
    heads.sort();
    if current == heads {
        return Ok(false);
    }
    let shown = |ids: &[String]| {
        if ids.is_empty() {
            "<base>".to_string()
        } else {
            ids.join(", ")
        }
    };
    ctx.out.data(format!(
        "{} the database {} is at {}, the head is {}",
        paint(style::ERROR, "drift:"),
        db.masked_url(),
        shown(&current),
        shown(&heads)
    ));
    ctx.out.status(
        "  fix: run `cargo migrate upgrade head` (or `stamp` if the schema is already there)",
    );
    Ok(true)
}

/// Prints what differs; true when something does.
fn report(ctx: &Context, what: &str, head: &str, ops: &[Operation]) -> bool {
    if ops.is_empty() {
        ctx.out.status(format!(
            "{} {what} match{} revision {head}",
            paint(style::MARKER, "ok:"),
            if what.starts_with("the models") {
                ""
            } else {
                "es"
            }
        ));
        return false;
    }
    ctx.out.data(format!(
        "{} {what} differ{} from revision {head}:",
        paint(style::ERROR, "drift:"),
        if what.starts_with("the models") {
            ""
        } else {
            "s"
        }
    ));
    for op in ops {
        ctx.out.data(format!("  - {}", op.describe()));
    }
    true
}

fn introspect_error(err: IntrospectError, source: &str) -> CliError {
    let text = err.to_string();
    let status = match err {
        IntrospectError::UnsupportedUrl { .. } => Status::Usage,
        _ => Status::Database,
    };
    let (message, fix) = match text.split_once("; ") {
        Some((m, f)) => (m.to_string(), f.to_string()),
        None => (
            text.clone(),
            "check the database URL and that the server is running".to_string(),
        ),
    };
    CliError::new(status, message).fix(format!("{fix} (the URL came from {source})"))
}
