//! Enum types: created, dropped, labels renamed (when declared), added, removed or
//! reordered.
//!
//! The label changes are made on the enum type once, for every column of it; the
//! old schema is then brought to the new labels (the returned schema), so the
//! column diff sees no type change for them.

use super::Plan;
use crate::apply::apply;
use crate::hints::DiffHints;
use crate::ops::Operation;
use crate::schema::Schema;

/// Appends the enum type operations to `plan`; returns the old schema with the
/// label changes applied, when there are any.
pub(super) fn diff_enums(
    old: &Schema,
    new: &Schema,
    hints: &DiffHints,
    plan: &mut Plan,
) -> Option<Schema> {
    let mut changed = old.clone();
    let mut ops = Vec::new();
    for (name, new_type) in &new.enums {
        let Some(old_type) = old.enums.get(name) else {
            plan.enums.push(Operation::CreateEnum {
                enum_type: new_type.clone(),
            });
            continue;
        };
        let mut labels = old_type.values.clone();
        // Rule: a declared rename applies only while it is true of the old type
        // (the old label exists, the new one does not), like other renames.
        for ((enum_name, to), from) in &hints.enum_value_renames {
            if enum_name == name
                && labels.contains(from)
                && !labels.contains(to)
                && new_type.values.contains(to)
            {
                ops.push(Operation::RenameEnumValue {
                    name: name.clone(),
                    from: from.clone(),
                    to: to.clone(),
                });
                for l in labels.iter_mut().filter(|l| *l == from) {
                    *l = to.clone();
                }
            }
        }
        if labels != new_type.values {
            ops.push(Operation::AlterEnum {
                name: name.clone(),
                from: labels,
                to: new_type.values.clone(),
            });
        }
    }
    for (name, old_type) in &old.enums {
        if !new.enums.contains_key(name) {
            plan.drop_enums.push(Operation::DropEnum {
                enum_type: old_type.clone(),
            });
        }
    }
    if ops.is_empty() {
        return None;
    }
    for op in &ops {
        // The operations are built from `old` itself, so they always fit it.
        apply(&mut changed, op).expect("enum label changes fit the schema they come from");
    }
    plan.enums.extend(ops);
    Some(changed)
}

#[cfg(test)]
mod tests {
    use crate::apply::apply_all;
    use crate::diff::{diff, diff_with_hints, DiffHints};
    use crate::ops::Operation;
    use crate::schema::{Column, EnumType, Schema, Table};
    use crate::types::ColumnType;

    fn schema(labels: &[&str]) -> Schema {
        let ty = EnumType::new("mood", labels.iter().copied());
        let mut t = Table::new("diary");
        t.columns = vec![
            Column::new("id", ColumnType::BigInt),
            Column::new("today", ty.column_type()),
        ];
        let mut s = Schema::from_tables([t]);
        s.enums.insert("mood".into(), ty);
        s
    }

    /// The upgrade reaches `new`, and its inverse comes back to `old`.
    fn round_trip(old: &Schema, new: &Schema, ops: &[Operation]) {
        let mut s = old.clone();
        apply_all(&mut s, ops).unwrap();
        assert_eq!(&s, new);
        apply_all(&mut s, &Operation::invert_all(ops).unwrap()).unwrap();
        assert_eq!(&s, old);
    }

    #[test]
    fn a_new_enum_is_created_before_its_table_and_dropped_after() {
        let new = schema(&["happy", "sad"]);
        let ops = diff(&Schema::new(), &new);
        assert!(matches!(ops[0], Operation::CreateEnum { .. }), "{ops:?}");
        assert!(matches!(ops[1], Operation::CreateTable { .. }), "{ops:?}");
        round_trip(&Schema::new(), &new, &ops);
        let back = diff(&new, &Schema::new());
        assert!(matches!(back[0], Operation::DropTable { .. }), "{back:?}");
        assert!(matches!(back[1], Operation::DropEnum { .. }), "{back:?}");
    }

    #[test]
    fn added_removed_and_reordered_labels_are_one_change_of_the_type() {
        let old = schema(&["happy", "sad"]);
        for labels in [&["happy", "sad", "calm"][..], &["sad", "happy"], &["happy"]] {
            let new = schema(labels);
            let ops = diff(&old, &new);
            assert_eq!(
                ops,
                vec![Operation::AlterEnum {
                    name: "mood".into(),
                    from: vec!["happy".into(), "sad".into()],
                    to: labels.iter().map(|l| l.to_string()).collect(),
                }]
            );
            round_trip(&old, &new, &ops);
        }
        let removed = diff(&old, &schema(&["happy"]));
        assert!(removed[0].safety().is_destructive());
        assert_eq!(
            diff(&old, &schema(&["happy", "sad", "calm"]))[0].safety(),
            crate::ops::Safety::Safe
        );
        // A reorder keeps the rows but rewrites the tables: a warning says so.
        assert!(matches!(
            diff(&old, &schema(&["sad", "happy"]))[0].safety(),
            crate::ops::Safety::Risky(why) if why.contains("rewrites every table")
        ));
    }

    #[test]
    fn a_declared_label_rename_keeps_the_rows() {
        let old = schema(&["happy", "sad"]);
        let new = schema(&["joyful", "sad", "calm"]);
        let hints = DiffHints::new().rename_enum_value("mood", "happy", "joyful");
        let ops = diff_with_hints(&old, &new, &hints);
        assert_eq!(
            ops[0],
            Operation::RenameEnumValue {
                name: "mood".into(),
                from: "happy".into(),
                to: "joyful".into()
            }
        );
        assert!(matches!(ops[1], Operation::AlterEnum { .. }));
        assert_eq!(ops.len(), 2, "{ops:?}");
        round_trip(&old, &new, &ops);
        // Without the declaration it is a removal and an addition.
        let undeclared = diff(&old, &new);
        assert_eq!(undeclared.len(), 1);
        assert!(undeclared[0].safety().is_destructive());
    }
}
