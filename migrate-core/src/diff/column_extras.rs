//! Whether two columns agree on generation, `ON UPDATE` and collation.
//!
//! Rule: a generated expression and an `ON UPDATE` expression compare once
//! normalised like defaults (`price*qty` and `price * qty` are one expression);
//! `STORED` against `VIRTUAL` is a change. A collation compares exactly, per
//! database: databases treat the names as given (`C` is not `c` on PostgreSQL).
//! A change of any of these is an [`AlterColumn`](crate::ops::Operation::AlterColumn)
//! like any other column change.

use crate::column_extras::Generated;
use crate::schema::{normalize_default, Column};

/// Whether `a` and `b` agree on generation, `ON UPDATE` and collation.
pub(super) fn same_extras(a: &Column, b: &Column) -> bool {
    same_generated(a.generated.as_ref(), b.generated.as_ref())
        && same_expr(a.on_update.as_deref(), b.on_update.as_deref())
        && a.collation == b.collation
}

fn same_generated(a: Option<&Generated>, b: Option<&Generated>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => {
            a.stored == b.stored
                && same_expr(Some(&a.expr), Some(&b.expr))
                && crate::dialect::DialectKind::ALL
                    .iter()
                    .all(|k| same_expr(a.per_database.get(*k), b.per_database.get(*k)))
        }
        _ => false,
    }
}

fn same_expr(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => x == y || normalize_default(x) == normalize_default(y),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::column_extras::{Generated, PerDatabase};
    use crate::dialect::DialectKind;
    use crate::diff::diff;
    use crate::ops::Operation;
    use crate::schema::Column;
    use crate::types::ColumnType;

    fn with(extra: Column) -> crate::schema::Schema {
        let mut t = table("items", &["id"]);
        t.columns.push(extra);
        one(t)
    }

    fn total() -> Column {
        Column {
            generated: Some(Generated::stored("price * qty")),
            ..Column::new("total", ColumnType::BigInt)
        }
    }

    #[test]
    fn spelling_of_a_generated_expression_is_no_change() {
        let mut b = total();
        b.generated = Some(Generated::stored("(PRICE  *  QTY)"));
        assert_eq!(diff(&with(total()), &with(b)), vec![]);
    }

    #[test]
    fn each_extra_that_changes_is_one_alter_that_replays() {
        let base = total();
        let mut stored_to_virtual = base.clone();
        stored_to_virtual.generated = Some(Generated::virtual_("price * qty"));
        let mut expr = base.clone();
        expr.generated = Some(Generated::stored("price * qty + 1"));
        let mut per_db = base.clone();
        per_db.generated.as_mut().unwrap().per_database =
            PerDatabase::default().with(DialectKind::MySql, "`price` * `qty`");
        let mut not_generated = base.clone();
        not_generated.generated = None;
        let mut on_update = Column::new("at", ColumnType::Timestamp);
        on_update.on_update = Some("CURRENT_TIMESTAMP".into());
        let mut collated = Column::new("name", ColumnType::Varchar(20));
        collated.collation = PerDatabase::default().with(DialectKind::Postgres, "C");
        let pairs = [
            (base.clone(), stored_to_virtual),
            (base.clone(), expr),
            (base.clone(), per_db),
            (base, not_generated),
            (Column::new("at", ColumnType::Timestamp), on_update),
            (Column::new("name", ColumnType::Varchar(20)), collated),
        ];
        for (old, new) in pairs {
            let ops = diff(&with(old.clone()), &with(new.clone()));
            assert_eq!(
                ops,
                vec![Operation::AlterColumn {
                    table: "items".into(),
                    column: old.name.clone(),
                    from: old.state(),
                    to: new.state(),
                }],
                "{old:?} -> {new:?}"
            );
            assert_replays(&with(old.clone()), &with(new.clone()), &ops);
            assert_replays(
                &with(new.clone()),
                &with(old.clone()),
                &diff(&with(new), &with(old)),
            );
        }
    }

    #[test]
    fn a_collation_compares_exactly() {
        let a = Column {
            collation: PerDatabase::default().with(DialectKind::Postgres, "C"),
            ..Column::new("name", ColumnType::Text)
        };
        let b = Column {
            collation: PerDatabase::default().with(DialectKind::Postgres, "c"),
            ..Column::new("name", ColumnType::Text)
        };
        assert_eq!(diff(&with(a), &with(b)).len(), 1);
    }
}
