//! Differences between a live database and the head revision, said from the
//! database's side.
//!
//! [`crate::check`] returns the operations that would turn the live schema into the
//! head's; their own descriptions (`removed column 'users.x'`) read as if someone
//! had removed something, when in fact the database has a column the revisions do
//! not. [`describe_drift`] says which side has what: "the database has column
//! 'users.x', which the revisions do not create", and the reverse.

use migrate_core::{ColumnState, Operation};

/// Every difference found by [`crate::check`], one sentence each: like
/// [`describe_drift`], except that a schema object the database holds with another
/// body than the revisions' (a drop and a create of the same object) is one
/// sentence.
pub fn describe_drift_all(ops: &[Operation]) -> Vec<String> {
    let same = |a: &migrate_core::objects::SchemaObject,
                b: &migrate_core::objects::SchemaObject| { a.id() == b.id() };
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        match op {
            Operation::DropObject { object }
                if ops[i + 1..].iter().any(
                    |o| matches!(o, Operation::CreateObject { object: new } if same(object, new)),
                ) =>
            {
                out.push(format!(
                    "{} differs: the database holds another definition than the revisions create",
                    object.describe()
                ));
            }
            Operation::CreateObject { object }
                if ops[..i].iter().any(
                    |o| matches!(o, Operation::DropObject { object: old } if same(old, object)),
                ) => {}
            _ => out.push(describe_drift(op)),
        }
    }
    out
}

/// One difference found by [`crate::check`], as a sentence naming which side has
/// what. `op` is an operation from the live schema to the head's.
pub fn describe_drift(op: &Operation) -> String {
    use Operation::*;
    let extra =
        |what: String| format!("the database has {what}, which the revisions do not create");
    let missing = |what: String| format!("the database lacks {what}, which the revisions create");
    match op {
        CreateTable { table } => missing(format!("table '{}'", table.name)),
        DropTable { table } => extra(format!("table '{}'", table.name)),
        RenameTable { from, to } => {
            format!("the database has table '{from}' where the revisions have '{to}'")
        }
        AddColumn { table, column } => missing(format!("column '{table}.{}'", column.name)),
        DropColumn { table, column } => extra(format!("column '{table}.{}'", column.name)),
        AlterColumn {
            table,
            column,
            from,
            to,
        } => format!(
            "column '{table}.{column}' differs: {}",
            column_differences(from, to).join("; ")
        ),
        RenameColumn { table, from, to } => format!(
            "the database has column '{table}.{from}' where the revisions have '{table}.{to}'"
        ),
        RenameConstraint { table, from, to } => format!(
            "the database names '{from}' on '{table}' what the revisions name '{to}'"
        ),
        AddPrimaryKey { table, primary_key } => missing(format!(
            "primary key '{}' on '{table}'({})",
            primary_key.name,
            primary_key.columns.join(", ")
        )),
        DropPrimaryKey { table, primary_key } => {
            extra(format!("primary key '{}' on '{table}'", primary_key.name))
        }
        AddUnique { table, unique } => missing(format!(
            "unique constraint '{}' on '{table}'({})",
            unique.name,
            unique.columns.join(", ")
        )),
        DropUnique { table, unique } => {
            extra(format!("unique constraint '{}' on '{table}'", unique.name))
        }
        CreateIndex { table, index } => missing(format!(
            "{}index '{}' on '{table}'",
            if index.unique { "unique " } else { "" },
            index.name
        )),
        DropIndex { table, index } => extra(format!(
            "{}index '{}' on '{table}'",
            if index.unique { "unique " } else { "" },
            index.name
        )),
        AddForeignKey { table, foreign_key } => missing(format!(
            "foreign key '{}' on '{table}'({}) -> '{}'",
            foreign_key.name,
            foreign_key.columns.join(", "),
            foreign_key.ref_table
        )),
        DropForeignKey { table, foreign_key } => {
            extra(format!("foreign key '{}' on '{table}'", foreign_key.name))
        }
        AddCheck { table, check } => missing(format!("check '{}' on '{table}'", check.name)),
        DropCheck { table, check } => extra(format!("check '{}' on '{table}'", check.name)),
        SetTableComment { table, from, to } => format!(
            "the comment of table '{table}' differs: the database has {}, the revisions have {}",
            comment(from),
            comment(to)
        ),
        SetColumnComment {
            table,
            column,
            from,
            to,
        } => format!(
            "the comment of column '{table}.{column}' differs: the database has {}, the revisions have {}",
            comment(from),
            comment(to)
        ),
        CreateEnum { enum_type } => missing(format!(
            "enum type '{}' ({})",
            enum_type.name,
            enum_type.values.join(", ")
        )),
        DropEnum { enum_type } => extra(format!("enum type '{}'", enum_type.name)),
        AlterEnum { name, from, to } => format!(
            "enum type '{name}' differs: the database has labels ({}), the revisions have ({})",
            from.join(", "),
            to.join(", ")
        ),
        RenameEnumValue { name, from, to } => format!(
            "the database has label '{from}' of enum type '{name}' where the revisions have '{to}'"
        ),
        CreateObject { object } => missing(format!("{} as the revisions define it", object.describe())),
        // Most often made by a raw SQL step, which the replay does not read: say
        // where a declaration goes, and how to leave it alone.
        DropObject { object } => format!(
            "{} (declare it as schema/{}/{}.sql, or name it in [tables] exclude of migrate.toml)",
            extra(format!("{} as it is there", object.describe())),
            object.kind.directory(),
            object.name
        ),
        // A diff never produces SQL steps; keep the operation's own words.
        Sql(_) => op.describe(),
    }
}

