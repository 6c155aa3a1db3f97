//! Diff: the operations that turn one schema into another.
//!
//! [`diff`] compares the schema the revision files leave (`old`) with the schema the
//! models describe (`new`) and returns the operations of the next revision, in an
//! order a database can execute. Like Alembic's `autogenerate/compare/`, each object
//! kind has its own (private) module: `tables` for create/drop and their dependency
//! order (`order`), then `columns`, `indexes`, `constraints`, `comments`, and
//! `renames` for the declared renames. Each appends its operations to one phase of a
//! plan, and the phases are concatenated in a fixed order:
//!
//! 0. drop schema objects (see step 12);
//! 1. renames (tables, then columns), so every later operation uses the new names;
//!    then enum types (`enums`): new ones created, declared label renames, label
//!    changes, so every column below sees its type as it will be;
//! 2. drop foreign keys that are removed or changed, that tie dropped tables in a
//!    cycle, or that rest on a key about to be dropped or a column whose type
//!    changes;
//! 3. drop tables, dependents first;
//! 4. drop primary keys, uniques, indexes and checks that are removed or changed;
//! 5. drop columns (nothing refers to them any more);
//! 6. add columns;
//! 7. alter columns (type, nullability, default, autoincrement);
//! 8. table and column comments;
//! 9. add primary keys, uniques, indexes and checks;
//! 10. create tables, dependencies first, with foreign keys that close a cycle left out;
//! 11. add foreign keys (new, changed, deferred from step 10, or re-added after 2);
//! 12. create schema objects (`objects`: views, triggers, functions...), which
//!     step 0 dropped when they are removed or changed, or rest on a table or
//!     object that changes, dependents first;
//! 13. drop enum types no column uses any more;
//! 14. drop schemas, extensions and sequences (created in step 1, after the
//!     renames: what tables may need).
//!
//! Spelling never makes a difference: types and foreign-key actions are normalised
//! when parsed, defaults are compared with [`normalize_default`], and check
//! expressions with whitespace collapsed. Column order is not compared (SQL cannot
//! reorder columns without rebuilding the table); new columns are appended.
//! The output depends only on the inputs: tables are visited in name order and the
//! objects of a table in their declared order.

mod column_extras;
mod columns;
mod comments;
mod constraints;
mod enums;
mod indexes;
mod objects;
mod order;
mod renames;
mod suspects;
mod tables;
#[cfg(test)]
mod testutil;

use crate::ops::Operation;
use crate::schema::{normalize_default, Column, Schema, Table};

pub use renames::renamed_objects;
pub use suspects::{rename_suspects, RenameSuspect};

/// What the models declare they were renamed from (defined in [`crate::hints`],
/// filled by the model parser from `#[model(renamed_from = "old")]`).
///
/// A hint applies only while it is true of the old schema (the old name exists and
/// the new one does not), so a hint left in the source after its revision was
/// generated does nothing.
pub use crate::hints::DiffHints;

/// Builders, for tests and tools that declare renames by hand.
impl DiffHints {
    /// Declares that table `new` was called `old`.
    pub fn rename_table(mut self, old: impl Into<String>, new: impl Into<String>) -> Self {
        self.table_renames.insert(new.into(), old.into());
        self
    }

    /// Declares that column `new` of `table` (its new name) was called `old`.
    pub fn rename_column(
        mut self,
        table: impl Into<String>,
        old: impl Into<String>,
        new: impl Into<String>,
    ) -> Self {
        self.column_renames
            .insert((table.into(), new.into()), old.into());
        self
    }

    /// Declares that label `new` of enum type `name` was called `old`.
    pub fn rename_enum_value(
        mut self,
        name: impl Into<String>,
        old: impl Into<String>,
        new: impl Into<String>,
    ) -> Self {
        self.enum_value_renames
            .insert((name.into(), new.into()), old.into());
        self
    }
}

/// The operations that turn `old` into `new`, with no renames (a renamed table or
/// column is a drop and an add; see [`rename_suspects`]).
pub fn diff(old: &Schema, new: &Schema) -> Vec<Operation> {
    diff_with_hints(old, new, &DiffHints::default())
}

/// The operations that turn `old` into `new`, renaming what `hints` declare.
///
/// After a table rename the renamed old table is compared with the new one, so its
/// columns are kept; constraints whose conventional name changed with the table name
/// are dropped and added again.
pub fn diff_with_hints(old: &Schema, new: &Schema, hints: &DiffHints) -> Vec<Operation> {
    let mut plan = Plan::default();
    let renamed = renames::apply_hints(old, new, hints, &mut plan.renames);
    let old = renamed.as_ref();
    let relabelled = enums::diff_enums(old, new, hints, &mut plan);
    let old = relabelled.as_ref().unwrap_or(old);
    tables::diff_tables(old, new, &mut plan);
    for (name, new_table) in &new.tables {
        if let Some(old_table) = old.tables.get(name) {
            columns::diff_columns(old_table, new_table, &mut plan);
            comments::diff_comments(old_table, new_table, &mut plan);
            constraints::diff_primary_key(old_table, new_table, &mut plan);
            constraints::diff_uniques(old_table, new_table, &mut plan);
            indexes::diff_indexes(old_table, new_table, &mut plan);
            constraints::diff_checks(old_table, new_table, &mut plan);
            constraints::diff_foreign_keys(old_table, new_table, &mut plan);
        }
    }
    constraints::rebuild_dependent_foreign_keys(old, new, &mut plan);
    objects::diff_objects(old, new, &mut plan);
    plan.into_ops()
}

