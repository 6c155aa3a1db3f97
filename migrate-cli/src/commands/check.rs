//! `cargo migrate check`: exit 1 when the models differ from the head revision, or,
//! with a database URL, when the live database's schema differs from it. For CI.
//!
//! The models are the `#[derive(Model)]` structs under the `models` directories of
//! `migrate.toml` (default `src/`); a project without any model (hand-written SQL only)
//! skips that half. The database is read back with migrate-introspect; the version
//! tables, and the tables `[tables]` of `migrate.toml` leaves alone, are not compared.

use migrate_core::dialect::DialectKind;
use migrate_core::Schema;
use migrate_introspect::{describe_drift_all, IntrospectError, IntrospectOptions};

use crate::cli::FormatArgs;
use crate::config::{DatabaseUrl, Settings};
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::fleet::FleetArgs;
use crate::json::{CheckJson, CheckPart, VersionJson};
use crate::output::{paint, style};
use crate::project::{graph_error, Revisions};

/// Options of `check`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Check only the models, even when a database URL is configured.
    #[arg(long)]
    pub models_only: bool,
    /// Output format (with `--fleet`, of the fleet report).
    #[command(flatten)]
    pub format: FormatArgs,
    /// Check many databases at once (their schema and version table; the models are
    /// checked once).
    #[command(flatten)]
    pub fleet: FleetArgs,
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
    if let (Some(url), false) = (settings.url(), args.models_only) {
        url.validate()?;
    }
    let text = !args.format.is_json();
    if let Some(spec) = &args.fleet.fleet {
        if args.models_only {
            return Err(
                CliError::usage("--models-only and --fleet cannot be combined")
                    .fix("leave out --fleet to check only the models"),
            );
        }
        return exec_fleet(ctx, args, spec, &settings, &revs);
    }

    let (models, report, lints) = if ctx.is_embedded() {
        (
            not_checked("the application's build already checked its models"),
            None,
            Vec::new(),
        )
    } else {
        check_models(&settings)?
    };
    if text {
        print_models(ctx, &models, report.as_deref(), &head);
    }
    // The revision files' lints (docs/safety.md): each shown, a deny fails.
    for f in &lints {
        ctx.out.warning(f.to_string());
    }
    let denied = migrate_core::lint::any_denied(&lints);

    let database = match settings.url() {
        Some(_) if args.models_only => not_checked("--models-only was given"),
        Some(url) => check_database(ctx, &settings, &revs, url, &head_schema)?,
        None => not_checked(&match &settings.database_url {
            Some(placeholder) => format!(
                "the database URL (from {}) is still the placeholder `init` wrote",
                placeholder.source
            ),
            None => "no database URL is configured".to_string(),
        }),
    };
    if text {
        // Someone who ran `check` with the placeholder URL expects the database to
        // be checked: say plainly that it was not.
        let placeholder =
            settings.url().is_none() && settings.database_url.is_some() && !args.models_only;
        print_database(ctx, &database, &head, placeholder);
    }

    let ok = models.differences.is_empty() && database.differences.is_empty() && !denied;
    if !text {
        ctx.out.json(&CheckJson {
            ok,
            head,
            models,
            database,
        });
    }
    Ok(if ok { Status::Ok } else { Status::Drift })
}

fn not_checked(reason: &str) -> CheckPart {
    CheckPart {
        reason: Some(reason.to_string()),
        ..CheckPart::default()
    }
}

/// What the models check found: the part, the drift report (or, when clean, what
/// the models match besides the head), the revisions' lints.
type ModelsChecked = (CheckPart, Option<String>, Vec<migrate_core::lint::Finding>);

/// The models against the head revision, and the build's own drift report (with
/// its fix lines) for the text output when they differ (when they match the head
/// and contracts waiting in `next/`, a line saying so); with the lints of the
/// revision files.
fn check_models(settings: &Settings) -> CliResult<ModelsChecked> {
    if !settings.model_dirs.iter().any(|d| d.is_dir()) {
        return Ok((not_checked("no model directory found"), None, Vec::new()));
    }
    let config = super::autogenerate::build_config(settings);
    let checked = migrate_build::check(&config).map_err(super::autogenerate::build_error)?;
    let lints = migrate_build::lint::lint_history(&checked, &config)
        .map_err(super::autogenerate::build_error)?;
    if checked.models.models.is_empty() {
        return Ok((not_checked("no #[derive(Model)] struct found"), None, lints));
    }
    if checked.is_clean() {
        let part = CheckPart {
            checked: true,
            ..CheckPart::default()
        };
        // Clean with contracts waiting in `next/`: say that the models are those
        // of the head *and* them, and that they still wait.
        let waiting = (!checked.pending.is_empty()).then(|| {
            let files: Vec<String> = checked
                .pending
                .iter()
                .map(|f| config.display_path(&f.path))
                .collect();
            format!(
                "the models match revision {} followed by the contract revision(s) \
                 waiting for a later release ({}), which run once moved into {}",
                checked.head.as_deref().unwrap_or("<base>"),
                files.join(", "),
                config.display_path(&checked.migrations_dir)
            )
        });
        return Ok((part, waiting, lints));
    }
    let report = checked.drift_report(&config).to_string();
    let mut differences: Vec<String> = checked.changes.iter().map(|op| op.describe()).collect();
    if differences.is_empty() {
        // Not compared: a model was left out (see `ScannedModels::skipped`).
        differences.push(report.clone());
    }
    let part = CheckPart {
        checked: true,
        differences,
        ..CheckPart::default()
    };
    Ok((part, Some(report), lints))
}

