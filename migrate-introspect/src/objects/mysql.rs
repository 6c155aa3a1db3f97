//! MySQL/MariaDB: views, triggers, functions, procedures and (MariaDB) sequences
//! from `information_schema` and `SHOW CREATE`.
//!
//! A routine is read from `SHOW CREATE FUNCTION`/`PROCEDURE` without its
//! `DEFINER` clause (the account that made it is not part of the schema); a
//! trigger is written back as `CREATE TRIGGER name timing event ON table FOR EACH
//! ROW statement`.

use migrate_core::dialect::quote::backticked;
use migrate_core::dialect::tokens::{tokenize, TokenKind};
use migrate_core::objects::{ObjectKind, SchemaObject};
use sqlx::MySqlPool;

use crate::error::{get, IntrospectError};
use crate::IntrospectOptions;

/// The objects of the current database (triggers only on the tables `options`
/// wants).
pub(crate) async fn read(
    pool: &MySqlPool,
    options: &IntrospectOptions,
) -> Result<Vec<SchemaObject>, IntrospectError> {
    let mut out = Vec::new();
    let q = |what: &str| IntrospectError::query(format!("MySQL {what} (information_schema)"));
    for row in sqlx::query(
        "SELECT CAST(TABLE_NAME AS CHAR), CAST(VIEW_DEFINITION AS CHAR), CAST(TABLE_SCHEMA AS CHAR)
         FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME",
    )
    .fetch_all(pool)
    .await
    .map_err(q("views"))?
    {
        let query: String = get!(row, 1);
        let database: String = get!(row, 2);
        out.push(SchemaObject::new(
            ObjectKind::View,
            get!(row, 0 => String),
            unqualified(&query, &database),
        ));
    }
    for row in sqlx::query(
        "SELECT CAST(TRIGGER_NAME AS CHAR), CAST(EVENT_OBJECT_TABLE AS CHAR),
                CAST(ACTION_TIMING AS CHAR), CAST(EVENT_MANIPULATION AS CHAR),
                CAST(ACTION_STATEMENT AS CHAR)
         FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() ORDER BY TRIGGER_NAME",
    )
    .fetch_all(pool)
    .await
    .map_err(q("triggers"))?
    {
        let name: String = get!(row, 0);
        let table: String = get!(row, 1);
        if !options.wants(&table) {
            continue;
        }
        let timing: String = get!(row, 2);
        let event: String = get!(row, 3);
        let statement: String = get!(row, 4);
        let sql = format!(
            "CREATE TRIGGER {} {timing} {event} ON {} FOR EACH ROW {statement}",
            backticked(&name),
            backticked(&table)
        );
        let mut o = SchemaObject::new(ObjectKind::Trigger, name, sql);
        o.table = Some(table);
        out.push(o);
    }
    let routines: Vec<(String, String)> = sqlx::query_as(
        "SELECT CAST(ROUTINE_NAME AS CHAR), CAST(ROUTINE_TYPE AS CHAR) FROM information_schema.ROUTINES
         WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_NAME",
    )
    .fetch_all(pool)
    .await
    .map_err(q("routines"))?;
    for (name, ty) in routines {
        let (kind, word) = if ty.eq_ignore_ascii_case("procedure") {
            (ObjectKind::Procedure, "PROCEDURE")
        } else {
            (ObjectKind::Function, "FUNCTION")
        };
        let row = sqlx::query(&format!("SHOW CREATE {word} {}", backticked(&name)))
            .fetch_one(pool)
            .await
            .map_err(q("routine definitions"))?;
        let sql: Option<String> = get!(row, 2);
        let Some(sql) = sql else {
            return Err(IntrospectError::Unexpected {
                table: name,
                message: format!(
                    "SHOW CREATE {word} gives no definition: the user needs the privilege to \
                     read routines (SELECT on mysql.proc, or being their definer)"
                ),
            });
        };
        out.push(SchemaObject::new(kind, name, without_definer(&sql)));
    }
    let sequences: Vec<(String,)> = sqlx::query_as(
        "SELECT CAST(TABLE_NAME AS CHAR) FROM information_schema.TABLES
         WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'SEQUENCE' ORDER BY TABLE_NAME",
    )
    .fetch_all(pool)
    .await
    .map_err(q("sequences"))?;
    for (name,) in sequences {
        let row = sqlx::query(&format!(
            "SELECT CAST(start_value AS SIGNED), CAST(increment AS SIGNED), CAST(cycle_option AS SIGNED) FROM {}",
            backticked(&name)
        ))
        .fetch_one(pool)
        .await
        .map_err(q("sequence options"))?;
        let start: i64 = get!(row, 0);
        let increment: i64 = get!(row, 1);
        let cycle: i64 = get!(row, 2);
        let mut options = format!("START WITH {start} INCREMENT BY {increment}");
        if cycle != 0 {
            options.push_str(" CYCLE");
        }
        out.push(SchemaObject::new(ObjectKind::Sequence, name, options));
    }
    Ok(out)
}

/// `query` without the qualifier `` `database`. `` MySQL puts before every table
/// and column of a stored view: the view must read the tables of the database it
/// is created in, not those of the database it was read from.
fn unqualified(query: &str, database: &str) -> String {
    let tokens = tokenize(query);
    let mut out = String::with_capacity(query.len());
    let mut from = 0;
    for (i, t) in tokens.iter().enumerate() {
        let qualifier = t.kind == TokenKind::QuotedIdent
            && t.text == database
            && tokens
                .get(i + 1)
                .is_some_and(|n| n.is(".") && n.start == t.end);
        if qualifier {
            out.push_str(&query[from..t.start]);
            from = tokens[i + 1].end;
        }
    }
    out.push_str(&query[from..]);
    out
}

/// `CREATE DEFINER=`u`@`h` FUNCTION ...` without `DEFINER=...`.
fn without_definer(sql: &str) -> String {
    let Some(at) = sql.find("DEFINER=") else {
        return sql.trim().to_string();
    };
    let rest = &sql[at..];
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    format!("{}{}", &sql[..at], rest[end..].trim_start())
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_view_reads_the_tables_of_its_own_database() {
        assert_eq!(
            super::unqualified(
                "select `app`.`users`.`id` AS `id` from `app`.`users` where `app`.`users`.`n` = 'app'",
                "app"
            ),
            "select `users`.`id` AS `id` from `users` where `users`.`n` = 'app'"
        );
    }

    #[test]
    fn the_definer_is_left_out() {
        assert_eq!(
            super::without_definer(
                "CREATE DEFINER=`root`@`%` FUNCTION `f`() RETURNS int(11)\nRETURN 1"
            ),
            "CREATE FUNCTION `f`() RETURNS int(11)\nRETURN 1"
        );
    }
}
