//! Renames declared by the models ([`DiffHints`]), applied before anything else.
//!
//! A rename is never guessed: only a hint makes one, and only while it is true of
//! the old schema (the old name exists, the new one does not yet), so a hint left in
//! the source after its revision was generated does nothing. Chains (`a` to `b`
//! while `b` becomes `c`) are resolved by renaming whatever is free first. Each
//! rename is replayed onto a copy of the old schema, and the rest of the diff
//! compares that renamed copy with the new schema.

use std::borrow::Cow;

use crate::apply::apply;
use crate::ops::Operation;
use crate::schema::Schema;

use super::DiffHints;

/// Appends the renames `hints` call for to `ops`; returns `old` with them applied.
pub(super) fn apply_hints<'a>(
    old: &'a Schema,
    new: &Schema,
    hints: &DiffHints,
    ops: &mut Vec<Operation>,
) -> Cow<'a, Schema> {
    if hints.is_empty() {
        return Cow::Borrowed(old);
    }
    let mut working = old.clone();
    let mut rename = |working: &mut Schema, op: Operation| {
        apply(working, &op).expect("the rename's preconditions were checked");
        ops.push(op);
    };

    // Each hint is used at most once, so hints that chase each other (a to b, b to
    // a on a schema holding only one of them) cannot loop.
    let mut used = vec![false; hints.table_renames.len()];
    loop {
        let next = hints
            .table_renames
            .iter()
            .enumerate()
            .find(|&(i, (to, from))| {
                !used[i]
                    && new.tables.contains_key(to)
                    && working.tables.contains_key(from)
                    && !working.tables.contains_key(to)
            });
        let Some((i, (to, from))) = next else { break };
        used[i] = true;
        let op = Operation::RenameTable {
            from: from.clone(),
            to: to.clone(),
        };
        rename(&mut working, op);
    }

    let mut used = vec![false; hints.column_renames.len()];
    loop {
        let next = hints
            .column_renames
            .iter()
            .enumerate()
            .find(|&(i, ((table, to), from))| {
                if used[i] {
                    return false;
                }
                let (Some(before), Some(after)) =
                    (working.tables.get(table), new.tables.get(table))
                else {
                    return false;
                };
                after.column(to).is_some()
                    && before.column(from).is_some()
                    && before.column(to).is_none()
            });
        let Some((i, ((table, to), from))) = next else {
            break;
        };
        used[i] = true;
        let op = Operation::RenameColumn {
            table: table.clone(),
            from: from.clone(),
            to: to.clone(),
        };
        rename(&mut working, op);
    }
    Cow::Owned(working)
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::diff::{diff, diff_with_hints, DiffHints};
    use crate::ops::Operation;
    use crate::schema::{Column, Schema};
    use crate::types::ColumnType;

    #[test]
    fn without_a_hint_a_renamed_column_is_a_drop_and_an_add() {
        let old = one(table("users", &["id", "name"]));
        let new = one(table("users", &["id", "full_name"]));
        let ops = diff(&old, &new);
        assert!(matches!(
            &ops[..],
            [Operation::DropColumn { .. }, Operation::AddColumn { .. }]
        ));
    }

    #[test]
    fn a_column_hint_renames_first_and_later_ops_use_the_new_name() {
        let old = one(table("users", &["id", "name"]));
        let mut t = table("users", &["id", "full_name"]);
        t.columns[1] = Column::new("full_name", ColumnType::Text);
        let new = one(t);
        let hints = DiffHints::new().rename_column("users", "name", "full_name");
        let ops = diff_with_hints(&old, &new, &hints);
        assert_eq!(
            ops[0],
            Operation::RenameColumn {
                table: "users".into(),
                from: "name".into(),
                to: "full_name".into()
            }
        );
        assert!(
            matches!(&ops[1..], [Operation::AlterColumn { column, .. }] if column == "full_name"),
            "{ops:?}"
        );
        assert_replays(&old, &new, &ops);
    }

    #[test]
    fn a_table_hint_keeps_the_columns_and_redoes_conventional_names() {
        let old = Schema::from_tables([
            table("users", &["id", "name"]),
            with_fk(table("posts", &["id", "user_id"]), "user_id", "users"),
        ]);
        let new = Schema::from_tables([
            table("accounts", &["id", "name"]),
            with_fk(table("posts", &["id", "user_id"]), "user_id", "accounts"),
        ]);
        let hints = DiffHints::new().rename_table("users", "accounts");
        let ops = diff_with_hints(&old, &new, &hints);
        assert_eq!(
            ops[0],
            Operation::RenameTable {
                from: "users".into(),
                to: "accounts".into()
            }
        );
        assert!(
            !ops.iter().any(|op| matches!(
                op,
                Operation::DropColumn { .. } | Operation::DropTable { .. }
            )),
            "{ops:?}"
        );
        // pk_users becomes pk_accounts and fk_posts_user_id_users is renamed by
        // convention: both are dropped and added, the key around the primary key.
        assert_replays(&old, &new, &ops);
    }

    #[test]
    fn a_table_and_its_column_renamed_together() {
        let old = one(table("users", &["id", "name"]));
        let new = one(table("accounts", &["id", "label"]));
        let hints = DiffHints::new()
            .rename_table("users", "accounts")
            .rename_column("accounts", "name", "label");
        let ops = diff_with_hints(&old, &new, &hints);
        assert!(matches!(ops[0], Operation::RenameTable { .. }));
        assert!(matches!(ops[1], Operation::RenameColumn { .. }));
        assert_replays(&old, &new, &ops);
    }

    #[test]
    fn a_stale_hint_does_nothing_and_chains_resolve() {
        let s = one(table("accounts", &["id", "name"]));
        let hints = DiffHints::new()
            .rename_table("users", "accounts")
            .rename_column("accounts", "nm", "name");
        assert!(diff_with_hints(&s, &s, &hints).is_empty());

        // b -> c and a -> b in one step: b must move out of the way first.
        let old = one(table("t", &["id", "a", "b"]));
        let new = one(table("t", &["id", "b", "c"]));
        let hints = DiffHints::new()
            .rename_column("t", "a", "b")
            .rename_column("t", "b", "c");
        let ops = diff_with_hints(&old, &new, &hints);
        assert_eq!(
            ops,
            vec![
                Operation::RenameColumn {
                    table: "t".into(),
                    from: "b".into(),
                    to: "c".into()
                },
                Operation::RenameColumn {
                    table: "t".into(),
                    from: "a".into(),
                    to: "b".into()
                },
            ]
        );
    }

    #[test]
    fn hints_chasing_each_other_stop() {
        let old = one(table("c", &["id"]));
        let new = Schema::from_tables([table("b", &["id"]), table("c", &["id"])]);
        let hints = DiffHints::new()
            .rename_table("c", "b")
            .rename_table("b", "c");
        let ops = diff_with_hints(&old, &new, &hints);
        assert_replays(&old, &new, &ops);
    }
}
