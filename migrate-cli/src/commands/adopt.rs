//! `cargo migrate adopt`: take over a database that was built without migrate.
//!
//! Reads the live schema (migrate-introspect), writes model structs for it
//! (`migrate_model::codegen::models_source`) and one base revision whose head is
//! exactly that schema (`migrate_introspect::baseline_revision`), and with `--stamp`
//! records the database as being at that revision, so nothing is created twice and
//! the next `cargo build` finds no drift.
//!
//! Tables `[tables]` of `migrate.toml` leaves alone are not read; tables left out
//! of `--tables` are added to its `exclude` list, so `check` does not report them.
//!
//! The baseline is the root of the history: `adopt` refuses to run when the
//! migrations directory already holds revisions (their schema would be built twice),
//! and it never overwrites a models file.

use std::path::{Path, PathBuf};

use migrate_introspect::{IntrospectError, IntrospectOptions};
use migrate_runtime::Target;

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::output::{paint, style};
use crate::project::Revisions;

/// Options of `adopt`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Adopt only these tables (comma-separated) [default: every table].
    #[arg(long, value_name = "TABLES", value_delimiter = ',')]
    pub tables: Option<Vec<String>>,
    /// Where to write the model structs, relative to the project root.
    #[arg(long, value_name = "PATH", default_value = "src/models.rs")]
    pub models_file: PathBuf,
    /// Message of the baseline revision (also its file name's slug).
    #[arg(short, long, value_name = "MSG", default_value = "baseline")]
    pub message: String,
    /// Also record the database as being at the baseline (`stamp`).
    #[arg(long)]
    pub stamp: bool,
}