/// The downgrade of an upgrade: each operation's inverse, in reverse order.
/// Raw SQL steps have no inverse and are left out (their downgrade is written by
/// hand); the diff never produces them.
pub fn downgrade_for(upgrade: &[Operation]) -> Vec<Operation> {
    upgrade
        .iter()
        .rev()
        .filter_map(Operation::inverse)
        .collect()
}

/// The operations found so far, one list per execution phase (see the module doc).
#[derive(Default)]
struct Plan {
    /// Schema objects dropped (removed, changed, or resting on what changes).
    drop_objects: Vec<Operation>,
    renames: Vec<Operation>,
    /// Schemas, extensions and sequences created, before any table needs them.
    create_objects_first: Vec<Operation>,
    /// Enum types created, label renames, label changes.
    enums: Vec<Operation>,
    drop_foreign_keys: Vec<Operation>,
    drop_tables: Vec<Operation>,
    drop_constraints: Vec<Operation>,
    drop_columns: Vec<Operation>,
    add_columns: Vec<Operation>,
    alter_columns: Vec<Operation>,
    comments: Vec<Operation>,
    add_constraints: Vec<Operation>,
    create_tables: Vec<Operation>,
    add_foreign_keys: Vec<Operation>,
    /// Schema objects created (new, changed, or dropped above).
    create_objects: Vec<Operation>,
    /// Enum types dropped, once no column uses them.
    drop_enums: Vec<Operation>,
    /// Schemas, extensions and sequences dropped, once no table needs them.
    drop_objects_last: Vec<Operation>,
    /// Keys (table, columns) dropped in phase 4: foreign keys resting on them must
    /// be dropped before and added again after.
    dropped_keys: Vec<(String, Vec<String>)>,
    /// Columns (table, column) whose type changes in phase 7: foreign keys from or
    /// to them are dropped before and added again after (MySQL refuses to change
    /// the type of a column a foreign key uses, and both sides must match).
    retyped_columns: Vec<(String, String)>,
}

impl Plan {
    fn into_ops(self) -> Vec<Operation> {
        [
            self.drop_objects,
            self.renames,
            self.create_objects_first,
            self.enums,
            self.drop_foreign_keys,
            self.drop_tables,
            self.drop_constraints,
            self.drop_columns,
            self.add_columns,
            self.alter_columns,
            self.comments,
            self.add_constraints,
            self.create_tables,
            self.add_foreign_keys,
            self.create_objects,
            self.drop_enums,
            self.drop_objects_last,
        ]
        .into_iter()
        .flatten()
        .collect()
    }
}

/// Whether two columns have the same state (what an ALTER COLUMN changes) once
/// spelling is ignored. Compares in place: most columns are unchanged.
fn same_state(a: &Column, b: &Column) -> bool {
    a.ty == b.ty
        && a.nullable == b.nullable
        && a.autoincrement == b.autoincrement
        && match (&a.default, &b.default) {
            (None, None) => true,
            (Some(x), Some(y)) => x == y || normalize_default(x) == normalize_default(y),
            _ => false,
        }
        && column_extras::same_extras(a, b)
}

/// Compares two lists of named objects: `drop` is called for each old object that
/// is gone or changed (in old order), then `add` for each new object that is new or
/// changed (in new order). A changed object is one with the same name and a
/// different definition by `same`.
fn diff_named<T>(
    old: &[T],
    new: &[T],
    name: impl Fn(&T) -> &str,
    same: impl Fn(&T, &T) -> bool,
    mut drop: impl FnMut(&T),
    mut add: impl FnMut(&T),
) {
    let find = |list: &'_ [T], wanted: &str| -> Option<usize> {
        list.iter().position(|x| name(x) == wanted)
    };
    for o in old {
        match find(new, name(o)) {
            Some(i) if same(o, &new[i]) => {}
            _ => drop(o),
        }
    }
    for n in new {
        match find(old, name(n)) {
            Some(i) if same(&old[i], n) => {}
            _ => add(n),
        }
    }
}

/// `table` without the foreign keys at positions `skip`.
fn without_foreign_keys_at(table: &Table, skip: &[usize]) -> Table {
    let mut t = table.clone();
    t.foreign_keys = table
        .foreign_keys
        .iter()
        .enumerate()
        .filter(|(i, _)| !skip.contains(i))
        .map(|(_, fk)| fk.clone())
        .collect();
    t
}

#[cfg(test)]
mod tests {
    use super::testutil::*;
    use super::*;
    use crate::apply::apply_all;
    use crate::ops::SqlStep;

    #[test]
    fn downgrade_for_undoes_the_upgrade_and_leaves_raw_sql_out() {
        let old = Schema::from_tables([table("users", &["id", "name"])]);
        let new = Schema::from_tables([
            table("users", &["id", "email"]),
            with_fk(table("posts", &["id", "user_id"]), "user_id", "users"),
        ]);
        let mut upgrade = diff(&old, &new);
        assert_eq!(
            downgrade_for(&upgrade),
            Operation::invert_all(&upgrade).unwrap()
        );
        upgrade.insert(
            0,
            Operation::Sql(SqlStep::new("UPDATE users SET name = ''")),
        );
        let downgrade = downgrade_for(&upgrade);
        assert!(!downgrade.iter().any(|op| matches!(op, Operation::Sql(_))));
        let mut s = new.clone();
        apply_all(&mut s, &downgrade).unwrap();
        assert_eq!(normalised(&s), normalised(&old));
    }
}
