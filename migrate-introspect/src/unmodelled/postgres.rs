//! PostgreSQL: what the models cannot hold, from `pg_catalog`, in one query.
//!
//! Views, triggers, functions, procedures, standalone sequences, extensions and
//! schemas are modelled ([`crate::objects`]), overloaded routines each on its own;
//! aggregates and types (of every schema read), the tables of other schemas (when one schema is read) and
//! the table features below are listed here. Objects that belong to an extension
//! are not listed.

use sqlx::PgPool;

use super::{Effect, Found};
use crate::error::{get, IntrospectError};
use crate::IntrospectOptions;

/// Rows of (effect, kind, name, detail, table). Effects: `sql` (needs a
/// hand-written SQL revision), `left` (table not adopted), `unsupported`.
const UNMODELLED: &str = "
WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname = COALESCE($1, current_schema())),
ext AS (SELECT objid FROM pg_depend WHERE deptype = 'e'),
tbl AS (SELECT c.*, {NAME_C} AS qname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND {READ_N})
SELECT 'sql', 'aggregate', {QNAME:p.proname} || '(' || pg_get_function_identity_arguments(p.oid) || ')', '', NULL
  FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
  WHERE {READ_N} AND p.prokind IN ('a', 'w') AND p.oid NOT IN (SELECT objid FROM ext)
UNION ALL
SELECT 'sql', CASE t.typtype WHEN 'e' THEN 'enum type' WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type'
                             WHEN 'm' THEN 'multirange type' ELSE 'composite type' END,
       {QNAME:t.typname}, '', NULL
  FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
  WHERE {READ_N} AND t.oid NOT IN (SELECT objid FROM ext)
    AND (t.typtype IN ('e', 'd', 'r', 'm')
         OR (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class k WHERE k.oid = t.typrelid AND k.relkind = 'c')))
UNION ALL
SELECT 'unsupported', 'schema', n.nspname::text, 'its tables are not read: only ' || (SELECT nspname FROM ns) || ' is', NULL
  FROM pg_namespace n
  WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
    AND n.oid NOT IN (SELECT oid FROM ns) AND n.oid NOT IN (SELECT objid FROM ext)
    AND $1 IS NOT NULL
    AND EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p'))
UNION ALL
SELECT 'left', 'table', c.qname,
       CASE WHEN c.relispartition THEN 'partition of ' ELSE 'inherits from ' END || p.relname, c.qname
  FROM pg_inherits i JOIN tbl c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
UNION ALL
SELECT 'left', 'table', c.qname, 'partitioned table: PARTITION BY ' || pg_get_partkeydef(c.oid), c.qname
  FROM tbl c WHERE c.relkind = 'p'
UNION ALL
SELECT 'left', 'table', c.qname,
       'column ' || a.attname || ' has type ' || format_type(a.atttypid, a.atttypmod) || ', which a new database does not have',
       c.qname
  FROM pg_attribute a JOIN tbl c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
  WHERE a.attnum > 0 AND NOT a.attisdropped AND t.typtype <> 'd'
    AND (t.typtype IN ('e', 'r', 'm', 'c')
         OR t.typnamespace NOT IN (SELECT oid FROM pg_namespace WHERE nspname = 'pg_catalog'))
    -- An enum type of the schema read is modelled (written as a Rust enum).
    AND NOT (t.typtype = 'e' AND t.typnamespace IN (SELECT oid FROM ns))
UNION ALL
SELECT 'sql', 'index', i.relname::text, 'USING ' || am.amname || ' on ' || c.relname,
       c.qname
  FROM pg_index ix JOIN tbl c ON c.oid = ix.indrelid JOIN pg_class i ON i.oid = ix.indexrelid
  JOIN pg_am am ON am.oid = i.relam
  WHERE NOT ({MODELLED_INDEX})";

/// Reads what the models cannot hold in the schema `options` names.
pub(crate) async fn read(
    pool: &PgPool,
    options: &IntrospectOptions,
) -> Result<Vec<Found>, IntrospectError> {
    let mut out = Vec::new();
    let query = crate::postgres::catalog_query(UNMODELLED, options)
        .replace("{MODELLED_INDEX}", crate::postgres::MODELLED_INDEX);
    for row in sqlx::query(&query)
        .bind(&options.pg_schema)
        .fetch_all(pool)
        .await
        .map_err(IntrospectError::query(
            "PostgreSQL objects migrate does not model",
        ))?
    {
        let effect: String = get!(row, 0);
        let effect = match effect.as_str() {
            "left" => Effect::TableLeftOut,
            "unsupported" => Effect::NotSupported,
            _ => Effect::NeedsSqlRevision,
        };
        out.push(Found::new(
            effect,
            &get!(row, 1 => String),
            get!(row, 2),
            get!(row, 3),
            get!(row, 4),
        ));
    }
    Ok(out)
}
