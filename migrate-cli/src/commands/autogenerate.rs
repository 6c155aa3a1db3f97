//! `revision --autogenerate`: the revision that turns the head schema into the models'
//! schema, written by migrate-build's `autogenerate` (the same code path as
//! `MIGRATE_AUTOGENERATE="..." cargo build`), with the project's directories from
//! `migrate.toml`.

use migrate_build::{
    autogenerate, autogenerate_expand, BuildError, Config, Outcome, WrittenRevision,
};

use crate::config::Settings;
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::output::{paint, style};

/// Runs `revision --autogenerate`.
pub fn exec(
    args: &super::revision::Args,
    ctx: &mut Context,
    settings: &Settings,
) -> CliResult<Status> {
    if args.head.is_some() || !args.branch_labels.is_empty() || !args.depends_on.is_empty() {
        return Err(
            CliError::usage(
                "--head, --branch-label and --depends-on cannot be combined with --autogenerate",
            )
            .fix(
                "autogenerate always builds on the single head; merge the heads first if there are several",
            ),
        );
    }
    let config = build_config(settings);
    let outcome = if args.expand {
        autogenerate_expand(&config, &args.message, args.allow_destructive)
    } else {
        autogenerate(&config, &args.message, args.allow_destructive)
    }
    .map_err(build_error)?;
    match outcome {
        Outcome::NoChanges => {
            ctx.out
                .status("no changes: the models match the head revision; nothing written");
        }
        Outcome::Written(written) => {
            report(ctx, &written, "");
            ctx.out.data(written.id.clone());
            crate::hooks::post_write(ctx, settings, &written.path)?;
        }
        Outcome::Expanded {
            expand,
            contract,
            notes,
        } => {
            if let Some(w) = &expand {
                report(ctx, w, " (expand: deploy it with this release)");
            }
            report(
                ctx,
                &contract,
                " (contract: it waits there; move it into the migrations directory in a \
                 later release, once no running release uses the old shape)",
            );
            for note in &notes {
                ctx.out.status(format!("  until then: {note}"));
            }
            // The one id on stdout is the revision that runs with this release (the
            // contract's when the expand step had nothing to do).
            ctx.out
                .data(expand.as_ref().unwrap_or(&contract).id.clone());
            for w in expand.iter().chain([&contract]) {
                crate::hooks::post_write(ctx, settings, &w.path)?;
            }
        }
    }
    Ok(Status::Ok)
}

/// The operations, lints and place of one written revision; `what` follows its path.
fn report(ctx: &Context, written: &WrittenRevision, what: &str) {
    for op in &written.upgrade {
        ctx.out.status(format!("  detected {}", op.describe()));
    }
    for f in &written.lints {
        ctx.out.warning(f.to_string());
    }
    for reason in &written.destructive {
        ctx.out
            .warning(format!("confirmed destructive change: {reason}"));
    }
    let shown = written.path.strip_prefix(&ctx.cwd).unwrap_or(&written.path);
    ctx.out.status(format!(
        "{} revision {} at {}{what}",
        paint(style::MARKER, "created"),
        paint(style::ID, &written.id),
        shown.display()
    ));
}

/// migrate-build's configuration for the project's directories.
pub fn build_config(settings: &Settings) -> Config {
    let mut config = Config::new()
        .manifest_dir(settings.root.clone())
        .migrations_dir(settings.migrations_dir.clone())
        .tables(settings.tables.clone());
    let mut dirs = settings.model_dirs.iter();
    if let Some(first) = dirs.next() {
        config = config.source_dir(first.clone());
        for dir in dirs {
            config = config.add_source_dir(dir.clone());
        }
    }
    config
}

/// A migrate-build error as a CLI error with its fix.
pub fn build_error(err: BuildError) -> CliError {
    match &err {
        BuildError::DestructiveNotConfirmed { reasons } => CliError::usage(format!(
            "autogenerate found destructive changes and wrote nothing: {}",
            reasons.join("; ")
        ))
        .fix("confirm them with --allow-destructive, or change the models"),
        BuildError::RenameSuspected { suspects } => CliError::usage(format!(
            "autogenerate stopped: these look like renames: {}",
            suspects.join("; ")
        ))
        .fix("declare the rename on the model (#[model(renamed_from = \"old\")]), or confirm the drop with --allow-destructive"),
        BuildError::Safety { .. } => CliError::revisions(err.to_string())
            .fix("correct the [safety] table: forms, lock_timeout, statement_timeout, lock_retries, lints, rolling_deploy (docs/safety.md)"),
        BuildError::LintDenied { .. } => CliError::revisions(err.to_string())
            .fix("change the revision, or set the rule's level in [safety.lints] (docs/safety.md)"),
        BuildError::MultipleHeads { .. } => CliError::revisions(err.to_string())
            .fix("merge them with `cargo migrate merge -m \"merge\" heads`"),
        BuildError::NotExpandable { .. } => CliError::usage(err.to_string())
            .fix("leave out --expand, or make the change over two releases (docs/safety.md#expand-and-contract)"),
        BuildError::Pending { .. } => CliError::revisions(err.to_string())
            .fix("move the waiting contract revision into the migrations directory, or delete it (docs/safety.md#expand-and-contract)"),
        BuildError::Io { .. } => CliError::io(err.to_string()).fix("check the directory's permissions"),
        BuildError::Graph { .. } | BuildError::Revision(_) => CliError::revisions(err.to_string())
            .fix("fix the revision files (see `cargo migrate history`)"),
        _ => CliError::usage(err.to_string()).fix("fix the model where the message points"),
    }
}
