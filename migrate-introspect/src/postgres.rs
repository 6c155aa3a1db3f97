//! PostgreSQL: reads `pg_catalog` for the current schema and every other schema
//! that is not the system's (or for one schema, when told). A table of the current
//! schema is named as itself (`invoice`), one of another schema with its schema
//! (`billing.invoice`, see `migrate_core::qualified`); so are the tables foreign
//! keys point at.
//!
//! Four catalog queries cover every table at once (tables, columns, constraints,
//! indexes), so a 500-table database costs the same round trips as one table.
//! Indexes that back a primary key or unique constraint are reported as that
//! constraint only; a `nextval` default on a sequence the column owns (`serial`) and
//! identity columns both become `autoincrement`. Indexes are read with their method,
//! expression keys, `INCLUDE` columns, predicate, and each key's operator class and
//! collation where they are not the default (the type's default class, the
//! column's own collation); those the model cannot say ([`MODELLED_INDEX`]:
//! another access method) are listed by [`crate::unmodelled`].

use std::collections::BTreeMap;

use migrate_core::{
    Check, Column, ColumnType, EnumType, FkAction, ForeignKey, Index, IndexColumn, PrimaryKey,
    Schema, Table, Unique,
};
use sqlx::PgPool;

use crate::error::{get, IntrospectError};
use crate::normalize::{normalize_column_default, strip_pg_casts};
use crate::IntrospectOptions;

const TABLES: &str = "
SELECT {NAME_C}, obj_description(c.oid, 'pg_class')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE {READ_N} AND c.relkind IN ('r', 'p') AND NOT c.relispartition
ORDER BY 1";

const COLUMNS: &str = "
SELECT {NAME_C}, a.attname::text, format_type(a.atttypid, a.atttypmod), a.attnotnull,
       pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, col_description(c.oid, a.attnum),
       EXISTS (SELECT 1 FROM pg_depend dep JOIN pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
               WHERE dep.refclassid = 'pg_class'::regclass AND dep.refobjid = c.oid
                 AND dep.refobjsubid = a.attnum AND dep.classid = 'pg_class'::regclass
                 AND dep.deptype = 'a'),
       a.attgenerated::text,
       (SELECT t.typname::text FROM pg_type t WHERE t.oid = a.atttypid AND t.typtype = 'e'),
       (SELECT co.collname::text FROM pg_collation co JOIN pg_type t ON t.oid = a.atttypid
        WHERE co.oid = a.attcollation AND a.attcollation <> t.typcollation),
       (SELECT t.typname::text FROM pg_type t WHERE t.oid = a.atttypid AND t.typtype = 'd'),
       (SELECT format_type(t.typbasetype, t.typtypmod) FROM pg_type t
        WHERE t.oid = a.atttypid AND t.typtype = 'd'),
       (SELECT t.typnotnull FROM pg_type t WHERE t.oid = a.atttypid AND t.typtype = 'd'),
       (SELECT pg_get_expr(t.typdefaultbin, 0) FROM pg_type t WHERE t.oid = a.atttypid AND t.typtype = 'd')
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
WHERE {READ_N} AND c.relkind IN ('r', 'p')
  AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY 1, a.attnum";

