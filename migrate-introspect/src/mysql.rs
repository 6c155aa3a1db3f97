//! MySQL and MariaDB: reads `information_schema` for the connection's database.
//!
//! What the server adds on its own is left out: the index InnoDB creates for a
//! foreign key that no other index covers (named after the constraint), and MariaDB's
//! `json_valid(col)` check behind a `JSON` column (which turns the `longtext` back
//! into `json`). MySQL names every primary key `PRIMARY`; it is reported under the
//! conventional name `pk_{table}`. MySQL cannot tell a unique constraint from a
//! unique index: a unique key named by the index convention (`ix_...`) is reported
//! as a unique index, any other as a unique constraint. `FULLTEXT` and `SPATIAL`
//! indexes are read with their method; other index types (`HASH` of a MEMORY
//! table, `RTREE`) are listed by [`crate::unmodelled`].

use std::collections::{BTreeMap, BTreeSet};

use migrate_core::{
    naming, Check, Column, ColumnType, FkAction, ForeignKey, Index, IndexColumn, IndexMethod,
    PrimaryKey, Schema, Table, Unique, UnsignedBits,
};
use sqlx::MySqlPool;

use crate::error::{get, IntrospectError};
use crate::normalize::{normalize_column_default, quote_literal};
use crate::IntrospectOptions;

const TABLES: &str = "
SELECT CAST(TABLE_NAME AS CHAR), CAST(TABLE_COMMENT AS CHAR)
FROM information_schema.TABLES
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE'
ORDER BY TABLE_NAME";

const COLUMNS: &str = "
SELECT CAST(TABLE_NAME AS CHAR), CAST(COLUMN_NAME AS CHAR), CAST(COLUMN_TYPE AS CHAR),
       CAST(IS_NULLABLE AS CHAR), CAST(COLUMN_DEFAULT AS CHAR), CAST(EXTRA AS CHAR),
       CAST(COLUMN_COMMENT AS CHAR), CAST(GENERATION_EXPRESSION AS CHAR),
       CAST(CASE WHEN COLLATION_NAME <> (SELECT DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA
                                         WHERE SCHEMA_NAME = DATABASE())
                 THEN COLLATION_NAME END AS CHAR)
FROM information_schema.COLUMNS
WHERE TABLE_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, ORDINAL_POSITION";

const KEYS: &str = "
SELECT CAST(tc.TABLE_NAME AS CHAR), CAST(tc.CONSTRAINT_NAME AS CHAR), CAST(tc.CONSTRAINT_TYPE AS CHAR),
       CAST(k.COLUMN_NAME AS CHAR), CAST(k.REFERENCED_TABLE_NAME AS CHAR), CAST(k.REFERENCED_COLUMN_NAME AS CHAR),
       CAST(rc.DELETE_RULE AS CHAR), CAST(rc.UPDATE_RULE AS CHAR)
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.KEY_COLUMN_USAGE k
  ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND k.TABLE_NAME = tc.TABLE_NAME
 AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS rc
  ON rc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND rc.TABLE_NAME = tc.TABLE_NAME
 AND rc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.CONSTRAINT_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME, k.ORDINAL_POSITION";

const MARIADB_CHECKS: &str = "
SELECT CAST(TABLE_NAME AS CHAR), CAST(CONSTRAINT_NAME AS CHAR), CAST(CHECK_CLAUSE AS CHAR)
FROM information_schema.CHECK_CONSTRAINTS
WHERE CONSTRAINT_SCHEMA = DATABASE()
ORDER BY TABLE_NAME, CONSTRAINT_NAME";

const MYSQL_CHECKS: &str = "
SELECT CAST(tc.TABLE_NAME AS CHAR), CAST(tc.CONSTRAINT_NAME AS CHAR), CAST(cc.CHECK_CLAUSE AS CHAR)
FROM information_schema.TABLE_CONSTRAINTS tc
JOIN information_schema.CHECK_CONSTRAINTS cc
  ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
WHERE tc.CONSTRAINT_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK'
ORDER BY tc.TABLE_NAME, tc.CONSTRAINT_NAME";

