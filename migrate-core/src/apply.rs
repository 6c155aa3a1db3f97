//! Replay: applying operations to a [`Schema`] in memory, with no database.
//!
//! Replaying every revision from base to a head gives the schema that head leaves,
//! which is what build.rs compares the models with. An operation that does not fit
//! the schema (dropping a column that is not there) is an error naming the table and
//! column, since it means the revision files disagree with each other.

use crate::ops::Operation;
use crate::schema::{Schema, Table};

/// An operation that does not fit the schema it is applied to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    /// The table does not exist.
    #[error("table '{table}' does not exist")]
    NoSuchTable {
        /// Table name.
        table: String,
    },
    /// The table already exists.
    #[error("table '{table}' already exists")]
    TableExists {
        /// Table name.
        table: String,
    },
    /// The column does not exist.
    #[error("column '{table}.{column}' does not exist")]
    NoSuchColumn {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// The column already exists.
    #[error("column '{table}.{column}' already exists")]
    ColumnExists {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// A constraint or index with this name does not exist.
    #[error("{kind} '{name}' does not exist on table '{table}'")]
    NoSuchConstraint {
        /// Table name.
        table: String,
        /// What kind of object ("index", "foreign key", ...).
        kind: &'static str,
        /// Its name.
        name: String,
    },
    /// A constraint or index with this name already exists.
    #[error("{kind} '{name}' already exists on table '{table}'")]
    ConstraintExists {
        /// Table name.
        table: String,
        /// What kind of object.
        kind: &'static str,
        /// Its name.
        name: String,
    },
}

fn table_mut<'a>(schema: &'a mut Schema, name: &str) -> Result<&'a mut Table, ApplyError> {
    schema
        .tables
        .get_mut(name)
        .ok_or_else(|| ApplyError::NoSuchTable {
            table: name.to_string(),
        })
}

/// Adds `item` to `list` unless one with the same name is there.
fn add_named<T>(
    table: &str,
    kind: &'static str,
    list: &mut Vec<T>,
    item: T,
    name: impl Fn(&T) -> &str,
) -> Result<(), ApplyError> {
    if list.iter().any(|x| name(x) == name(&item)) {
        return Err(ApplyError::ConstraintExists {
            table: table.to_string(),
            kind,
            name: name(&item).to_string(),
        });
    }
    list.push(item);
    Ok(())
}

/// Removes the item called `wanted` from `list`.
fn remove_named<T>(
    table: &str,
    kind: &'static str,
    list: &mut Vec<T>,
    wanted: &str,
    name: impl Fn(&T) -> &str,
) -> Result<(), ApplyError> {
    let before = list.len();
    list.retain(|x| name(x) != wanted);
    if list.len() == before {
        return Err(ApplyError::NoSuchConstraint {
            table: table.to_string(),
            kind,
            name: wanted.to_string(),
        });
    }
    Ok(())
}

fn rename_in(list: &mut [String], from: &str, to: &str) {
    for name in list.iter_mut().filter(|n| *n == from) {
        *name = to.to_string();
    }
}

