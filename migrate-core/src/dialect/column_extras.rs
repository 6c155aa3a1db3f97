//! The SQL of per-database types, collations, generated columns and `ON UPDATE`,
//! shared by the three dialects, and the rules for what each database can hold.
//!
//! | shape | PostgreSQL | MySQL / MariaDB | SQLite |
//! |---|---|---|---|
//! | per-database type | its `postgres` text | its `mysql` text | its `sqlite` text |
//! | collation | `COLLATE "name"` | `CHARACTER SET cs COLLATE name` (`cs` is the collation's first word) | `COLLATE name` |
//! | generated, stored | `GENERATED ALWAYS AS (expr) STORED` | same | same (added by a table rebuild) |
//! | generated, virtual | refused: PostgreSQL 15 has none | `... VIRTUAL` | `... VIRTUAL` |
//! | `ON UPDATE` | refused: use a trigger | `ON UPDATE CURRENT_TIMESTAMP(6)` | refused: use a trigger |

use super::{Dialect, DialectKind, RenderError};
use crate::column_extras::{Generated, PerDatabase};
use crate::schema::Column;
use crate::types::ColumnType;

/// The SQL type `kind` writes for a per-database type; empty when it names none
/// ([`check_column`] refuses such a column before any SQL is written).
pub fn type_sql(kind: DialectKind, types: &PerDatabase) -> String {
    types.get(kind).unwrap_or_default().to_string()
}

/// Fails when database `kind` cannot hold column `c` of `table` as declared: a
/// per-database type or collation that does not name it, a virtual generated
/// column on PostgreSQL, `ON UPDATE` outside MySQL, a generated column with a
/// default or autoincrement.
pub fn check_column(kind: DialectKind, table: &str, c: &Column) -> Result<(), RenderError> {
    let refuse = |what: String, how_to_fix: String| RenderError::Unsupported {
        dialect: kind,
        table: table.to_string(),
        what,
        how_to_fix,
    };
    if let ColumnType::PerDatabase(types) = &c.ty {
        if types.get(kind).is_none() {
            return Err(refuse(
                format!(
                    "create column '{}': its type `{}` names no type for {kind}",
                    c.name, c.ty
                ),
                format!(
                    "add `{kind} = \"...\"` to the field's `sql_type(...)` (this database has \
                     no such type otherwise), or keep this model out of {kind} databases"
                ),
            ));
        }
    }
    if let Some(g) = &c.generated {
        if kind == DialectKind::Postgres && !g.stored {
            return Err(refuse(
                format!("create column '{}' as a VIRTUAL generated column", c.name),
                "PostgreSQL 15 computes generated columns only when a row is written: \
                 add `stored` to the field's `generated(...)`"
                    .to_string(),
            ));
        }
        if c.default.is_some() || c.autoincrement {
            return Err(refuse(
                format!(
                    "give generated column '{}' a default or autoincrement",
                    c.name
                ),
                "a generated column takes its value from its expression only: remove the \
                 default or the autoincrement"
                    .to_string(),
            ));
        }
    }
    if c.on_update.is_some() && kind != DialectKind::MySql {
        return Err(refuse(
            format!("set column '{}' on every update (ON UPDATE)", c.name),
            format!(
                "ON UPDATE is MySQL/MariaDB only; on {kind} set the value in the UPDATE \
                 statements or with a trigger (a raw SQL step), and remove `on_update`"
            ),
        ));
    }
    Ok(())
}

