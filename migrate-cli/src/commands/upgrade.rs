//! `cargo migrate upgrade [TARGET] [--sql]`: applies revisions up to a target (default
//! `head`), one progress line per revision with its duration, or prints the script.

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

/// Options of `upgrade`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// `head`, `heads`, a revision id (or unique prefix), `+N`, or `REV+N`; with `--sql`,
    /// also `START:END`.
    #[arg(
        default_value = "head",
        value_name = "TARGET",
        allow_hyphen_values = true
    )]
    pub target: String,
    /// SQL output.
    #[command(flatten)]
    pub offline: OfflineArgs,
}

/// Runs `upgrade`.
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
            Direction::Upgrade,
        );
    }
    let db = Db::new(ctx, &settings, &revs)?;
    let current = db.current()?;
    let target = GraphTarget::parse(&args.target).map_err(graph_error)?;
    let plan = revs
        .graph()
        .upgrade_plan(&current, &target)
        .map_err(graph_error)?;
    if plan.is_empty() {
        // Nothing to apply, but an edited applied revision or a dirty one is still
        // reported, as the runtime does at an application's start-up.
        db.verify()?;
        ctx.out
            .status(format!("{} is already at {}", db.masked_url(), args.target));
        return Ok(Status::Ok);
    }
    ctx.out.status(format!(
        "upgrading {} ({} revision{})",
        db.masked_url(),
        plan.len(),
        if plan.len() == 1 { "" } else { "s" }
    ));
    let mut total = std::time::Duration::ZERO;
    for id in &plan {
        let e = revs.get(id).expect("planned ids exist");
        let from = if e.revision.parents.is_empty() {
            "<base>".to_string()
        } else {
            e.revision.parents.join(",")
        };
        ctx.out.progress_start(format!(
            "  {from} -> {}  {}",
            paint(style::ID, id),
            e.revision.message
        ));
        match db.upgrade(Target::Revision(id.clone())) {
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
    }
    ctx.out.status(format!(
        "{} upgraded to {} in {}",
        paint(style::MARKER, "done:"),
        plan.last().expect("plan is not empty"),
        human_duration(total)
    ));
    Ok(Status::Ok)
}
