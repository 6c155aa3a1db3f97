//! The SQLite table rebuild, for the changes SQLite's `ALTER TABLE` cannot make
//! (column type, nullability or default; primary keys, uniques, checks, foreign
//! keys).
//!
//! The order follows SQLite's own advice (<https://www.sqlite.org/lang_altertable.html>,
//! "other kinds of table schema changes"), with foreign-key enforcement off:
//!
//! 0. fail if the table has triggers, which `DROP TABLE` would take with it;
//! 1. `CREATE TABLE "_migrate_new_x"` with the new definition;
//! 2. `INSERT INTO "_migrate_new_x" (...) SELECT ... FROM "x"`, with a `CAST` for
//!    each column whose type changed (columns being added take their default);
//! 3. `DROP TABLE "x"`;
//! 4. `ALTER TABLE "_migrate_new_x" RENAME TO "x"`: since SQLite 3.26 a rename
//!    rewrites other tables' references to the *renamed* table, so renaming the
//!    new table (never the old one) leaves other tables' foreign keys naming `x`;
//! 5. recreate the table's indexes;
//! 6. check the foreign keys of `x` and of the tables that reference it, failing
//!    the revision if any row points nowhere.
//!
//! Every statement is marked [`Statement::foreign_keys_off`]: with enforcement on,
//! step 3 would delete through `ON DELETE CASCADE` (and `PRAGMA defer_foreign_keys`
//! does not prevent that), so the runtime switches `PRAGMA foreign_keys` off before
//! `BEGIN`, where the pragma still has effect.

use super::common::{self, ident};
use super::sqlite::Sqlite;
use super::{Dialect, DialectKind, RenderError, Statement};
use crate::apply::apply;
use crate::ops::Operation;
use crate::schema::{Schema, Table};

/// Prefix of the temporary name the new table is built under.
pub const TEMP_PREFIX: &str = "_migrate_new_";

/// Name of the temporary table the trigger guard writes its count into.
pub const TRIGGER_GUARD_TABLE: &str = "_migrate_trigger_guard";

/// Name of the temporary table the foreign-key check writes its count into.
pub const FK_CHECK_TABLE: &str = "_migrate_fk_check";

const KIND: DialectKind = DialectKind::Sqlite;

fn rebuild_statement(sql: String) -> Statement {
    Statement {
        foreign_keys_off: true,
        ..Statement::new(sql)
    }
}

/// The table after `op`, with whatever used a dropped column removed (as the
/// other databases do on `DROP COLUMN`).
fn table_after(op: &Operation, before: &Schema, name: &str) -> Result<Table, RenderError> {
    let mut after = before.clone();
    apply(&mut after, op).map_err(|e| RenderError::Unsupported {
        dialect: KIND,
        table: name.to_string(),
        what: op.describe(),
        how_to_fix: format!("the operation does not fit the schema: {e}"),
    })?;
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
        .filter(|i| i.columns.iter().all(|c| has(&c.name)))
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
    Ok(t)
}

/// The statements that rebuild the table `op` changes, given the schema before it.
pub fn rebuild(d: &Sqlite, op: &Operation, before: &Schema) -> Result<Vec<Statement>, RenderError> {
    let name = op.table_name().unwrap_or_default().to_string();
    rebuild_table(d, op, before, &name)
}

/// The statements that rebuild table `name` as `op` leaves it (an operation of no
/// single table, like a change of an enum's labels, rebuilds each table it changes).
pub fn rebuild_table(
    d: &Sqlite,
    op: &Operation,
    before: &Schema,
    name: &str,
) -> Result<Vec<Statement>, RenderError> {
    let name = name.to_string();
    let old = common::table(KIND, before, &name)?;
    let new = table_after(op, before, &name)?;
    let temp = format!("{TEMP_PREFIX}{name}");

    let mut targets = Vec::new();
    let mut sources = Vec::new();
    for c in &new.columns {
        let Some(was) = old.column(&c.name) else {
            continue; // an added column: it takes its default
        };
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

    let mut out = no_triggers(d, &name)?;
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
    out.extend(foreign_key_check(d, before, &name)?);
    Ok(out)
}

/// Statements that fail (a CHECK violation whose name says what to do) when
/// `table` has triggers.
///
/// Rule: a rebuild never removes what the user did not ask to remove. `DROP
/// TABLE` drops the table's triggers, and the schema model does not hold them, so
/// the rebuild could not recreate them; it stops first, in the revision's
/// transaction, so nothing of the revision stays. (A view that reads the table
/// makes SQLite itself refuse the rename, which rolls back too.)
fn no_triggers(d: &Sqlite, table: &str) -> Result<Vec<Statement>, RenderError> {
    let check_name = format!(
        "table {table} has triggers, which rebuilding it would drop: drop them in an SQL step \
         before this change and create them again after it"
    );
    Ok(vec![
        rebuild_statement(format!(
            "CREATE TEMP TABLE {} (\"triggers\" INTEGER CONSTRAINT {} CHECK (\"triggers\" = 0))",
            ident(d, TRIGGER_GUARD_TABLE)?,
            ident(d, &check_name)?
        )),
        rebuild_statement(format!(
            "INSERT INTO {} SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = {}",
            ident(d, TRIGGER_GUARD_TABLE)?,
            d.quote_literal(table)
        )),
        rebuild_statement(format!("DROP TABLE {}", ident(d, TRIGGER_GUARD_TABLE)?)),
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
