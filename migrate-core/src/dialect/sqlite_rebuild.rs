//! The SQLite table rebuild, for the changes SQLite's `ALTER TABLE` cannot make
//! (column type, nullability or default; primary keys, uniques, checks, foreign
//! keys).
//!
//! The order follows SQLite's own advice (<https://www.sqlite.org/lang_altertable.html>,
//! "other kinds of table schema changes"), with foreign-key enforcement off:
//!
//! 0. save the SQL of the views and triggers that name the table (into
//!    [`DEPENDENTS_TABLE`]) and drop them ([`Dependents::Drop`]): `DROP TABLE`
//!    would take the table's triggers with it, and step 4 fails while a view or a
//!    trigger names a table that is missing;
//! 1. `CREATE TABLE "_migrate_new_x"` with the new definition;
//! 2. `INSERT INTO "_migrate_new_x" (...) SELECT ... FROM "x"`, with a `CAST` for
//!    each column whose type changed (columns being added take their default);
//! 3. `DROP TABLE "x"`;
//! 4. `ALTER TABLE "_migrate_new_x" RENAME TO "x"`: since SQLite 3.26 a rename
//!    rewrites other tables' references to the *renamed* table, so renaming the
//!    new table (never the old one) leaves other tables' foreign keys naming `x`;
//! 5. recreate the table's indexes, then the saved views and triggers, in their
//!    original order ([`Dependents::Restore`]);
//! 6. check the foreign keys of `x` and of the tables that reference it, failing
//!    the revision if any row points nowhere.
//!
//! Several operations in a row on one table share one rebuild ([`batch_len`],
//! Alembic's batch mode): the table is copied once, into its state after the last
//! of them.
//!
//! Every statement is marked [`Statement::foreign_keys_off`]: with enforcement on,
//! step 3 would delete through `ON DELETE CASCADE` (and `PRAGMA defer_foreign_keys`
//! does not prevent that), so the runtime switches `PRAGMA foreign_keys` off before
//! `BEGIN`, where the pragma still has effect.

use std::collections::BTreeSet;

use super::common::{self, ident};
use super::sqlite::Sqlite;
use super::{Dependents, Dialect, DialectKind, RenderError, Statement};
use crate::apply::apply;
use crate::ops::Operation;
use crate::schema::{Schema, Table};

/// Prefix of the temporary name the new table is built under.
pub const TEMP_PREFIX: &str = "_migrate_new_";

/// Name of the temporary table that holds the views and triggers a rebuild keeps
/// (columns `type`, `name`, `sql`, in the order to create them again).
pub const DEPENDENTS_TABLE: &str = "_migrate_dependents";

/// Name of the temporary table the dependents guard of plain SQL writes its count
/// into.
pub const DEPENDENTS_GUARD_TABLE: &str = "_migrate_dependents_guard";

/// Name of the temporary table the foreign-key check writes its count into.
pub const FK_CHECK_TABLE: &str = "_migrate_fk_check";

const KIND: DialectKind = DialectKind::Sqlite;

fn rebuild_statement(sql: String) -> Statement {
    Statement {
        foreign_keys_off: true,
        ..Statement::new(sql)
    }
}

/// Whether one rebuild can carry out `op` together with other operations on its
/// table. Rule: a renamed column is left to SQLite's own `RENAME COLUMN`, which
/// also rewrites the views and triggers that name it (a rebuild would recreate
/// them with the old name); a renamed key, index or check keeps its old name on
/// SQLite (see [`super::kept_names`]), which a rebuild would change; table-wide
/// operations stand alone.
fn batchable(op: &Operation) -> bool {
    use Operation::*;
    !matches!(
        op,
        CreateTable { .. }
            | DropTable { .. }
            | RenameTable { .. }
            | RenameColumn { .. }
            | RenameConstraint { .. }
            | CreateObject { .. }
            | DropObject { .. }
            | Sql(_)
    )
}

