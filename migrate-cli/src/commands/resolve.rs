//! `cargo migrate resolve REV --applied | --not-applied`: settles a revision that a
//! failed run left `dirty` (MySQL, whose DDL commits on its own, or a step flagged
//! `no_transaction`), once the schema was repaired by hand. It first shows what the log
//! recorded (the failing step and the database's error), so the operator decides with
//! the facts in front of them; without a choice it only shows them.

use migrate_runtime::{AppliedRevision, Resolution, RowState};

use crate::context::Context;
use crate::database::Db;
use crate::error::{CliError, CliResult, Status};
use crate::output::{paint, style};
use crate::project::Revisions;

/// Options of `resolve`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The dirty revision's id (or a unique prefix of it); without it, the dirty
    /// revisions are listed.
    #[arg(value_name = "REV")]
    pub revision: Option<String>,
    /// The revision's changes are now all in place: record it as applied.
    #[arg(long, conflicts_with = "not_applied")]
    pub applied: bool,
    /// The revision's changes are now all undone: forget it.
    #[arg(long)]
    pub not_applied: bool,
}

/// Runs `resolve`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let db = Db::new(ctx, &settings, &revs)?;
    let dirty: Vec<AppliedRevision> = db
        .history()?
        .into_iter()
        .filter(|r| r.state == RowState::Dirty)
        .collect();
    let program = ctx.program();
    let Some(wanted) = &args.revision else {
        if dirty.is_empty() {
            ctx.out
                .status(format!("{} has no dirty revision", db.masked_url()));
            return Ok(Status::Ok);
        }
        for row in &dirty {
            ctx.out.data(describe(row));
        }
        return Err(CliError::usage(format!(
            "{} dirty revision(s): repair the schema by hand, then settle each",
            dirty.len()
        ))
        .fix(format!(
            "run `{program} resolve REV --applied` (its changes are all in place) or \
             `--not-applied` (they are all undone)"
        )));
    };
    // A prefix names a dirty revision, whether or not the files know it.
    let matches: Vec<&AppliedRevision> = dirty
        .iter()
        .filter(|r| r.id.starts_with(wanted.as_str()))
        .collect();
    let row = match matches.as_slice() {
        [row] => *row,
        [] => {
            return Err(CliError::usage(format!(
                "revision `{wanted}` is not marked dirty in {}; nothing to resolve",
                db.masked_url()
            ))
            .fix(format!(
                "run `{program} resolve` without a revision to list the dirty ones"
            )))
        }
        _ => {
            let ids: Vec<&str> = matches.iter().map(|r| r.id.as_str()).collect();
            return Err(CliError::usage(format!(
                "`{wanted}` matches several dirty revisions: {}",
                ids.join(", ")
            ))
            .fix("give more characters of the id"));
        }
    };
    ctx.out.data(describe(row));
    let resolution = match (args.applied, args.not_applied) {
        (true, _) => Resolution::Applied,
        (_, true) => Resolution::NotApplied,
        _ => {
            return Err(CliError::usage(format!(
                "say how revision {} ended: repair the schema by hand first",
                row.id
            ))
            .fix(format!(
                "run `{program} resolve {} --applied` (its changes are all in place) or \
                 `--not-applied` (they are all undone)",
                row.id
            )))
        }
    };
    db.resolve(&row.id, resolution)?;
    let verb = match resolution {
        Resolution::Applied => "recorded as applied",
        Resolution::NotApplied => "recorded as not applied",
    };
    ctx.out.status(format!(
        "{} revision {} {verb}",
        paint(style::MARKER, "resolved:"),
        paint(style::ID, &row.id)
    ));
    Ok(Status::Ok)
}

/// One dirty revision: its id, message, and what the log recorded of its failure.
fn describe(row: &AppliedRevision) -> String {
    let step = match row.failed_step {
        Some(step) if step > 0 => format!("stopped at step {step}"),
        _ => "stopped at an unknown step (the run was interrupted)".to_string(),
    };
    let error = row.error.as_deref().unwrap_or("no error was recorded");
    format!(
        "{}  {}\n  dirty since {}, {step}\n  recorded error: {error}",
        row.id, row.message, row.applied_at
    )
}
