//! Expand and contract: a change that breaks the release still running, split into
//! the part that can go out now (expand) and the part that must wait until no
//! running release uses the old shape (contract).
//!
//! Which operations break the release before is the rolling-deploy lint's verdict
//! ([`crate::lint::rules::ROLLING_DEPLOY`]); this module only rewrites them:
//!
//! - a renamed column: expand adds the new column (nullable), lets the old one take
//!   NULL and copies it into the new one; contract copies the rows written since,
//!   makes the new column NOT NULL (when the old one was) and drops the old one;
//! - a NOT NULL column added without a default: expand adds it nullable; contract
//!   makes it NOT NULL (the rows written before need a value: see the notes);
//! - a dropped column: expand lets it take NULL (when it did not), so the new
//!   release can insert without it; contract drops it;
//! - a dropped table, a column made NOT NULL, a check added: contract only.
//!
//! A narrowed type and a renamed table cannot be split (see [`NotExpandable`]).
//! Everything else stays in the expand step. The split is replayed before it is
//! returned: expand then contract must give the schema the original operations
//! give, and each downgrade must undo its step.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::dialect::{dialect, DialectKind};
use crate::lint::{lint_ops, rules, Levels, Rule};
use crate::online::Policy;
use crate::ops::{Operation, SqlStep};
use crate::schema::{Column, Schema, Table};

/// The directory, inside the migrations directory, where a contract revision
/// waits for the next release: revision files there are not applied, embedded or
/// part of the graph; the drift check replays them on top of the head.
pub const PENDING_DIR: &str = "next";

/// A change split into its expand and contract steps.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Split {
    /// What goes out with the new release.
    pub expand: Vec<Operation>,
    /// Undoes [`Split::expand`].
    pub expand_downgrade: Vec<Operation>,
    /// What waits until no running release uses the old shape.
    pub contract: Vec<Operation>,
    /// Undoes [`Split::contract`].
    pub contract_downgrade: Vec<Operation>,
    /// The rolling-deploy rules the contract breaks on purpose (its release before
    /// is the expand's, which no longer uses what it removes): allowed in its
    /// `[safety.lints]`.
    pub contract_allows: BTreeSet<&'static str>,
    /// What the application must do between the two steps, one line each.
    pub notes: Vec<String>,
    /// Columns (table, column) the contract makes NOT NULL whose earlier rows need
    /// a value only the user knows: the contract file carries a commented
    /// `UPDATE` step for each.
    pub backfills: Vec<(String, String)>,
}

impl Split {
    /// Whether nothing had to wait: the change does not break the running release.
    pub fn is_plain(&self) -> bool {
        self.contract.is_empty()
    }
}

/// A change that cannot be split, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotExpandable {
    /// The rule that found it breaks the running release (`MG131`).
    pub code: &'static str,
    /// Table, or `table.column`.
    pub target: String,
    /// Why it cannot be split, and what to do instead.
    pub reason: String,
}

impl fmt::Display for NotExpandable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.target, self.code, self.reason)
    }
}

