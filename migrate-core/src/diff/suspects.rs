//! Drops and adds that may be renames in disguise.
//!
//! The diff never guesses a rename, because a wrong guess loses data either way.
//! Instead, autogenerate asks [`rename_suspects`] whether a dropped column looks
//! like an added one of the same table (same type and nullability), or a dropped
//! table like a created one (same column types and nullability, in order), and if
//! so stops and tells the user which attribute declares the rename.

use std::fmt;

use crate::ops::Operation;
use crate::schema::{Column, Table};
use crate::types::ColumnType;

/// A drop and an add with the same shape: perhaps a rename the models did not declare.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RenameSuspect {
    /// A column dropped and one added in the same table, with the same type and
    /// nullability.
    Column {
        /// The table (its new name).
        table: String,
        /// The dropped column.
        dropped: String,
        /// The added column.
        added: String,
        /// Their type.
        ty: ColumnType,
        /// Their nullability.
        nullable: bool,
    },
    /// A table dropped and one created with the same column shapes.
    Table {
        /// The dropped table.
        dropped: String,
        /// The created table.
        added: String,
    },
}

impl fmt::Display for RenameSuspect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenameSuspect::Column {
                table,
                dropped,
                added,
                ty,
                nullable,
            } => {
                write!(
                f,
                "column '{table}.{dropped}' is dropped and '{table}.{added}' is added with the \
                 same type ({ty}{}). If the column was renamed, add \
                 `#[model(renamed_from = \"{dropped}\")]` to the field of column '{added}'; \
                 if it really is a new column, confirm dropping '{dropped}' and its data with \
                 MIGRATE_ALLOW_DESTRUCTIVE=1",
                if *nullable { ", nullable" } else { ", NOT NULL" }
            )
            }
            RenameSuspect::Table { dropped, added } => write!(
                f,
                "table '{dropped}' is dropped and '{added}' is created with the same columns. \
                 If the table was renamed, add `#[model(renamed_from = \"{dropped}\")]` to the \
                 struct of table '{added}'; if it really is a new table, confirm dropping \
                 '{dropped}' and its rows with MIGRATE_ALLOW_DESTRUCTIVE=1"
            ),
        }
    }
}

/// What a table looks like without names: each column's type and nullability.
fn shape(table: &Table) -> Vec<(&ColumnType, bool)> {
    table.columns.iter().map(|c| (&c.ty, c.nullable)).collect()
}

/// Every drop in `ops` that has an add of the same shape, in the order of the ops
/// (tables first, then columns). One drop can be suspected with several adds.
pub fn rename_suspects(ops: &[Operation]) -> Vec<RenameSuspect> {
    let mut dropped_tables: Vec<&Table> = Vec::new();
    let mut created_tables: Vec<&Table> = Vec::new();
    let mut dropped_columns: Vec<(&str, &Column)> = Vec::new();
    let mut added_columns: Vec<(&str, &Column)> = Vec::new();
    for op in ops {
        match op {
            Operation::DropTable { table } => dropped_tables.push(table),
            Operation::CreateTable { table } => created_tables.push(table),
            Operation::DropColumn { table, column } => dropped_columns.push((table, column)),
            Operation::AddColumn { table, column } => added_columns.push((table, column)),
            _ => {}
        }
    }
    let mut suspects = Vec::new();
    for dropped in &dropped_tables {
        for created in &created_tables {
            if shape(dropped) == shape(created) {
                suspects.push(RenameSuspect::Table {
                    dropped: dropped.name.clone(),
                    added: created.name.clone(),
                });
            }
        }
    }
    for &(table, dropped) in &dropped_columns {
        for &(added_table, added) in &added_columns {
            if table == added_table && dropped.ty == added.ty && dropped.nullable == added.nullable
            {
                suspects.push(RenameSuspect::Column {
                    table: table.to_string(),
                    dropped: dropped.name.clone(),
                    added: added.name.clone(),
                    ty: added.ty.clone(),
                    nullable: added.nullable,
                });
            }
        }
    }
    suspects
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use super::*;
    use crate::diff::{diff, diff_with_hints, DiffHints};
    use crate::schema::Schema;

    #[test]
    fn a_same_shaped_column_swap_is_suspected_and_says_what_to_write() {
        let old = one(table("users", &["id", "name"]));
        let new = one(table("users", &["id", "full_name"]));
        let suspects = rename_suspects(&diff(&old, &new));
        assert_eq!(
            suspects,
            vec![RenameSuspect::Column {
                table: "users".into(),
                dropped: "name".into(),
                added: "full_name".into(),
                ty: ColumnType::BigInt,
                nullable: false,
            }]
        );
        let text = suspects[0].to_string();
        assert!(
            text.contains("`#[model(renamed_from = \"name\")]` to the field of column 'full_name'"),
            "{text}"
        );
        assert!(text.contains("MIGRATE_ALLOW_DESTRUCTIVE=1"), "{text}");
        // Declaring the rename clears the suspicion.
        let hints = DiffHints::new().rename_column("users", "name", "full_name");
        assert!(rename_suspects(&diff_with_hints(&old, &new, &hints)).is_empty());
    }

    #[test]
    fn a_different_type_or_nullability_or_table_is_not_suspected() {
        let old = one(table("users", &["id", "name"]));
        let mut t = table("users", &["id", "full_name"]);
        t.columns[1].nullable = true;
        assert!(rename_suspects(&diff(&old, &one(t.clone()))).is_empty());
        t.columns[1] = Column::new("full_name", ColumnType::Text);
        assert!(rename_suspects(&diff(&old, &one(t))).is_empty());
        let old = Schema::from_tables([table("a", &["id", "x"]), table("b", &["id"])]);
        let new = Schema::from_tables([table("a", &["id"]), table("b", &["id", "y"])]);
        assert!(rename_suspects(&diff(&old, &new)).is_empty());
    }

    #[test]
    fn a_same_shaped_table_swap_is_suspected() {
        let old = one(table("users", &["id", "name"]));
        let new = one(table("accounts", &["id", "label"]));
        let suspects = rename_suspects(&diff(&old, &new));
        assert_eq!(
            suspects,
            vec![RenameSuspect::Table {
                dropped: "users".into(),
                added: "accounts".into()
            }]
        );
        assert!(suspects[0]
            .to_string()
            .contains("`#[model(renamed_from = \"users\")]` to the struct of table 'accounts'"));
        let other = one(table("accounts", &["id", "label", "extra"]));
        assert!(rename_suspects(&diff(&old, &other)).is_empty());
    }
}