const INDEXES: &str = "
SELECT CAST(TABLE_NAME AS CHAR), CAST(INDEX_NAME AS CHAR), CAST(NON_UNIQUE AS SIGNED),
       CAST(COLUMN_NAME AS CHAR), CAST(COLLATION AS CHAR), CAST(SUB_PART AS SIGNED),
       CAST(INDEX_TYPE AS CHAR)
FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME <> 'PRIMARY'
  AND INDEX_TYPE IN ('BTREE', 'FULLTEXT', 'SPATIAL')
ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX";

/// Reads the schema of a MySQL or MariaDB database.
pub(crate) async fn introspect(
    pool: &MySqlPool,
    options: &IntrospectOptions,
) -> Result<Schema, IntrospectError> {
    let version: String = sqlx::query_scalar("SELECT CAST(VERSION() AS CHAR)")
        .fetch_one(pool)
        .await
        .map_err(IntrospectError::query("the MySQL server version"))?;
    let mariadb = version.to_ascii_lowercase().contains("mariadb");
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();

    for row in fetch(pool, TABLES, "MySQL tables (information_schema.TABLES)").await? {
        let name: String = get!(row, 0);
        if options.wants(&name) {
            let mut table = Table::new(name.clone());
            table.comment = non_empty(get!(row, 1));
            tables.insert(name, table);
        }
    }

    // Raw column defaults are kept until checks are read: MariaDB's JSON columns
    // are `longtext` plus a check, and the default's spelling depends on the type.
    let mut raw_defaults: BTreeMap<(String, String), (String, bool)> = BTreeMap::new();
    for row in fetch(pool, COLUMNS, "MySQL columns (information_schema.COLUMNS)").await? {
        let table_name: String = get!(row, 0);
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = get!(row, 1);
        let column_type: String = get!(row, 2);
        let extra: String = get!(row, 5 => Option<String>).unwrap_or_default();
        let ty = crate::enums::mysql_enum(&table_name, &name, &column_type).unwrap_or_else(|| {
            crate::read_type(migrate_core::dialect::DialectKind::MySql, &column_type)
        });
        let mut column = Column::new(name.clone(), ty);
        column.nullable = get!(row, 3 => String) == "YES";
        column.autoincrement = extra.to_ascii_lowercase().contains("auto_increment");
        column.comment = non_empty(get!(row, 6));
        crate::column_extras::mysql(&mut column, &extra, get!(row, 7), get!(row, 8));
        if let Some(default) = get!(row, 4 => Option<String>) {
            let expression = extra.to_ascii_uppercase().contains("DEFAULT_GENERATED");
            raw_defaults.insert((table_name.clone(), name), (default, expression));
        }
        table.columns.push(column);
    }

    let check_query = if mariadb {
        MARIADB_CHECKS
    } else {
        MYSQL_CHECKS
    };
    for row in fetch(
        pool,
        check_query,
        "MySQL checks (information_schema.CHECK_CONSTRAINTS)",
    )
    .await?
    {
        let table_name: String = get!(row, 0);
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = get!(row, 1);
        let clause: String = get!(row, 2);
        // MariaDB implements `JSON` as `longtext` with `CHECK (json_valid(col))`,
        // a column-level check named after the column: not the user's check.
        if let Some(column) = table.column_mut(&name) {
            let unquoted = clause.replace('`', "");
            if column.ty == ColumnType::Text && unquoted.trim() == format!("json_valid({name})") {
                column.ty = ColumnType::Json;
                continue;
            }
        }
        table.checks.push(Check {
            name,
            expr: crate::normalize::normalize_check(&clause),
        });
    }

    for ((table_name, column_name), (raw, expression)) in raw_defaults {
        let Some(column) = tables
            .get_mut(&table_name)
            .and_then(|t| t.column_mut(&column_name))
        else {
            continue;
        };
        column.default = default_expr(&raw, expression, mariadb, &column.ty)
            .map(|d| normalize_column_default(&column.ty, &d));
    }

    let mut fk_names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in fetch(
        pool,
        KEYS,
        "MySQL keys (information_schema.KEY_COLUMN_USAGE)",
    )
    .await?
    {
        let table_name: String = get!(row, 0);
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = get!(row, 1);
        let kind: String = get!(row, 2);
        let column: String = get!(row, 3);
        match kind.as_str() {
            "PRIMARY KEY" => {
                let pk = table.primary_key.get_or_insert_with(|| PrimaryKey {
                    name: naming::primary_key(&table_name),
                    columns: Vec::new(),
                });
                pk.columns.push(column);
            }
            "UNIQUE" => {
                if is_index_name(&name) {
                    continue; // Reported with the indexes.
                }
                match table.uniques.iter_mut().find(|u| u.name == name) {
                    Some(u) => u.columns.push(column),
                    None => table.uniques.push(Unique {
                        name,
                        columns: vec![column],
                    }),
                }
            }
            _ => {
                fk_names
                    .entry(table_name.clone())
                    .or_default()
                    .insert(name.clone());
                let ref_column: String = get!(row, 5 => Option<String>).unwrap_or_default();
                match table.foreign_keys.iter_mut().find(|f| f.name == name) {
                    Some(fk) => {
                        fk.columns.push(column);
                        fk.ref_columns.push(ref_column);
                    }
                    None => table.foreign_keys.push(ForeignKey {
                        name,
                        columns: vec![column],
                        ref_table: get!(row, 4 => Option<String>).unwrap_or_default(),
                        ref_columns: vec![ref_column],
                        on_delete: fk_action(get!(row, 6)),
                        on_update: fk_action(get!(row, 7)),
                        ..Default::default()
                    }),
                }
            }
        }
    }

    let mut unique_names: BTreeSet<(String, String)> = BTreeSet::new();
    for table in tables.values() {
        for u in &table.uniques {
            unique_names.insert((table.name.clone(), u.name.clone()));
        }
    }
    let mut skipped: BTreeSet<(String, String)> = BTreeSet::new();
    for row in fetch(
        pool,
        INDEXES,
        "MySQL indexes (information_schema.STATISTICS)",
    )
    .await?
    {
        let table_name: String = get!(row, 0);
        let Some(table) = tables.get_mut(&table_name) else {
            continue;
        };
        let name: String = get!(row, 1);
        let key = (table_name.clone(), name.clone());
        if unique_names.contains(&key) || skipped.contains(&key) {
            continue;
        }
        let column: Option<String> = get!(row, 3);
        // FULLTEXT and SPATIAL are methods of the model; BTREE is the default.
        let method = match get!(row, 6 => Option<String>).as_deref() {
            Some("FULLTEXT") => Some(IndexMethod::Fulltext),
            Some("SPATIAL") => Some(IndexMethod::Spatial),
            _ => None,
        };
        // MariaDB reports a SPATIAL key with a SUB_PART (32) of its own making.
        let sub_part: Option<i64> = get!(row, 5);
        let prefix = sub_part.is_some() && method != Some(IndexMethod::Spatial);
        // Functional and prefix indexes have no place in the schema model.
        let Some(column) = column.filter(|_| !prefix) else {
            table.indexes.retain(|i| i.name != name);
            skipped.insert(key);
            continue;
        };
        let unique = get!(row, 2 => i64) == 0;
        let desc = get!(row, 4 => Option<String>).as_deref() == Some("D");
        let entry = IndexColumn {
            name: column,
            desc,
            ..Default::default()
        };
        match table.indexes.iter_mut().find(|i| i.name == name) {
            Some(index) => index.columns.push(entry),
            None => table.indexes.push(Index {
                name,
                columns: vec![entry],
                unique,
                method,
                ..Default::default()
            }),
        }
    }

    // InnoDB's own index for a foreign key carries the constraint's name and
    // exists only while no other index can check the key (InnoDB drops it when
    // one comes): an index named after a key, on its columns, with no other
    // index covering the key, is InnoDB's and not the user's.
    for table in tables.values_mut() {
        let Some(names) = fk_names.get(&table.name) else {
            continue;
        };
        let fks = table.foreign_keys.clone();
        let mut keys: Vec<(String, Vec<String>)> = table
            .uniques
            .iter()
            .map(|u| (u.name.clone(), u.columns.clone()))
            // A FULLTEXT or SPATIAL index cannot check a key.
            .chain(
                table
                    .indexes
                    .iter()
                    .filter(|i| IndexMethod::is_btree(i.method))
                    .map(|i| {
                        let cols = i.columns.iter().map(|c| c.name.clone()).collect();
                        (i.name.clone(), cols)
                    }),
            )
            .collect();
        if let Some(pk) = &table.primary_key {
            keys.push((String::new(), pk.columns.clone()));
        }
        let covered_elsewhere = |fk: &ForeignKey| {
            keys.iter()
                .any(|(name, cols)| *name != fk.name && cols.starts_with(&fk.columns))
        };
        table.indexes.retain(|index| {
            !(names.contains(&index.name)
                && !index.unique
                && fks.iter().any(|fk| {
                    fk.name == index.name
                        && index.columns.iter().map(|c| &c.name).eq(fk.columns.iter())
                        && !covered_elsewhere(fk)
                }))
        });
    }

    let mut schema = Schema {
        tables,
        objects: crate::objects::mysql::read(pool, options).await?,
        ..Schema::default()
    };
    crate::enums::one_type_per_column(&mut schema);
    Ok(schema)
}

