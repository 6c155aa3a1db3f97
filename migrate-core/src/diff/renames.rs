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
use crate::schema::{NamedObject, Schema, Table};

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
    let mut renamed_tables = Vec::new();
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
        renamed_tables.push(to.clone());
    }

    let mut used = vec![false; hints.column_renames.len()];
    let mut renamed_columns = Vec::new();
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
        renamed_columns.push(table.clone());
    }

    renamed_tables.extend(renamed_columns);
    for op in follow_renames(&working, new, &renamed_tables) {
        rename(&mut working, op);
    }
    Cow::Owned(working)
}

/// The renames of keys, indexes and checks that follow renamed tables and
/// columns. Rule: in a table renamed or with a renamed column, and in every table
/// with a foreign key to one, an object whose name changed but whose definition
/// did not (its conventional name follows the table's or the column's) is renamed,
/// never dropped and created again.
fn follow_renames(working: &Schema, new: &Schema, renamed: &[String]) -> Vec<Operation> {
    let mut ops = Vec::new();
    for (name, old) in &working.tables {
        let affected = renamed.contains(name)
            || old
                .foreign_keys
                .iter()
                .any(|fk| renamed.contains(&fk.ref_table));
        let Some(wanted) = new.tables.get(name).filter(|_| affected) else {
            continue;
        };
        let pairs = renamed_objects(old, wanted);
        for (_, from, to) in pairs {
            // A new name some other object of the table still holds is left to the
            // ordinary diff.
            if old.named_object(&to).is_none() {
                ops.push(Operation::RenameConstraint {
                    table: name.clone(),
                    from,
                    to,
                });
            }
        }
    }
    ops
}

/// The keys, indexes and checks of `old` that `new` holds under another name with
/// the same definition, as (kind, old name, new name): what only a rename separates.
pub fn renamed_objects(old: &Table, new: &Table) -> Vec<(NamedObject, String, String)> {
    let mut pairs = Vec::new();
    if let (Some(a), Some(b)) = (&old.primary_key, &new.primary_key) {
        if a.name != b.name && a.columns == b.columns {
            pairs.push((NamedObject::PrimaryKey, a.name.clone(), b.name.clone()));
        }
    }
    let mut add = |kind: NamedObject, found: Vec<(String, String)>| {
        pairs.extend(found.into_iter().map(|(from, to)| (kind, from, to)));
    };
    add(
        NamedObject::Unique,
        pair_by_definition(
            &old.uniques,
            &new.uniques,
            |u| &u.name,
            |u| u.columns.clone(),
        ),
    );
    add(
        NamedObject::Index,
        pair_by_definition(
            &old.indexes,
            &new.indexes,
            |i| &i.name,
            |i| (i.columns.clone(), i.unique),
        ),
    );
    add(
        NamedObject::ForeignKey,
        pair_by_definition(
            &old.foreign_keys,
            &new.foreign_keys,
            |f| &f.name,
            |f| {
                (
                    f.columns.clone(),
                    f.ref_table.clone(),
                    f.ref_columns.clone(),
                    f.on_delete,
                    f.on_update,
                )
            },
        ),
    );
    add(
        NamedObject::Check,
        pair_by_definition(&old.checks, &new.checks, |c| &c.name, |c| c.expr.clone()),
    );
    pairs
}

/// Pairs (old name, new name) of objects that only `old` or only `new` holds by
/// name but that have the same definition (`key`).
fn pair_by_definition<T, K: PartialEq>(
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &String,
    key: impl Fn(&T) -> K,
) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let gone = old
        .iter()
        .filter(|o| !new.iter().any(|n| name(n) == name(o)));
    let mut taken: Vec<&String> = Vec::new();
    for o in gone {
        let candidate = new.iter().find(|n| {
            !old.iter().any(|x| name(x) == name(n)) && !taken.contains(&name(n)) && key(n) == key(o)
        });
        if let Some(n) = candidate {
            taken.push(name(n));
            pairs.push((name(o).clone(), name(n).clone()));
        }
    }
    pairs
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
        // pk_users becomes pk_accounts and fk_posts_user_id_users follows the
        // table: both are renamed, never dropped and added again.
        assert!(
            !ops.iter().any(|op| matches!(
                op,
                Operation::DropPrimaryKey { .. }
                    | Operation::AddPrimaryKey { .. }
                    | Operation::DropForeignKey { .. }
                    | Operation::AddForeignKey { .. }
            )),
            "{ops:?}"
        );
        let renamed: Vec<(&str, &str)> = ops
            .iter()
            .filter_map(|op| match op {
                Operation::RenameConstraint { from, to, .. } => Some((from.as_str(), to.as_str())),
                _ => None,
            })
            .collect();
        assert!(renamed.contains(&("pk_users", "pk_accounts")), "{ops:?}");
        assert!(
            renamed.iter().any(|(from, to)| from.contains("users")
                && to.contains("accounts")
                && from.starts_with("fk_")),
            "{ops:?}"
        );
        assert_replays(&old, &new, &ops);
    }

    /// An index and a foreign key on a renamed column keep their definition; their
    /// conventional names follow the column, by a rename.
    #[test]
    fn keys_and_indexes_follow_a_renamed_column() {
        use crate::naming;
        use crate::schema::{Index, IndexColumn};
        let posts = |column: &str| {
            let mut t = with_fk(table("posts", &["id", column]), column, "users");
            t.indexes.push(Index {
                name: naming::index("posts", &[column]),
                columns: vec![IndexColumn::asc(column)],
                unique: false,
                ..Default::default()
            });
            t
        };
        let old = Schema::from_tables([table("users", &["id"]), posts("user_id")]);
        let new = Schema::from_tables([table("users", &["id"]), posts("author_id")]);
        let hints = DiffHints::new().rename_column("posts", "user_id", "author_id");
        let ops = diff_with_hints(&old, &new, &hints);
        assert!(matches!(ops[0], Operation::RenameColumn { .. }), "{ops:?}");
        assert!(
            ops[1..]
                .iter()
                .all(|op| matches!(op, Operation::RenameConstraint { .. })),
            "{ops:?}"
        );
        assert_eq!(ops.len(), 3, "{ops:?}");
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
