//! SQLite: what the models cannot hold, from `sqlite_master` and the pragmas.

use sqlx::SqlitePool;

use super::{read_queries, Effect, Found};
use crate::error::{get, IntrospectError};

/// (effect, kind, query returning name, detail, table).
const QUERIES: &[(Effect, &str, &str)] = &[
    (
        Effect::NeedsSqlRevision,
        "table option",
        "SELECT name, 'WITHOUT ROWID; the baseline creates a rowid table', name FROM sqlite_master
         WHERE type = 'table' AND upper(sql) LIKE '%WITHOUT%ROWID%'",
    ),
    // Rule: outside WITHOUT ROWID tables, a primary key column accepts NULL unless
    // it is declared NOT NULL or is the single INTEGER PRIMARY KEY (the rowid).
    (
        Effect::TableLeftOut,
        "table",
        "SELECT m.name, 'primary key column ' || c.name || ' accepts NULL (declare it NOT NULL first)', m.name
         FROM sqlite_master m, pragma_table_info(m.name) c
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND c.pk > 0 AND c.\"notnull\" = 0
           AND upper(m.sql) NOT LIKE '%WITHOUT%ROWID%'
           AND NOT (upper(c.type) = 'INTEGER'
                    AND (SELECT count(*) FROM pragma_table_info(m.name) k WHERE k.pk > 0) = 1)",
    ),
];

/// Reads what the models cannot hold.
pub(crate) async fn read(pool: &SqlitePool) -> Result<Vec<Found>, IntrospectError> {
    read_queries!(pool, QUERIES, "SQLite", "sqlite_master")
}