/// Applies one operation to `schema`. Raw SQL changes nothing.
pub fn apply(schema: &mut Schema, op: &Operation) -> Result<(), ApplyError> {
    use Operation::*;
    match op {
        CreateTable { table } => {
            if schema.tables.contains_key(&table.name) {
                return Err(ApplyError::TableExists {
                    table: table.name.clone(),
                });
            }
            schema.tables.insert(table.name.clone(), table.clone());
        }
        DropTable { table } => {
            schema
                .tables
                .remove(&table.name)
                .ok_or_else(|| ApplyError::NoSuchTable {
                    table: table.name.clone(),
                })?;
        }
        RenameTable { from, to } => {
            if schema.tables.contains_key(to) {
                return Err(ApplyError::TableExists { table: to.clone() });
            }
            let mut t = schema
                .tables
                .remove(from)
                .ok_or_else(|| ApplyError::NoSuchTable {
                    table: from.clone(),
                })?;
            t.name = to.clone();
            schema.tables.insert(to.clone(), t);
            for other in schema.tables.values_mut() {
                for fk in other
                    .foreign_keys
                    .iter_mut()
                    .filter(|fk| fk.ref_table == *from)
                {
                    fk.ref_table = to.clone();
                }
            }
        }
        AddColumn { table, column } => {
            let t = table_mut(schema, table)?;
            if t.column(&column.name).is_some() {
                return Err(ApplyError::ColumnExists {
                    table: table.clone(),
                    column: column.name.clone(),
                });
            }
            t.columns.push(column.clone());
        }
        DropColumn { table, column } => {
            let t = table_mut(schema, table)?;
            let before = t.columns.len();
            t.columns.retain(|c| c.name != column.name);
            if t.columns.len() == before {
                return Err(ApplyError::NoSuchColumn {
                    table: table.clone(),
                    column: column.name.clone(),
                });
            }
            // Databases drop the indexes and constraints that use a dropped column
            // (PostgreSQL and SQLite's rebuild do; MySQL drops the column from them,
            // which the diff never relies on: it drops them explicitly first).
            let name = column.name.as_str();
            if t.primary_key
                .as_ref()
                .is_some_and(|pk| pk.columns.iter().any(|c| c == name))
            {
                t.primary_key = None;
            }
            t.uniques.retain(|u| !u.columns.iter().any(|c| c == name));
            t.indexes
                .retain(|i| !i.columns.iter().any(|c| c.name == name));
            t.foreign_keys
                .retain(|f| !f.columns.iter().any(|c| c == name));
        }
        AlterColumn {
            table, column, to, ..
        } => {
            let t = table_mut(schema, table)?;
            let c = t
                .column_mut(column)
                .ok_or_else(|| ApplyError::NoSuchColumn {
                    table: table.clone(),
                    column: column.clone(),
                })?;
            c.ty = to.ty.clone();
            c.nullable = to.nullable;
            c.default = to.default.clone();
            c.autoincrement = to.autoincrement;
        }
        RenameColumn { table, from, to } => {
            let t = table_mut(schema, table)?;
            if t.column(to).is_some() {
                return Err(ApplyError::ColumnExists {
                    table: table.clone(),
                    column: to.clone(),
                });
            }
            let c = t.column_mut(from).ok_or_else(|| ApplyError::NoSuchColumn {
                table: table.clone(),
                column: from.clone(),
            })?;
            c.name = to.clone();
            if let Some(pk) = &mut t.primary_key {
                rename_in(&mut pk.columns, from, to);
            }
            for u in &mut t.uniques {
                rename_in(&mut u.columns, from, to);
            }
            for i in &mut t.indexes {
                for ic in i.columns.iter_mut().filter(|ic| ic.name == *from) {
                    ic.name = to.clone();
                }
            }
            for fk in &mut t.foreign_keys {
                rename_in(&mut fk.columns, from, to);
            }
            // The databases rewrite the checks that use a renamed column.
            for ck in &mut t.checks {
                ck.expr = crate::dialect::tokens::rename_column(&ck.expr, from, to);
            }
            for other in schema.tables.values_mut() {
                for fk in other
                    .foreign_keys
                    .iter_mut()
                    .filter(|fk| fk.ref_table == *table)
                {
                    rename_in(&mut fk.ref_columns, from, to);
                }
            }
        }
        AddPrimaryKey { table, primary_key } => {
            let t = table_mut(schema, table)?;
            if let Some(existing) = &t.primary_key {
                return Err(ApplyError::ConstraintExists {
                    table: table.clone(),
                    kind: "primary key",
                    name: existing.name.clone(),
                });
            }
            t.primary_key = Some(primary_key.clone());
        }
        DropPrimaryKey { table, primary_key } => {
            let t = table_mut(schema, table)?;
            if t.primary_key.as_ref().map(|pk| &pk.name) != Some(&primary_key.name) {
                return Err(ApplyError::NoSuchConstraint {
                    table: table.clone(),
                    kind: "primary key",
                    name: primary_key.name.clone(),
                });
            }
            t.primary_key = None;
        }
        AddUnique { table, unique } => {
            let t = table_mut(schema, table)?;
            add_named(
                table,
                "unique constraint",
                &mut t.uniques,
                unique.clone(),
                |u| &u.name,
            )?;
        }
        DropUnique { table, unique } => {
            let t = table_mut(schema, table)?;
            remove_named(
                table,
                "unique constraint",
                &mut t.uniques,
                &unique.name,
                |u| &u.name,
            )?;
        }
        CreateIndex { table, index } => {
            let t = table_mut(schema, table)?;
            add_named(table, "index", &mut t.indexes, index.clone(), |i| &i.name)?;
        }
        DropIndex { table, index } => {
            let t = table_mut(schema, table)?;
            remove_named(table, "index", &mut t.indexes, &index.name, |i| &i.name)?;
        }
        AddForeignKey { table, foreign_key } => {
            let t = table_mut(schema, table)?;
            add_named(
                table,
                "foreign key",
                &mut t.foreign_keys,
                foreign_key.clone(),
                |f| &f.name,
            )?;
        }
        DropForeignKey { table, foreign_key } => {
            let t = table_mut(schema, table)?;
            remove_named(
                table,
                "foreign key",
                &mut t.foreign_keys,
                &foreign_key.name,
                |f| &f.name,
            )?;
        }
        RenameConstraint { table, from, to } => {
            let t = table_mut(schema, table)?;
            if let Some(kind) = t.named_object(to) {
                return Err(ApplyError::ConstraintExists {
                    table: table.clone(),
                    kind: kind.label(),
                    name: to.clone(),
                });
            }
            if !t.rename_object(from, to) {
                return Err(ApplyError::NoSuchConstraint {
                    table: table.clone(),
                    kind: "constraint or index",
                    name: from.clone(),
                });
            }
        }
        AddCheck { table, check } => {
            let t = table_mut(schema, table)?;
            add_named(table, "check", &mut t.checks, check.clone(), |c| &c.name)?;
        }
        DropCheck { table, check } => {
            let t = table_mut(schema, table)?;
            remove_named(table, "check", &mut t.checks, &check.name, |c| &c.name)?;
        }
        SetTableComment { table, to, .. } => {
            table_mut(schema, table)?.comment = to.clone();
        }
        SetColumnComment {
            table, column, to, ..
        } => {
            let t = table_mut(schema, table)?;
            let c = t
                .column_mut(column)
                .ok_or_else(|| ApplyError::NoSuchColumn {
                    table: table.clone(),
                    column: column.clone(),
                })?;
            c.comment = to.clone();
        }
        Sql(_) => {}
    }
    Ok(())
}

