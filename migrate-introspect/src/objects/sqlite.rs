//! SQLite: views and triggers from `sqlite_master`, whose text is kept as written.

use migrate_core::dialect::tokens::tokenize;
use migrate_core::objects::{ObjectKind, SchemaObject};
use sqlx::SqlitePool;

use crate::error::{get, IntrospectError};
use crate::IntrospectOptions;

/// The views and triggers (triggers only on the tables `options` wants).
pub(crate) async fn read(
    pool: &SqlitePool,
    options: &IntrospectOptions,
) -> Result<Vec<SchemaObject>, IntrospectError> {
    let rows = sqlx::query(
        "SELECT type, name, tbl_name, sql FROM sqlite_master
         WHERE type IN ('view', 'trigger') AND sql IS NOT NULL ORDER BY type, name",
    )
    .fetch_all(pool)
    .await
    .map_err(IntrospectError::query(
        "SQLite views and triggers (sqlite_master)",
    ))?;
    let mut out = Vec::new();
    for row in rows {
        let kind: String = get!(row, 0);
        let name: String = get!(row, 1);
        let table: String = get!(row, 2);
        let sql: String = get!(row, 3);
        let object = if kind == "view" {
            SchemaObject::new(ObjectKind::View, name, view_query(&sql))
        } else {
            if !options.wants(&table) {
                continue;
            }
            let mut o = SchemaObject::new(ObjectKind::Trigger, name, sql.trim());
            o.table = Some(table);
            o
        };
        out.push(object);
    }
    Ok(out)
}

/// The query of `CREATE VIEW name [(columns)] AS query`.
fn view_query(sql: &str) -> &str {
    tokenize(sql)
        .iter()
        .find(|t| t.is("as"))
        .map(|t| sql[t.end..].trim())
        .unwrap_or(sql)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_query_of_a_stored_view() {
        assert_eq!(
            super::view_query("CREATE VIEW \"as\" AS SELECT id AS x FROM t"),
            "SELECT id AS x FROM t"
        );
    }
}
