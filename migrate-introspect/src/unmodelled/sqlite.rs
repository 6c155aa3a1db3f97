//! SQLite: what the models cannot hold, from `sqlite_master` and the pragmas.

use sqlx::SqlitePool;

use super::{read_queries, Effect, Found};
use crate::error::{get, IntrospectError};

/// (effect, kind, query returning name, detail, table).
const QUERIES: &[(Effect, &str, &str)] = &[
    (
        Effect::NeedsSqlRevision,
        "view",
        "SELECT name, '', NULL FROM sqlite_master WHERE type = 'view'",
    ),
    (
        Effect::NeedsSqlRevision,
        "trigger",
        "SELECT name, 'on ' || tbl_name, tbl_name FROM sqlite_master WHERE type = 'trigger'",
    ),
    (
        Effect::NeedsSqlRevision,
        "index",
        "SELECT il.name,
                CASE WHEN il.partial THEN 'partial index on ' ELSE 'expression index on ' END || m.name,
                m.name
         FROM sqlite_master m, pragma_index_list(m.name) il
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
           AND (il.partial = 1 OR EXISTS (SELECT 1 FROM pragma_index_xinfo(il.name) x WHERE x.cid = -2))",
    ),
    (
        Effect::NeedsSqlRevision,
        "table option",
        "SELECT name, 'WITHOUT ROWID; the baseline creates a rowid table', name FROM sqlite_master
         WHERE type = 'table' AND upper(sql) LIKE '%WITHOUT%ROWID%'",
    ),
];

/// Reads what the models cannot hold.
pub(crate) async fn read(pool: &SqlitePool) -> Result<Vec<Found>, IntrospectError> {
    read_queries!(pool, QUERIES, "SQLite", "sqlite_master")
}
