//! The steps of a baseline revision for an adopted database.

use std::collections::{BTreeMap, BTreeSet};

use migrate_core::{Operation, Schema};

/// `CreateTable` steps that build `schema` from nothing, each table after the
/// tables it references. Foreign keys that close a cycle (and self-references are
/// fine inline) are created with the later table as `AddForeignKey` steps, so the
/// list replays onto an empty schema to exactly `schema`.
pub fn baseline_ops(schema: &Schema) -> Vec<Operation> {
    let mut ops = Vec::new();
    let mut created: BTreeSet<&str> = BTreeSet::new();
    let mut deferred = Vec::new();
    let mut remaining: BTreeMap<&str, _> =
        schema.tables.iter().map(|(k, v)| (k.as_str(), v)).collect();
    while !remaining.is_empty() {
        // The first table (by name) whose references all exist; if none, the first
        // table, with its forward references deferred.
        let ready = remaining.iter().find(|(name, t)| {
            t.foreign_keys.iter().all(|fk| {
                fk.ref_table == **name
                    || created.contains(fk.ref_table.as_str())
                    || !schema.tables.contains_key(&fk.ref_table)
            })
        });
        let (name, table) = match ready {
            Some((n, t)) => (*n, *t),
            None => {
                let (n, t) = remaining.iter().next().expect("not empty");
                (*n, *t)
            }
        };
        remaining.remove(name);
        let mut table = table.clone();
        let (now, later): (Vec<_>, Vec<_>) = table.foreign_keys.drain(..).partition(|fk| {
            fk.ref_table == name
                || created.contains(fk.ref_table.as_str())
                || !schema.tables.contains_key(&fk.ref_table)
        });
        table.foreign_keys = now;
        for fk in later {
            deferred.push(Operation::AddForeignKey {
                table: name.to_string(),
                foreign_key: fk,
            });
        }
        created.insert(name);
        ops.push(Operation::CreateTable { table });
    }
    ops.extend(deferred);
    ops
}
