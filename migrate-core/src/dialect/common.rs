//! Pieces every dialect shares: looking up the current table, checking name
//! lengths, column lists, foreign-key clauses and raw SQL steps.

use super::{Dialect, DialectKind, RenderError, Statement};
use crate::ops::SqlStep;
use crate::schema::{Column, ForeignKey, NamedObject, Schema, Table};

/// The table `name` in `before`, or an error naming it.
pub fn table<'a>(
    kind: DialectKind,
    before: &'a Schema,
    name: &str,
) -> Result<&'a Table, RenderError> {
    before.table(name).ok_or_else(|| RenderError::NoSuchTable {
        dialect: kind,
        table: name.to_string(),
    })
}

/// The column `column` of `table`, or an error naming both.
pub fn column<'a>(
    kind: DialectKind,
    table: &'a Table,
    column: &str,
) -> Result<&'a Column, RenderError> {
    table
        .column(column)
        .ok_or_else(|| RenderError::NoSuchColumn {
            dialect: kind,
            table: table.name.clone(),
            column: column.to_string(),
        })
}

/// What the object `name` of `table` is (for a rename), or an error naming both.
pub fn named_object(
    kind: DialectKind,
    table: &Table,
    name: &str,
) -> Result<NamedObject, RenderError> {
    table
        .named_object(name)
        .ok_or_else(|| RenderError::Unsupported {
            dialect: kind,
            table: table.name.clone(),
            what: format!("rename '{name}', which it does not have at this point"),
            how_to_fix: "check the revision's rename_constraint step against the steps before it"
                .to_string(),
        })
}

/// Fails when the column `column` of `table` is still used by a constraint or
/// index of its table, or by a foreign key of any table.
///
/// Rule: dropping a column never removes anything else. The databases disagree
/// on what `DROP COLUMN` does to what uses the column (PostgreSQL drops it, MySQL
/// shrinks a multi-column index, SQLite refuses), so a revision must drop those
/// first, which also lets its downgrade restore them; autogenerate does.
pub fn refuse_dropping_a_used_column(
    kind: DialectKind,
    before: &Schema,
    table: &str,
    column: &str,
) -> Result<(), RenderError> {
    let t = self::table(kind, before, table)?;
    let mut users: Vec<String> = t
        .constraints_on(column)
        .into_iter()
        .map(|n| format!("'{n}'"))
        .collect();
    for other in before.tables.values() {
        for fk in &other.foreign_keys {
            if fk.ref_table == table && fk.ref_columns.iter().any(|c| c == column) {
                users.push(format!("'{}' of table '{}'", fk.name, other.name));
            }
        }
    }
    if users.is_empty() {
        return Ok(());
    }
    Err(RenderError::Unsupported {
        dialect: kind,
        table: table.to_string(),
        what: format!(
            "drop column '{column}' while it is still used by {}",
            users.join(", ")
        ),
        how_to_fix: "drop those constraints and indexes earlier in the same revision \
                     (autogenerate does), so nothing goes silently and the downgrade \
                     restores them"
            .to_string(),
    })
}

/// `name` quoted, after checking it fits the dialect's identifier limit.
pub fn ident(d: &dyn Dialect, name: &str) -> Result<String, RenderError> {
    let caps = d.capabilities();
    let len = if caps.identifier_len_in_bytes {
        name.len()
    } else {
        name.chars().count()
    };
    if len > caps.max_identifier_len {
        return Err(RenderError::IdentifierTooLong {
            dialect: d.kind(),
            name: name.to_string(),
            len,
            max: caps.max_identifier_len,
        });
    }
    Ok(d.quote_ident(name))
}

/// A table's name quoted: `"billing"."invoice"` for a table in another
/// PostgreSQL schema ([`crate::qualified`]), each part checked like [`ident`].
pub fn table_ident(d: &dyn Dialect, name: &str) -> Result<String, RenderError> {
    match crate::qualified::split(name) {
        (Some(schema), table) if d.kind() == DialectKind::Postgres => {
            Ok(format!("{}.{}", ident(d, schema)?, ident(d, table)?))
        }
        _ => ident(d, name),
    }
}

/// `("a", "b")`: quoted names in parentheses.
pub fn ident_list<S: AsRef<str>>(d: &dyn Dialect, names: &[S]) -> Result<String, RenderError> {
    let parts = names
        .iter()
        .map(|n| ident(d, n.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(format!("({})", parts.join(", ")))
}

/// `FOREIGN KEY (...) REFERENCES "t" (...) [ON DELETE ...] [ON UPDATE ...]`,
/// leaving out the default `NO ACTION`.
pub fn foreign_key_clause(d: &dyn Dialect, fk: &ForeignKey) -> Result<String, RenderError> {
    let mut sql = format!(
        "FOREIGN KEY {} REFERENCES {} {}",
        ident_list(d, &fk.columns)?,
        table_ident(d, &fk.ref_table)?,
        ident_list(d, &fk.ref_columns)?
    );
    if fk.on_delete != Default::default() {
        sql.push_str(&format!(" ON DELETE {}", fk.on_delete.sql()));
    }
    if fk.on_update != Default::default() {
        sql.push_str(&format!(" ON UPDATE {}", fk.on_update.sql()));
    }
    sql.push_str(fk.deferrable.sql());
    Ok(sql)
}

/// The statement for a raw SQL step: its variant for `kind`, or its `sql`.
/// `implicit_commit` is set when the text starts with a DDL keyword on MySQL.
pub fn raw_sql(kind: DialectKind, step: &SqlStep) -> Statement {
    let variant = match kind {
        DialectKind::Postgres => step.postgres.as_ref(),
        DialectKind::MySql => step.mysql.as_ref(),
        DialectKind::Sqlite => step.sqlite.as_ref(),
    };
    let sql = variant.unwrap_or(&step.sql).trim().trim_end_matches(';');
    let first = sql
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    let ddl = matches!(
        first.as_str(),
        "CREATE" | "ALTER" | "DROP" | "RENAME" | "TRUNCATE"
    );
    Statement {
        transactional: !step.no_transaction,
        implicit_commit: kind == DialectKind::MySql && ddl,
        ..Statement::new(sql)
    }
}

/// Autoincrement is only for integer columns, on every database.
pub fn autoincrement_allowed(
    kind: DialectKind,
    table: &str,
    c: &Column,
) -> Result<(), RenderError> {
    if kind == DialectKind::Postgres
        && c.ty == crate::types::ColumnType::Unsigned(crate::types::UnsignedBits::U64)
    {
        // Rule: a u64 is NUMERIC(20,0) on PostgreSQL, and identity columns are
        // integers only.
        return Err(RenderError::Unsupported {
            dialect: kind,
            table: table.to_string(),
            what: format!("make the u64 column '{}' autoincrement", c.name),
            how_to_fix: "a u64 is NUMERIC(20,0) on PostgreSQL, which cannot be an identity \
                         column; use u32 (BIGINT) or i64 for a generated key"
                .to_string(),
        });
    }
    if c.ty.is_integer() {
        Ok(())
    } else {
        Err(RenderError::Unsupported {
            dialect: kind,
            table: table.to_string(),
            what: format!("make column '{}' of type {} autoincrement", c.name, c.ty),
            how_to_fix:
                "autoincrement needs an integer column (smallint, integer, bigint, or unsigned)"
                    .to_string(),
        })
    }
}
