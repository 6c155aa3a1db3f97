//! `--fleet SPEC`: `upgrade`, `downgrade` and `current` over many databases.
//!
//! The targets come from the runtime's spec parser (`file:`, `glob:`, `schemas:`,
//! `query:`); the run is the runtime's `Migrator::run_fleet`, the same planner and
//! execution path as a single database. This file prints: a line per target as it
//! starts and ends (stderr, plain lines), then the summary table (stdout) or, with
//! `--format json`, the report document (stdout, described in docs/cli.md). Every
//! label is a redacted URL and every line goes through the output's masker.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use migrate_runtime::fleet::{
    discover_blocking, FleetAction, FleetEvent, FleetOptions, FleetTarget, Outcome, TargetReport,
};
use serde::Serialize;

use crate::cli::FormatArgs;
use crate::context::Context;
use crate::database::fleet_migrator;
use crate::error::{CliError, CliResult, Status};
use crate::output::{align, cell, human_duration, paint, style, styled};
use crate::progress::{Display, Running};

/// The options that turn a database command into a fleet command.
#[derive(Debug, Clone, clap::Args)]
pub struct FleetArgs {
    /// Run on many databases: `file:PATH` (one URL per line, `#` comments),
    /// `glob:PATTERN` (SQLite files), `schemas:URL#LIKE` (PostgreSQL schemas of one
    /// database) or `query:URL#SQL` (URLs from a catalog query).
    #[arg(long, value_name = "SPEC")]
    pub fleet: Option<String>,
    /// With --fleet: how many databases at once.
    #[arg(long, value_name = "N", default_value_t = 4, requires = "fleet", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: u16,
    /// With --fleet: the longest one database may take, in seconds.
    #[arg(long, value_name = "SECONDS", requires = "fleet", value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: Option<u64>,
    /// With --fleet: start no further database after the first failure.
    #[arg(long, requires = "fleet")]
    pub fail_fast: bool,
}

/// Runs `action` over the fleet `spec` and prints the report; the status is 0 only
/// if every target succeeded.
pub fn exec(
    ctx: &mut Context,
    args: &FleetArgs,
    spec: &str,
    format: &FormatArgs,
    command: &str,
    target_text: &str,
    action: FleetAction,
) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let migrator = fleet_migrator(ctx, &settings)?;
    let changed = match action {
        FleetAction::Downgrade(_) => "downgraded",
        _ => "applied",
    };
    let command = Command {
        name: command,
        target: target_text,
        changed,
    };
    run(
        ctx,
        args,
        spec,
        format,
        &command,
        |targets, options, on_event| migrator.run_fleet(targets, &action, options, on_event),
    )
}

/// What the report says of the command that ran.
pub struct Command<'a> {
    /// `upgrade`, `downgrade`, `current`, `check`.
    pub name: &'a str,
    /// The target as typed (`head`), or empty.
    pub target: &'a str,
    /// The status word of a target that changed (`applied`, `downgraded`).
    pub changed: &'a str,
}

