//! Tables created or dropped, in foreign-key dependency order.
//!
//! Created tables come dependencies first, each with its foreign keys inline except
//! those that close a cycle, which are added once every table exists. Dropped tables
//! go in the reverse order: the cycle keys are dropped first, then each table before
//! the tables it references. The dropped table is carried without those keys, so the
//! inverse (create, then add the keys) restores it exactly.

use crate::ops::Operation;
use crate::schema::{Schema, Table};

use super::order::creation_order;
use super::{without_foreign_keys_at, Plan};

/// Appends the creation and removal of whole tables to `plan`.
pub(super) fn diff_tables(old: &Schema, new: &Schema, plan: &mut Plan) {
    let created: Vec<&Table> = new
        .tables
        .values()
        .filter(|t| !old.tables.contains_key(&t.name))
        .collect();
    let order = creation_order(&created);
    for &i in &order.order {
        let skip = order.deferred.get(&i).map(Vec::as_slice).unwrap_or(&[]);
        plan.create_tables.push(Operation::CreateTable {
            table: without_foreign_keys_at(created[i], skip),
        });
    }
    for (&i, keys) in &order.deferred {
        for &k in keys {
            plan.add_foreign_keys.push(Operation::AddForeignKey {
                table: created[i].name.clone(),
                foreign_key: created[i].foreign_keys[k].clone(),
            });
        }
    }

    let dropped: Vec<&Table> = old
        .tables
        .values()
        .filter(|t| !new.tables.contains_key(&t.name))
        .collect();
    let order = creation_order(&dropped);
    // Everything in reverse of creation, so undoing the drops recreates exactly.
    for (&i, keys) in order.deferred.iter().rev() {
        for &k in keys.iter().rev() {
            plan.drop_foreign_keys.push(Operation::DropForeignKey {
                table: dropped[i].name.clone(),
                foreign_key: dropped[i].foreign_keys[k].clone(),
            });
        }
    }
    for &i in order.order.iter().rev() {
        let skip = order.deferred.get(&i).map(Vec::as_slice).unwrap_or(&[]);
        plan.drop_tables.push(Operation::DropTable {
            table: without_foreign_keys_at(dropped[i], skip),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::diff::diff;
    use crate::ops::Operation;
    use crate::schema::Schema;

    fn created(ops: &[Operation]) -> Vec<String> {
        ops.iter()
            .filter_map(|op| match op {
                Operation::CreateTable { table } => Some(table.name.clone()),
                _ => None,
            })
            .collect()
    }

    fn dropped(ops: &[Operation]) -> Vec<String> {
        ops.iter()
            .filter_map(|op| match op {
                Operation::DropTable { table } => Some(table.name.clone()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn added_table_is_created_and_removed_table_dropped() {
        let old = Schema::from_tables([table("users", &["id"])]);
        let new = Schema::from_tables([table("posts", &["id"])]);
        let ops = diff(&old, &new);
        assert_eq!(
            ops,
            vec![
                Operation::DropTable {
                    table: table("users", &["id"])
                },
                Operation::CreateTable {
                    table: table("posts", &["id"])
                },
            ]
        );
        assert_replays(&old, &new, &ops);
    }

    #[test]
    fn unchanged_tables_give_nothing() {
        let s = Schema::from_tables([table("users", &["id"]), table("posts", &["id"])]);
        assert!(diff(&s, &s).is_empty());
    }

    #[test]
    fn creation_follows_references_not_names() {
        // a -> b -> c: c first although it sorts last.
        let new = Schema::from_tables([
            with_fk(table("a", &["id", "b_id"]), "b_id", "b"),
            with_fk(table("b", &["id", "c_id"]), "c_id", "c"),
            table("c", &["id"]),
        ]);
        let ops = diff(&Schema::new(), &new);
        assert_eq!(created(&ops), ["c", "b", "a"]);
        assert_eq!(ops.len(), 3, "keys stay inline: {ops:?}");
        assert_replays(&Schema::new(), &new, &ops);
        let back = diff(&new, &Schema::new());
        assert_eq!(dropped(&back), ["a", "b", "c"]);
        assert_eq!(back.len(), 3);
    }

    #[test]
    fn a_cycle_is_created_without_its_keys_which_are_added_after() {
        let new = Schema::from_tables([
            with_fk(table("a", &["id", "b_id"]), "b_id", "b"),
            with_fk(table("b", &["id", "a_id"]), "a_id", "a"),
        ]);
        let ops = diff(&Schema::new(), &new);
        assert_eq!(created(&ops), ["a", "b"]);
        for op in &ops[..2] {
            let Operation::CreateTable { table } = op else {
                panic!("{op:?}")
            };
            assert!(table.foreign_keys.is_empty(), "{op:?}");
        }
        let added: Vec<_> = ops[2..]
            .iter()
            .map(|op| match op {
                Operation::AddForeignKey { table, foreign_key } => {
                    (table.as_str(), foreign_key.ref_table.as_str())
                }
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(added, [("a", "b"), ("b", "a")]);
        assert_replays(&Schema::new(), &new, &ops);

        // Dropping: keys first, then the tables, restoring on the way back.
        let back = diff(&new, &Schema::new());
        assert!(matches!(back[0], Operation::DropForeignKey { .. }));
        assert!(matches!(back[1], Operation::DropForeignKey { .. }));
        assert_eq!(dropped(&back), ["b", "a"]);
        assert_replays(&new, &Schema::new(), &back);
        assert_eq!(Operation::invert_all(&back).unwrap(), ops);
    }

    #[test]
    fn a_self_reference_stays_inline() {
        let new = Schema::from_tables([with_fk(
            table("nodes", &["id", "parent_id"]),
            "parent_id",
            "nodes",
        )]);
        let ops = diff(&Schema::new(), &new);
        assert_eq!(ops.len(), 1);
        let Operation::CreateTable { table } = &ops[0] else {
            panic!("{ops:?}")
        };
        assert_eq!(table.foreign_keys.len(), 1);
    }

    #[test]
    fn a_table_hanging_off_a_cycle_waits_for_it() {
        // c -> a, a <-> b: a and b first (cycle keys deferred), then c inline.
        let new = Schema::from_tables([
            with_fk(table("a", &["id", "b_id"]), "b_id", "b"),
            with_fk(table("b", &["id", "a_id"]), "a_id", "a"),
            with_fk(table("c", &["id", "a_id"]), "a_id", "a"),
        ]);
        let ops = diff(&Schema::new(), &new);
        assert_eq!(created(&ops), ["a", "b", "c"]);
        let Operation::CreateTable { table } = &ops[2] else {
            panic!("{ops:?}")
        };
        assert_eq!(table.foreign_keys.len(), 1, "c's key is not in the cycle");
        assert_eq!(ops.len(), 5);
    }

    #[test]
    fn a_kept_table_losing_a_reference_to_a_dropped_table_drops_the_key_first() {
        let old = Schema::from_tables([
            with_fk(table("posts", &["id", "user_id"]), "user_id", "users"),
            table("users", &["id"]),
        ]);
        let new = Schema::from_tables([table("posts", &["id", "user_id"])]);
        let ops = diff(&old, &new);
        assert!(matches!(&ops[0], Operation::DropForeignKey { table, .. } if table == "posts"));
        assert!(matches!(&ops[1], Operation::DropTable { table } if table.name == "users"));
        assert_replays(&old, &new, &ops);
    }
}