/// Splits `ops` (a revision's upgrade on the schema `before` it) into expand and
/// contract steps; the changes that cannot be split when there are any.
pub fn split(before: &Schema, ops: &[Operation]) -> Result<Split, Vec<NotExpandable>> {
    // The lint decides what breaks the release before, at its default levels
    // (a project's levels say what to report, not what breaks).
    let mut breaking: BTreeMap<usize, Vec<Rule>> = BTreeMap::new();
    for f in lint_ops(before, ops, &Policy::default(), &Levels::default()) {
        if rules::ROLLING_DEPLOY.contains(&f.rule) {
            breaking.entry(f.step).or_default().push(f.rule);
        }
    }
    let mut out = Split::default();
    let mut refused = Vec::new();
    // Contract groups: (upgrade, downgrade), undone in reverse order.
    let mut groups: Vec<(Vec<Operation>, Vec<Operation>)> = Vec::new();
    let mut schema = before.clone();
    for (i, op) in ops.iter().enumerate() {
        match breaking.get(&(i + 1)) {
            None => out.expand.push(op.clone()),
            Some(found) => match split_one(&schema, op, found, &mut out) {
                Ok(group) => groups.push(group),
                Err(e) => refused.push(e),
            },
        }
        if crate::apply(&mut schema, op).is_err() {
            break;
        }
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    out.expand_downgrade = crate::diff::downgrade_for(&out.expand);
    for (up, _) in &groups {
        out.contract.extend(up.iter().cloned());
    }
    for (_, down) in groups.iter().rev() {
        out.contract_downgrade.extend(down.iter().cloned());
    }
    verify(before, &schema, &out).map_err(|reason| {
        vec![NotExpandable {
            code: "",
            target: "the revision".into(),
            reason,
        }]
    })?;
    Ok(out)
}

/// The contract group (upgrade, downgrade) of one breaking operation; its expand
/// part is pushed to `out`.
fn split_one(
    schema: &Schema,
    op: &Operation,
    found: &[Rule],
    out: &mut Split,
) -> Result<(Vec<Operation>, Vec<Operation>), NotExpandable> {
    let refuse = |rule: Rule, target: String, reason: &str| NotExpandable {
        code: rule.code,
        target,
        reason: reason.to_string(),
    };
    if found.contains(&rules::NARROWING_TYPE) {
        let target = match op {
            Operation::AlterColumn { table, column, .. } => format!("{table}.{column}"),
            other => other.table_name().unwrap_or_default().to_string(),
        };
        return Err(refuse(
            rules::NARROWING_TYPE,
            target,
            "a narrower type cannot be expanded under the same column name: the running \
             release writes values the new type refuses. Ship a release that stops \
             writing such values first, then narrow the type in the next (a revision \
             written without --expand), or add a column of the new type under a new \
             name and move the data yourself",
        ));
    }
    match op {
        Operation::RenameTable { from, to } => Err(refuse(
            rules::RENAMING_TABLE,
            from.clone(),
            &format!(
                "a table cannot be kept under two names on all three databases (a view \
                 named '{from}' is not writable everywhere). Create '{to}' as a new \
                 model, copy the rows and write both from the application, then drop \
                 '{from}' in a later release"
            ),
        )),
        Operation::RenameColumn { table, from, to } => {
            let t = &schema.tables[table];
            let old = t.column(from).cloned().unwrap_or_else(|| {
                // The lint found the rename on this schema, so the column exists.
                Column::new(from.clone(), crate::types::ColumnType::Text)
            });
            let target = format!("{table}.{from}");
            if let Some(what) = used_by(schema, t, from) {
                return Err(refuse(
                    rules::RENAMING_COLUMN,
                    target,
                    &format!(
                        "the column is part of {what}, which would have to be built again \
                         on the new column; write the expand and contract revisions by hand"
                    ),
                ));
            }
            if old.autoincrement || old.generated.is_some() {
                return Err(refuse(
                    rules::RENAMING_COLUMN,
                    target,
                    "an auto-increment or generated column cannot be copied into a new one",
                ));
            }
            let mut new = old.clone();
            new.name = to.clone();
            new.nullable = true;
            let mut relaxed = old.clone();
            relaxed.nullable = true;
            let relax = !old.nullable && old.default.is_none();
            out.expand.push(Operation::AddColumn {
                table: table.clone(),
                column: new.clone(),
            });
            if relax {
                out.expand.push(alter(table, &old, &relaxed));
            }
            out.expand
                .push(Operation::Sql(copy_column(table, from, to, false)));
            let dropped = if relax { relaxed.clone() } else { old.clone() };
            let mut up = vec![Operation::Sql(copy_column(table, from, to, true))];
            let mut down = vec![
                Operation::AddColumn {
                    table: table.clone(),
                    column: dropped.clone(),
                },
                Operation::Sql(copy_column(table, to, from, false)),
            ];
            if !old.nullable {
                let mut required = new.clone();
                required.nullable = false;
                up.push(alter(table, &new, &required));
                down.push(alter(table, &required, &new));
                out.contract_allows.insert(rules::NOT_NULL_UNWRITTEN.code);
            }
            up.push(Operation::DropColumn {
                table: table.clone(),
                column: dropped,
            });
            out.contract_allows.insert(rules::DROPPING_COLUMN.code);
            out.notes.push(format!(
                "{table}.{from} -> {to}: until the contract runs, write both `{from}` and \
                 `{to}` and read `COALESCE({to}, {from})` (the release before writes only \
                 `{from}`; the contract copies its rows again before dropping `{from}`)"
            ));
            Ok((up, down))
        }
        Operation::AddColumn { table, column } => {
            let mut new = column.clone();
            new.nullable = true;
            out.expand.push(Operation::AddColumn {
                table: table.clone(),
                column: new.clone(),
            });
            out.contract_allows.insert(rules::NOT_NULL_UNWRITTEN.code);
            out.notes.push(format!(
                "{table}.{}: the new release must write it on every insert; before the \
                 contract makes it NOT NULL, the rows written before need a value: \
                 complete the commented UPDATE step at the top of the contract's upgrade",
                column.name
            ));
            out.backfills.push((table.clone(), column.name.clone()));
            let up = alter(table, &new, column);
            let down = alter(table, column, &new);
            Ok((vec![up], vec![down]))
        }
        Operation::DropColumn { table, column } => {
            let t = &schema.tables[table];
            let in_key = t
                .primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns.contains(&column.name));
            let relax = !column.nullable && column.default.is_none() && !column.autoincrement;
            if relax && in_key {
                return Err(refuse(
                    rules::DROPPING_COLUMN,
                    format!("{table}.{}", column.name),
                    "the column is part of the primary key, so it cannot take NULL while \
                     the new release inserts without it; change the key first",
                ));
            }
            let mut dropped = column.clone();
            if relax {
                dropped.nullable = true;
                out.expand.push(alter(table, column, &dropped));
            }
            out.contract_allows.insert(rules::DROPPING_COLUMN.code);
            out.notes.push(format!(
                "{table}.{}: the new release no longer reads or writes it; the contract \
                 drops it, with its data",
                column.name
            ));
            let up = Operation::DropColumn {
                table: table.clone(),
                column: dropped,
            };
            let down: Vec<Operation> = up.inverse().into_iter().collect();
            Ok((vec![up], down))
        }
        Operation::DropTable { .. }
        | Operation::AlterColumn { .. }
        | Operation::AddCheck { .. } => {
            for rule in found {
                out.contract_allows.insert(rule.code);
            }
            let down: Vec<Operation> = op.inverse().into_iter().collect();
            Ok((vec![op.clone()], down))
        }
        other => Err(refuse(
            found[0],
            other.table_name().unwrap_or_default().to_string(),
            "migrate does not know how to split this change",
        )),
    }
}

