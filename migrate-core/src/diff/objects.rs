//! Schema objects: views, triggers, functions, sequences and the other kinds of
//! [`crate::objects`], paired by their [`crate::objects::ObjectId`] (kind and
//! name; a PostgreSQL routine also by its argument types, so each overload is
//! created, dropped and changed on its own) and compared by body with spelling
//! ignored.
//!
//! Rules:
//! - a new object is created, a removed one dropped, and a changed one dropped and
//!   created again (the downgrade, its inverse, restores the old body);
//! - an unchanged object is dropped and created again when something it needs
//!   changes under it: a table of its that loses, changes or renames a column, is
//!   renamed or dropped (PostgreSQL refuses to change a column a view reads, MySQL
//!   leaves a view on a renamed table broken), or an object it needs that is
//!   dropped or created again;
//! - objects are dropped first (dependents before what they need) and created
//!   last (what they need first), so every table change runs without them;
//!   except schemas, extensions and sequences
//!   ([`crate::objects::ObjectKind::before_tables`]), which tables may need: those
//!   are created before any table change and dropped after every one.

use std::collections::{BTreeMap, BTreeSet};

use super::Plan;
use crate::objects::SchemaObject;
use crate::ops::Operation;
use crate::schema::Schema;

/// Appends the object operations to `plan`, whose table operations are final.
pub(super) fn diff_objects(old: &Schema, new: &Schema, plan: &mut Plan) {
    if old.objects.is_empty() && new.objects.is_empty() {
        return;
    }
    let key = SchemaObject::id;
    let new_by_key: BTreeMap<_, &SchemaObject> = new.objects.iter().map(|o| (key(o), o)).collect();
    let old_by_key: BTreeMap<_, &SchemaObject> = old.objects.iter().map(|o| (key(o), o)).collect();

    let touched = touched_tables(plan);
    // The old objects to drop: gone, changed, or resting on something that changes.
    let mut dropped: BTreeSet<crate::objects::ObjectId> = old
        .objects
        .iter()
        .filter(|o| !new_by_key.get(&key(o)).is_some_and(|n| n.same_as(o)))
        .map(key)
        .collect();
    let known = names(old);
    loop {
        let dropped_names: BTreeSet<&str> = dropped.iter().map(|id| id.name.as_str()).collect();
        let more: Vec<_> = old
            .objects
            .iter()
            .filter(|o| !dropped.contains(&key(o)))
            .filter(|o| {
                o.references(&known)
                    .iter()
                    .any(|r| touched.contains(r) || dropped_names.contains(r.as_str()))
            })
            .map(key)
            .collect();
        if more.is_empty() {
            break;
        }
        dropped.extend(more);
    }
    let drops: Vec<&SchemaObject> = old
        .objects
        .iter()
        .filter(|o| dropped.contains(&key(o)))
        .collect();
    for o in creation_order(&drops, &known).into_iter().rev() {
        // A removed schema, extension or sequence goes once no table needs it; a
        // changed one before it is created again.
        let list = if o.kind.before_tables() && !new_by_key.contains_key(&key(o)) {
            &mut plan.drop_objects_last
        } else {
            &mut plan.drop_objects
        };
        list.push(Operation::DropObject { object: o.clone() });
    }
    // The new objects to create: new, or dropped above.
    let creates: Vec<&SchemaObject> = new
        .objects
        .iter()
        .filter(|o| !old_by_key.contains_key(&key(o)) || dropped.contains(&key(o)))
        .collect();
    for o in creation_order(&creates, &names(new)) {
        let list = if o.kind.before_tables() {
            &mut plan.create_objects_first
        } else {
            &mut plan.create_objects
        };
        list.push(Operation::CreateObject { object: o.clone() });
    }
}

/// Every table and object name of `schema`.
fn names(schema: &Schema) -> BTreeSet<&str> {
    schema
        .tables
        .keys()
        .map(String::as_str)
        .chain(schema.objects.iter().map(|o| o.name.as_str()))
        .collect()
}