const ENUMS: &str = "
SELECT t.typname::text, ARRAY(SELECT e.enumlabel::text FROM pg_enum e
                              WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = COALESCE($1, current_schema()) AND t.typtype = 'e'
ORDER BY t.typname";

const CONSTRAINTS: &str = "
SELECT {NAME_C}, con.conname::text, con.contype::text,
       ARRAY(SELECT att.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute att ON att.attrelid = con.conrelid AND att.attnum = k.num
             ORDER BY k.ord),
       CASE WHEN fn.nspname = COALESCE($1, current_schema()) THEN fc.relname::text
            ELSE fn.nspname || '.' || fc.relname END,
       ARRAY(SELECT att.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
             JOIN pg_attribute att ON att.attrelid = con.confrelid AND att.attnum = k.num
             ORDER BY k.ord),
       con.confdeltype::text, con.confupdtype::text, pg_get_constraintdef(con.oid),
       con.condeferrable, con.condeferred
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
WHERE {READ_N} AND con.contype IN ('p', 'u', 'f', 'c')
ORDER BY 1, con.conname";

/// The indexes the schema model holds (read by [`INDEXES`]; the others are listed
/// by [`crate::unmodelled`]): an access method the model names, and the default
/// operator class and collation on every key (`jsonb_path_ops`, `text_pattern_ops`
/// or a `COLLATE` would be lost).
pub(crate) const MODELLED_INDEX: &str = "
am.amname IN ('btree', 'hash', 'gin', 'gist', 'brin', 'spgist')";

const INDEXES: &str = "
SELECT {NAME_T}, i.relname::text, ix.indisunique,
       ARRAY(SELECT COALESCE(att.attname::text, '') FROM unnest(ix.indkey::int2[]) WITH ORDINALITY k(num, ord)
             LEFT JOIN pg_attribute att ON att.attrelid = t.oid AND att.attnum = k.num AND k.num > 0
             ORDER BY k.ord),
       ARRAY(SELECT o FROM unnest(ix.indoption::int2[]) WITH ORDINALITY u(o, ord) ORDER BY ord),
       am.amname::text,
       ARRAY(SELECT pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnatts::int) k
             ORDER BY k),
       pg_get_expr(ix.indpred, ix.indrelid, true),
       ix.indnkeyatts::int,
       ARRAY(SELECT CASE WHEN oc.opcdefault THEN '' ELSE oc.opcname::text END
             FROM unnest(ix.indclass::oid[]) WITH ORDINALITY c(oid, ord)
             JOIN pg_opclass oc ON oc.oid = c.oid ORDER BY c.ord),
       ARRAY(SELECT CASE WHEN co.oid = 0 OR co.oid = COALESCE(att.attcollation, 0)
                          OR (att.attcollation IS NULL
                              AND co.oid = (SELECT oid FROM pg_collation WHERE collname = 'default'))
                         THEN '' ELSE cl.collname::text END
             FROM unnest(ix.indcollation::oid[]) WITH ORDINALITY co(oid, ord)
             LEFT JOIN pg_attribute att ON att.attrelid = ix.indrelid
                  AND att.attnum = (ix.indkey::int2[])[co.ord - 1] AND att.attnum > 0
             LEFT JOIN pg_collation cl ON cl.oid = co.oid
             ORDER BY co.ord)
FROM pg_index ix
JOIN pg_class t ON t.oid = ix.indrelid
JOIN pg_class i ON i.oid = ix.indexrelid
JOIN pg_am am ON am.oid = i.relam
JOIN pg_namespace n ON n.oid = t.relnamespace
WHERE {READ_N} AND t.relkind IN ('r', 'p')
  AND NOT EXISTS (SELECT 1 FROM pg_constraint con
                  WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid
                    AND con.contype IN ('p', 'u', 'x'))
  AND {MODELLED_INDEX}
ORDER BY 1, i.relname";

/// Whether the schema `n` is read: the one asked for (`$1`), else the current
/// one and every schema that is not the system's (`pg_*`, `information_schema`).
///
/// Rule: a schema other than the current one that holds a version table of its
/// own (`{VERSION}`) is left alone: another run migrates it (a tenant's schema in
/// a schema-per-tenant database, see the runtime's fleets), so its tables are not
/// this project's.
const READ_SCHEMA: &str = "(n.nspname = COALESCE($1, current_schema())
  OR ($1 IS NULL AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'
      AND NOT EXISTS (SELECT 1 FROM pg_class v WHERE v.relnamespace = n.oid
                      AND v.relname = {VERSION} AND v.relkind IN ('r', 'p'))))";

/// The model's name of the table `{t}` in the schema `n`: its name in the
/// current schema (or the one asked for), `schema.name` in another.
fn table_name(t: &str) -> String {
    format!(
        "CASE WHEN n.nspname = COALESCE($1, current_schema()) THEN {t}.relname::text \
         ELSE n.nspname || '.' || {t}.relname END"
    )
}