/// Applies every operation in order.
pub fn apply_all<'a>(
    schema: &mut Schema,
    ops: impl IntoIterator<Item = &'a Operation>,
) -> Result<(), ApplyError> {
    ops.into_iter().try_for_each(|op| apply(schema, op))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, FkAction, ForeignKey, Index, IndexColumn, PrimaryKey};
    use crate::types::ColumnType;

    fn users() -> Table {
        let mut t = Table::new("users");
        t.columns.push(Column::new("id", ColumnType::BigInt));
        t.columns
            .push(Column::new("email", ColumnType::Varchar(255)));
        t.primary_key = Some(PrimaryKey {
            name: "pk_users".into(),
            columns: vec!["id".into()],
        });
        t.indexes.push(Index {
            name: "ix_users_email".into(),
            columns: vec![IndexColumn::asc("email")],
            unique: true,
        });
        t
    }

    fn posts() -> Table {
        let mut t = Table::new("posts");
        t.columns.push(Column::new("id", ColumnType::BigInt));
        t.columns.push(Column::new("user_id", ColumnType::BigInt));
        t.foreign_keys.push(ForeignKey {
            name: "fk_posts_user_id_users".into(),
            columns: vec!["user_id".into()],
            ref_table: "users".into(),
            ref_columns: vec!["id".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
        });
        t
    }

    #[test]
    fn every_operation_then_its_inverse_restores_the_schema() {
        let start = Schema::from_tables([users(), posts()]);
        let ops = vec![
            Operation::AddColumn {
                table: "users".into(),
                column: Column::new("phone", ColumnType::Varchar(20)).nullable(),
            },
            Operation::RenameColumn {
                table: "users".into(),
                from: "id".into(),
                to: "user_id".into(),
            },
            Operation::RenameTable {
                from: "users".into(),
                to: "app_users".into(),
            },
            Operation::SetTableComment {
                table: "app_users".into(),
                from: None,
                to: Some("people".into()),
            },
        ];
        let mut s = start.clone();
        apply_all(&mut s, &ops).unwrap();
        let fk = &s.tables["posts"].foreign_keys[0];
        assert_eq!(fk.ref_table, "app_users");
        assert_eq!(fk.ref_columns, vec!["user_id".to_string()]);
        assert_eq!(
            s.tables["app_users"].primary_key.as_ref().unwrap().columns,
            vec!["user_id".to_string()]
        );
        apply_all(&mut s, &Operation::invert_all(&ops).unwrap()).unwrap();
        assert_eq!(s, start);
    }

    #[test]
    fn dropping_a_column_drops_what_uses_it() {
        let mut s = Schema::from_tables([users(), posts()]);
        apply(
            &mut s,
            &Operation::DropColumn {
                table: "users".into(),
                column: Column::new("email", ColumnType::Varchar(255)),
            },
        )
        .unwrap();
        assert!(s.tables["users"].indexes.is_empty());
        assert!(s.tables["users"].primary_key.is_some());
        apply(
            &mut s,
            &Operation::DropColumn {
                table: "posts".into(),
                column: Column::new("user_id", ColumnType::BigInt),
            },
        )
        .unwrap();
        assert!(s.tables["posts"].foreign_keys.is_empty());
    }

    #[test]
    fn misfit_operations_name_what_is_missing() {
        let mut s = Schema::from_tables([users()]);
        let e = apply(
            &mut s,
            &Operation::DropColumn {
                table: "users".into(),
                column: Column::new("nope", ColumnType::Text),
            },
        )
        .unwrap_err();
        assert_eq!(e.to_string(), "column 'users.nope' does not exist");
        let e = apply(&mut s, &Operation::CreateTable { table: users() }).unwrap_err();
        assert_eq!(e.to_string(), "table 'users' already exists");
        let e = apply(
            &mut s,
            &Operation::DropIndex {
                table: "users".into(),
                index: Index {
                    name: "ix_gone".into(),
                    columns: vec![],
                    unique: false,
                },
            },
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "index 'ix_gone' does not exist on table 'users'"
        );
    }
}
