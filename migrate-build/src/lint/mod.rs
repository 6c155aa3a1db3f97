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
use migrate_core::lint::release::{ModelOrigin, ReleaseModels};
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
    let mut records = Vec::with_capacity(checked.revisions.len());
    for file in &checked.revisions {
        let text = std::fs::read_to_string(&file.path)
            .map_err(|e| BuildError::io("read", &file.path, e))?;
        let table = SafetyTable::from_revision_text(&text).map_err(|e| BuildError::Safety {
            file: config.display_path(&file.path),
            message: e.to_string(),
        })?;
        tables.push(table);
        records.push(ReleaseModels::from_revision_text(&text));
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
        let found = out.len();
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
            name_the_release_before(&mut out[found..], checked, &records, &graph, &r.parents);
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

/// Names, in the rolling-deploy `findings` of a revision with `parents`, the struct
/// and field of the release before that break: the models recorded by the parents
/// and their ancestors (`records`, one per file of `checked.revisions`), replayed
/// in graph order ([`ReleaseModels`]). Costs nothing for a revision without such
/// a finding.
pub fn name_the_release_before(
    findings: &mut [Finding],
    checked: &Checked,
    records: &[ReleaseModels],
    graph: &RevisionGraph,
    parents: &[String],
) {
    let rolling = |f: &Finding| rules::ROLLING_DEPLOY.contains(&f.rule);
    if !findings.iter().any(rolling) {
        return;
    }
    let mut before = std::collections::BTreeSet::new();
    for p in parents {
        before.insert(p.as_str());
        before.extend(graph.ancestors(p).unwrap_or_default());
    }
    let mut models = ReleaseModels::default();
    for (file, record) in checked.revisions.iter().zip(records) {
        if before.contains(file.revision.id.as_str()) {
            models.advance(&file.revision.upgrade, record);
        }
    }
    for f in findings.iter_mut().filter(|f| rolling(f)) {
        f.breaks = models.breaks(f);
    }
}

/// The `[models]` record autogenerate writes into a revision whose upgrade is
/// `upgrade`: the struct and fields that map each table it touches, from the
/// scanned sources.
pub fn record_models(checked: &Checked, config: &Config, upgrade: &[Operation]) -> ReleaseModels {
    let mut touched = std::collections::BTreeSet::new();
    for op in upgrade {
        touched.extend(op.table_name());
        if let Operation::RenameTable { to, .. } = op {
            touched.insert(to.as_str());
        }
    }
    let mut out = ReleaseModels::default();
    for m in &checked.models.models {
        if !touched.contains(m.table.name.as_str()) {
            continue;
        }
        let fields = m
            .columns_lines
            .iter()
            .map(|(column, line)| {
                let field = m.fields.get(column).unwrap_or(column);
                (column.clone(), format!("{field}:{line}"))
            })
            .collect();
        out.tables.insert(
            m.table.name.clone(),
            ModelOrigin {
                struct_name: m.struct_name.clone(),
                at: format!("{}:{}", config.display_path(&m.file), m.line),
                fields,
            },
        );
    }
    out
}

/// The `[models]` records of every revision file of `checked`, in its order.
pub fn read_records(checked: &Checked) -> Vec<ReleaseModels> {
    checked
        .revisions
        .iter()
        .map(|f| {
            std::fs::read_to_string(&f.path)
                .map(|text| ReleaseModels::from_revision_text(&text))
                .unwrap_or_default()
        })
        .collect()
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