/// Each way a column differs: "the database has X, the revisions have Y".
fn column_differences(live: &ColumnState, head: &ColumnState) -> Vec<String> {
    let mut parts = Vec::new();
    let mut differs = |what: &str, live: String, head: String| {
        parts.push(format!(
            "{what}: the database has {live}, the revisions have {head}"
        ))
    };
    if live.ty != head.ty {
        differs("type", live.ty.to_string(), head.ty.to_string());
    }
    if live.nullable != head.nullable {
        let word = |nullable: bool| if nullable { "NULL" } else { "NOT NULL" }.to_string();
        differs("nullability", word(live.nullable), word(head.nullable));
    }
    if live.default != head.default {
        let shown = |d: &Option<String>| d.clone().unwrap_or_else(|| "no default".to_string());
        differs("default", shown(&live.default), shown(&head.default));
    }
    if live.autoincrement != head.autoincrement {
        let word = |on: bool| {
            if on {
                "autoincrement"
            } else {
                "no autoincrement"
            }
            .to_string()
        };
        differs(
            "autoincrement",
            word(live.autoincrement),
            word(head.autoincrement),
        );
    }
    if parts.is_empty() {
        parts.push("its definitions differ".to_string());
    }
    parts
}

fn comment(text: &Option<String>) -> String {
    match text {
        Some(text) => format!("{text:?}"),
        None => "none".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_core::{Column, ColumnType};

    #[test]
    fn a_column_only_the_database_has_is_said_from_its_side() {
        let op = Operation::DropColumn {
            table: "users".into(),
            column: Column::new("x", ColumnType::Integer),
        };
        assert_eq!(
            describe_drift(&op),
            "the database has column 'users.x', which the revisions do not create"
        );
        let back = op.inverse().unwrap();
        assert_eq!(
            describe_drift(&back),
            "the database lacks column 'users.x', which the revisions create"
        );
    }

    #[test]
    fn a_changed_column_names_both_sides() {
        let live = Column::new("name", ColumnType::Varchar(50));
        let head = Column::new("name", ColumnType::Text).nullable();
        let op = Operation::AlterColumn {
            table: "users".into(),
            column: "name".into(),
            from: live.state(),
            to: head.state(),
        };
        let text = describe_drift(&op);
        assert!(
            text.starts_with("column 'users.name' differs: type: the database has varchar(50), the revisions have text; nullability: the database has NOT NULL, the revisions have NULL"),
            "{text}"
        );
    }
}