async fn fetch(
    pool: &MySqlPool,
    sql: &str,
    what: &str,
) -> Result<Vec<sqlx::mysql::MySqlRow>, IntrospectError> {
    sqlx::query(sql)
        .fetch_all(pool)
        .await
        .map_err(IntrospectError::query(what))
}

/// Whether a unique key's name says it was created as an index (`ix_...`).
fn is_index_name(name: &str) -> bool {
    name.starts_with("ix_")
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.is_empty())
}

/// The default as an SQL expression. MariaDB quotes string literals itself and
/// writes `NULL` for "no default"; MySQL gives literals bare and flags expressions
/// with `DEFAULT_GENERATED`.
fn default_expr(raw: &str, expression: bool, mariadb: bool, ty: &ColumnType) -> Option<String> {
    if mariadb {
        return (!raw.eq_ignore_ascii_case("null")).then(|| standard_literal(raw));
    }
    if expression {
        return Some(raw.to_string());
    }
    let bare = ty.is_integer()
        || matches!(
            ty,
            ColumnType::Float
                | ColumnType::Double
                | ColumnType::Decimal { .. }
                | ColumnType::Boolean
        )
        || raw.eq_ignore_ascii_case("current_timestamp");
    Some(if bare {
        raw.to_string()
    } else {
        quote_literal(raw)
    })
}

