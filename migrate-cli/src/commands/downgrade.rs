//! `cargo migrate downgrade TARGET [--sql]`: undoes revisions (`-N`, a revision to stay
//! at, or `base`), one progress line per revision on a linear history, or prints the
//! script.

use migrate_core::graph::Target as GraphTarget;
use migrate_core::offline::Direction;
use migrate_runtime::Target;

use crate::cli::OfflineArgs;
use crate::context::Context;
use crate::database::Db;
use crate::error::{CliResult, Status};
use crate::offline;
use crate::output::{human_duration, paint, style};
use crate::project::{graph_error, Revisions};

/// Options of `downgrade`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// `-N` for N steps, a revision id (or unique prefix) to stay at, or `base` to undo
    /// everything; with `--sql`, also `START:END`.
    #[arg(value_name = "TARGET", allow_hyphen_values = true)]
    pub target: String,
    /// SQL output.
    #[command(flatten)]
    pub offline: OfflineArgs,
}

/// Runs `downgrade`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    if args.offline.sql {
        return offline::print_script(
            ctx,
            &args.offline,
            &revs,
            &settings,
            &args.target,
            Direction::Downgrade,
        );
    }
    let db = Db::new(ctx, &settings, &revs)?;
    let mut heads = db.current()?;
    let target = GraphTarget::parse(&args.target).map_err(graph_error)?;
    let plan = revs
        .graph()
        .downgrade_plan(&heads, &target)
        .map_err(graph_error)?;
    if plan.is_empty() {
        ctx.out
            .status(format!("{} is already at {}", db.masked_url(), args.target));
        return Ok(Status::Ok);
    }
    ctx.out.status(format!(
        "downgrading {} ({} revision{})",
        db.masked_url(),
        plan.len(),
        if plan.len() == 1 { "" } else { "s" }
    ));
    let mut total = std::time::Duration::ZERO;
    for (done, id) in plan.iter().enumerate() {
        let e = revs.get(id).expect("planned ids exist");
        // One revision at a time while the database has this single head: going to its
        // parent undoes exactly it. Otherwise (merges), undo the rest in one run.
        let step = match (heads.as_slice(), e.revision.parents.as_slice()) {
            ([head], []) if head == id => Some(Target::Base),
            ([head], [parent]) if head == id => Some(Target::Revision(parent.clone())),
            _ => None,
        };
        let Some(step) = step else {
            let rest = &plan[done..];
            ctx.out
                .progress_start(format!("  undoing {} revisions", rest.len()));
            let took = match db.downgrade(Target::parse(&args.target)) {
                Ok(took) => took,
                Err(err) => {
                    ctx.out.progress_end(paint(style::ERROR, "failed"));
                    return Err(err);
                }
            };
            total += took;
            ctx.out
                .progress_end(paint(style::DIM, format!("({})", human_duration(took))));
            break;
        };
        let to = if e.revision.parents.is_empty() {
            "<base>".to_string()
        } else {
            e.revision.parents.join(",")
        };
        ctx.out.progress_start(format!(
            "  {} -> {to}  {}",
            paint(style::ID, id),
            e.revision.message
        ));
        match db.downgrade(step) {
            Ok(took) => {
                total += took;
                ctx.out
                    .progress_end(paint(style::DIM, format!("({})", human_duration(took))));
            }
            Err(err) => {
                ctx.out.progress_end(paint(style::ERROR, "failed"));
                return Err(err);
            }
        }
        heads = e.revision.parents.clone();
    }
    ctx.out.status(format!(
        "{} downgraded in {}",
        paint(style::MARKER, "done:"),
        human_duration(total)
    ));
    Ok(Status::Ok)
}