/// Runs `adopt`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let url = settings.require_url()?.clone();
    url.validate()?;

    // Refuse before touching anything.
    let models_path = settings.root.join(&args.models_file);
    if models_path.exists() {
        return Err(CliError::usage(format!(
            "{} already exists; adopt does not overwrite a models file",
            shown(ctx, &models_path).display()
        ))
        .fix("give another file with --models-file (then add its `mod` line), or move the existing file away"));
    }
    let dir = &settings.migrations_dir;
    if dir.is_dir() {
        let existing = Revisions::from_dir(dir)?;
        if !existing.is_empty() {
            return Err(CliError::usage(format!(
                "{} already holds {} revision(s); the baseline must be the first revision",
                shown(ctx, dir).display(),
                existing.entries().len()
            ))
            .fix("adopt into an empty migrations directory (--migrations-dir), or, if the revisions already describe the database, run `cargo migrate stamp head` instead"));
        }
    }

    // Every table the filter manages is read, so the ones left out of `--tables`
    // are known and can be recorded as left alone.
    let options = IntrospectOptions {
        version_table: settings.version_table.clone(),
        filter: settings.tables.clone(),
        ..IntrospectOptions::default()
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::io(format!("cannot start the async runtime: {e}")))?;
    crate::database::preflight(&runtime, &url, crate::database::Access::Read)?;
    let mut schema = runtime
        .block_on(migrate_introspect::introspect(url.url.as_str(), &options))
        .map_err(|e| introspect_error(e, &url.source.to_string()))?;
    let mut left_out = Vec::new();
    if let Some(wanted) = &args.tables {
        let missing: Vec<&str> = wanted
            .iter()
            .filter(|t| schema.table(t).is_none())
            .map(String::as_str)
            .collect();
        if !missing.is_empty() {
            let filtered: Vec<&str> = missing
                .iter()
                .copied()
                .filter(|t| !settings.tables.manages(t))
                .collect();
            let fix = if filtered.is_empty() {
                "check the names given to --tables (they are case-sensitive)".to_string()
            } else {
                format!(
                    "[tables] in migrate.toml leaves {} alone: change its include/exclude patterns to adopt them",
                    filtered.join(", ")
                )
            };
            return Err(CliError::usage(format!(
                "the database {} has no table {} that adopt may take",
                url.masked(),
                missing.join(", ")
            ))
            .fix(fix));
        }
        left_out = schema
            .tables
            .keys()
            .filter(|t| !wanted.contains(t))
            .cloned()
            .collect();
        schema.tables.retain(|name, _| wanted.contains(name));
    }

    // Everything the models cannot hold is listed; tables they cannot describe
    // (and those whose foreign keys point at one) are not adopted.
    let unmodelled = runtime
        .block_on(migrate_introspect::unmodelled(
            url.url.as_str(),
            &schema,
            &options,
        ))
        .map_err(|e| introspect_error(e, &url.source.to_string()))?;
    let not_adopted = migrate_introspect::tables_left_out(&schema, &unmodelled);
    for table in not_adopted.keys() {
        if schema.tables.remove(table).is_some() {
            left_out.push(table.clone());
        }
    }
    left_out.sort();
    left_out.dedup();
    report_unmodelled(ctx, &unmodelled, &not_adopted);

    if schema.tables.is_empty() {
        return Err(CliError::usage(format!(
            "the database {} has no table to adopt{}",
            url.masked(),
            if not_adopted.is_empty() {
                ""
            } else {
                " (the tables above cannot be modelled)"
            }
        ))
        .fix("check the database URL; for a new database start with models and `cargo migrate revision --autogenerate`"));
    }

    // A chosen table may reference one left out: fine on this database, but the
    // baseline alone cannot build a new one.
    for table in schema.tables.values() {
        for fk in &table.foreign_keys {
            if schema.table(&fk.ref_table).is_none() {
                ctx.out.status(format!(
                    "{} table `{}` references `{}`, which is not adopted: upgrading a new, empty database from the baseline will fail; add `{}` to --tables to manage it too",
                    paint(style::WARNING, "warning:"),
                    table.name,
                    fk.ref_table,
                    fk.ref_table
                ));
            }
        }
    }

    // Rule: a table left out of `--tables` stays in the database, so it is recorded
    // as left alone; otherwise `check` would report it as drift for ever.
    if !left_out.is_empty() {
        let config = settings
            .config_path
            .clone()
            .unwrap_or_else(|| settings.root.join(crate::config::CONFIG_FILE));
        crate::config::exclude_tables(&config, &left_out)?;
        ctx.out.status(format!(
            "{} {} table(s) not adopted to [tables] exclude in {}: {} (check and autogenerate leave them alone)",
            paint(style::MARKER, "added"),
            left_out.len(),
            shown(ctx, &config).display(),
            left_out.join(", ")
        ));
    }

    // Rule: an object on (or reading) a table that is not adopted stays in the
    // database, unmanaged: the baseline alone could not create it.
    let tables: std::collections::BTreeSet<&str> =
        schema.tables.keys().map(String::as_str).collect();
    let all_tables: std::collections::BTreeSet<&str> = left_out
        .iter()
        .map(String::as_str)
        .chain(tables.iter().copied())
        .collect();
    let (objects, unmanaged): (Vec<_>, Vec<_>) = std::mem::take(&mut schema.objects)
        .into_iter()
        .partition(|o| {
            o.references(&all_tables)
                .iter()
                .all(|t| tables.contains(t.as_str()))
        });
    // Rule: overloads (one name, other argument types) are each a file of their
    // own, told apart by the argument types read from their headers; overloads
    // whose types cannot be read (a body without dollar quotes) could not be told
    // apart, so they are listed and stay in the database.
    let mut per_id: std::collections::BTreeMap<_, usize> = Default::default();
    for o in objects.iter().filter(|o| o.kind.is_routine()) {
        *per_id.entry((o.kind, o.name.clone())).or_default() += 1;
    }
    let unreadable = |o: &migrate_core::objects::SchemaObject| {
        o.kind.is_routine() && per_id[&(o.kind, o.name.clone())] > 1 && o.signature().is_none()
    };
    let overloads_left: std::collections::BTreeSet<(migrate_core::objects::ObjectKind, String)> =
        objects
            .iter()
            .filter(|o| unreadable(o))
            .map(|o| (o.kind, o.name.clone()))
            .collect();
    let (objects, left): (Vec<_>, Vec<_>) = objects
        .into_iter()
        .partition(|o| !overloads_left.contains(&(o.kind, o.name.clone())));
    // Overloads exist on PostgreSQL only: their files are scoped to it
    // (`half@integer.postgres.sql`), as the objects directory requires.
    let objects: Vec<_> = objects
        .into_iter()
        .map(|mut o| {
            if o.kind.is_routine() && per_id[&(o.kind, o.name.clone())] > 1 && o.postgres.is_none()
            {
                o.postgres = o.sql.take();
            }
            o
        })
        .collect();
    for o in &left {
        ctx.out.status(format!(
            "{} {} not adopted: it has overloads and its argument types cannot be read from its header (no dollar-quoted body); it stays in the database: exclude '{}' in [tables] of migrate.toml",
            paint(style::WARNING, "warning:"),
            o.describe(),
            o.name
        ));
    }
    schema.objects = objects;
    for o in &unmanaged {
        let missing: Vec<String> = o
            .references(&all_tables)
            .into_iter()
            .filter(|t| !tables.contains(t.as_str()))
            .collect();
        ctx.out.status(format!(
            "{} {} not adopted: it needs table {}, which is not adopted; like that table it stays in the database and check leaves it alone",
            paint(style::WARNING, "warning:"),
            o.describe(),
            missing.join(", ")
        ));
    }
    let objects_dir = settings.root.join(settings.file.objects_dir());
    let written =
        migrate_core::objects::files::write_dir(&objects_dir, &schema.objects).map_err(|e| {
            CliError::usage(format!("cannot write the schema objects: {e}"))
                .fix("adopt into a project whose objects directory holds none of these files")
        })?;
    if !written.is_empty() {
        ctx.out.status(format!(
            "{} {} schema object(s) (views, triggers, functions, ...) under {}",
            paint(style::MARKER, "wrote"),
            schema.objects.len(),
            shown(ctx, &objects_dir).display()
        ));
    }

    // The models.
    let source = migrate_model::codegen::models_source(&schema, args.tables.as_deref());
    write_new(&models_path, &source)?;
    ctx.out.status(format!(
        "{} models of {} table(s) at {}",
        paint(style::MARKER, "wrote"),
        schema.tables.len(),
        shown(ctx, &models_path).display()
    ));

    // The baseline revision.
    std::fs::create_dir_all(dir).map_err(|e| {
        CliError::io(format!("cannot create {}: {e}", dir.display()))
            .fix("check that the project directory is writable")
    })?;
    let revision = migrate_introspect::baseline_revision(&schema, &args.message);
    let path = super::revision::write_revision(dir, &revision)?;
    note_database_only_types(&path, &unmodelled, &schema)?;
    super::revision::report_written(ctx, &revision, &path);
    crate::hooks::post_write(ctx, &settings, &path)?;

    if args.stamp {
        let revs = Revisions::from_dir(dir)?;
        let db = crate::database::Db::new(ctx, &settings, &revs)?;
        db.stamp(Target::Revision(revision.id.clone()))?;
        ctx.out.status(format!(
            "{} {} at {}",
            paint(style::MARKER, "stamped"),
            db.masked_url(),
            revision.id
        ));
    }

    let module = models_path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("models");
    ctx.out.status("next steps:");
    ctx.out.status(format!(
        "  1. add `mod {module};` to src/main.rs or src/lib.rs"
    ));
    let crates = extra_crates(&source);
    if !crates.is_empty() {
        ctx.out.status(format!(
            "     the models' field types need {} in [dependencies]",
            crates.join(", ")
        ));
    }
    ctx.out
        .status("  2. `cargo build`: the models match the baseline, so no drift is reported");
    if !args.stamp {
        ctx.out.status(
            "  3. `cargo migrate stamp head` to record the database as being at the baseline",
        );
    }
    Ok(Status::Ok)
}

