//! The SQL of schema objects ([`crate::objects`]) per database: `CREATE` from the
//! body, `DROP` by kind and name.
//!
//! Rule: an object whose bodies leave out a database does not exist there, and
//! its operations are no statement on it; an object of a kind a database does not
//! have (an extension on MySQL) but with a body for it is an error that says how
//! to scope it.

use super::common::{ident, table_ident};
use super::{Dialect, DialectKind, RenderError, Statement};
use crate::objects::{ObjectKind, SchemaObject};

/// The statements that create `object` on `d`'s database.
pub fn create(d: &dyn Dialect, object: &SchemaObject) -> Result<Vec<Statement>, RenderError> {
    let Some(body) = body(d, object)? else {
        return Ok(Vec::new());
    };
    refuse_schema_elsewhere(d, object)?;
    let name = object_ident(d, object)?;
    let sql = match object.kind {
        ObjectKind::Schema => format!("CREATE SCHEMA {name}"),
        ObjectKind::Extension => format!("CREATE EXTENSION {name}"),
        ObjectKind::Sequence if body.is_empty() => format!("CREATE SEQUENCE {name}"),
        ObjectKind::Sequence => format!("CREATE SEQUENCE {name} {body}"),
        ObjectKind::View => format!("CREATE VIEW {name} AS {body}"),
        ObjectKind::MaterializedView => format!("CREATE MATERIALIZED VIEW {name} AS {body}"),
        ObjectKind::Function | ObjectKind::Procedure | ObjectKind::Trigger => body.to_string(),
    };
    Ok(vec![statement(d.kind(), sql)])
}

/// The statements that drop `object` from `d`'s database.
pub fn drop(d: &dyn Dialect, object: &SchemaObject) -> Result<Vec<Statement>, RenderError> {
    if body(d, object)?.is_none() {
        return Ok(Vec::new());
    }
    let name = object_ident(d, object)?;
    let sql = match object.kind {
        ObjectKind::Schema => format!("DROP SCHEMA {name}"),
        ObjectKind::Extension => format!("DROP EXTENSION {name}"),
        ObjectKind::Sequence => format!("DROP SEQUENCE {name}"),
        ObjectKind::View => format!("DROP VIEW {name}"),
        ObjectKind::MaterializedView => format!("DROP MATERIALIZED VIEW {name}"),
        ObjectKind::Function => format!("DROP FUNCTION {name}{}", signature(d, object)),
        ObjectKind::Procedure => format!("DROP PROCEDURE {name}{}", signature(d, object)),
        ObjectKind::Trigger => match (d.kind(), &object.table) {
            (DialectKind::Postgres, Some(table)) => {
                format!("DROP TRIGGER {name} ON {}", table_ident(d, table)?)
            }
            (DialectKind::Postgres, None) => {
                return Err(RenderError::UnsupportedObject {
                    dialect: d.kind(),
                    object: object.describe(),
                    how_to_fix: "PostgreSQL drops a trigger by its table: give the object \
                                 its `table`"
                        .to_string(),
                })
            }
            _ => format!("DROP TRIGGER {name}"),
        },
    };
    Ok(vec![statement(d.kind(), sql)])
}

/// Rule: only PostgreSQL has schemas other than the current one, so an object
/// named `sales.daily` with a body for another database is an error saying to
/// scope its file, not an object whose name holds a dot.
fn refuse_schema_elsewhere(d: &dyn Dialect, object: &SchemaObject) -> Result<(), RenderError> {
    match crate::qualified::schema_of(&object.name) {
        Some(schema) if d.kind() != DialectKind::Postgres && object.kind.in_pg_schema() => {
            Err(RenderError::UnsupportedObject {
                dialect: d.kind(),
                object: object.describe(),
                how_to_fix: format!(
                    "the schema '{schema}' exists on PostgreSQL only: name its file \
                     '{}.postgres.sql'",
                    object.name
                ),
            })
        }
        _ => Ok(()),
    }
}

