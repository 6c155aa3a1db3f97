//! `cargo migrate stamp REV`: records the database as being at a revision without
//! running any of it (for a database whose schema is already there).

use migrate_runtime::Target;

use crate::context::Context;
use crate::database::Db;
use crate::error::{CliResult, Status};
use crate::output::{paint, style};
use crate::project::Revisions;

/// Options of `stamp`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// `head`, `heads`, `base` (forget everything) or a revision id (or unique prefix).
    #[arg(value_name = "REV")]
    pub revision: String,
    /// First forget every revision the database records (version table and log),
    /// for a version table that names revisions nothing here describes.
    #[arg(long)]
    pub purge: bool,
}

/// Runs `stamp`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let target = match args.revision.as_str() {
        "heads" => Target::Heads,
        "base" => Target::Base,
        other => Target::Revision(revs.resolve(other)?.id().to_string()),
    };
    let db = Db::new(ctx, &settings, &revs)?;
    if args.purge {
        let forgotten = db.purge()?;
        ctx.out.status(format!(
            "{} {}: forgot {}",
            paint(style::MARKER, "purged"),
            db.masked_url(),
            if forgotten.is_empty() {
                "nothing (no revision was recorded)".to_string()
            } else {
                forgotten.join(", ")
            }
        ));
    }
    let stamped = db.stamp(target)?;
    ctx.out.status(format!(
        "{} {} at {}{}",
        paint(style::MARKER, "stamped"),
        db.masked_url(),
        args.revision,
        if stamped.is_empty() {
            " (it already was)".to_string()
        } else {
            String::new()
        }
    ));
    Ok(Status::Ok)
}