/// `query` with its placeholders filled: `{READ_N}` (see [`READ_SCHEMA`]; the
/// version table named by `options`), `{NAME_C}`, `{NAME_T}`.
pub(crate) fn catalog_query(query: &str, options: &IntrospectOptions) -> String {
    let version = migrate_core::dialect::quote::string_literal(&options.version_table);
    query
        .replace("{READ_N}", &READ_SCHEMA.replace("{VERSION}", &version))
        .replace("{NAME_C}", &table_name("c"))
        .replace("{NAME_T}", &table_name("t"))
        .replace("{QNAME:c.relname}", &qualified("c.relname"))
        .replace("{QNAME:t.tgname}", &qualified("t.tgname"))
        .replace("{QNAME:p.proname}", &qualified("p.proname"))
        .replace("{QNAME:s.relname}", &qualified("s.relname"))
        .replace("{QNAME:t.typname}", &qualified("t.typname"))
}

/// The model's name of the object named by the column `name` in the schema `n`,
/// as [`table_name`] names a table.
fn qualified(name: &str) -> String {
    format!(
        "CASE WHEN n.nspname = COALESCE($1, current_schema()) THEN {name}::text \
         ELSE n.nspname || '.' || {name} END"
    )
}

/// Reads the schema of a PostgreSQL database.
pub(crate) async fn introspect(
    pool: &PgPool,
    options: &IntrospectOptions,
) -> Result<Schema, IntrospectError> {
    let ns = options.pg_schema.clone();
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();

    for row in sqlx::query(&catalog_query(TABLES, options))
        .bind(&ns)
        .fetch_all(pool)
        .await
        .map_err(IntrospectError::query("PostgreSQL tables (pg_class)"))?
    {
        let name: String = get!(row, 0);
        if !options.wants(&name) {
            continue;
        }
        let mut table = Table::new(name.clone());
        table.comment = get!(row, 1);
        tables.insert(name, table);
    }

    let mut enums = BTreeMap::new();
    for row in sqlx::query(ENUMS)
        .bind(&ns)
        .fetch_all(pool)
        .await
        .map_err(IntrospectError::query("PostgreSQL enum types (pg_enum)"))?
    {
        let name: String = get!(row, 0);
        let values: Vec<String> = get!(row, 1);
        enums.insert(name.clone(), EnumType::new(name, values));
    }

    let domains = crate::domains::domain_checks(pool, &ns).await?;
    for row in sqlx::query(&catalog_query(COLUMNS, options))
        .bind(&ns)
        .fetch_all(pool)
        .await
        .map_err(IntrospectError::query("PostgreSQL columns (pg_attribute)"))?
    {
        let table_name: String = get!(row, 0);
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = get!(row, 1);
        let formatted: String = get!(row, 2);
        let enum_name: Option<String> = get!(row, 9);
        // A domain is read as its base type with its checks ([`crate::domains`]).
        let domain: Option<String> = get!(row, 11);
        let base: Option<String> = get!(row, 12);
        let formatted = base.unwrap_or(formatted);
        // A column of an enum type of this schema (one of another schema stays raw).
        let ty = match enum_name.and_then(|n| enums.get(&n)) {
            Some(e) => e.column_type(),
            None => crate::read_type(migrate_core::dialect::DialectKind::Postgres, &formatted),
        };
        let not_null: bool = get!(row, 3);
        let default: Option<String> = get!(row, 4);
        let identity: String = get!(row, 5);
        let owns_sequence: bool = get!(row, 7);
        let generated: String = get!(row, 8);
        let domain_not_null: Option<bool> = get!(row, 13);
        let domain_default: Option<String> = get!(row, 14);
        let default = default.or(domain_default.filter(|_| domain.is_some()));
        if let Some(checks) = domain.as_ref().and_then(|d| domains.get(d)) {
            crate::domains::add_checks(table, &name, checks, check_expr);
        }
        let mut column = Column::new(name, ty);
        column.nullable = !not_null && !domain_not_null.unwrap_or(false);
        column.comment = get!(row, 6);
        column.autoincrement = !identity.is_empty();
        crate::column_extras::postgres(&mut column, &generated, default.as_deref(), get!(row, 10));
        if let Some(expr) = default {
            if generated.is_empty() {
                if owns_sequence && expr.trim_start().starts_with("nextval(") {
                    column.autoincrement = true;
                } else {
                    let stripped = strip_pg_casts(&expr);
                    if !stripped.eq_ignore_ascii_case("null") {
                        column.default = Some(normalize_column_default(&column.ty, &stripped));
                    }
                }
            }
        }
        table.columns.push(column);
    }

    for row in sqlx::query(&catalog_query(CONSTRAINTS, options))
        .bind(&ns)
        .fetch_all(pool)
        .await
        .map_err(IntrospectError::query(
            "PostgreSQL constraints (pg_constraint)",
        ))?
    {
        let table_name: String = get!(row, 0);
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = get!(row, 1);
        let kind: String = get!(row, 2);
        let columns: Vec<String> = get!(row, 3);
        match kind.as_str() {
            "p" => table.primary_key = Some(PrimaryKey { name, columns }),
            "u" => table.uniques.push(Unique { name, columns }),
            "f" => {
                let on_delete: String = get!(row, 6);
                let on_update: String = get!(row, 7);
                table.foreign_keys.push(ForeignKey {
                    name,
                    columns,
                    ref_table: get!(row, 4 => Option<String>).unwrap_or_default(),
                    ref_columns: get!(row, 5),
                    on_delete: fk_action(&on_delete),
                    on_update: fk_action(&on_update),
                    deferrable: migrate_core::Deferrable::from_flags(get!(row, 9), get!(row, 10)),
                });
            }
            _ => {
                let def: String = get!(row, 8);
                table.checks.push(Check {
                    name,
                    expr: check_expr(&def),
                });
            }
        }
    }

    let indexes = catalog_query(INDEXES, options).replace("{MODELLED_INDEX}", MODELLED_INDEX);
    for row in sqlx::query(&indexes)
        .bind(&ns)
        .fetch_all(pool)
        .await
        .map_err(IntrospectError::query("PostgreSQL indexes (pg_index)"))?
    {
        let table_name: String = get!(row, 0);
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let names: Vec<String> = get!(row, 3);
        let options: Vec<i16> = get!(row, 4);
        let method: String = get!(row, 5);
        let definitions: Vec<String> = get!(row, 6);
        let predicate: Option<String> = get!(row, 7);
        let key_count = get!(row, 8 => i32).max(0) as usize;
        // Per key: the operator class and collation when not the default ('').
        let opclasses: Vec<String> = get!(row, 9);
        let collations: Vec<String> = get!(row, 10);
        let named = |list: &[String], i: usize| list.get(i).filter(|v| !v.is_empty()).cloned();
        let mut columns = Vec::new();
        let mut include = Vec::new();
        for (i, name) in names.into_iter().enumerate() {
            // An empty name is an expression key: pg_get_indexdef gives its SQL.
            let (name, expression) = if name.is_empty() {
                let sql = definitions.get(i).cloned().unwrap_or_default();
                (strip_implicit_casts(&sql), true)
            } else {
                (name, false)
            };
            if i >= key_count {
                include.push(name);
                continue;
            }
            columns.push(IndexColumn {
                name,
                // indoption bit 0: DESC.
                desc: options.get(i).is_some_and(|o| o & 1 == 1),
                expression,
                opclass: named(&opclasses, i),
                collation: named(&collations, i),
            });
        }
        table.indexes.push(Index {
            name: get!(row, 1),
            columns,
            unique: get!(row, 2),
            method: match method.as_str() {
                "btree" => None,
                other => other.parse().ok(),
            },
            include,
            predicate: predicate.map(|p| strip_implicit_casts(&p)),
        });
    }

    for table in tables.values_mut() {
        crate::unsigned::fold_range_checks(migrate_core::dialect::DialectKind::Postgres, table);
    }
    Ok(Schema {
        tables,
        enums,
        objects: crate::objects::postgres::read(pool, options).await?,
    })
}

