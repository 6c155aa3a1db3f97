//! `upgrade --dry-run` and `downgrade --dry-run`: the plan of a run (the revisions
//! in order, with the statements each would execute), read from the database under
//! the runtime's planner, with nothing changed. Text prints the statements as a
//! commented SQL script; `--format json` prints a [`PlanJson`] document.

use migrate_runtime::{Direction, Target};

use crate::cli::FormatArgs;
use crate::context::Context;
use crate::database::Db;
use crate::error::{CliError, CliResult, Status};
use crate::json::{PlanJson, PlannedJson, StatementJson};

/// Prints the plan of a run towards `target` (as typed: `shown_target`).
pub fn exec(
    ctx: &Context,
    db: &Db,
    direction: Direction,
    target: Target,
    shown_target: &str,
    dry_run: bool,
    format: &FormatArgs,
) -> CliResult<Status> {
    let verb = match direction {
        Direction::Upgrade => "upgrade",
        Direction::Downgrade => "downgrade",
    };
    if !dry_run {
        return Err(CliError::usage(format!(
            "`{verb} --format json` prints a plan, which needs --dry-run"
        ))
        .fix(format!(
            "add --dry-run to see the plan without running it, or drop --format to run the {verb}"
        )));
    }
    let plan = db.plan(direction, target)?;
    if format.is_json() {
        ctx.out.json(&PlanJson {
            database: db.masked_url(),
            direction: verb,
            target: shown_target.to_string(),
            revisions: plan
                .revisions
                .iter()
                .map(|r| PlannedJson {
                    id: r.id.clone(),
                    message: r.message.clone(),
                    statements: r
                        .statements
                        .iter()
                        .map(|s| StatementJson {
                            sql: s.sql.clone(),
                            transactional: s.transactional,
                        })
                        .collect(),
                })
                .collect(),
        });
        return Ok(Status::Ok);
    }
    let count = plan.revisions.len();
    ctx.out.status(format!(
        "dry run: {verb} of {} to {shown_target} would run {count} revision{} (nothing is changed)",
        db.masked_url(),
        if count == 1 { "" } else { "s" }
    ));
    ctx.out.data_raw(plan.to_string());
    Ok(Status::Ok)
}
