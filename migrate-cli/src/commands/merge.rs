//! `cargo migrate merge -m MSG REV...|heads`: a revision with no operations whose
//! parents are the given heads, joining branches of the history again.

use migrate_core::revision::{now_utc, Revision};

use super::revision::{report_written, write_revision};
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::project::Revisions;

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
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let mut parents: Vec<String> = Vec::new();
    for text in &args.revisions {
        if text == "heads" {
            parents.extend(revs.heads().iter().map(|e| e.id().to_string()));
        } else {
            parents.push(revs.resolve(text)?.id().to_string());
        }
    }
    parents.dedup();
    let mut unique = Vec::new();
    for p in parents {
        if !unique.contains(&p) {
            unique.push(p);
        }
    }
    if unique.len() < 2 {
        return Err(CliError::usage(format!(
            "a merge needs at least two revisions, got {}",
            if unique.is_empty() { "none".to_string() } else { unique.join(", ") }
        ))
        .fix("list the heads with `cargo migrate heads`; with a single head there is nothing to merge"));
    }
    // Merging a revision with one of its own ancestors would make a useless diamond.
    for a in &unique {
        for b in &unique {
            if a != b && revs.ancestors(b).contains(a) {
                return Err(
                    CliError::usage(format!("{a} is already an ancestor of {b}"))
                        .fix("merge only heads (see `cargo migrate heads`)"),
                );
            }
        }
    }
    let revision = Revision::new_empty(args.message.clone(), unique, now_utc());
    let path = write_revision(&settings.migrations_dir, &revision)?;
    report_written(ctx, &revision, &path);
    crate::hooks::post_write(ctx, &settings, &path)?;
    Ok(Status::Ok)
}
