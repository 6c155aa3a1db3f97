//! Lints of the revision files at build time, by `cargo migrate check`, and of the
//! revision autogenerate is about to write (`migrate_core::lint` holds the rules).
//!
//! Rule: a revision file is linted when it carries a `[safety]` table (every
//! revision autogenerate or `revision` writes); a file written before safe forms
//! existed runs the plain forms it always ran and is left alone, so upgrading
//! migrate never floods an old project with warnings about its history.

pub mod sql;

use migrate_core::dialect::DialectKind;
use migrate_core::graph::{GraphError, RevisionGraph};
use migrate_core::lint::{lint_ops, rules, Finding, Level, Levels};
use migrate_core::online::SafetyTable;
use migrate_core::{Operation, Schema};

use crate::check::Checked;
use crate::error::BuildError;
use crate::Config;

/// The findings of one revision's `upgrade` on the schema `before` it, with its
/// `[safety]` table over the project's. For a project whose dialect is MySQL
/// (`dialect` in `migrate.toml`), the changes MariaDB makes by copying the table
/// (MG111) warn unless a level is set.
pub fn lint_revision(
    before: &Schema,
    upgrade: &[Operation],
    safety: &SafetyTable,
    project: Option<&SafetyTable>,
    dialect: Option<DialectKind>,
) -> Result<Vec<Finding>, String> {
    let policy = safety.policy(project).map_err(|e| e.to_string())?;
    let mut levels = Levels::new(project, Some(safety)).map_err(|e| e.to_string())?;
    if dialect == Some(DialectKind::MySql) {
        levels = levels.with_default(rules::MYSQL_TABLE_COPY, Level::Warn);
    }
    let mut out = lint_ops(before, upgrade, &policy, &levels);
    for (i, op) in upgrade.iter().enumerate() {
        if let Operation::Sql(step) = op {
            for mut f in sql::lint_step(step) {
                f.step = i + 1;
                f.level = levels.of(f.rule);
                if f.level != Level::Allow {
                    out.push(f);
                }
            }
        }
    }
    out.sort_by_key(|f| f.step);
    Ok(out)
}

/// The findings of every revision file with a `[safety]` table, in graph order.
pub fn lint_history(checked: &Checked, config: &Config) -> Result<Vec<Finding>, BuildError> {
    let project = config
        .resolved_safety()
        .map_err(|message| BuildError::Safety {
            file: crate::config::CONFIG_FILE.to_string(),
            message,
        })?;
    // Which files have a table: a history written before safe forms has none, and
    // costs no replay here.
    let mut tables = Vec::with_capacity(checked.revisions.len());
    for file in &checked.revisions {
        let text = std::fs::read_to_string(&file.path)
            .map_err(|e| BuildError::io("read", &file.path, e))?;
        let table = SafetyTable::from_revision_text(&text).map_err(|e| BuildError::Safety {
            file: config.display_path(&file.path),
            message: e.to_string(),
        })?;
        tables.push(table);
    }
    if tables.iter().all(Option::is_none) {
        return Ok(Vec::new());
    }
    let graph_error = |source| BuildError::Graph {
        dir: config.display_path(&checked.migrations_dir),
        source,
    };
    let graph = RevisionGraph::from_files(checked.revisions.clone()).map_err(graph_error)?;
    let mut out = Vec::new();
    // The schema after the last revision seen, moved on in place: most histories
    // are a line.
    let mut last: Option<(String, Schema)> = None;
    for (file, table) in checked.revisions.iter().zip(&tables) {
        let r = &file.revision;
        let mut schema = match (r.parents.as_slice(), last.take()) {
            ([], _) => Schema::new(),
            ([p], Some((id, schema))) if *p == id => schema,
            ([p, ..], _) => graph.replay(p).map_err(graph_error)?,
        };
        let place = |message: String| BuildError::Safety {
            file: config.display_path(&file.path),
            message,
        };
        if let Some(safety) = table {
            for mut f in lint_revision(
                &schema,
                &r.upgrade,
                safety,
                project.as_ref(),
                checked.settings.dialect,
            )
            .map_err(place)?
            {
                f.revision = Some(r.id.clone());
                out.push(f);
            }
        }
        for (i, op) in r.upgrade.iter().enumerate() {
            migrate_core::apply(&mut schema, op).map_err(|e| {
                graph_error(GraphError::Replay {
                    revision: r.id.clone(),
                    file: Some(file.path.clone()),
                    step: i + 1,
                    op: op.describe(),
                    source: Box::new(e),
                })
            })?;
        }
        last = Some((r.id.clone(), schema));
    }
    Ok(out)
}

/// The error for the findings at `deny`, if any.
pub fn denied(findings: &[Finding]) -> Result<(), BuildError> {
    let denied: Vec<String> = findings
        .iter()
        .filter(|f| f.level == Level::Deny)
        .map(|f| f.to_string())
        .collect();
    if denied.is_empty() {
        Ok(())
    } else {
        Err(BuildError::LintDenied { findings: denied })
    }
}