/// A string literal MariaDB printed with backslash escapes (`'it\'s'`, as it
/// prints the expression default of a TEXT column) in the standard spelling
/// (`'it''s'`); anything else as it is.
fn standard_literal(raw: &str) -> String {
    let Some(inner) = raw.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')) else {
        return raw.to_string();
    };
    if !inner.contains('\\') {
        return raw.to_string();
    }
    let mut out = String::from("'");
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        match (c, chars.clone().next()) {
            ('\\', Some('\'')) => {
                chars.next();
                out.push_str("''");
            }
            ('\\', Some('\\')) => {
                chars.next();
                out.push('\\');
            }
            _ => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// Maps `COLUMN_TYPE` to a neutral type; anything else is `Raw`.
pub(crate) fn map_type(column_type: &str) -> ColumnType {
    let lower = column_type.trim().to_ascii_lowercase();
    // The canonical spelling has no display width: `int unsigned`.
    if let Some(base) = lower.strip_suffix(" unsigned") {
        if let Some(bits) = UnsignedBits::ALL
            .into_iter()
            .find(|b| b.mysql_name() == base)
        {
            return ColumnType::Unsigned(bits);
        }
    }
    if lower.contains("unsigned") || lower.contains("zerofill") {
        return ColumnType::Raw(column_type.to_string());
    }
    let (base, args) = match lower.find('(') {
        Some(i) => (&lower[..i], Some(lower[i + 1..].trim_end_matches(')'))),
        None => (lower.as_str(), None),
    };
    match (base, args) {
        ("tinyint", Some("1")) | ("boolean" | "bool", _) => ColumnType::Boolean,
        ("smallint", _) => ColumnType::SmallInt,
        ("int" | "integer" | "mediumint", _) => ColumnType::Integer,
        ("bigint", _) => ColumnType::BigInt,
        ("float", None) => ColumnType::Float,
        ("double", None) => ColumnType::Double,
        ("text" | "mediumtext" | "longtext", None) => ColumnType::Text,
        ("blob" | "mediumblob" | "longblob", None) => ColumnType::Bytes,
        ("date", None) => ColumnType::Date,
        ("time", _) => ColumnType::Time,
        ("datetime", _) => ColumnType::Timestamp,
        // Rule: a MySQL TIMESTAMP (UTC, 1970-2038) is not what the neutral
        // `timestamptz` renders (`DATETIME(6)`): kept as its own type, so `check`
        // after `adopt` compares TIMESTAMP with TIMESTAMP.
        ("timestamp", _) => ColumnType::Raw(column_type.to_string()),
        ("char", Some("36")) | ("uuid", None) => ColumnType::Uuid,
        ("json", None) => ColumnType::Json,
        ("varchar" | "decimal", Some(_)) => lower
            .parse()
            .unwrap_or_else(|_| ColumnType::Raw(column_type.to_string())),
        _ => ColumnType::Raw(column_type.to_string()),
    }
}

/// InnoDB has no deferred checks: `RESTRICT` and `NO ACTION` are one thing, and
/// MariaDB reports an omitted action as `RESTRICT`; both read as `NoAction`.
fn fk_action(rule: Option<String>) -> FkAction {
    match rule.and_then(|r| r.parse().ok()).unwrap_or_default() {
        FkAction::Restrict => FkAction::NoAction,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_types_map_back() {
        assert_eq!(map_type("tinyint(1)"), ColumnType::Boolean);
        assert_eq!(map_type("int(11)"), ColumnType::Integer);
        assert_eq!(map_type("bigint(20)"), ColumnType::BigInt);
        assert_eq!(map_type("varchar(20)"), ColumnType::Varchar(20));
        assert_eq!(
            map_type("decimal(10,2)"),
            ColumnType::Decimal {
                precision: 10,
                scale: 2
            }
        );
        assert_eq!(map_type("datetime(6)"), ColumnType::Timestamp);
        // MariaDB's display widths go before the type is mapped.
        assert_eq!(
            crate::read_type(
                migrate_core::dialect::DialectKind::MySql,
                "int(10) unsigned"
            ),
            ColumnType::Unsigned(UnsignedBits::U32)
        );
        assert_eq!(
            crate::read_type(
                migrate_core::dialect::DialectKind::MySql,
                "TINYINT(3) UNSIGNED"
            ),
            ColumnType::Unsigned(UnsignedBits::U8)
        );
        assert_eq!(
            map_type("int unsigned zerofill"),
            ColumnType::Raw("int unsigned zerofill".into())
        );
        assert_eq!(
            map_type("mediumint unsigned"),
            ColumnType::Raw("mediumint unsigned".into())
        );
        assert_eq!(
            map_type("enum('a','b')"),
            ColumnType::Raw("enum('a','b')".into())
        );
    }

    #[test]
    fn mysql_literal_defaults_get_quotes_back() {
        assert_eq!(
            default_expr("draft", false, false, &ColumnType::Text).as_deref(),
            Some("'draft'")
        );
        assert_eq!(
            default_expr("0", false, false, &ColumnType::Integer).as_deref(),
            Some("0")
        );
        assert_eq!(default_expr("NULL", false, true, &ColumnType::Text), None);
        assert_eq!(
            default_expr("'it''s'", false, true, &ColumnType::Text).as_deref(),
            Some("'it''s'")
        );
        // MariaDB prints a TEXT column's expression default with backslashes.
        assert_eq!(
            default_expr("'it\\'s'", false, true, &ColumnType::Text).as_deref(),
            Some("'it''s'")
        );
    }
}
