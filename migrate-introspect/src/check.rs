//! Live drift check: what separates a database from the head schema.

use migrate_core::{Operation, Schema, Table};

use crate::error::IntrospectError;
use crate::normalize::normalize_schema;
use crate::{introspect_backend, Database, IntrospectOptions};

/// Reads the live schema of `db` and returns the operations that would turn it into
/// `head`; an empty list means no drift. Both sides are normalised first
/// ([`normalize_schema`]), so spelling differences of defaults and checks and the
/// order of constraints are not drift, and neither is what the database cannot
/// store ([`crate::Backend::storable`]). Tables outside `options.tables` and the
/// version tables are not looked at.
pub async fn check<'a>(
    db: impl Into<Database<'a>>,
    head: &Schema,
    options: &IntrospectOptions,
) -> Result<Vec<Operation>, IntrospectError> {
    let (live, backend) = introspect_backend(db.into(), options).await?;
    let mut head = backend.storable(head);
    head.tables.retain(|name, _| options.wants(name));
    Ok(schema_ops(&live, &head))
}

/// The operations from `live` to `head`, by name: tables created or dropped,
/// columns added, dropped or altered, and every key, index, check and comment
/// that differs dropped and re-added. No renames are guessed.
pub fn schema_ops(live: &Schema, head: &Schema) -> Vec<Operation> {
    let live = normalize_schema(live);
    let head = normalize_schema(head);
    let mut ops = Vec::new();
    for (name, table) in &live.tables {
        if !head.tables.contains_key(name) {
            ops.push(Operation::DropTable {
                table: table.clone(),
            });
        }
    }
    for (name, table) in &head.tables {
        match live.tables.get(name) {
            None => ops.push(Operation::CreateTable {
                table: table.clone(),
            }),
            Some(old) => table_ops(old, table, &mut ops),
        }
    }
    ops
}

/// Drops what `old` has and `new` lacks (or has differently), then adds.
fn pairs<T: PartialEq + Clone>(
    old: &[T],
    new: &[T],
    drop: impl Fn(T) -> Operation,
    add: impl Fn(T) -> Operation,
    ops: &mut Vec<Operation>,
) {
    for o in old {
        if !new.iter().any(|n| n == o) {
            ops.push(drop(o.clone()));
        }
    }
    for n in new {
        if !old.iter().any(|o| o == n) {
            ops.push(add(n.clone()));
        }
    }
}

fn table_ops(old: &Table, new: &Table, ops: &mut Vec<Operation>) {
    let t = || new.name.clone();
    for c in &old.columns {
        if new.column(&c.name).is_none() {
            ops.push(Operation::DropColumn {
                table: t(),
                column: c.clone(),
            });
        }
    }
    for c in &new.columns {
        match old.column(&c.name) {
            None => ops.push(Operation::AddColumn {
                table: t(),
                column: c.clone(),
            }),
            Some(o) => {
                if o.state() != c.state() {
                    ops.push(Operation::AlterColumn {
                        table: t(),
                        column: c.name.clone(),
                        from: o.state(),
                        to: c.state(),
                    });
                }
                if o.comment != c.comment {
                    ops.push(Operation::SetColumnComment {
                        table: t(),
                        column: c.name.clone(),
                        from: o.comment.clone(),
                        to: c.comment.clone(),
                    });
                }
            }
        }
    }
    if old.primary_key != new.primary_key {
        if let Some(pk) = &old.primary_key {
            ops.push(Operation::DropPrimaryKey {
                table: t(),
                primary_key: pk.clone(),
            });
        }
        if let Some(pk) = &new.primary_key {
            ops.push(Operation::AddPrimaryKey {
                table: t(),
                primary_key: pk.clone(),
            });
        }
    }
    pairs(
        &old.uniques,
        &new.uniques,
        |u| Operation::DropUnique {
            table: t(),
            unique: u,
        },
        |u| Operation::AddUnique {
            table: t(),
            unique: u,
        },
        ops,
    );
    pairs(
        &old.indexes,
        &new.indexes,
        |i| Operation::DropIndex {
            table: t(),
            index: i,
        },
        |i| Operation::CreateIndex {
            table: t(),
            index: i,
        },
        ops,
    );
    pairs(
        &old.foreign_keys,
        &new.foreign_keys,
        |f| Operation::DropForeignKey {
            table: t(),
            foreign_key: f,
        },
        |f| Operation::AddForeignKey {
            table: t(),
            foreign_key: f,
        },
        ops,
    );
    pairs(
        &old.checks,
        &new.checks,
        |c| Operation::DropCheck {
            table: t(),
            check: c,
        },
        |c| Operation::AddCheck {
            table: t(),
            check: c,
        },
        ops,
    );
    if old.comment != new.comment {
        ops.push(Operation::SetTableComment {
            table: t(),
            from: old.comment.clone(),
            to: new.comment.clone(),
        });
    }
}