/// The tables whose columns or names the plan changes, or which it drops.
fn touched_tables(plan: &Plan) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for op in plan
        .renames
        .iter()
        .chain(&plan.drop_tables)
        .chain(&plan.drop_columns)
        .chain(&plan.alter_columns)
    {
        match op {
            Operation::RenameTable { from, to } => {
                out.insert(from.clone());
                out.insert(to.clone());
            }
            Operation::DropTable { table } => {
                out.insert(table.name.clone());
            }
            Operation::DropColumn { table, .. }
            | Operation::AlterColumn { table, .. }
            | Operation::RenameColumn { table, .. } => {
                out.insert(table.clone());
            }
            _ => {}
        }
    }
    out
}

/// `objects` ordered so each comes after the objects among them it needs; ties
/// (and cycles, which the database refuses anyway) in kind then name order.
fn creation_order<'a>(
    objects: &[&'a SchemaObject],
    known: &BTreeSet<&str>,
) -> Vec<&'a SchemaObject> {
    let position: BTreeMap<&str, Vec<usize>> =
        objects
            .iter()
            .enumerate()
            .fold(BTreeMap::new(), |mut m, (i, o)| {
                m.entry(o.name.as_str()).or_default().push(i);
                m
            });
    let needs: Vec<BTreeSet<usize>> = objects
        .iter()
        .enumerate()
        .map(|(i, o)| {
            o.references(known)
                .iter()
                .flat_map(|r| position.get(r.as_str()).into_iter().flatten().copied())
                .filter(|&j| j != i)
                .collect()
        })
        .collect();
    let mut done = vec![false; objects.len()];
    let mut out = Vec::with_capacity(objects.len());
    while out.len() < objects.len() {
        let next = (0..objects.len())
            .filter(|&i| !done[i])
            .find(|&i| needs[i].iter().all(|&j| done[j]))
            // A cycle: take the first left, in kind then name order.
            .or_else(|| (0..objects.len()).find(|&i| !done[i]))
            .expect("an object is left");
        done[next] = true;
        out.push(objects[next]);
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::apply::apply_all;
    use crate::diff::{diff, downgrade_for};
    use crate::objects::{ObjectKind, SchemaObject};
    use crate::ops::Operation;
    use crate::schema::{Column, Schema, Table};
    use crate::types::ColumnType;

    fn schema(objects: &[SchemaObject], columns: &[(&str, ColumnType)]) -> Schema {
        let mut t = Table::new("users");
        t.columns = columns
            .iter()
            .map(|(n, ty)| Column::new(*n, ty.clone()))
            .collect();
        let mut s = Schema::from_tables([t]);
        s.objects = objects.to_vec();
        crate::objects::sort(&mut s.objects);
        s
    }

    fn view(name: &str, body: &str) -> SchemaObject {
        SchemaObject::new(ObjectKind::View, name, body)
    }

    fn describe(ops: &[Operation]) -> Vec<String> {
        ops.iter().map(Operation::describe).collect()
    }

    fn round_trip(old: &Schema, new: &Schema, ops: &[Operation]) {
        let mut s = old.clone();
        apply_all(&mut s, ops).unwrap();
        assert_eq!(&s, new);
        apply_all(&mut s, &downgrade_for(ops)).unwrap();
        assert_eq!(&s, old);
    }

    const COLS: &[(&str, ColumnType)] = &[("id", ColumnType::BigInt), ("name", ColumnType::Text)];

    #[test]
    fn views_are_created_after_what_they_read_and_dropped_before() {
        let a = view("a_names", "SELECT name FROM users_v");
        let b = view("users_v", "SELECT id, name FROM users");
        let new = schema(&[a, b], COLS);
        let ops = diff(&Schema::new(), &new);
        assert_eq!(
            describe(&ops),
            [
                "added table 'users'",
                "added view 'users_v'",
                "added view 'a_names'"
            ]
        );
        round_trip(&Schema::new(), &new, &ops);
        let back = diff(&new, &Schema::new());
        assert_eq!(
            describe(&back),
            [
                "removed view 'a_names'",
                "removed view 'users_v'",
                "removed table 'users'"
            ]
        );
    }

    #[test]
    fn a_changed_body_is_a_drop_and_a_create_and_spelling_is_no_change() {
        let old = schema(&[view("v", "SELECT id FROM users")], COLS);
        let same = schema(&[view("v", "select id\n  from users;")], COLS);
        assert!(diff(&old, &same).is_empty());
        let new = schema(&[view("v", "SELECT id, name FROM users")], COLS);
        let ops = diff(&old, &new);
        assert_eq!(describe(&ops), ["removed view 'v'", "added view 'v'"]);
        round_trip(&old, &new, &ops);
        let Operation::CreateObject { object } = &downgrade_for(&ops)[1] else {
            panic!()
        };
        assert_eq!(object.sql.as_deref(), Some("SELECT id FROM users"));
    }

    #[test]
    fn each_overload_is_created_changed_and_dropped_on_its_own() {
        let f = |args: &str, code: &str| {
            let mut o = SchemaObject::new(ObjectKind::Function, "half", "");
            o.sql = None;
            o.postgres = Some(format!(
                "CREATE FUNCTION half({args}) RETURNS numeric LANGUAGE sql AS $$ {code} $$"
            ));
            o
        };
        let int = f("x int", "SELECT x / 2");
        let num = f("x numeric", "SELECT x / 2");
        let old = schema(&[int.clone(), num.clone()], COLS);
        let ops = diff(&Schema::new(), &old);
        assert_eq!(
            describe(&ops)[1..],
            [
                "added function 'half(integer)'",
                "added function 'half(numeric)'"
            ]
        );
        // One body changes: only that overload is dropped and created again.
        let new = schema(&[int.clone(), f("x numeric", "SELECT x / 2.0")], COLS);
        let ops = diff(&old, &new);
        assert_eq!(
            describe(&ops),
            [
                "removed function 'half(numeric)'",
                "added function 'half(numeric)'"
            ]
        );
        round_trip(&old, &new, &ops);
        // Another spelling of the types is the same overload (its text changed).
        let respelled = schema(&[f("x int4", "SELECT x / 2"), num], COLS);
        assert_eq!(
            describe(&diff(&old, &respelled)),
            [
                "removed function 'half(integer)'",
                "added function 'half(integer)'"
            ]
        );
        // One goes, the other stays.
        let ops = diff(&old, &schema(&[int], COLS));
        assert_eq!(describe(&ops), ["removed function 'half(numeric)'"]);
    }

    #[test]
    fn sequences_come_before_the_tables_that_use_them() {
        let seq = SchemaObject::new(ObjectKind::Sequence, "ids", "START WITH 10");
        let mut new = schema(&[seq, view("v", "SELECT id FROM users")], COLS);
        new.tables.get_mut("users").unwrap().columns[0].default = Some("nextval('ids')".into());
        let ops = diff(&Schema::new(), &new);
        assert_eq!(
            describe(&ops),
            [
                "added sequence 'ids'",
                "added table 'users'",
                "added view 'v'"
            ]
        );
        assert_eq!(
            describe(&diff(&new, &Schema::new())),
            [
                "removed view 'v'",
                "removed table 'users'",
                "removed sequence 'ids'"
            ]
        );
        let mut changed = new.clone();
        changed.objects[0].sql = Some("START WITH 20".into());
        let ops = diff(&new, &changed);
        assert_eq!(
            describe(&ops),
            ["removed sequence 'ids'", "added sequence 'ids'"]
        );
        round_trip(&new, &changed, &ops);
    }

    #[test]
    fn objects_on_a_changed_column_are_created_again_around_the_change() {
        let v = view("v", "SELECT id FROM users");
        let w = view("w", "SELECT id FROM v");
        let unrelated = SchemaObject::new(
            ObjectKind::Trigger,
            "audit",
            "CREATE TRIGGER audit AFTER INSERT ON logs BEGIN SELECT 1; END",
        );
        let old = schema(&[v.clone(), w.clone(), unrelated.clone()], COLS);
        let new = schema(
            &[v, w, unrelated],
            &[
                ("id", ColumnType::BigInt),
                ("name", ColumnType::Varchar(80)),
            ],
        );
        let ops = diff(&old, &new);
        assert_eq!(
            describe(&ops),
            [
                "removed view 'w'",
                "removed view 'v'",
                "changed column 'users.name': type text -> varchar(80)",
                "added view 'v'",
                "added view 'w'"
            ]
        );
        round_trip(&old, &new, &ops);
        // An added column changes nothing a view reads.
        let wider = schema(
            &old.objects,
            &[
                ("id", ColumnType::BigInt),
                ("name", ColumnType::Text),
                ("x", ColumnType::Text),
            ],
        );
        assert_eq!(describe(&diff(&old, &wider)), ["added column 'users.x'"]);
    }
}
