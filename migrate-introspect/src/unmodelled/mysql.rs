//! MySQL/MariaDB: what the models cannot hold, from `information_schema` of the
//! current database, one small query per kind of object.

use sqlx::MySqlPool;

use super::{read_queries, Effect, Found};
use crate::error::{get, IntrospectError};

/// (effect, kind, query returning name, detail, table). Every text is cast to
/// `CHAR`, which MySQL and MariaDB both decode as a string.
const QUERIES: &[(Effect, &str, &str)] = &[
    (
        Effect::NeedsSqlRevision,
        "event",
        "SELECT CAST(EVENT_NAME AS CHAR), '', NULL FROM information_schema.EVENTS
         WHERE EVENT_SCHEMA = DATABASE()",
    ),
    (
        Effect::NeedsSqlRevision,
        "index",
        "SELECT DISTINCT CAST(CONCAT(TABLE_NAME, '.', INDEX_NAME) AS CHAR), CAST(INDEX_TYPE AS CHAR),
                CAST(TABLE_NAME AS CHAR)
         FROM information_schema.STATISTICS
         WHERE TABLE_SCHEMA = DATABASE() AND INDEX_TYPE NOT IN ('BTREE', 'FULLTEXT', 'SPATIAL')",
    ),
    (
        Effect::TableLeftOut,
        "table",
        "SELECT CAST(TABLE_NAME AS CHAR),
                CAST(CONCAT('unsigned auto-increment column ', COLUMN_NAME, ' (', COLUMN_TYPE,
                            '): only tinyint, smallint, int and bigint unsigned are u8..u64') AS CHAR),
                CAST(TABLE_NAME AS CHAR)
         FROM information_schema.COLUMNS
         WHERE TABLE_SCHEMA = DATABASE() AND LOWER(EXTRA) LIKE '%auto_increment%'
           AND LOWER(COLUMN_TYPE) LIKE '%unsigned%'
           AND (LOWER(COLUMN_TYPE) LIKE 'mediumint%' OR LOWER(COLUMN_TYPE) LIKE '%zerofill%')",
    ),
];

/// Reads what the models cannot hold in the current database.
pub(crate) async fn read(pool: &MySqlPool) -> Result<Vec<Found>, IntrospectError> {
    read_queries!(pool, QUERIES, "MySQL", "information_schema")
}
