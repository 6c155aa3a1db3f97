//! Builders and checks shared by the diff's unit tests.

use crate::apply::apply_all;
use crate::naming;
use crate::ops::Operation;
use crate::schema::{Column, FkAction, ForeignKey, PrimaryKey, Schema, Table};
use crate::types::ColumnType;

/// A table of NOT NULL bigint `columns`, the first one its primary key.
pub fn table(name: &str, columns: &[&str]) -> Table {
    let mut t = Table::new(name);
    for c in columns {
        t.columns.push(Column::new(*c, ColumnType::BigInt));
    }
    if let Some(first) = columns.first() {
        t.primary_key = Some(PrimaryKey {
            name: naming::primary_key(name),
            columns: vec![first.to_string()],
        });
    }
    t
}

/// `t` with a foreign key from `column` to `ref_table.id`.
pub fn with_fk(mut t: Table, column: &str, ref_table: &str) -> Table {
    t.foreign_keys.push(ForeignKey {
        name: naming::foreign_key(&t.name, &[column], ref_table),
        columns: vec![column.to_string()],
        ref_table: ref_table.to_string(),
        ref_columns: vec!["id".to_string()],
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        ..Default::default()
    });
    t
}

/// A one-table schema.
pub fn one(t: Table) -> Schema {
    Schema::from_tables([t])
}

/// `schema` with every table's columns, constraints and indexes sorted by name
/// (replay appends what it adds, and that order carries no meaning in SQL).
pub fn normalised(schema: &Schema) -> Schema {
    let mut s = schema.clone();
    for t in s.tables.values_mut() {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        t.checks.sort_by(|a, b| a.name.cmp(&b.name));
    }
    s
}

/// Replaying `ops` onto `old` gives `new`, and their inverse takes it back.
pub fn assert_replays(old: &Schema, new: &Schema, ops: &[Operation]) {
    let mut s = old.clone();
    apply_all(&mut s, ops).expect("the diff applies");
    assert_eq!(normalised(&s), normalised(new), "replaying {ops:#?}");
    let back = Operation::invert_all(ops).expect("no raw SQL");
    let mut s = new.clone();
    apply_all(&mut s, &back).expect("the inverse applies");
    assert_eq!(normalised(&s), normalised(old), "undoing {ops:#?}");
}
