//! Indexes of a table present on both sides, matched by name.
//!
//! An index whose definition (columns, their sort order, uniqueness) changed under
//! the same name is dropped and created again: no database alters an index in place.

use crate::ops::Operation;
use crate::schema::{Index, Table};

use super::{diff_named, Plan};

/// Appends the index changes between `old` and `new` (one table) to `plan`.
pub(super) fn diff_indexes(old: &Table, new: &Table, plan: &mut Plan) {
    let mut drops = Vec::new();
    let mut adds = Vec::new();
    diff_named(
        &old.indexes,
        &new.indexes,
        |i: &Index| &i.name,
        crate::index_shape::same_index,
        |i| drops.push(i.clone()),
        |i| adds.push(i.clone()),
    );
    for index in drops {
        if index.unique {
            let columns = index.columns.iter().map(|c| c.name.clone()).collect();
            plan.dropped_keys.push((new.name.clone(), columns));
        }
        plan.drop_constraints.push(Operation::DropIndex {
            table: new.name.clone(),
            index,
        });
    }
    for index in adds {
        plan.add_constraints.push(Operation::CreateIndex {
            table: new.name.clone(),
            index,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::diff::diff;
    use crate::ops::Operation;
    use crate::schema::{Index, IndexColumn, Schema};

    fn indexed(indexes: Vec<Index>) -> Schema {
        let mut t = table("users", &["id", "email", "name"]);
        t.indexes = indexes;
        one(t)
    }

    fn ix(columns: &[(&str, bool)], unique: bool) -> Index {
        Index {
            name: "ix_users_lookup".into(),
            columns: columns
                .iter()
                .map(|&(name, desc)| IndexColumn {
                    name: name.into(),
                    desc,
                    ..Default::default()
                })
                .collect(),
            unique,
            ..Default::default()
        }
    }

    #[test]
    fn added_and_removed_index() {
        let old = indexed(vec![]);
        let new = indexed(vec![ix(&[("email", false)], false)]);
        let ops = diff(&old, &new);
        assert_eq!(
            ops,
            vec![Operation::CreateIndex {
                table: "users".into(),
                index: ix(&[("email", false)], false),
            }]
        );
        assert_replays(&old, &new, &ops);
        let back = diff(&new, &old);
        assert_eq!(back, Operation::invert_all(&ops).unwrap());
    }

    #[test]
    fn a_changed_definition_is_a_drop_then_a_create() {
        let before = ix(&[("email", false)], false);
        for after in [
            ix(&[("name", false)], false),
            ix(&[("email", true)], false),
            ix(&[("email", false)], true),
            ix(&[("email", false), ("name", false)], false),
        ] {
            let old = indexed(vec![before.clone()]);
            let new = indexed(vec![after.clone()]);
            let ops = diff(&old, &new);
            assert_eq!(
                ops,
                vec![
                    Operation::DropIndex {
                        table: "users".into(),
                        index: before.clone()
                    },
                    Operation::CreateIndex {
                        table: "users".into(),
                        index: after
                    },
                ]
            );
            assert_replays(&old, &new, &ops);
        }
    }

    #[test]
    fn a_changed_shape_is_a_drop_then_a_create_and_a_respelled_one_is_no_change() {
        use crate::schema::IndexMethod;
        let mut before = ix(&[("email", false)], false);
        before.columns.push(IndexColumn {
            name: "lower(name)".into(),
            expression: true,
            ..Default::default()
        });
        before.predicate = Some("email <> ''".into());
        let mut respelled = before.clone();
        respelled.columns[1].name = "LOWER( name )".into();
        respelled.predicate = Some("(email  <>  '')".into());
        assert!(diff(&indexed(vec![before.clone()]), &indexed(vec![respelled])).is_empty());
        let mut shapes = Vec::new();
        let mut changed = before.clone();
        changed.predicate = Some("email <> 'x'".into());
        shapes.push(changed);
        let mut changed = before.clone();
        changed.method = Some(IndexMethod::Hash);
        shapes.push(changed);
        let mut changed = before.clone();
        changed.include = vec!["id".into()];
        shapes.push(changed);
        let mut changed = before.clone();
        changed.columns[1].name = "upper(name)".into();
        shapes.push(changed);
        for after in shapes {
            let old = indexed(vec![before.clone()]);
            let new = indexed(vec![after.clone()]);
            let ops = diff(&old, &new);
            assert_eq!(ops.len(), 2, "{after:?}: {ops:?}");
            assert!(matches!(&ops[1], Operation::CreateIndex { index, .. } if *index == after));
            assert_replays(&old, &new, &ops);
        }
    }

    #[test]
    fn order_of_declaration_is_not_a_change() {
        let a = Index {
            name: "ix_a".into(),
            ..ix(&[("email", false)], false)
        };
        let b = Index {
            name: "ix_b".into(),
            ..ix(&[("name", false)], false)
        };
        let old = indexed(vec![a.clone(), b.clone()]);
        let new = indexed(vec![b, a]);
        assert!(diff(&old, &new).is_empty());
    }
}