fn print_models(ctx: &Context, models: &CheckPart, report: Option<&str>, head: &str) {
    if !models.checked {
        ctx.out.detail(format!(
            "models: not checked ({})",
            models.reason.as_deref().unwrap_or("")
        ));
    } else if models.differences.is_empty() {
        // A report of clean models says what they match besides the head.
        let matched = match report {
            Some(note) => note.to_string(),
            None => format!("the models match revision {head}"),
        };
        ctx.out
            .status(format!("{} {matched}", paint(style::MARKER, "ok:")));
    } else {
        ctx.out.data(format!(
            "{} {}",
            paint(style::ERROR, "drift:"),
            report.unwrap_or("")
        ));
    }
}

/// The live database against the head revision, and its version table.
fn check_database(
    ctx: &Context,
    settings: &Settings,
    revs: &Revisions,
    url: &DatabaseUrl,
    head_schema: &Schema,
) -> CliResult<CheckPart> {
    let options = IntrospectOptions {
        version_table: settings.version_table.clone(),
        filter: settings.tables.clone(),
        ..IntrospectOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::io(format!("cannot start the async runtime: {e}")))?;
    crate::database::preflight(&runtime, url, crate::database::Access::Read)?;
    // The database is compared with the head as it holds it: under the names it
    // kept where it could not rename.
    let live_head = match migrate_core::url::kind_of(url.url.as_str()) {
        Some(kind) if !revs.is_empty() => {
            let head = revs.single_head()?.id().to_string();
            revs.graph().replay_as(&head, kind).map_err(graph_error)?
        }
        _ => head_schema.clone(),
    };
    // What the comparison cannot see is said, not skipped silently: the same list
    // `adopt` prints, less the raw column types (those are compared as written).
    let (ops, left_out) = runtime
        .block_on(migrate_introspect::check_with_unmodelled(
            url.url.as_str(),
            &live_head,
            &options,
        ))
        .map_err(|e| introspect_error(e, &url.source.to_string()))?;
    let not_compared = not_compared_lines(left_out);
    let mut differences: Vec<String> = describe_drift_all(&ops);
    let db = crate::database::Db::new(ctx, settings, revs)?;
    let mut current = db.current()?;
    let mut heads: Vec<String> = revs.heads().iter().map(|e| e.id().to_string()).collect();
    current.sort();
    heads.sort();
    differences.extend(version_difference(&current, &heads));
    Ok(CheckPart {
        checked: true,
        reason: None,
        url: Some(url.masked()),
        differences,
        version: Some(VersionJson { current, heads }),
        not_compared,
    })
}

/// The lines of what the comparison left out: the objects `adopt` lists, less the
/// raw column types (those are compared as written).
fn not_compared_lines(items: Vec<migrate_introspect::Unmodelled>) -> Vec<String> {
    items
        .into_iter()
        .filter(|item| item.effect != migrate_introspect::Effect::OnlyThisDatabase)
        .map(|item| item.to_string())
        .collect()
}

/// The line `check` reports when the version table is not at the head revisions
/// (both sorted).
fn version_difference(current: &[String], heads: &[String]) -> Option<String> {
    if current == heads {
        return None;
    }
    let shown = |ids: &[String]| {
        if ids.is_empty() {
            "<base>".to_string()
        } else {
            ids.join(", ")
        }
    };
    Some(format!(
        "the version table records {}, the head is {}",
        shown(current),
        shown(heads)
    ))
}