/// The object's name quoted: `"sales"."daily"` for an object in another
/// PostgreSQL schema ([`crate::qualified`]); a trigger's own name is never
/// qualified (PostgreSQL names it by its table, which is).
fn object_ident(d: &dyn Dialect, object: &SchemaObject) -> Result<String, RenderError> {
    match object.kind {
        ObjectKind::Trigger => ident(d, crate::qualified::split(&object.name).1),
        k if k.in_pg_schema() => table_ident(d, &object.name),
        _ => ident(d, &object.name),
    }
}

/// Rule: PostgreSQL tells overloaded routines apart by their argument types, and
/// refuses `DROP FUNCTION name` while another routine has the name, so a routine
/// is dropped by its signature (`(integer, text)`) read from its header; the name
/// alone where the header cannot be read, and on MySQL (no overloads).
fn signature(d: &dyn Dialect, object: &SchemaObject) -> String {
    if d.kind() != DialectKind::Postgres {
        return String::new();
    }
    object
        .body_for(d.kind())
        .and_then(crate::objects::routine_header::identity_arguments)
        .map(|types| format!("({})", types.join(", ")))
        .unwrap_or_default()
}

/// The body of `object` for `d`'s database, `None` when the object is not on it.
fn body<'a>(d: &dyn Dialect, object: &'a SchemaObject) -> Result<Option<&'a str>, RenderError> {
    let Some(body) = object.body_for(d.kind()) else {
        return Ok(None);
    };
    if !object.kind.exists_on(d.kind()) {
        let files: Vec<String> = DialectKind::ALL
            .iter()
            .filter(|k| object.kind.exists_on(**k))
            .map(|k| format!("'{}.{}.sql'", object.name, k.name()))
            .collect();
        return Err(RenderError::UnsupportedObject {
            dialect: d.kind(),
            object: object.describe(),
            how_to_fix: format!(
                "{} has no {}s; give the object bodies only for the databases that have \
                 them (files named {})",
                d.kind(),
                object.kind,
                files.join(" or ")
            ),
        });
    }
    Ok(Some(body))
}

/// DDL commits the open transaction on MySQL.
fn statement(kind: DialectKind, sql: String) -> Statement {
    Statement {
        implicit_commit: kind == DialectKind::MySql,
        ..Statement::new(sql)
    }
}

#[cfg(test)]
mod tests {
    use crate::dialect::{render_ops, DialectKind};
    use crate::objects::{ObjectKind, SchemaObject};
    use crate::ops::Operation;
    use crate::schema::Schema;