/// What on `table` (or a foreign key of another table) uses `column`, if anything.
fn used_by(schema: &Schema, table: &Table, column: &str) -> Option<String> {
    let c = column.to_string();
    if let Some(pk) = table
        .primary_key
        .as_ref()
        .filter(|k| k.columns.contains(&c))
    {
        return Some(format!("primary key '{}'", pk.name));
    }
    if let Some(u) = table.uniques.iter().find(|u| u.columns.contains(&c)) {
        return Some(format!("unique constraint '{}'", u.name));
    }
    if let Some(i) = table.indexes.iter().find(|i| {
        i.columns.iter().any(|k| k.expression || k.name == column)
            || i.include.contains(&c)
            || i.predicate.is_some()
    }) {
        return Some(format!("index '{}'", i.name));
    }
    if let Some(k) = table.foreign_keys.iter().find(|k| k.columns.contains(&c)) {
        return Some(format!("foreign key '{}'", k.name));
    }
    if let Some(k) = table.checks.iter().find(|k| k.expr.contains(column)) {
        return Some(format!("check '{}'", k.name));
    }
    schema.tables.values().find_map(|other| {
        other
            .foreign_keys
            .iter()
            .find(|k| k.ref_table == table.name && k.ref_columns.contains(&c))
            .map(|k| format!("foreign key '{}' of table '{}'", k.name, other.name))
    })
}

/// The column `from` changed to `to` on `table`.
fn alter(table: &str, from: &Column, to: &Column) -> Operation {
    Operation::AlterColumn {
        table: table.to_string(),
        column: from.name.clone(),
        from: from.state(),
        to: to.state(),
    }
}

/// `UPDATE table SET to = from` (only where `to` is NULL with `only_missing`), quoted
/// for each database.
fn copy_column(table: &str, from: &str, to: &str, only_missing: bool) -> SqlStep {
    let text = |kind: DialectKind| {
        let q = |name: &str| dialect(kind).quote_ident(name);
        let filter = if only_missing {
            format!(" WHERE {} IS NULL", q(to))
        } else {
            String::new()
        };
        format!("UPDATE {} SET {} = {}{filter}", q(table), q(to), q(from))
    };
    let mut step = SqlStep::new(text(DialectKind::Postgres));
    let mysql = text(DialectKind::MySql);
    if mysql != step.sql {
        step.mysql = Some(mysql);
    }
    step
}

