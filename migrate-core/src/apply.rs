//! Replay: applying operations to a [`Schema`] in memory, with no database.
//!
//! Replaying every revision from base to a head gives the schema that head leaves,
//! which is what build.rs compares the models with. An operation that does not fit
//! the schema (dropping a column that is not there) is an error naming the table and
//! column, since it means the revision files disagree with each other.

use crate::ops::Operation;
use crate::schema::{label_list, EnumType, Schema, Table};
use crate::types::ColumnType;

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
    /// A column uses an enum type the schema does not have, or lists other labels.
    #[error(
        "column '{table}.{column}' {problem}; create or change the enum type before the column"
    )]
    EnumMismatch {
        /// Table name.
        table: String,
        /// Column name.
        column: String,
        /// Which enum type, with which labels, and what the schema has.
        problem: String,
    },
    /// The enum type does not exist.
    #[error("enum '{name}' does not exist")]
    NoSuchEnum {
        /// Type name.
        name: String,
    },
    /// The enum type already exists.
    #[error("enum '{name}' already exists")]
    EnumExists {
        /// Type name.
        name: String,
    },
    /// The enum type is still used by a column.
    #[error(
        "enum '{name}' is still used by column '{table}.{column}'; drop or change the column first"
    )]
    EnumInUse {
        /// Type name.
        name: String,
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// The change of labels does not fit the enum type as it is.
    #[error("enum '{name}': {problem}")]
    EnumLabels {
        /// Type name.
        name: String,
        /// What does not fit.
        problem: String,
    },
    /// A schema object of this kind and name already exists.
    #[error("{kind} '{name}' already exists")]
    ObjectExists {
        /// What kind of object.
        kind: crate::objects::ObjectKind,
        /// Its name (a PostgreSQL routine's with its argument types).
        name: String,
    },
    /// No schema object of this kind and name exists.
    #[error("{kind} '{name}' does not exist")]
    NoSuchObject {
        /// What kind of object.
        kind: crate::objects::ObjectKind,
        /// Its name (a PostgreSQL routine's with its argument types).
        name: String,
    },
}

/// Rule: a column of an enum type lists exactly the labels of that type in the
/// schema, so that every dialect writes the same labels for it.
fn check_enum_column(
    schema: &Schema,
    table: &str,
    column: &crate::schema::Column,
) -> Result<(), ApplyError> {
    let ColumnType::Enum { name, values } = &column.ty else {
        return Ok(());
    };
    let expected = match schema.enums.get(name) {
        Some(e) if e.values == *values => return Ok(()),
        Some(e) => format!("the enum type has ({})", label_list(&e.values)),
        None => "no such enum type exists at this point".to_string(),
    };
    Err(ApplyError::EnumMismatch {
        table: table.to_string(),
        column: column.name.clone(),
        problem: format!(
            "is of enum '{name}' ({}), but {expected}",
            label_list(values)
        ),
    })
}

/// Sets the labels of enum `name` to `values`, in the type and in every column.
fn set_enum_labels(schema: &mut Schema, name: &str, values: &[String]) -> Result<(), ApplyError> {
    let e = schema
        .enums
        .get_mut(name)
        .ok_or_else(|| ApplyError::NoSuchEnum {
            name: name.to_string(),
        })?;
    e.values = values.to_vec();
    for c in schema
        .tables
        .values_mut()
        .flat_map(|t| t.columns.iter_mut())
    {
        if let ColumnType::Enum { name: n, values: v } = &mut c.ty {
            if n == name {
                *v = values.to_vec();
            }
        }
    }
    Ok(())
}