    fn sql(kind: DialectKind, op: Operation) -> Result<Vec<String>, String> {
        let mut before = Schema::new();
        if let Operation::DropObject { object } = &op {
            before.objects.push(object.clone());
        }
        render_ops(kind, &before, &[op])
            .map(|s| s.into_iter().map(|s| s.sql).collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn an_object_in_another_schema_is_named_with_it() {
        let view = SchemaObject::new(ObjectKind::View, "sales.open", "SELECT 1");
        assert_eq!(
            sql(
                DialectKind::Postgres,
                Operation::DropObject { object: view }
            )
            .unwrap(),
            [r#"DROP VIEW "sales"."open""#]
        );
        let seq = SchemaObject::new(ObjectKind::Sequence, "sales.ids", "");
        assert_eq!(
            sql(
                DialectKind::Postgres,
                Operation::CreateObject { object: seq }
            )
            .unwrap(),
            [r#"CREATE SEQUENCE "sales"."ids""#]
        );
        let mut trigger = SchemaObject::new(
            ObjectKind::Trigger,
            "sales.touch",
            "CREATE TRIGGER touch BEFORE UPDATE ON sales.orders FOR EACH ROW EXECUTE FUNCTION sales.f()",
        );
        trigger.table = Some("sales.orders".into());
        // A trigger's own name has no schema: its table has.
        assert_eq!(
            sql(
                DialectKind::Postgres,
                Operation::DropObject { object: trigger }
            )
            .unwrap(),
            [r#"DROP TRIGGER "touch" ON "sales"."orders""#]
        );
        // Other databases have no such schema: the file must be PostgreSQL's.
        let view = SchemaObject::new(ObjectKind::View, "sales.open", "SELECT 1");
        let e = sql(DialectKind::MySql, Operation::CreateObject { object: view }).unwrap_err();
        assert!(
            e.contains("the schema 'sales' exists on PostgreSQL only")
                && e.contains("'sales.open.postgres.sql'"),
            "{e}"
        );
    }

    #[test]
    fn each_kind_is_created_from_its_body_and_dropped_by_name() {
        let view = SchemaObject::new(ObjectKind::View, "active", "SELECT id FROM users");
        let create = Operation::CreateObject {
            object: view.clone(),
        };
        assert_eq!(
            sql(DialectKind::Postgres, create.clone()).unwrap(),
            [r#"CREATE VIEW "active" AS SELECT id FROM users"#]
        );
        assert_eq!(
            sql(DialectKind::MySql, create).unwrap(),
            ["CREATE VIEW `active` AS SELECT id FROM users"]
        );
        let mut trigger = SchemaObject::new(
            ObjectKind::Trigger,
            "touch",
            "CREATE TRIGGER touch AFTER UPDATE ON users BEGIN SELECT 1; END",
        );
        trigger.table = Some("users".into());
        let drop = Operation::DropObject { object: trigger };
        assert_eq!(
            sql(DialectKind::Postgres, drop.clone()).unwrap(),
            [r#"DROP TRIGGER "touch" ON "users""#]
        );
        assert_eq!(
            sql(DialectKind::Sqlite, drop).unwrap(),
            [r#"DROP TRIGGER "touch""#]
        );
        let seq = SchemaObject::new(ObjectKind::Sequence, "ids", "START WITH 10");
        assert_eq!(
            sql(DialectKind::MySql, Operation::CreateObject { object: seq }).unwrap(),
            ["CREATE SEQUENCE `ids` START WITH 10"]
        );
        let ext = SchemaObject::new(ObjectKind::Extension, "citext", "");
        assert_eq!(
            sql(DialectKind::Postgres, Operation::DropObject { object: ext }).unwrap(),
            [r#"DROP EXTENSION "citext""#]
        );
    }

    #[test]
    fn a_postgres_routine_is_dropped_by_its_signature() {
        let f = SchemaObject::new(
            ObjectKind::Function,
            "add_tax",
            "CREATE FUNCTION add_tax(amount numeric, OUT total numeric, rate int4 = 2) \
             AS $$ SELECT amount * rate $$ LANGUAGE sql",
        );
        let drop = Operation::DropObject { object: f };
        assert_eq!(
            sql(DialectKind::Postgres, drop.clone()).unwrap(),
            [r#"DROP FUNCTION "add_tax"(numeric, integer)"#]
        );
        assert_eq!(
            sql(DialectKind::MySql, drop).unwrap(),
            ["DROP FUNCTION `add_tax`"]
        );
        let p = SchemaObject::new(
            ObjectKind::Procedure,
            "tidy",
            "CREATE PROCEDURE tidy() LANGUAGE sql AS $$ DELETE FROM t $$",
        );
        assert_eq!(
            sql(DialectKind::Postgres, Operation::DropObject { object: p }).unwrap(),
            [r#"DROP PROCEDURE "tidy"()"#]
        );
    }

    #[test]
    fn an_object_is_nothing_where_it_has_no_body_and_an_error_where_its_kind_is_missing() {
        let mut f = SchemaObject::new(ObjectKind::Function, "f", "");
        f.sql = None;
        f.postgres = Some("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$".into());
        let create = Operation::CreateObject { object: f };
        assert_eq!(sql(DialectKind::Sqlite, create.clone()).unwrap().len(), 0);
        assert_eq!(sql(DialectKind::Postgres, create).unwrap().len(), 1);
        let ext = SchemaObject::new(ObjectKind::Extension, "citext", "");
        let err = sql(DialectKind::MySql, Operation::CreateObject { object: ext }).unwrap_err();
        assert_eq!(
            err,
            "mysql: cannot create extension 'citext': mysql has no extensions; give the \
             object bodies only for the databases that have them (files named \
             'citext.postgres.sql')"
        );
    }
}