/// How many operations from the start of `ops` one rebuild carries out: the run
/// of consecutive operations on the first one's table that can share a rebuild,
/// when one of them needs it and there are several; otherwise 1 (the first
/// operation is rendered alone).
pub fn batch_len(d: &Sqlite, ops: &[Operation], before: &Schema) -> usize {
    let Some(first) = ops.first().filter(|op| batchable(op)) else {
        return 1;
    };
    let table = first.table_name();
    let len = ops
        .iter()
        .take_while(|op| batchable(op) && op.table_name() == table)
        .count();
    let rebuilt = ops[..len].iter().any(|op| d.needs_rebuild(op, before));
    if len > 1 && rebuilt {
        len
    } else {
        1
    }
}

/// The table after `ops`, with whatever used a dropped column removed (as the
/// other databases do on `DROP COLUMN`), and the names of the columns the
/// operations added (which take their default, even if a column of that name was
/// dropped before).
fn table_after(
    ops: &[Operation],
    before: &Schema,
    name: &str,
) -> Result<(Table, BTreeSet<String>), RenderError> {
    let mut after = before.clone();
    let mut added = BTreeSet::new();
    for op in ops {
        match op {
            Operation::DropColumn { table, column } => {
                common::refuse_dropping_a_used_column(KIND, &after, table, &column.name)?;
            }
            Operation::AddColumn { column, .. } => {
                added.insert(column.name.clone());
            }
            _ => {}
        }
        apply(&mut after, op).map_err(|e| RenderError::Unsupported {
            dialect: KIND,
            table: name.to_string(),
            what: op.describe(),
            how_to_fix: format!("the operation does not fit the schema: {e}"),
        })?;
    }
    let mut t = common::table(KIND, &after, name)?.clone();
    // Whatever names a column the table no longer has goes with it (the replayed
    // schema can keep an index on a dropped column; the database cannot).
    let has = |c: &str| t.column(c).is_some();
    let pk_ok = match &t.primary_key {
        Some(pk) => pk.columns.iter().all(|c| has(c)),
        None => true,
    };
    let uniques: Vec<_> = t
        .uniques
        .iter()
        .filter(|u| u.columns.iter().all(|c| has(c)))
        .cloned()
        .collect();
    let indexes: Vec<_> = t
        .indexes
        .iter()
        .filter(|i| i.all_columns_in(&t))
        .cloned()
        .collect();
    let fks: Vec<_> = t
        .foreign_keys
        .iter()
        .filter(|f| f.columns.iter().all(|c| has(c)))
        .cloned()
        .collect();
    if !pk_ok {
        t.primary_key = None;
    }
    t.uniques = uniques;
    t.indexes = indexes;
    t.foreign_keys = fks;
    Ok((t, added))
}

/// The statements that rebuild the table `ops` change (all on one table; see
/// [`batch_len`]) into its state after the last of them, given the schema before
/// the first.
pub fn rebuild(
    d: &Sqlite,
    ops: &[Operation],
    before: &Schema,
) -> Result<Vec<Statement>, RenderError> {
    let name = ops
        .first()
        .and_then(|op| op.table_name())
        .unwrap_or_default()
        .to_string();
    rebuild_table(d, ops, before, &name)
}

