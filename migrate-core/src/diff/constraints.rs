//! Primary keys, unique constraints, checks and foreign keys of a table present on
//! both sides, matched by name.
//!
//! A constraint whose definition changed under the same name is dropped and added
//! again. Check expressions are compared with whitespace collapsed; foreign-key
//! actions were normalised when parsed. A foreign key that rests on a primary key or
//! unique key being dropped (PostgreSQL and MySQL refuse to drop such a key), or
//! that uses a column whose type changes (MySQL refuses that), is dropped first and
//! added again once the key or the column is ready.

use crate::ops::Operation;
use crate::schema::{Check, ForeignKey, Schema, Table, Unique};

use super::{diff_named, Plan};

/// Appends the primary-key change between `old` and `new` (one table) to `plan`.
pub(super) fn diff_primary_key(old: &Table, new: &Table, plan: &mut Plan) {
    if old.primary_key == new.primary_key {
        return;
    }
    if let Some(pk) = &old.primary_key {
        plan.dropped_keys
            .push((new.name.clone(), pk.columns.clone()));
        plan.drop_constraints.push(Operation::DropPrimaryKey {
            table: new.name.clone(),
            primary_key: pk.clone(),
        });
    }
    if let Some(pk) = &new.primary_key {
        plan.add_constraints.push(Operation::AddPrimaryKey {
            table: new.name.clone(),
            primary_key: pk.clone(),
        });
    }
}

/// Appends the unique-constraint changes between `old` and `new` to `plan`.
pub(super) fn diff_uniques(old: &Table, new: &Table, plan: &mut Plan) {
    let (mut drops, mut adds) = (Vec::new(), Vec::new());
    diff_named(
        &old.uniques,
        &new.uniques,
        |u: &Unique| &u.name,
        |a, b| a.columns == b.columns,
        |u| drops.push(u.clone()),
        |u| adds.push(u.clone()),
    );
    for unique in drops {
        plan.dropped_keys
            .push((new.name.clone(), unique.columns.clone()));
        plan.drop_constraints.push(Operation::DropUnique {
            table: new.name.clone(),
            unique,
        });
    }
    for unique in adds {
        plan.add_constraints.push(Operation::AddUnique {
            table: new.name.clone(),
            unique,
        });
    }
}

