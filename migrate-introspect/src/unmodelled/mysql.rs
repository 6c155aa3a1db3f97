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
        "on update clause",
        "SELECT CAST(CONCAT(TABLE_NAME, '.', COLUMN_NAME) AS CHAR), CAST(EXTRA AS CHAR),
                CAST(TABLE_NAME AS CHAR)
         FROM information_schema.COLUMNS
         WHERE TABLE_SCHEMA = DATABASE() AND LOWER(EXTRA) LIKE '%on update%'",
    ),
    (
        Effect::NeedsSqlRevision,
        "generated column",
        "SELECT CAST(CONCAT(TABLE_NAME, '.', COLUMN_NAME) AS CHAR),
                CAST(CONCAT('AS (', GENERATION_EXPRESSION, ') ', EXTRA, '; the baseline has a plain column') AS CHAR),
                CAST(TABLE_NAME AS CHAR)
         FROM information_schema.COLUMNS
         WHERE TABLE_SCHEMA = DATABASE() AND UPPER(EXTRA) LIKE '%GENERATED%'",
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
        Effect::NeedsSqlRevision,
        "collation",
        "SELECT CAST(CONCAT(c.TABLE_NAME, '.', c.COLUMN_NAME) AS CHAR),
                CAST(CONCAT(c.CHARACTER_SET_NAME, ' / ', c.COLLATION_NAME, ', the database default is ',
                            s.DEFAULT_COLLATION_NAME) AS CHAR),
                CAST(c.TABLE_NAME AS CHAR)
         FROM information_schema.COLUMNS c
         JOIN information_schema.SCHEMATA s ON s.SCHEMA_NAME = c.TABLE_SCHEMA
         JOIN information_schema.TABLES t ON t.TABLE_SCHEMA = c.TABLE_SCHEMA AND t.TABLE_NAME = c.TABLE_NAME
         WHERE c.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE'
           AND c.COLLATION_NAME IS NOT NULL AND c.COLLATION_NAME <> s.DEFAULT_COLLATION_NAME",
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
