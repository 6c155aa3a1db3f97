//! Columns added, dropped or altered in a table present on both sides.
//!
//! A column is matched by name (renames were applied before, from the hints). An
//! alteration is one [`Operation::AlterColumn`] carrying the whole old and new
//! [`ColumnState`](crate::schema::ColumnState), whatever part changed: type,
//! nullability, default or autoincrement. Defaults are compared once normalised,
//! so `0` and ` (0) `, or `now()` and `CURRENT_TIMESTAMP`, are the same.

use crate::ops::Operation;
use crate::schema::Table;

use super::{same_state, Plan};

/// Appends the column changes between `old` and `new` (one table) to `plan`.
pub(super) fn diff_columns(old: &Table, new: &Table, plan: &mut Plan) {
    // Generated columns are dropped first: a database refuses to drop a column that
    // one computes from (SQLite checks the table after each drop), and the inverse,
    // run last first, adds them back after what they read.
    let generated_first = old
        .columns
        .iter()
        .filter(|c| c.generated.is_some())
        .chain(old.columns.iter().filter(|c| c.generated.is_none()));
    for column in generated_first {
        if new.column(&column.name).is_none() {
            plan.drop_columns.push(Operation::DropColumn {
                table: new.name.clone(),
                column: column.clone(),
            });
        }
    }
    for column in &new.columns {
        match old.column(&column.name) {
            None => plan.add_columns.push(Operation::AddColumn {
                table: new.name.clone(),
                column: column.clone(),
            }),
            Some(before) if !same_state(before, column) => {
                if before.ty != column.ty {
                    plan.retyped_columns
                        .push((new.name.clone(), column.name.clone()));
                }
                plan.alter_columns.push(Operation::AlterColumn {
                    table: new.name.clone(),
                    column: column.name.clone(),
                    from: before.state(),
                    to: column.state(),
                });
            }
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::diff::diff;
    use crate::ops::Operation;
    use crate::schema::{Column, ColumnState, Index, IndexColumn};
    use crate::types::ColumnType;

    fn users_with(extra: Column) -> crate::schema::Schema {
        let mut t = table("users", &["id"]);
        t.columns.push(extra);
        one(t)
    }

    #[test]
    fn added_column_is_added() {
        let old = one(table("users", &["id"]));
        let new = users_with(Column::new("email", ColumnType::Text).nullable());
        let ops = diff(&old, &new);
        assert_eq!(
            ops,
            vec![Operation::AddColumn {
                table: "users".into(),
                column: Column::new("email", ColumnType::Text).nullable(),
            }]
        );
        assert_replays(&old, &new, &ops);
    }

    #[test]
    fn removed_column_is_dropped_with_its_state() {
        let old = users_with(Column::new("age", ColumnType::Integer).default_sql("0"));
        let new = one(table("users", &["id"]));
        let ops = diff(&old, &new);
        assert_eq!(
            ops,
            vec![Operation::DropColumn {
                table: "users".into(),
                column: Column::new("age", ColumnType::Integer).default_sql("0"),
            }]
        );
        assert!(ops[0].safety().is_destructive());
        assert_replays(&old, &new, &ops);
    }

    #[test]
    fn a_generated_column_is_dropped_before_the_column_it_reads() {
        let mut old = table("items", &["id"]);
        old.columns.push(Column::new("qty", ColumnType::Integer));
        old.columns.push(Column {
            generated: Some(crate::column_extras::Generated::stored("qty * 2")),
            ..Column::new("doubled", ColumnType::Integer).nullable()
        });
        let old = one(old);
        let new = one(table("items", &["id"]));
        let ops = diff(&old, &new);
        let dropped: Vec<&str> = ops
            .iter()
            .map(|op| match op {
                Operation::DropColumn { column, .. } => column.name.as_str(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(dropped, ["doubled", "qty"]);
        assert_replays(&old, &new, &ops);
    }

    #[test]
    fn each_changed_attribute_is_one_alter_with_both_states() {
        let base = Column::new("n", ColumnType::Integer);
        let changes = [
            Column::new("n", ColumnType::BigInt),
            base.clone().nullable(),
            base.clone().default_sql("1"),
            Column {
                autoincrement: true,
                ..base.clone()
            },
        ];
        for changed in changes {
            let old = users_with(base.clone());
            let new = users_with(changed.clone());
            let ops = diff(&old, &new);
            assert_eq!(
                ops,
                vec![Operation::AlterColumn {
                    table: "users".into(),
                    column: "n".into(),
                    from: base.state(),
                    to: changed.state(),
                }]
            );
            assert_replays(&old, &new, &ops);
        }
    }

    #[test]
    fn several_changes_to_one_column_are_still_one_alter() {
        let before = Column::new("n", ColumnType::Integer);
        let after = Column::new("n", ColumnType::Text)
            .nullable()
            .default_sql("'x'");
        let ops = diff(&users_with(before), &users_with(after));
        assert_eq!(ops.len(), 1);
        let Operation::AlterColumn { to, .. } = &ops[0] else {
            panic!("{ops:?}")
        };
        assert_eq!(
            to,
            &ColumnState {
                ty: ColumnType::Text,
                nullable: true,
                default: Some("'x'".into()),
                autoincrement: false,
                generated: None,
                on_update: None,
                collation: Default::default(),
            }
        );
    }

    #[test]
    fn spelling_only_differences_give_nothing() {
        let ty = |s: &str| s.parse::<ColumnType>().unwrap();
        let pairs = [
            (
                Column::new("n", ty("INTEGER")),
                Column::new("n", ty("int4")),
            ),
            (
                Column::new("n", ty("character varying(20)")),
                Column::new("n", ty("VARCHAR( 20 )")),
            ),
            (
                Column::new("n", ColumnType::Integer).default_sql("0"),
                Column::new("n", ColumnType::Integer).default_sql(" (0) "),
            ),
            (
                Column::new("t", ColumnType::TimestampTz).default_sql("now()"),
                Column::new("t", ColumnType::TimestampTz).default_sql("CURRENT_TIMESTAMP"),
            ),
        ];
        for (a, b) in pairs {
            assert_eq!(
                diff(&users_with(a.clone()), &users_with(b.clone())),
                vec![],
                "{a:?} vs {b:?}"
            );
        }
    }

    #[test]
    fn a_string_default_differing_in_case_is_a_change() {
        let a = Column::new("s", ColumnType::Text).default_sql("'draft'");
        let b = Column::new("s", ColumnType::Text).default_sql("'DRAFT'");
        assert_eq!(diff(&users_with(a), &users_with(b)).len(), 1);
    }

    #[test]
    fn an_index_on_a_dropped_column_goes_first_and_a_new_column_comes_before_its_index() {
        let mut old = table("users", &["id", "email"]);
        old.indexes.push(Index {
            name: "ix_users_email".into(),
            columns: vec![IndexColumn::asc("email")],
            unique: false,
            ..Default::default()
        });
        let mut new = table("users", &["id", "handle"]);
        new.indexes.push(Index {
            name: "ix_users_handle".into(),
            columns: vec![IndexColumn::asc("handle")],
            unique: false,
            ..Default::default()
        });
        let ops = diff(&one(old.clone()), &one(new.clone()));
        let kinds: Vec<&str> = ops
            .iter()
            .map(|op| match op {
                Operation::DropIndex { .. } => "drop index",
                Operation::DropColumn { .. } => "drop column",
                Operation::AddColumn { .. } => "add column",
                Operation::CreateIndex { .. } => "create index",
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(
            kinds,
            ["drop index", "drop column", "add column", "create index"]
        );
        assert_replays(&one(old), &one(new), &ops);
    }
}
