//! Unsigned columns read back on PostgreSQL and SQLite, which store them as the
//! next wider signed type with a range check (see `migrate_core::dialect::unsigned`):
//! a check that is exactly the range of one unsigned width, on a column of that
//! width's storage type, is the column's type and not a check of the table.

use migrate_core::dialect::{unsigned, DialectKind};
use migrate_core::{ColumnType, Table};

/// Folds the range checks of `table` into its columns' types, on `kind`
/// (PostgreSQL or SQLite).
pub(crate) fn fold_range_checks(kind: DialectKind, table: &mut Table) {
    // The databases keep a large literal as a quoted numeric on PostgreSQL
    // (`'18446744073709551615'::numeric`): quotes carry no meaning here.
    let key = |expr: &str| crate::normalize::check_key(expr).replace('\'', "");
    let mut folded = Vec::new();
    for (i, check) in table.checks.iter().enumerate() {
        let check_key = key(&check.expr);
        for column in &mut table.columns {
            // Rule: on PostgreSQL the check also has its own name, which a later
            // change of the column drops by; SQLite keeps a check's old name when
            // its column is renamed, and changes such a column by rebuilding.
            if kind == DialectKind::Postgres && check.name != unsigned::check_name(&column.name) {
                continue;
            }
            let Some(bits) = unsigned::is_range_check(kind, &column.name, &check_key, key) else {
                continue;
            };
            // Rule: only on the width's own storage type, or on SQLite's
            // autoincrement key, which is declared INTEGER whatever its width.
            let stored = unsigned::wider_type(kind, bits);
            let rowid = kind == DialectKind::Sqlite
                && column.autoincrement
                && column.ty == ColumnType::Integer;
            let fits = column.ty == stored || rowid;
            if fits {
                column.ty = ColumnType::Unsigned(bits);
                folded.push(i);
                break;
            }
        }
    }
    for i in folded.into_iter().rev() {
        table.checks.remove(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_core::{Check, Column, UnsignedBits};

    fn table(ty: ColumnType, expr: &str) -> Table {
        let mut t = Table::new("t");
        t.columns = vec![Column::new("n", ty)];
        t.checks = vec![Check {
            name: "n_unsigned".into(),
            expr: expr.into(),
        }];
        t
    }

    #[test]
    fn postgres_spelling_of_the_range_is_the_unsigned_type() {
        let mut t = table(
            ColumnType::Decimal {
                precision: 20,
                scale: 0,
            },
            "((n >= (0)::numeric) AND (n <= '18446744073709551615'::numeric))",
        );
        fold_range_checks(DialectKind::Postgres, &mut t);
        assert_eq!(t.columns[0].ty, ColumnType::Unsigned(UnsignedBits::U64));
        assert!(t.checks.is_empty());
    }

    #[test]
    fn a_postgres_range_check_under_another_name_stays_a_check() {
        let mut t = table(ColumnType::SmallInt, "((n >= 0) AND (n <= 255))");
        t.checks[0].name = "t_n_check".into();
        fold_range_checks(DialectKind::Postgres, &mut t);
        assert_eq!(t.columns[0].ty, ColumnType::SmallInt);
        assert_eq!(t.checks.len(), 1);
    }

    #[test]
    fn a_range_on_another_type_stays_a_check() {
        let mut t = table(ColumnType::BigInt, "((n >= 0) AND (n <= 255))");
        fold_range_checks(DialectKind::Postgres, &mut t);
        assert_eq!(t.columns[0].ty, ColumnType::BigInt);
        assert_eq!(t.checks.len(), 1);
        let mut t = table(ColumnType::SmallInt, "n >= 1 AND n <= 255");
        fold_range_checks(DialectKind::Postgres, &mut t);
        assert_eq!(t.checks.len(), 1);
    }

    #[test]
    fn sqlite_reads_its_autoincrement_key_declared_integer() {
        let mut t = table(ColumnType::Integer, "\"n\" >= 0 AND \"n\" <= 4294967295");
        fold_range_checks(DialectKind::Sqlite, &mut t);
        assert_eq!(t.columns[0].ty, ColumnType::Integer, "not a key");
        t.columns[0].autoincrement = true;
        fold_range_checks(DialectKind::Sqlite, &mut t);
        assert_eq!(t.columns[0].ty, ColumnType::Unsigned(UnsignedBits::U32));
    }

    #[test]
    fn a_plain_non_negative_check_is_no_u64() {
        let mut t = table(ColumnType::BigInt, "n >= 0");
        fold_range_checks(DialectKind::Sqlite, &mut t);
        assert_eq!(t.columns[0].ty, ColumnType::BigInt);
        assert_eq!(t.checks.len(), 1);
    }
}