/// Expand then contract give what the original operations gave (`after`), and
/// each downgrade undoes its step.
fn verify(before: &Schema, after: &Schema, split: &Split) -> Result<(), String> {
    let replay = |schema: &mut Schema, ops: &[Operation], what: &str| {
        crate::apply_all(schema, ops).map_err(|e| format!("the {what} does not replay: {e}"))
    };
    let same = |a: &Schema, b: &Schema, what: &str| {
        let left = crate::diff::diff(a, b);
        if left.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the {what} leaves a different schema ({}); write the revisions by hand",
                left.iter()
                    .map(Operation::describe)
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        }
    };
    let mut expanded = before.clone();
    replay(&mut expanded, &split.expand, "expand step")?;
    let mut contracted = expanded.clone();
    replay(&mut contracted, &split.contract, "contract step")?;
    same(&contracted, after, "expand and contract")?;
    let mut undone = contracted;
    replay(
        &mut undone,
        &split.contract_downgrade,
        "contract's downgrade",
    )?;
    same(&undone, &expanded, "contract's downgrade")?;
    replay(&mut undone, &split.expand_downgrade, "expand's downgrade")?;
    same(&undone, before, "expand's downgrade")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::ColumnType;

    fn accounts() -> Schema {
        let mut t = Table::new("accounts");
        t.columns = vec![
            Column::new("id", ColumnType::BigInt),
            Column::new("nick", ColumnType::Text),
            Column::new("age", ColumnType::Integer),
        ];
        t.primary_key = Some(crate::schema::PrimaryKey {
            name: "pk_accounts".into(),
            columns: vec!["id".into()],
        });
        Schema::from_tables([t])
    }

    #[test]
    fn a_rename_becomes_add_and_copy_then_copy_require_and_drop() {
        let ops = vec![Operation::RenameColumn {
            table: "accounts".into(),
            from: "nick".into(),
            to: "handle".into(),
        }];
        let s = split(&accounts(), &ops).unwrap();
        let names: Vec<String> = s.expand.iter().map(Operation::describe).collect();
        assert_eq!(s.expand.len(), 3, "{names:?}");
        assert!(matches!(&s.expand[0], Operation::AddColumn { column, .. } if column.nullable));
        let Operation::Sql(copy) = &s.expand[2] else {
            panic!("{names:?}")
        };
        assert_eq!(copy.sql, r#"UPDATE "accounts" SET "handle" = "nick""#);
        assert_eq!(
            copy.mysql.as_deref(),
            Some("UPDATE `accounts` SET `handle` = `nick`")
        );
        assert_eq!(s.contract.len(), 3);
        assert!(
            matches!(&s.contract[2], Operation::DropColumn { column, .. } if column.name == "nick")
        );
        assert_eq!(
            s.contract_allows.iter().copied().collect::<Vec<_>>(),
            ["MG105", "MG133"]
        );
    }

    #[test]
    fn a_required_column_is_added_nullable_and_required_later() {
        let ops = vec![Operation::AddColumn {
            table: "accounts".into(),
            column: Column::new("email", ColumnType::Text),
        }];
        let s = split(&accounts(), &ops).unwrap();
        assert!(matches!(&s.expand[..], [Operation::AddColumn { column, .. }] if column.nullable));
        assert!(matches!(&s.contract[..], [Operation::AlterColumn { to, .. }] if !to.nullable));
        assert_eq!(s.backfills, [("accounts".to_string(), "email".to_string())]);
    }

    #[test]
    fn a_dropped_column_takes_null_first_and_is_dropped_later() {
        let t = &accounts().tables["accounts"];
        let ops = vec![Operation::DropColumn {
            table: "accounts".into(),
            column: t.columns[2].clone(),
        }];
        let s = split(&accounts(), &ops).unwrap();
        assert!(matches!(&s.expand[..], [Operation::AlterColumn { to, .. }] if to.nullable));
        assert!(matches!(&s.contract[..], [Operation::DropColumn { .. }]));
        assert!(!s.is_plain());
    }

    #[test]
    fn a_narrowed_type_and_a_renamed_table_are_refused_with_the_reason() {
        let mut small = accounts().tables["accounts"].columns[2].clone();
        let from = small.state();
        small.ty = ColumnType::SmallInt;
        let ops = vec![
            Operation::AlterColumn {
                table: "accounts".into(),
                column: "age".into(),
                from,
                to: small.state(),
            },
            Operation::RenameTable {
                from: "accounts".into(),
                to: "users".into(),
            },
        ];
        let err = split(&accounts(), &ops).unwrap_err();
        assert_eq!(err.len(), 2);
        assert!(
            err[0].to_string().starts_with("accounts.age (MG131)"),
            "{}",
            err[0]
        );
        assert!(err[1].reason.contains("two names"), "{}", err[1]);
    }

    #[test]
    fn a_change_that_breaks_nothing_stays_whole() {
        let ops = vec![Operation::AddColumn {
            table: "accounts".into(),
            column: Column::new("note", ColumnType::Text).nullable(),
        }];
        let s = split(&accounts(), &ops).unwrap();
        assert!(s.is_plain());
        assert_eq!(s.expand, ops);
    }
}
