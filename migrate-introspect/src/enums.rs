//! Enum columns read back.
//!
//! PostgreSQL names its enum types (`pg_type`, labels in `pg_enum`), read as they
//! are. MySQL (`enum('a','b')` in `COLUMN_TYPE`) and SQLite (the column's
//! `CHECK ("c" IN ('a', 'b'))`, see `migrate_core::dialect::enums`) store only each
//! column's labels, so there each column is its own enum type, named
//! `{table}_{column}` ([`column_type_name`]); the head schema is read the same way
//! before it is compared ([`crate::Backend::storable`]).

#[cfg(any(feature = "mysql", feature = "sqlite"))]
use migrate_core::schema::parse_label_list;
#[cfg(feature = "sqlite")]
use migrate_core::Table;
use migrate_core::{ColumnType, EnumType, Schema};

/// The name an enum column's type has on a database that does not name it.
pub fn column_type_name(table: &str, column: &str) -> String {
    format!("{table}_{column}")
}

/// MySQL's `enum('a','b')` as an enum column of `table`.
#[cfg(feature = "mysql")]
pub(crate) fn mysql_enum(table: &str, column: &str, column_type: &str) -> Option<ColumnType> {
    let text = column_type.trim();
    let inner = text
        .get(..5)
        .filter(|head| head.eq_ignore_ascii_case("enum("))
        .and_then(|_| text[5..].strip_suffix(')'))?;
    Some(ColumnType::Enum {
        name: column_type_name(table, column),
        values: parse_label_list(inner)?,
    })
}

/// Folds SQLite's label checks (`"c" IN ('a', 'b')` on a TEXT column) into their
/// columns' types.
#[cfg(feature = "sqlite")]
pub(crate) fn fold_sqlite_checks(table: &mut Table) {
    let mut folded = Vec::new();
    for (i, check) in table.checks.iter().enumerate() {
        let expr = crate::normalize::normalize_check(&check.expr);
        for column in &mut table.columns {
            if column.ty != ColumnType::Text {
                continue;
            }
            // Rule: only a check named like the ones migrate writes (`{column}_enum`),
            // so a check the user wrote stays a check. SQLite keeps a check's old
            // name when its column is renamed (the expression follows the column),
            // so the name need not be this column's.
            if !check.name.ends_with("_enum") {
                continue;
            }
            let quoted = migrate_core::dialect::quote::double_quoted(&column.name);
            let labels = [column.name.as_str(), quoted.as_str()]
                .into_iter()
                .find_map(|c| expr.strip_prefix(c))
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix("in"))
                .map(str::trim_start)
                .and_then(|r| r.strip_prefix('('))
                .and_then(|r| r.trim_end().strip_suffix(')'))
                .and_then(parse_label_list);
            if let Some(values) = labels {
                column.ty = ColumnType::Enum {
                    name: column_type_name(&table.name, &column.name),
                    values,
                };
                folded.push(i);
                break;
            }
        }
    }
    for i in folded.into_iter().rev() {
        table.checks.remove(i);
    }
}

/// The enum types of `schema` as the database without type names stores them: each
/// enum column its own type, named by [`column_type_name`].
pub(crate) fn one_type_per_column(schema: &mut Schema) {
    schema.enums.clear();
    for table in schema.tables.values_mut() {
        for column in &mut table.columns {
            if let ColumnType::Enum { name, values } = &mut column.ty {
                *name = column_type_name(&table.name, &column.name);
                schema
                    .enums
                    .insert(name.clone(), EnumType::new(name.clone(), values.clone()));
            }
        }
    }
}

#[cfg(all(test, feature = "mysql"))]
mod tests {
    use super::*;

    #[test]
    fn mysql_column_types_read_as_enums() {
        assert_eq!(
            mysql_enum("t", "c", "enum('a','it''s, (b)')"),
            Some(ColumnType::Enum {
                name: "t_c".into(),
                values: vec!["a".into(), "it's, (b)".into()]
            })
        );
        assert_eq!(mysql_enum("t", "c", "set('a')"), None);
    }
}