/// `check --fleet`: the models once (their drift is printed, as without `--fleet`),
/// then every database of the fleet against the head revision, the schema it holds
/// and its version table, `--jobs` at a time. Exit 1 when the models or some
/// database differ, 3 when some database could not be read.
fn exec_fleet(
    ctx: &mut Context,
    args: &Args,
    spec: &str,
    settings: &Settings,
    revs: &Revisions,
) -> CliResult<Status> {
    let (models, report, lints) = if ctx.is_embedded() {
        (
            not_checked("the application's build already checked its models"),
            None,
            Vec::new(),
        )
    } else {
        check_models(settings)?
    };
    // The revision files' lints, as without `--fleet`: each shown, a deny fails.
    for f in &lints {
        ctx.out.warning(f.to_string());
    }
    let denied = migrate_core::lint::any_denied(&lints);
    let head = match revs.heads().first() {
        Some(_) => revs.single_head()?.id().to_string(),
        None => "<base>".to_string(),
    };
    if !args.format.is_json() || !models.differences.is_empty() {
        print_models(ctx, &models, report.as_deref(), &head);
    }
    // The schema each kind of database holds at the head (under the names it kept
    // where it could not rename), made once.
    let mut live_heads = std::collections::BTreeMap::new();
    for kind in DialectKind::ALL {
        let schema = if revs.is_empty() {
            Schema::new()
        } else {
            revs.graph().replay_as(&head, kind).map_err(graph_error)?
        };
        live_heads.insert(kind, schema);
    }
    let mut heads: Vec<String> = revs.heads().iter().map(|e| e.id().to_string()).collect();
    heads.sort();
    let options = IntrospectOptions {
        version_table: settings.version_table.clone(),
        filter: settings.tables.clone(),
        ..IntrospectOptions::default()
    };
    let migrator = crate::database::fleet_migrator(ctx, settings)?;
    let command = crate::fleet::Command {
        name: "check",
        target: "",
        changed: "applied",
    };
    let status = crate::fleet::run(
        ctx,
        &args.fleet,
        spec,
        &args.format,
        &command,
        |targets, fleet_options, on_event| {
            migrate_runtime::fleet::run_each(targets, fleet_options, on_event, |target| {
                let (migrator, live_heads, heads, options) =
                    (&migrator, &live_heads, &heads, &options);
                async move {
                    let url = target.connect_url();
                    let (mut current, pending) = migrator.heads_and_pending(url).await?;
                    current.sort();
                    let kind = migrate_core::url::kind_of(url).unwrap_or(DialectKind::Sqlite);
                    let (ops, not_compared) =
                        migrate_introspect::check_with_unmodelled(url, &live_heads[&kind], options)
                            .await
                            .map_err(|e| migrate_runtime::Error::Database {
                                context: "cannot read the schema to compare".into(),
                                source: sqlx::Error::Io(std::io::Error::other(e.to_string())),
                            })?;
                    let mut differences: Vec<String> = describe_drift_all(&ops);
                    differences.extend(version_difference(&current, heads));
                    Ok(migrate_runtime::fleet::Outcome::Checked {
                        heads: current,
                        pending,
                        differences,
                        not_compared: not_compared_lines(not_compared),
                    })
                }
            })
        },
    )?;
    if status == Status::Ok && (!models.differences.is_empty() || denied) {
        return Ok(Status::Drift);
    }
    Ok(status)
}

fn print_database(ctx: &Context, database: &CheckPart, head: &str, placeholder: bool) {
    let url = database.url.as_deref().unwrap_or("");
    if !database.checked {
        let reason = database.reason.as_deref().unwrap_or("");
        if placeholder {
            ctx.out.warning(format!(
                "the database was not checked: {reason}; set DATABASE_URL (or --database-url, or database_url in migrate.toml) to check it"
            ));
        } else {
            ctx.out.detail(format!("database: not checked ({reason})"));
        }
        return;
    }
    print_not_compared(ctx, database);
    if database.differences.is_empty() {
        ctx.out.status(format!(
            "{} the database {url} matches revision {head}",
            paint(style::MARKER, "ok:")
        ));
        return;
    }
    ctx.out.data(format!(
        "{} the database {url} differs from revision {head}:",
        paint(style::ERROR, "drift:")
    ));
    for difference in &database.differences {
        ctx.out.data(format!("  - {difference}"));
    }
    let behind = database
        .version
        .as_ref()
        .is_some_and(|v| v.current != v.heads);
    if behind {
        ctx.out.status(
            "  fix: run `cargo migrate upgrade head` (or `stamp` if the schema is already there)",
        );
    }
}

/// The objects the comparison left out because the models cannot hold them, each
/// on its line, before the verdict (which covers everything else).
fn print_not_compared(ctx: &Context, database: &CheckPart) {
    if database.not_compared.is_empty() {
        return;
    }
    ctx.out.warning(format!(
        "not compared: the database has {} object(s) the models cannot hold; a database \
         built from the revisions lacks them (keep them in a hand-written SQL revision, \
         see docs/introspect.md):",
        database.not_compared.len()
    ));
    for item in &database.not_compared {
        ctx.out.status(format!("  {item}"));
    }
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