/// Finds the fleet's targets, runs `work` over them with the options of `args` and a
/// progress display, prints the report; the status is 0 only if every target
/// succeeded (`check`: 1 when a target differs from the head).
pub fn run(
    ctx: &mut Context,
    args: &FleetArgs,
    spec: &str,
    format: &FormatArgs,
    command: &Command<'_>,
    work: impl FnOnce(
        &[FleetTarget],
        &FleetOptions,
        &(dyn Fn(FleetEvent<'_>) + Sync),
    ) -> Vec<TargetReport>,
) -> CliResult<Status> {
    let targets = discover_blocking(spec).map_err(|e| {
        CliError::usage(e.to_string()).fix(
            "write --fleet as file:targets.txt, glob:'tenants/*.db', \
             schemas:postgres://user@host/db#tenant_% or query:URL#SELECT url FROM tenants",
        )
    })?;
    let options = FleetOptions::default()
        .jobs(usize::from(args.jobs))
        .timeout(args.timeout.map(Duration::from_secs))
        .fail_fast(args.fail_fast);
    let changed = command.changed;
    let total = targets.len();
    let finished = AtomicUsize::new(0);
    let out = ctx.out.clone();
    let what = if command.target.is_empty() {
        command.name.to_string()
    } else {
        format!("{} {}", command.name, command.target)
    };
    out.status(format!(
        "{what}: {total} database{} from {}, {} at a time",
        plural(total),
        crate::mask::mask_url(spec),
        options.jobs.min(total)
    ));
    let display = Display::new(&out, total, "databases");
    let running: Mutex<BTreeMap<String, Running>> = Mutex::new(BTreeMap::new());
    let failures = AtomicUsize::new(0);
    let on_event = |event: FleetEvent<'_>| match event {
        FleetEvent::Started { target } => {
            if display.is_live() {
                let line = display.running(target);
                running
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(target.to_string(), line);
            } else {
                out.detail(format!("start {target}"));
            }
        }
        FleetEvent::Finished(report) => {
            drop(
                running
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .remove(&report.target),
            );
            let n = finished.fetch_add(1, Ordering::SeqCst) + 1;
            let line = Row::of(report, changed);
            display.line(format!(
                "[{n}/{total}] {}: {} ({})",
                report.target,
                line.summary(),
                human_duration(report.took)
            ));
            display.inc();
            if !line.ok {
                let failed = failures.fetch_add(1, Ordering::SeqCst) + 1;
                display.note(format!(", {failed} failed"));
            }
        }
    };
    let reports = work(&targets, &options, &on_event);
    display.finish();
    let target_text = command.target;
    let command = command.name;
    let rows: Vec<Row> = reports.iter().map(|r| Row::of(r, changed)).collect();
    let failed = rows.iter().filter(|r| !r.ok).count();
    let differ = rows.iter().filter(|r| r.json.status == "differs").count();
    if format.is_json() {
        let document = FleetJson {
            command: command.to_string(),
            target: target_text.to_string(),
            succeeded: failed == 0 && differ == 0,
            total,
            failed,
            differ,
            targets: rows.iter().map(|r| r.json.clone()).collect(),
        };
        match serde_json::to_string_pretty(&document) {
            Ok(text) => ctx.out.data(text),
            Err(e) => return Err(CliError::io(format!("cannot write the JSON report: {e}"))),
        }
    } else {
        let mut table = vec![vec![
            cell("DATABASE"),
            cell("RESULT"),
            cell("DETAIL"),
            cell("TIME"),
        ]];
        for (row, report) in rows.iter().zip(&reports) {
            let result = if row.ok {
                styled(style::MARKER, &row.json.status)
            } else {
                styled(style::ERROR, &row.json.status)
            };
            table.push(vec![
                cell(&report.target),
                result,
                cell(row.detail()),
                cell(human_duration(report.took)),
            ]);
        }
        for line in align(&table) {
            ctx.out.data(line);
        }
    }
    if failed == 0 && differ > 0 {
        ctx.out.status(format!(
            "{} {differ} of {total} database{} differ from the head revision",
            paint(style::ERROR, "drift:"),
            plural(total)
        ));
        if rows
            .iter()
            .any(|r| r.json.pending.as_ref().is_some_and(|p| !p.is_empty()))
        {
            ctx.out.status(format!(
                "  {} run `{} upgrade head --fleet ...` with the same spec (or `stamp` \
                 where the schema is already there)",
                paint(style::FIX, "fix:"),
                ctx.program()
            ));
        }
        Ok(Status::Drift)
    } else if failed == 0 {
        ctx.out.status(format!(
            "{} {command} succeeded on all {total} database{}",
            paint(style::MARKER, "done:"),
            plural(total)
        ));
        Ok(Status::Ok)
    } else {
        ctx.out.status(format!(
            "{} {command} failed on {failed} of {total} database{}; run the same command \
             again after fixing them: databases already done are not touched",
            paint(style::ERROR, "error:"),
            plural(total)
        ));
        if rows.iter().any(|r| r.json.dirty) {
            ctx.out.status(format!(
                "  {} a dirty database keeps failing until resolved: repair its schema by \
                 hand, then run `{} resolve REVISION --applied` (or `--not-applied`) with \
                 --database-url set to that database",
                paint(style::FIX, "fix:"),
                ctx.program()
            ));
        }
        Ok(Status::Database)
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// One target of the JSON report (`--format json`).
#[derive(Clone, Debug, Serialize)]
struct TargetJson {
    /// The database (URL with the password hidden; `... schema NAME` for a schema).
    database: String,
    /// `unchanged`, `applied` (upgrade), `downgraded`, `current`, `failed`,
    /// `timed_out`, `skipped`.
    status: String,
    /// Revisions applied or undone, in order.
    revisions: Vec<String>,
    /// `current`, `check`: the database's head revisions.
    #[serde(skip_serializing_if = "Option::is_none")]
    heads: Option<Vec<String>>,
    /// `current`, `check`: revisions an upgrade to head would apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    pending: Option<Vec<String>>,
    /// `check`: how the database differs from the head revision (empty: it matches).
    #[serde(skip_serializing_if = "Option::is_none")]
    differences: Option<Vec<String>>,
    /// `check`: what the comparison left out because the models cannot hold it (an
    /// event, an aggregate, a table option), one line each; absent when none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_compared: Vec<String>,
    /// `failed`: the revision that failed, when known.
    failed_revision: Option<String>,
    /// `failed`: its 1-based step, when known.
    failed_step: Option<usize>,
    /// `failed`: whether the database is left dirty (resolve it by hand).
    dirty: bool,
    /// `failed`, `timed_out`: the error.
    error: Option<String>,
    /// How long the target took, in milliseconds.
    duration_ms: u64,
}

/// The JSON report of a fleet command.
#[derive(Debug, Serialize)]
struct FleetJson {
    command: String,
    target: String,
    succeeded: bool,
    total: usize,
    failed: usize,
    /// `check`: databases that differ from the head revision.
    differ: usize,
    targets: Vec<TargetJson>,
}

/// What the table and the JSON show of one target.
struct Row {
    ok: bool,
    json: TargetJson,
}

impl Row {
    fn of(report: &TargetReport, changed: &str) -> Row {
        let mut json = TargetJson {
            database: report.target.clone(),
            status: String::new(),
            revisions: Vec::new(),
            heads: None,
            pending: None,
            differences: None,
            not_compared: Vec::new(),
            failed_revision: None,
            failed_step: None,
            dirty: false,
            error: None,
            duration_ms: u64::try_from(report.took.as_millis()).unwrap_or(u64::MAX),
        };
        json.status = match &report.outcome {
            Outcome::Unchanged => "unchanged".into(),
            Outcome::Changed(revisions) => {
                json.revisions = revisions.clone();
                changed.into()
            }
            Outcome::Current { heads, pending } => {
                json.heads = Some(heads.clone());
                json.pending = Some(pending.clone());
                "current".into()
            }
            Outcome::Checked {
                heads,
                pending,
                differences,
                not_compared,
            } => {
                json.heads = Some(heads.clone());
                json.pending = Some(pending.clone());
                json.differences = Some(differences.clone());
                json.not_compared = not_compared.clone();
                if differences.is_empty() {
                    "matches".into()
                } else {
                    "differs".into()
                }
            }
            Outcome::Failed(e) => {
                if let Some(point) = report.failure_point() {
                    json.failed_revision = point.revision;
                    json.failed_step = point.step;
                    json.dirty = point.dirty;
                }
                json.error = Some(e.to_string());
                "failed".into()
            }
            Outcome::TimedOut(limit) => {
                json.error = Some(format!(
                    "did not finish within {limit:?}; its connection was closed (PostgreSQL \
                     and SQLite roll back the revision in progress)"
                ));
                "timed_out".into()
            }
            Outcome::Skipped => "skipped".into(),
            _ => "unknown".into(),
        };
        Row {
            ok: report.succeeded(),
            json,
        }
    }

    /// The result column and progress text.
    fn summary(&self) -> String {
        let j = &self.json;
        match j.status.as_str() {
            "unchanged" => "unchanged (already there)".into(),
            "applied" | "downgraded" => format!(
                "{} {} revision{}",
                j.status,
                j.revisions.len(),
                plural(j.revisions.len())
            ),
            "current" | "matches" | "differs" => self.detail(),
            "failed" => match (&j.failed_revision, j.failed_step) {
                (Some(rev), Some(step)) => format!(
                    "failed at revision {rev} step {step}{}",
                    if j.dirty { " (dirty)" } else { "" }
                ),
                (Some(rev), None) => format!("failed at revision {rev}"),
                _ => "failed".into(),
            },
            other => other.replace('_', " "),
        }
    }

    /// The detail column: what changed, or where and why it failed (first line).
    fn detail(&self) -> String {
        let j = &self.json;
        match j.status.as_str() {
            "applied" | "downgraded" => format!(
                "{} revision{}: {}",
                j.revisions.len(),
                plural(j.revisions.len()),
                j.revisions.join(", ")
            ),
            "current" => {
                let heads = j.heads.as_deref().unwrap_or_default();
                let pending = j.pending.as_deref().unwrap_or_default().len();
                let at = if heads.is_empty() {
                    "<base>".to_string()
                } else {
                    heads.join(",")
                };
                if pending == 0 {
                    format!("at head {at}")
                } else {
                    format!("at {at}, {pending} pending")
                }
            }
            "failed" | "timed_out" => {
                // The error's first line names the revision and step itself.
                let error = j.error.as_deref().unwrap_or_default();
                error.lines().next().unwrap_or_default().to_string()
            }
            "unchanged" => "already there".into(),
            "matches" => format!("matches the head revision{}", self.not_compared()),
            "differs" => {
                let differences = j.differences.as_deref().unwrap_or_default();
                format!("{}{}", first_few(differences, "; "), self.not_compared())
            }
            _ => String::new(),
        }
    }

    /// `check`: what was left out of the comparison, after the verdict (empty when
    /// nothing was).
    fn not_compared(&self) -> String {
        let items = &self.json.not_compared;
        if items.is_empty() {
            return String::new();
        }
        format!(
            "; not compared (the models cannot hold it): {}",
            first_few(items, ", ")
        )
    }
}

/// The first three of `items` joined by `sep`, and how many more there are.
fn first_few(items: &[String], sep: &str) -> String {
    let shown = items.iter().take(3).cloned().collect::<Vec<_>>();
    let more = items.len().saturating_sub(shown.len());
    let more = if more > 0 {
        format!("; and {more} more (--format json lists all)")
    } else {
        String::new()
    };
    format!("{}{more}", shown.join(sep))
}
