//! PostgreSQL: views, materialized views, triggers, functions, procedures,
//! standalone sequences, extensions and schemas, from `pg_catalog`, in one query.
//!
//! Objects are read in the schemas whose tables are read
//! ([`crate::postgres`]): one of the current schema is named as itself, one of
//! another schema `schema.name`, like a table (a trigger by its table's schema).
//!
//! Objects that belong to an extension are the extension only; `plpgsql`, part of
//! every database, and the schemas `public`, `information_schema` and `pg_*` are
//! not objects of the project. Sequences a column owns (`serial`, identity) are
//! the column's autoincrement, not objects.

use migrate_core::objects::{ObjectKind, SchemaObject};
use sqlx::PgPool;

use crate::error::{get, IntrospectError};
use crate::IntrospectOptions;

/// Rows of (kind, name, table, body); see [`crate::postgres::catalog_query`].
const OBJECTS: &str = "
WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname = COALESCE($1, current_schema())),
ext AS (SELECT objid FROM pg_depend WHERE deptype = 'e'),
rn AS (SELECT n.oid, n.nspname FROM pg_namespace n WHERE {READ_N})
SELECT CASE c.relkind WHEN 'v' THEN 'view' ELSE 'materialized_view' END, {QNAME:c.relname}, NULL::text,
       pg_get_viewdef(c.oid)
  FROM pg_class c JOIN rn n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('v', 'm') AND c.oid NOT IN (SELECT objid FROM ext)
UNION ALL
SELECT 'trigger', {QNAME:t.tgname}, {QNAME:c.relname}, pg_get_triggerdef(t.oid)
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN rn n ON n.oid = c.relnamespace
  WHERE NOT t.tgisinternal
UNION ALL
SELECT CASE p.prokind WHEN 'p' THEN 'procedure' ELSE 'function' END, {QNAME:p.proname}, NULL,
       pg_get_functiondef(p.oid)
  FROM pg_proc p JOIN rn n ON n.oid = p.pronamespace
  WHERE p.prokind IN ('f', 'p') AND p.oid NOT IN (SELECT objid FROM ext)
UNION ALL
SELECT 'sequence', {QNAME:s.relname}, NULL,
       'START WITH ' || q.seqstart || ' INCREMENT BY ' || q.seqincrement
       || CASE WHEN q.seqcycle THEN ' CYCLE' ELSE '' END
  FROM pg_class s JOIN rn n ON n.oid = s.relnamespace JOIN pg_sequence q ON q.seqrelid = s.oid
  WHERE s.relkind = 'S' AND s.oid NOT IN (SELECT objid FROM ext)
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = s.oid AND d.deptype IN ('a', 'i'))
UNION ALL
SELECT 'extension', e.extname::text, NULL, '' FROM pg_extension e WHERE e.extname <> 'plpgsql'
UNION ALL
SELECT 'schema', n.nspname::text, NULL, ''
  FROM pg_namespace n
  WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname NOT IN ('information_schema', 'public')
    AND n.oid NOT IN (SELECT oid FROM ns) AND n.oid NOT IN (SELECT objid FROM ext)
ORDER BY 1, 2";

/// The objects of the schema `options` names (triggers only on the tables it
/// wants).
pub(crate) async fn read(
    pool: &PgPool,
    options: &IntrospectOptions,
) -> Result<Vec<SchemaObject>, IntrospectError> {
    let mut out = Vec::new();
    let query = crate::postgres::catalog_query(OBJECTS, options);
    for row in sqlx::query(&query)
        .bind(&options.pg_schema)
        .fetch_all(pool)
        .await
        .map_err(IntrospectError::query(
            "PostgreSQL schema objects (pg_catalog)",
        ))?
    {
        let kind: String = get!(row, 0);
        let kind = match kind.as_str() {
            "view" => ObjectKind::View,
            "materialized_view" => ObjectKind::MaterializedView,
            "trigger" => ObjectKind::Trigger,
            "procedure" => ObjectKind::Procedure,
            "function" => ObjectKind::Function,
            "sequence" => ObjectKind::Sequence,
            "extension" => ObjectKind::Extension,
            _ => ObjectKind::Schema,
        };
        let table: Option<String> = get!(row, 2);
        if table.as_deref().is_some_and(|t| !options.wants(t)) {
            continue;
        }
        let body: String = get!(row, 3);
        let body = body.trim();
        let mut object = SchemaObject::new(
            kind,
            get!(row, 1 => String),
            body.strip_suffix(';').unwrap_or(body).trim_end(),
        );
        object.table = table;
        out.push(object);
    }
    Ok(out)
}