/// Removes the casts PostgreSQL writes into a stored index expression or
/// predicate for what the user wrote without one: `(email)::text` and
/// `email::text` (a varchar column passed to a text function) read as `email`.
/// Only a cast of a bare column name to `text` is removed; any other cast was
/// written by the user or changes the meaning, and stays.
fn strip_implicit_casts(sql: &str) -> String {
    let mut out = sql.to_string();
    // `::character varying(n)` is left alone: cutting its name would leave `(n)`.
    for pattern in ["::text"] {
        let mut rest = out.as_str();
        let mut kept = String::with_capacity(out.len());
        while let Some(at) = rest.find(pattern) {
            let head = &rest[..at];
            // The whole type name, not `text[]` or a longer name.
            let whole = !rest[at + pattern.len()..]
                .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '[');
            // `(name)` or `name` just before the cast.
            let trimmed = if !whole {
                None
            } else if let Some(inner) = head.strip_suffix(')') {
                match inner.rfind('(') {
                    Some(open) if is_name(&inner[open + 1..]) => {
                        Some(format!("{}{}", &inner[..open], &inner[open + 1..]))
                    }
                    _ => None,
                }
            } else {
                let start = head
                    .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .map_or(0, |p| p + 1);
                is_name(&head[start..]).then(|| head.to_string())
            };
            match trimmed {
                Some(h) => kept.push_str(&h),
                None => {
                    kept.push_str(head);
                    kept.push_str(pattern);
                }
            }
            rest = &rest[at + pattern.len()..];
        }
        kept.push_str(rest);
        out = kept;
    }
    out
}