/// Prints every object the models cannot hold, grouped by what it means.
fn report_unmodelled(
    ctx: &Context,
    items: &[migrate_introspect::Unmodelled],
    not_adopted: &std::collections::BTreeMap<String, Vec<String>>,
) {
    use migrate_introspect::Effect;
    if items.is_empty() && not_adopted.is_empty() {
        ctx.out
            .status("the models and schema object files hold everything the database has");
        return;
    }
    ctx.out.status(format!(
        "{} what the models cannot hold:",
        paint(style::WARNING, "not modelled:")
    ));
    if !not_adopted.is_empty() {
        ctx.out.status(format!("  {}:", Effect::TableLeftOut));
    }
    for (table, why) in not_adopted {
        ctx.out
            .status(format!("    table `{table}`: {}", why.join("; ")));
    }
    for effect in [
        Effect::NeedsSqlRevision,
        Effect::OnlyThisDatabase,
        Effect::NotSupported,
    ] {
        // A column type of a table that is not adopted is not in the baseline.
        let shown: Vec<_> = items
            .iter()
            .filter(|i| i.effect == effect)
            .filter(|i| {
                effect != Effect::OnlyThisDatabase
                    || !not_adopted.contains_key(i.name.split('.').next().unwrap_or(""))
            })
            .collect();
        if shown.is_empty() {
            continue;
        }
        ctx.out.status(format!("  {effect}:"));
        for item in shown {
            ctx.out.status(format!("    {item}"));
        }
    }
}

