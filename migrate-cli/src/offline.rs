//! `--sql`: the script an upgrade or downgrade would run, printed for one dialect
//! without connecting (Alembic's offline mode).
//!
//! The range is `START:END` or just `END`. An upgrade starts at `base` unless given a
//! start; a downgrade starts at the single head unless given one. The dialect comes from
//! `--dialect`, else the database URL's scheme, else `dialect` in `migrate.toml`.

use migrate_core::dialect::version_table::VersionTables;
use migrate_core::dialect::DialectKind;
use migrate_core::dialect::KeptNames;
use migrate_core::graph::Target;
use migrate_core::offline::{render_script_kept, Direction, ScriptRevision};
use migrate_core::online::SafetyTable;
use migrate_core::Schema;

use crate::cli::OfflineArgs;
use crate::config::Settings;
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::project::{graph_error, Revisions};

/// The dialect of the script.
pub fn dialect_for(offline: &OfflineArgs, settings: &Settings) -> CliResult<DialectKind> {
    let kind = offline
        .dialect
        .or_else(|| {
            settings
                .url()
                .and_then(|u| migrate_core::url::kind_of(&u.url))
        })
        .or_else(|| {
            settings
                .file
                .dialect
                .as_deref()
                .and_then(|d| d.parse().ok())
        });
    match kind {
        Some(kind) => Ok(kind),
        None => Err(CliError::usage("--sql needs to know the database's dialect")
            .fix("pass --dialect postgres|mysql|sqlite (or configure a database URL, or dialect in migrate.toml)")),
    }
}

/// `upgrade --sql` / `downgrade --sql`: prints the script for `range` on stdout.
pub fn print_script(
    ctx: &mut Context,
    offline: &OfflineArgs,
    revs: &Revisions,
    settings: &Settings,
    range: &str,
    direction: Direction,
) -> CliResult<Status> {
    let kind = dialect_for(offline, settings)?;
    ctx.out
        .data_raw(script(revs, settings, kind, range, direction)?);
    Ok(Status::Ok)
}

/// The script for `range` in `direction`.
pub fn script(
    revs: &Revisions,
    settings: &Settings,
    kind: DialectKind,
    range: &str,
    direction: Direction,
) -> CliResult<String> {
    let graph = revs.graph();
    let (start, end) = match range.split_once(':') {
        Some((start, end)) => (Some(start), end),
        None => (None, range),
    };
    let start: Vec<String> = match (start, direction) {
        (Some("") | Some("base"), _) | (None, Direction::Upgrade) => Vec::new(),
        (None, Direction::Downgrade) => revs.heads().iter().map(|e| e.id().to_string()).collect(),
        (Some(start), _) => vec![revs.resolve(start)?.id().to_string()],
    };
    let target = Target::parse(end).map_err(graph_error)?;
    let plan = match direction {
        Direction::Upgrade => graph.upgrade_plan(&start, &target),
        Direction::Downgrade => graph.downgrade_plan(&start, &target),
    }
    .map_err(|e| revs.plan_error(e))?;
    let (before, kept) = match start.as_slice() {
        [] => (Schema::new(), KeptNames::new(kind)),
        [one] => graph.replay_keeping(one, kind).map_err(graph_error)?,
        _ => {
            return Err(
                CliError::usage("a downgrade script needs a single starting revision")
                    .fix("give the start explicitly: `downgrade START:TARGET --sql`"),
            )
        }
    };
    let revisions: Vec<ScriptRevision> = plan
        .iter()
        .map(|id| {
            let e = revs.get(id).expect("planned ids exist");
            let text = std::fs::read_to_string(&e.path).unwrap_or_default();
            let policy = SafetyTable::policy_of_revision_text(&text).map_err(|err| {
                CliError::revisions(format!("{}: {err}", e.path.display()))
                    .fix("correct the revision's [safety] table (docs/safety.md)")
            })?;
            Ok(ScriptRevision {
                id: e.id().to_string(),
                parents: e.revision.parents.clone(),
                message: e.revision.message.clone(),
                checksum: Some(e.checksum.clone()),
                upgrade: e.revision.upgrade.clone(),
                downgrade: e.revision.downgrade.clone(),
                policy,
            })
        })
        .collect::<CliResult<_>>()?;
    let tables = VersionTables::new(settings.version_table.clone());
    render_script_kept(kind, &tables, &before, &kept, &revisions, direction).map_err(|e| {
        CliError::revisions(e.to_string()).fix(
            "change the revision's operations, or give that database its own SQL in a `sql` step",
        )
    })
}