/// The statements that rebuild table `name` as `ops` leave it (an operation of no
/// single table, like a change of an enum's labels, rebuilds each table it changes).
pub fn rebuild_table(
    d: &Sqlite,
    ops: &[Operation],
    before: &Schema,
    name: &str,
) -> Result<Vec<Statement>, RenderError> {
    let name = name.to_string();
    let old = common::table(KIND, before, &name)?;
    let (new, added) = table_after(ops, before, &name)?;
    let temp = format!("{TEMP_PREFIX}{name}");

    let mut targets = Vec::new();
    let mut sources = Vec::new();
    for c in &new.columns {
        let Some(was) = old.column(&c.name).filter(|_| !added.contains(&c.name)) else {
            continue; // an added column: it takes its default
        };
        // Rule: a generated column is computed by the new table, never copied
        // (SQLite refuses a value for it).
        if c.generated.is_some() {
            continue;
        }
        targets.push(ident(d, &c.name)?);
        if was.ty == c.ty {
            sources.push(ident(d, &c.name)?);
        } else {
            sources.push(format!(
                "CAST({} AS {})",
                ident(d, &c.name)?,
                d.column_type(&c.ty)
            ));
        }
    }

    let mut out = save_dependents(d, &name)?;
    out.push(rebuild_statement(d.create_table_sql(&new, &temp)?));
    if !targets.is_empty() {
        out.push(rebuild_statement(format!(
            "INSERT INTO {} ({}) SELECT {} FROM {}",
            ident(d, &temp)?,
            targets.join(", "),
            sources.join(", "),
            ident(d, &name)?
        )));
    }
    out.push(rebuild_statement(format!(
        "DROP TABLE {}",
        ident(d, &name)?
    )));
    out.push(rebuild_statement(format!(
        "ALTER TABLE {} RENAME TO {}",
        ident(d, &temp)?,
        ident(d, &name)?
    )));
    for index in &new.indexes {
        let mut s = d.create_index(&name, index)?;
        s.foreign_keys_off = true;
        out.push(s);
    }
    out.push(Statement {
        dependents: Some(Dependents::Restore),
        ..rebuild_statement(format!("DROP TABLE temp.{}", ident(d, DEPENDENTS_TABLE)?))
    });
    out.extend(foreign_key_check(d, before, &name)?);
    Ok(out)
}

/// Saves the SQL of the views and triggers that name `table` into
/// [`DEPENDENTS_TABLE`], in the order they were created, and drops them (a
/// [`Dependents::Drop`] statement, which as plain SQL fails with a CHECK whose
/// name says what to do when there is any).
///
/// A view or trigger is saved when its text holds the table's name anywhere
/// (ignoring case): one that only looks like it uses the table is dropped and
/// created again unchanged, which is harmless; one that uses it is never missed.
fn save_dependents(d: &Sqlite, table: &str) -> Result<Vec<Statement>, RenderError> {
    let name = d.quote_literal(table);
    let check_name = format!(
        "table {table} has views or triggers, which rebuilding it drops: run the revision \
         with cargo migrate or the runtime (they keep them), or drop them in an SQL step \
         before this change and create them again after it"
    );
    Ok(vec![
        rebuild_statement(format!(
            "CREATE TEMP TABLE {} AS SELECT type, name, sql FROM main.sqlite_master \
             WHERE type IN ('view', 'trigger') AND sql IS NOT NULL \
             AND (tbl_name = {name} OR instr(lower(sql), lower({name})) > 0) ORDER BY rowid",
            ident(d, DEPENDENTS_TABLE)?
        )),
        Statement {
            dependents: Some(Dependents::Drop),
            ..rebuild_statement(format!(
                "CREATE TEMP TABLE {guard} (\"dependents\" INTEGER CONSTRAINT {} \
                 CHECK (\"dependents\" = 0));\n\
                 INSERT INTO {guard} SELECT count(*) FROM temp.{};\n\
                 DROP TABLE {guard}",
                ident(d, &check_name)?,
                ident(d, DEPENDENTS_TABLE)?,
                guard = ident(d, DEPENDENTS_GUARD_TABLE)?,
            ))
        },
    ])
}

