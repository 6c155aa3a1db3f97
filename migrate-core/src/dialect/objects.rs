//! The SQL of schema objects ([`crate::objects`]) per database: `CREATE` from the
//! body, `DROP` by kind and name.
//!
//! Rule: an object whose bodies leave out a database does not exist there, and
//! its operations are no statement on it; an object of a kind a database does not
//! have (an extension on MySQL) but with a body for it is an error that says how
//! to scope it.

use super::common::ident;
use super::{Dialect, DialectKind, RenderError, Statement};
use crate::objects::{ObjectKind, SchemaObject};

/// The statements that create `object` on `d`'s database.
pub fn create(d: &dyn Dialect, object: &SchemaObject) -> Result<Vec<Statement>, RenderError> {
    let Some(body) = body(d, object)? else {
        return Ok(Vec::new());
    };
    let name = ident(d, &object.name)?;
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
    let name = ident(d, &object.name)?;
    let sql = match object.kind {
        ObjectKind::Schema => format!("DROP SCHEMA {name}"),
        ObjectKind::Extension => format!("DROP EXTENSION {name}"),
        ObjectKind::Sequence => format!("DROP SEQUENCE {name}"),
        ObjectKind::View => format!("DROP VIEW {name}"),
        ObjectKind::MaterializedView => format!("DROP MATERIALIZED VIEW {name}"),
        ObjectKind::Function => format!("DROP FUNCTION {name}"),
        ObjectKind::Procedure => format!("DROP PROCEDURE {name}"),
        ObjectKind::Trigger => match (d.kind(), &object.table) {
            (DialectKind::Postgres, Some(table)) => {
                format!("DROP TRIGGER {name} ON {}", ident(d, table)?)
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

/// The body of `object` for `d`'s database, `None` when the object is not on it.
fn body<'a>(d: &dyn Dialect, object: &'a SchemaObject) -> Result<Option<&'a str>, RenderError> {
    let Some(body) = object.body_for(d.kind()) else {
        return Ok(None);
    };
    if !object.kind.exists_on(d.kind()) {
        return Err(RenderError::UnsupportedObject {
            dialect: d.kind(),
            object: object.describe(),
            how_to_fix: format!(
                "{} has no {}s; give the object bodies only for the databases that have \
                 them (files named '{}.postgres.sql', '{}.mysql.sql')",
                d.kind(),
                object.kind,
                object.name,
                object.name
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