/// Rule: a baseline that uses a type only this kind of database knows says so at
/// the top of the file (TOML comments), naming each column.
fn note_database_only_types(
    path: &Path,
    items: &[migrate_introspect::Unmodelled],
    schema: &migrate_core::Schema,
) -> CliResult<()> {
    let columns: Vec<String> = items
        .iter()
        .filter(|i| i.effect == migrate_introspect::Effect::OnlyThisDatabase)
        .filter(|i| {
            schema
                .table(i.name.split('.').next().unwrap_or(""))
                .is_some()
        })
        .map(|i| format!("#   {}: {}\n", i.name, i.detail))
        .collect();
    if columns.is_empty() {
        return Ok(());
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| CliError::io(format!("cannot read {}: {e}", path.display())))?;
    let note = format!(
        "# This baseline uses types only the adopted kind of database knows (raw SQL\n\
         # types); it replays there and on no other kind of database:\n{}\n",
        columns.concat()
    );
    std::fs::write(path, note + &text).map_err(|e| {
        CliError::io(format!("cannot write {}: {e}", path.display()))
            .fix("check that the migrations directory is writable")
    })
}

/// The crates the generated field types come from, beyond `migrate` itself.
fn extra_crates(source: &str) -> Vec<&'static str> {
    // `sqlx` (feature `derive`) for the `sqlx::Type` of the enums written.
    ["chrono", "uuid", "serde_json", "rust_decimal", "sqlx"]
        .into_iter()
        .filter(|krate| source.contains(&format!("{krate}::")))
        .collect()
}

/// A path as shown to the user: relative to where the command runs when it can be.
fn shown<'a>(ctx: &Context, path: &'a Path) -> &'a Path {
    path.strip_prefix(&ctx.cwd).unwrap_or(path)
}

/// Writes a file that must not exist yet, creating its directory.
fn write_new(path: &Path, text: &str) -> CliResult<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| {
            CliError::io(format!("cannot create {}: {e}", parent.display()))
                .fix("check that the project directory is writable")
        })?;
    }
    std::fs::write(path, text).map_err(|e| {
        CliError::io(format!("cannot write {}: {e}", path.display()))
            .fix("check that the project directory is writable")
    })
}

/// An introspection failure as a CLI error (the URL is never shown unmasked).
fn introspect_error(err: IntrospectError, source: &str) -> CliError {
    let status = match err {
        IntrospectError::UnsupportedUrl { .. } => Status::Usage,
        _ => Status::Database,
    };
    CliError::new(status, format!("cannot read the database schema: {err}")).fix(format!(
        "check the database URL (it came from {source}) and that the server is running"
    ))
}