/// Replays the enum type operations.
fn apply_enum(schema: &mut Schema, op: &crate::ops::Operation) -> Result<(), ApplyError> {
    use crate::ops::Operation::*;
    let labels = |name: &str, problem: String| ApplyError::EnumLabels {
        name: name.to_string(),
        problem,
    };
    match op {
        CreateEnum { enum_type } => {
            if schema.enums.contains_key(&enum_type.name) {
                return Err(ApplyError::EnumExists {
                    name: enum_type.name.clone(),
                });
            }
            check_labels(&enum_type.values).map_err(|p| labels(&enum_type.name, p))?;
            schema
                .enums
                .insert(enum_type.name.clone(), enum_type.clone());
        }
        DropEnum { enum_type } => {
            if let Some((t, c)) = schema.enum_columns(&enum_type.name).first() {
                return Err(ApplyError::EnumInUse {
                    name: enum_type.name.clone(),
                    table: t.name.clone(),
                    column: c.name.clone(),
                });
            }
            schema
                .enums
                .remove(&enum_type.name)
                .ok_or_else(|| ApplyError::NoSuchEnum {
                    name: enum_type.name.clone(),
                })?;
        }
        AlterEnum { name, from, to } => {
            let current = current_labels(schema, name)?;
            if current != *from {
                return Err(labels(
                    name,
                    format!("has ({}), not ({})", label_list(&current), label_list(from)),
                ));
            }
            check_labels(to).map_err(|p| labels(name, p))?;
            set_enum_labels(schema, name, to)?;
        }
        RenameEnumValue { name, from, to } => {
            let mut values = current_labels(schema, name)?;
            if values.contains(to) {
                return Err(labels(
                    name,
                    format!(
                        "already has the label {}",
                        label_list(std::slice::from_ref(to))
                    ),
                ));
            }
            let slot = values.iter_mut().find(|v| *v == from).ok_or_else(|| {
                labels(
                    name,
                    format!("has no label {}", label_list(std::slice::from_ref(from))),
                )
            })?;
            *slot = to.clone();
            set_enum_labels(schema, name, &values)?;
            rename_label_defaults(schema, name, from, to);
        }
        _ => {}
    }
    Ok(())
}

/// Rule: a default naming a renamed label names the new one, as the databases
/// do (PostgreSQL stores the label, MySQL and SQLite are restated with it).
pub(crate) fn rename_label_defaults(schema: &mut Schema, name: &str, from: &str, to: &str) {
    let old = crate::dialect::quote::string_literal(from);
    for c in schema
        .tables
        .values_mut()
        .flat_map(|t| t.columns.iter_mut())
    {
        let of_type = matches!(&c.ty, ColumnType::Enum { name: n, .. } if n == name);
        if of_type && c.default.as_deref().map(str::trim) == Some(old.as_str()) {
            c.default = Some(crate::dialect::quote::string_literal(to));
        }
    }
}

fn current_labels(schema: &Schema, name: &str) -> Result<Vec<String>, ApplyError> {
    schema
        .enums
        .get(name)
        .map(|e: &EnumType| e.values.clone())
        .ok_or_else(|| ApplyError::NoSuchEnum {
            name: name.to_string(),
        })
}

/// Rule: an enum has at least one label and no label twice (databases refuse both).
fn check_labels(values: &[String]) -> Result<(), String> {
    if values.is_empty() {
        return Err("an enum needs at least one label".to_string());
    }
    for (i, v) in values.iter().enumerate() {
        if values[..i].contains(v) {
            return Err(format!(
                "the label {} is listed twice",
                label_list(std::slice::from_ref(v))
            ));
        }
    }
    Ok(())
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
            for c in &table.columns {
                check_enum_column(schema, &table.name, c)?;
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
            check_enum_column(schema, table, column)?;
            table_mut(schema, table)?.columns.push(column.clone());
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
            t.indexes.retain(|i| !i.uses_column(name));
            t.foreign_keys
                .retain(|f| !f.columns.iter().any(|c| c == name));
        }
        AlterColumn {
            table, column, to, ..
        } => {
            let probe = crate::schema::Column::new(column.clone(), to.ty.clone());
            check_enum_column(schema, table, &probe)?;
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
            c.generated = to.generated.as_deref().cloned();
            c.on_update = to.on_update.clone();
            c.collation = to.collation.clone();
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
                i.rename_column(from, to);
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
        CreateEnum { .. } | DropEnum { .. } | AlterEnum { .. } | RenameEnumValue { .. } => {
            apply_enum(schema, op)?
        }
        CreateObject { .. } | DropObject { .. } => crate::objects::apply::apply_object(schema, op)?,
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
            ..Default::default()
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
            ..Default::default()
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
                    ..Default::default()
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