/// A check expression with runs of whitespace collapsed to one space.
fn collapsed(expr: &str) -> String {
    expr.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Appends the check-constraint changes between `old` and `new` to `plan`.
pub(super) fn diff_checks(old: &Table, new: &Table, plan: &mut Plan) {
    diff_named(
        &old.checks,
        &new.checks,
        |c: &Check| &c.name,
        |a, b| collapsed(&a.expr) == collapsed(&b.expr),
        |check| {
            plan.drop_constraints.push(Operation::DropCheck {
                table: new.name.clone(),
                check: check.clone(),
            })
        },
        |check| {
            plan.add_constraints.push(Operation::AddCheck {
                table: new.name.clone(),
                check: check.clone(),
            })
        },
    );
}

/// Appends the foreign-key changes between `old` and `new` to `plan`.
pub(super) fn diff_foreign_keys(old: &Table, new: &Table, plan: &mut Plan) {
    let (mut drops, mut adds) = (Vec::new(), Vec::new());
    diff_named(
        &old.foreign_keys,
        &new.foreign_keys,
        |fk: &ForeignKey| &fk.name,
        |a, b| a == b,
        |fk| drops.push(fk.clone()),
        |fk| adds.push(fk.clone()),
    );
    plan.drop_foreign_keys.extend(
        drops
            .into_iter()
            .map(|foreign_key| Operation::DropForeignKey {
                table: new.name.clone(),
                foreign_key,
            }),
    );
    plan.add_foreign_keys.extend(
        adds.into_iter()
            .map(|foreign_key| Operation::AddForeignKey {
                table: new.name.clone(),
                foreign_key,
            }),
    );
}

/// Drops, and adds again at the end, every unchanged foreign key of a kept table
/// whose referenced columns are a key that this diff drops, or that uses a column
/// (on either side) whose type this diff changes.
pub(super) fn rebuild_dependent_foreign_keys(old: &Schema, new: &Schema, plan: &mut Plan) {
    if plan.dropped_keys.is_empty() && plan.retyped_columns.is_empty() {
        return;
    }
    let sorted = |cols: &[String]| {
        let mut v = cols.to_vec();
        v.sort();
        v
    };
    let dropped: Vec<(String, Vec<String>)> = plan
        .dropped_keys
        .iter()
        .map(|(t, cols)| (t.clone(), sorted(cols)))
        .collect();
    let retyped = |table: &str, columns: &[String]| {
        plan.retyped_columns
            .iter()
            .any(|(t, c)| t == table && columns.contains(c))
    };
    let mut rebuilt = Vec::new();
    for (name, new_table) in &new.tables {
        let Some(old_table) = old.tables.get(name) else {
            continue;
        };
        for fk in &old_table.foreign_keys {
            let unchanged = new_table.foreign_keys.iter().any(|n| n == fk);
            let key = (fk.ref_table.clone(), sorted(&fk.ref_columns));
            if unchanged
                && (dropped.contains(&key)
                    || retyped(name, &fk.columns)
                    || retyped(&fk.ref_table, &fk.ref_columns))
            {
                rebuilt.push((name.clone(), fk.clone()));
            }
        }
    }
    for (table, foreign_key) in rebuilt {
        plan.drop_foreign_keys.push(Operation::DropForeignKey {
            table: table.clone(),
            foreign_key: foreign_key.clone(),
        });
        plan.add_foreign_keys
            .push(Operation::AddForeignKey { table, foreign_key });
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::diff::diff;
    use crate::ops::Operation;
    use crate::schema::{Check, FkAction, PrimaryKey, Schema, Table, Unique};

    fn users() -> Table {
        table("users", &["id", "email", "age"])
    }

    fn names(ops: &[Operation]) -> Vec<String> {
        ops.iter().map(Operation::describe).collect()
    }

    #[test]
    fn primary_key_added_removed_changed() {
        let none = Table {
            primary_key: None,
            ..users()
        };
        let other = Table {
            primary_key: Some(PrimaryKey {
                name: "pk_users".into(),
                columns: vec!["id".into(), "email".into()],
            }),
            ..users()
        };
        for (a, b, expected) in [
            (none.clone(), users(), 1),
            (users(), none.clone(), 1),
            (users(), other.clone(), 2),
        ] {
            let (old, new) = (one(a), one(b));
            let ops = diff(&old, &new);
            assert_eq!(ops.len(), expected, "{ops:?}");
            assert_replays(&old, &new, &ops);
        }
        let ops = diff(&one(users()), &one(other));
        assert!(matches!(ops[0], Operation::DropPrimaryKey { .. }));
        assert!(matches!(ops[1], Operation::AddPrimaryKey { .. }));
    }

    #[test]
    fn unique_added_removed_changed() {
        let with = |cols: &[&str]| {
            let mut t = users();
            t.uniques.push(Unique {
                name: "uq_users_email".into(),
                columns: cols.iter().map(|c| c.to_string()).collect(),
            });
            one(t)
        };
        let plain = one(users());
        let ops = diff(&plain, &with(&["email"]));
        assert!(matches!(&ops[..], [Operation::AddUnique { .. }]), "{ops:?}");
        let ops = diff(&with(&["email"]), &plain);
        assert!(
            matches!(&ops[..], [Operation::DropUnique { .. }]),
            "{ops:?}"
        );
        let (old, new) = (with(&["email"]), with(&["email", "age"]));
        let ops = diff(&old, &new);
        assert!(
            matches!(
                &ops[..],
                [Operation::DropUnique { .. }, Operation::AddUnique { .. }]
            ),
            "{ops:?}"
        );
        assert_replays(&old, &new, &ops);
        assert!(diff(&new, &new.clone()).is_empty());
    }

    #[test]
    fn check_added_removed_changed_and_whitespace_ignored() {
        let with = |expr: &str| {
            let mut t = users();
            t.checks.push(Check {
                name: "ck_users_age".into(),
                expr: expr.into(),
            });
            one(t)
        };
        let plain = one(users());
        assert!(matches!(
            &diff(&plain, &with("age >= 0"))[..],
            [Operation::AddCheck { .. }]
        ));
        assert!(matches!(
            &diff(&with("age >= 0"), &plain)[..],
            [Operation::DropCheck { .. }]
        ));
        let (old, new) = (with("age >= 0"), with("age > 0"));
        let ops = diff(&old, &new);
        assert!(
            matches!(
                &ops[..],
                [Operation::DropCheck { .. }, Operation::AddCheck { .. }]
            ),
            "{ops:?}"
        );
        assert_replays(&old, &new, &ops);
        assert!(diff(&with("age >= 0"), &with("  age   >=\n 0 ")).is_empty());
    }

    fn posts(on_delete: &str) -> Table {
        let mut t = with_fk(table("posts", &["id", "user_id"]), "user_id", "users");
        t.foreign_keys[0].on_delete = on_delete.parse().unwrap();
        t
    }

    #[test]
    fn foreign_key_added_removed_changed_and_action_spelling_ignored() {
        let plain = Schema::from_tables([users(), table("posts", &["id", "user_id"])]);
        let cascade = Schema::from_tables([users(), posts("CASCADE")]);
        let ops = diff(&plain, &cascade);
        assert!(
            matches!(&ops[..], [Operation::AddForeignKey { .. }]),
            "{ops:?}"
        );
        assert_replays(&plain, &cascade, &ops);
        let ops = diff(&cascade, &plain);
        assert!(
            matches!(&ops[..], [Operation::DropForeignKey { .. }]),
            "{ops:?}"
        );

        let restrict = Schema::from_tables([users(), posts("restrict")]);
        let ops = diff(&cascade, &restrict);
        assert!(
            matches!(&ops[..], [Operation::DropForeignKey { foreign_key: a, .. }, Operation::AddForeignKey { foreign_key: b, .. }]
                if a.on_delete == FkAction::Cascade && b.on_delete == FkAction::Restrict),
            "{ops:?}"
        );
        assert_replays(&cascade, &restrict, &ops);
        assert!(diff(&cascade, &Schema::from_tables([users(), posts("cascade")])).is_empty());
    }

    #[test]
    fn a_foreign_key_resting_on_a_changed_primary_key_is_rebuilt_around_it() {
        let old = Schema::from_tables([users(), posts("cascade")]);
        let mut renamed_pk = users();
        renamed_pk.primary_key.as_mut().unwrap().name = "users_pkey".into();
        let new = Schema::from_tables([renamed_pk, posts("cascade")]);
        let ops = diff(&old, &new);
        assert_eq!(
            names(&ops),
            [
                "removed foreign key 'fk_posts_user_id_users' on 'posts'",
                "removed primary key 'pk_users' on 'users'",
                "added primary key 'users_pkey' on 'users'(id)",
                "added foreign key 'fk_posts_user_id_users' on 'posts'(user_id) -> 'users'",
            ]
        );
        assert_replays(&old, &new, &ops);
    }

    #[test]
    fn a_foreign_key_on_a_retyped_column_is_rebuilt_around_the_change() {
        let old = Schema::from_tables([users(), posts("cascade")]);
        let mut wide = Schema::from_tables([users(), posts("cascade")]);
        for t in wide.tables.values_mut() {
            for c in &mut t.columns {
                c.ty = crate::types::ColumnType::Decimal {
                    precision: 30,
                    scale: 0,
                };
            }
        }
        let ops = diff(&old, &wide);
        let first = ops.first().map(Operation::describe);
        let last = ops.last().map(Operation::describe);
        assert_eq!(
            first.as_deref(),
            Some("removed foreign key 'fk_posts_user_id_users' on 'posts'")
        );
        assert_eq!(
            last.as_deref(),
            Some("added foreign key 'fk_posts_user_id_users' on 'posts'(user_id) -> 'users'")
        );
        assert_eq!(ops.len(), 2 + 5, "five columns retyped: {ops:?}");
        assert_replays(&old, &wide, &ops);
        // Other columns changing type leave the key alone.
        let mut t = users();
        t.columns[2].ty = crate::types::ColumnType::Text;
        let ops = diff(&old, &Schema::from_tables([t, posts("cascade")]));
        assert!(
            matches!(&ops[..], [Operation::AlterColumn { .. }]),
            "{ops:?}"
        );
    }
}
