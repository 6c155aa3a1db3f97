//! A replay that refuses what a database would refuse, to check that the diff's
//! operations come in an executable order: nothing may refer to a table, column or
//! key that does not exist yet, and nothing may be dropped while something still
//! refers to it. A foreign key rests on the primary key, unique constraint or unique
//! index over its referenced columns; dropping one of them is refused unless another
//! covers the same columns.

use migrate_core::{ForeignKey, Operation, Schema, Table};

/// Applies `ops` one by one, checking each against the schema it meets.
pub fn apply_all(schema: &mut Schema, ops: &[Operation]) -> Result<(), String> {
    for (step, op) in ops.iter().enumerate() {
        check(schema, op)
            .and_then(|()| migrate_core::apply(schema, op).map_err(|e| e.to_string()))
            .map_err(|e| format!("step {step} ({}): {e}\nin {ops:#?}", op.describe()))?;
    }
    Ok(())
}

fn table<'a>(schema: &'a Schema, name: &str) -> Result<&'a Table, String> {
    schema
        .tables
        .get(name)
        .ok_or_else(|| format!("table '{name}' does not exist"))
}

fn columns_exist<'a>(
    t: &Table,
    mut columns: impl Iterator<Item = &'a String>,
) -> Result<(), String> {
    match columns.find(|c| t.column(c).is_none()) {
        Some(c) => Err(format!("column '{}.{c}' does not exist", t.name)),
        None => Ok(()),
    }
}

/// The referenced table (`creating` itself for a self-reference) and its columns exist.
fn referable(schema: &Schema, creating: Option<&Table>, fk: &ForeignKey) -> Result<(), String> {
    let target = match creating {
        Some(t) if t.name == fk.ref_table => t,
        _ => table(schema, &fk.ref_table)?,
    };
    columns_exist(target, fk.ref_columns.iter())
}

/// No foreign key rests on the key `columns` of `table`, unless another key of the
/// table (than `dropping`) covers the same columns.
fn key_unused(
    schema: &Schema,
    table: &str,
    dropping: &str,
    columns: &[String],
) -> Result<(), String> {
    let sorted = |c: &[String]| {
        let mut v = c.to_vec();
        v.sort();
        v
    };
    let wanted = sorted(columns);
    let t = self::table(schema, table)?;
    let mut other_keys: Vec<(&str, Vec<String>)> = Vec::new();
    if let Some(pk) = &t.primary_key {
        other_keys.push((&pk.name, pk.columns.clone()));
    }
    for u in &t.uniques {
        other_keys.push((&u.name, u.columns.clone()));
    }
    for i in t.indexes.iter().filter(|i| i.unique) {
        other_keys.push((&i.name, i.columns.iter().map(|c| c.name.clone()).collect()));
    }
    if other_keys
        .iter()
        .any(|(name, cols)| *name != dropping && sorted(cols) == wanted)
    {
        return Ok(());
    }
    for t in schema.tables.values() {
        for fk in &t.foreign_keys {
            if fk.ref_table == table && sorted(&fk.ref_columns) == wanted {
                return Err(format!("foreign key '{}' still rests on this key", fk.name));
            }
        }
    }
    Ok(())
}

fn check(schema: &Schema, op: &Operation) -> Result<(), String> {
    use Operation::*;
    match op {
        CreateTable { table: t } => {
            for fk in &t.foreign_keys {
                columns_exist(t, fk.columns.iter())?;
                referable(schema, Some(t), fk)?;
            }
            Ok(())
        }
        DropTable { table: t } => {
            for other in schema.tables.values().filter(|o| o.name != t.name) {
                if let Some(fk) = other.foreign_keys.iter().find(|fk| fk.ref_table == t.name) {
                    return Err(format!(
                        "'{}' still references it ({})",
                        other.name, fk.name
                    ));
                }
            }
            Ok(())
        }
        DropColumn {
            table: name,
            column,
        } => {
            let t = table(schema, name)?;
            let users = t.constraints_on(&column.name);
            if !users.is_empty() {
                return Err(format!("still used by {users:?}"));
            }
            for other in schema.tables.values() {
                for fk in &other.foreign_keys {
                    if fk.ref_table == *name && fk.ref_columns.contains(&column.name) {
                        return Err(format!("still referenced by '{}'", fk.name));
                    }
                }
            }
            Ok(())
        }
        AddForeignKey {
            table: name,
            foreign_key,
        } => {
            columns_exist(table(schema, name)?, foreign_key.columns.iter())?;
            referable(schema, None, foreign_key)
        }
        AddPrimaryKey {
            table: name,
            primary_key,
        } => columns_exist(table(schema, name)?, primary_key.columns.iter()),
        AddUnique {
            table: name,
            unique,
        } => columns_exist(table(schema, name)?, unique.columns.iter()),
        CreateIndex { table: name, index } => {
            columns_exist(table(schema, name)?, index.columns.iter().map(|c| &c.name))
        }
        DropPrimaryKey {
            table: name,
            primary_key,
        } => key_unused(schema, name, &primary_key.name, &primary_key.columns),
        DropUnique {
            table: name,
            unique,
        } => key_unused(schema, name, &unique.name, &unique.columns),
        DropIndex { table: name, index } if index.unique => {
            let columns: Vec<String> = index.columns.iter().map(|c| c.name.clone()).collect();
            key_unused(schema, name, &index.name, &columns)
        }
        _ => Ok(()),
    }
}