/// ` COLLATE name` for `c` on `d`'s database, or nothing.
pub fn collate_clause(d: &dyn Dialect, c: &Column) -> String {
    let Some(name) = c.collation.get(d.kind()) else {
        return String::new();
    };
    let plain = name
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '_');
    let quoted = if plain {
        name.to_string()
    } else {
        d.quote_ident(name)
    };
    match d.kind() {
        // PostgreSQL folds an unquoted name to lowercase; its collation names are
        // case-sensitive (`C`, `en_US.utf8`).
        DialectKind::Postgres => format!(" COLLATE {}", d.quote_ident(name)),
        // A MySQL collation belongs to one character set, the first word of its
        // name (`latin1` of `latin1_swedish_ci`, `binary`); naming both lets a
        // column have another character set than its table.
        DialectKind::MySql => {
            let charset = name.split('_').next().unwrap_or(name);
            let charset = if plain {
                charset.to_string()
            } else {
                d.quote_ident(charset)
            };
            format!(" CHARACTER SET {charset} COLLATE {quoted}")
        }
        DialectKind::Sqlite => format!(" COLLATE {quoted}"),
    }
}

/// The generated columns of `table` whose expression (for `kind`) uses `column`:
/// PostgreSQL refuses to change the type or collation of a column a generated
/// column uses, so those are dropped before and added again after.
pub fn generated_users<'a>(
    kind: DialectKind,
    table: &'a crate::schema::Table,
    column: &str,
) -> Vec<&'a Column> {
    table
        .columns
        .iter()
        .filter(|c| c.name != column)
        .filter(|c| {
            c.generated.as_ref().is_some_and(|g| {
                super::tokens::referenced_columns(g.expr_for(kind))
                    .iter()
                    .any(|used| used.eq_ignore_ascii_case(column))
            })
        })
        .collect()
}

/// ` GENERATED ALWAYS AS (expr) STORED|VIRTUAL`, with the expression for `kind`.
pub fn generated_clause(kind: DialectKind, g: &Generated) -> String {
    format!(
        " GENERATED ALWAYS AS ({}) {}",
        g.expr_for(kind).trim(),
        g.kind_sql()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_database_cannot_hold_is_refused_with_the_fix() {
        let tags = Column::new(
            "tags",
            ColumnType::PerDatabase(PerDatabase::default().with(DialectKind::Postgres, "text[]")),
        );
        assert!(check_column(DialectKind::Postgres, "posts", &tags).is_ok());
        let e = check_column(DialectKind::MySql, "posts", &tags)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("column 'tags'") && e.contains("add `mysql = \"...\"`"),
            "{e}"
        );

        let virt = Column {
            generated: Some(Generated::virtual_("a + 1")),
            ..Column::new("b", ColumnType::Integer)
        };
        assert!(check_column(DialectKind::Sqlite, "t", &virt).is_ok());
        let e = check_column(DialectKind::Postgres, "t", &virt)
            .unwrap_err()
            .to_string();
        assert!(e.contains("add `stored`"), "{e}");

        let at = Column {
            on_update: Some("CURRENT_TIMESTAMP".into()),
            ..Column::new("at", ColumnType::Timestamp)
        };
        assert!(check_column(DialectKind::MySql, "t", &at).is_ok());
        let e = check_column(DialectKind::Sqlite, "t", &at)
            .unwrap_err()
            .to_string();
        assert!(e.contains("MySQL/MariaDB only"), "{e}");
    }

    /// PostgreSQL gives a column whose type changes the new type's default
    /// collation unless the statement names one: a widened column keeps its own.
    #[test]
    fn a_postgres_type_change_restates_the_column_s_collation() {
        use crate::schema::{Schema, Table};
        let before = Column {
            collation: PerDatabase::default().with(DialectKind::Postgres, "C"),
            ..Column::new("name", ColumnType::Varchar(40))
        };
        let mut after = before.clone();
        after.ty = ColumnType::Varchar(50);
        let mut table = Table::new("t");
        table.columns.push(before.clone());
        let op = crate::Operation::AlterColumn {
            table: "t".into(),
            column: "name".into(),
            from: before.state(),
            to: after.state(),
        };
        let sql =
            crate::dialect::render_ops(DialectKind::Postgres, &Schema::from_tables([table]), &[op])
                .unwrap();
        assert!(
            sql.iter()
                .any(|s| s.sql.contains("TYPE VARCHAR(50) COLLATE \"C\"")),
            "{sql:?}"
        );
    }
}