/// Statements that fail (a CHECK violation naming the table) when a row of
/// `table`, or of a table referencing it, has a foreign key pointing nowhere.
/// `PRAGMA foreign_key_check` only reports; counting its rows into a table with a
/// CHECK turns the report into an error, in the runtime and in offline scripts alike.
fn foreign_key_check(
    d: &Sqlite,
    before: &Schema,
    table: &str,
) -> Result<Vec<Statement>, RenderError> {
    let mut checked = vec![table.to_string()];
    for t in before.tables.values() {
        if t.name != table && t.foreign_keys.iter().any(|fk| fk.ref_table == table) {
            checked.push(t.name.clone());
        }
    }
    let sources = checked
        .iter()
        .map(|t| {
            format!(
                "SELECT 1 FROM pragma_foreign_key_check({})",
                d.quote_literal(t)
            )
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ");
    let check_name = format!("no broken foreign keys after rebuilding {table}");
    Ok(vec![
        rebuild_statement(format!(
            "CREATE TEMP TABLE {} (\"violations\" INTEGER CONSTRAINT {} CHECK (\"violations\" = 0))",
            ident(d, FK_CHECK_TABLE)?,
            ident(d, &check_name)?
        )),
        rebuild_statement(format!(
            "INSERT INTO {} SELECT count(*) FROM ({sources})",
            ident(d, FK_CHECK_TABLE)?
        )),
        rebuild_statement(format!("DROP TABLE {}", ident(d, FK_CHECK_TABLE)?)),
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::render_ops;
    use crate::schema::Column;
    use crate::types::ColumnType;

    fn items() -> Schema {
        let mut t = Table::new("items");
        t.columns = ["id", "a", "b", "c"]
            .iter()
            .map(|c| Column::new(*c, ColumnType::Integer))
            .collect();
        Schema::from_tables([t])
    }

    fn widen(column: &str) -> Operation {
        let from = Column::new(column, ColumnType::Integer).state();
        let mut to = from.clone();
        to.ty = ColumnType::BigInt;
        Operation::AlterColumn {
            table: "items".into(),
            column: column.into(),
            from,
            to,
        }
    }

    fn copies(ops: &[Operation]) -> Vec<String> {
        render_ops(DialectKind::Sqlite, &items(), ops)
            .unwrap()
            .into_iter()
            .filter(|s| s.sql.starts_with("INSERT INTO \"_migrate_new_items\""))
            .map(|s| s.sql)
            .collect()
    }

    #[test]
    fn operations_in_a_row_on_one_table_share_one_copy() {
        let ops = [widen("a"), widen("b"), widen("c")];
        assert_eq!(
            copies(&ops),
            vec![
                "INSERT INTO \"_migrate_new_items\" (\"id\", \"a\", \"b\", \"c\") SELECT \"id\", \
                 CAST(\"a\" AS BIGINT), CAST(\"b\" AS BIGINT), CAST(\"c\" AS BIGINT) FROM \"items\""
            ]
        );
        assert_eq!(batch_len(&Sqlite, &ops, &items()), 3);
    }

    /// A column renamed between two changes is renamed by SQLite (which also
    /// rewrites views and triggers), so the changes around it are two copies.
    #[test]
    fn a_column_rename_splits_the_batch() {
        let ops = [
            widen("a"),
            Operation::RenameColumn {
                table: "items".into(),
                from: "b".into(),
                to: "bb".into(),
            },
            widen("c"),
        ];
        assert_eq!(copies(&ops).len(), 2);
    }

    /// A column dropped and added again under its name in one batch is a new
    /// column: its old values are not copied into it.
    #[test]
    fn a_column_dropped_and_added_again_takes_its_default() {
        let ops = [
            widen("a"),
            Operation::DropColumn {
                table: "items".into(),
                column: Column::new("b", ColumnType::Integer),
            },
            Operation::AddColumn {
                table: "items".into(),
                column: Column::new("b", ColumnType::Integer).nullable(),
            },
        ];
        let copy = copies(&ops);
        assert_eq!(copy.len(), 1);
        assert!(!copy[0].contains("\"b\""), "{}", copy[0]);
    }

    /// The statements that drop and restore the views and triggers are marked for
    /// the runtime, and as plain SQL the drop fails when there is one.
    #[test]
    fn dependents_are_saved_dropped_and_restored() {
        let statements = render_ops(DialectKind::Sqlite, &items(), &[widen("a")]).unwrap();
        let marked: Vec<_> = statements.iter().filter_map(|s| s.dependents).collect();
        assert_eq!(marked, vec![Dependents::Drop, Dependents::Restore]);
        assert!(statements[0].sql.contains(DEPENDENTS_TABLE));
        let drop = statements
            .iter()
            .find(|s| s.dependents == Some(Dependents::Drop))
            .unwrap();
        assert!(drop.sql.contains("table items has views or triggers"));
    }
}
