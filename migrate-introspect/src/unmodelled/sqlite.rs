//! SQLite: what the models cannot hold, from `sqlite_master` and the pragmas.

use sqlx::SqlitePool;

use super::{read_queries, Effect, Found};
use crate::error::{get, IntrospectError};

/// (effect, kind, query returning name, detail, table).
const QUERIES: &[(Effect, &str, &str)] = &[(
    Effect::NeedsSqlRevision,
    "table option",
    "SELECT name, 'WITHOUT ROWID; the baseline creates a rowid table', name FROM sqlite_master
         WHERE type = 'table' AND upper(sql) LIKE '%WITHOUT%ROWID%'",
)];

/// Reads what the models cannot hold.
pub(crate) async fn read(pool: &SqlitePool) -> Result<Vec<Found>, IntrospectError> {
    read_queries!(pool, QUERIES, "SQLite", "sqlite_master")
}