/// A plain lower-case column name (`email`, `tenant_id`).
fn is_name(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Maps `format_type` output to a neutral type; anything else is `Raw`.
pub(crate) fn map_type(formatted: &str) -> ColumnType {
    let lower = formatted.trim().to_ascii_lowercase();
    match lower.as_str() {
        // Unconstrained numeric and char(n) have no neutral type.
        "numeric" => return ColumnType::Raw(formatted.to_string()),
        "json" | "jsonb" => return ColumnType::Json,
        _ => {}
    }
    if lower.starts_with("character(") || lower == "character" || lower.ends_with("[]") {
        return ColumnType::Raw(formatted.to_string());
    }
    lower
        .parse::<ColumnType>()
        .unwrap_or_else(|_| ColumnType::Raw(formatted.to_string()))
}

/// `confdeltype` / `confupdtype` letters.
fn fk_action(code: &str) -> FkAction {
    match code {
        "r" => FkAction::Restrict,
        "c" => FkAction::Cascade,
        "n" => FkAction::SetNull,
        "d" => FkAction::SetDefault,
        _ => FkAction::NoAction,
    }
}

/// `CHECK ((age >= 0))` → `age >= 0`.
fn check_expr(def: &str) -> String {
    let body = def.trim();
    let body = body
        .strip_prefix("CHECK")
        .map(str::trim)
        .unwrap_or(body)
        .trim_end_matches(" NOT VALID");
    crate::normalize::normalize_check(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_types_map_back() {
        assert_eq!(map_type("character varying(20)"), ColumnType::Varchar(20));
        assert_eq!(
            map_type("timestamp with time zone"),
            ColumnType::TimestampTz
        );
        assert_eq!(
            map_type("numeric(10,2)"),
            ColumnType::Decimal {
                precision: 10,
                scale: 2
            }
        );
        assert_eq!(map_type("jsonb"), ColumnType::Json);
        assert_eq!(map_type("citext"), ColumnType::Raw("citext".into()));
        assert_eq!(
            map_type("character(3)"),
            ColumnType::Raw("character(3)".into())
        );
        assert_eq!(map_type("integer[]"), ColumnType::Raw("integer[]".into()));
    }

    #[test]
    fn implicit_casts_of_columns_are_removed_from_index_expressions() {
        assert_eq!(strip_implicit_casts("lower((email)::text)"), "lower(email)");
        assert_eq!(strip_implicit_casts("lower(email::text)"), "lower(email)");
        assert_eq!(
            strip_implicit_casts("(deleted_at IS NULL) AND ((kind)::text = 'a'::text)"),
            "(deleted_at IS NULL) AND (kind = 'a'::text)"
        );
        assert_eq!(strip_implicit_casts("(a + b)::text"), "(a + b)::text");
        assert_eq!(strip_implicit_casts("lower(textual)"), "lower(textual)");
        assert_eq!(strip_implicit_casts("(tags)::text[]"), "(tags)::text[]");
        assert_eq!(
            strip_implicit_casts("(code)::character varying(10)"),
            "(code)::character varying(10)"
        );
    }

    #[test]
    fn check_definitions_lose_their_wrapping() {
        assert_eq!(check_expr("CHECK ((age >= 0))"), "age >= 0");
        assert_eq!(check_expr("CHECK ((\"Qty\" > 0))"), "\"Qty\" > 0");
        assert_eq!(check_expr("CHECK ((\"qty\" > 0))"), "qty > 0");
        assert_eq!(
            check_expr("CHECK ((length(code) > 2)) NOT VALID"),
            "length(code) > 2"
        );
    }
}
