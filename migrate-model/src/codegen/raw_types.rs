//! The Rust type `adopt` writes for a column whose type has no neutral name (a
//! `raw(...)` or per-database type), chosen so that sqlx 0.8 decodes it, and the
//! attributes of generated columns, `ON UPDATE` and collations.
//!
//! | SQL type (the database's spelling) | Rust type |
//! |---|---|
//! | PostgreSQL `T[]` | `Vec<T>` with `T` as below or as the neutral types |
//! | `inet`, `cidr` | `sqlx::types::ipnetwork::IpNetwork` (sqlx feature `ipnetwork`) |
//! | `macaddr` | `sqlx::types::mac_address::MacAddress` (sqlx feature `mac_address`) |
//! | `interval` | `sqlx::postgres::types::PgInterval` |
//! | `money` | `sqlx::postgres::types::PgMoney` |
//! | `time with time zone` | `sqlx::postgres::types::PgTimeTz` |
//! | `oid` | `sqlx::postgres::types::Oid` |
//! | `numeric` without precision | `rust_decimal::Decimal` |
//! | MySQL `year` | `u16` |
//! | MySQL `tinyint` | `i8`; any `... unsigned [zerofill]` the unsigned type of its width |
//! | `datetime(n)`, `time(n)` | `chrono::NaiveDateTime`, `chrono::NaiveTime` |
//! | `timestamp...` | `chrono::DateTime<chrono::Utc>` (MySQL's is a UTC instant) |
//! | `binary(n)`, `varbinary(n)`, `*blob` | `Vec<u8>` |
//! | `float(...)`, `double(...)` | `f64` |
//! | text types (`char(n)`, `mediumtext`, `citext`, `set(...)`, `enum(...)`) | `String` |
//! | anything else (`tsvector`, `xml`, `bit(n)`, SQLite `numeric`) | `String`, with a comment: sqlx has no type that reads it as stored |

use migrate_core::column_extras::PerDatabase;
use migrate_core::dialect::DialectKind;
use migrate_core::schema::Column;

/// The Rust type for the raw SQL type `raw`, and a note when sqlx cannot decode
/// it as stored.
pub(super) fn raw_rust_type(raw: &str) -> (String, Option<String>) {
    let lower = raw.trim().to_ascii_lowercase();
    if let Some(element) = lower.strip_suffix("[]") {
        return match element_type(element) {
            Some(t) => (format!("Vec<{t}>"), None),
            None => (
                "String".into(),
                Some(format!(
                    "sqlx has no Rust type for arrays of `{element}`: select the column cast to text"
                )),
            ),
        };
    }
    match scalar_type(&lower) {
        Some(t) => (t.to_string(), None),
        None => (
            "String".into(),
            Some(format!(
                "sqlx has no Rust type that decodes `{raw}` as stored: select the column cast to \
                 text (or to a type sqlx reads)"
            )),
        ),
    }
}

/// The Rust type for a per-database type: the one of the first database it
/// names (PostgreSQL, MySQL, SQLite order).
pub(super) fn per_database_rust_type(types: &PerDatabase) -> (String, Option<String>) {
    let first = types.named().into_iter().next().and_then(|k| types.get(k));
    raw_rust_type(first.unwrap_or("text"))
}

/// An array element: the scalar types plus the neutral ones PostgreSQL spells.
fn element_type(element: &str) -> Option<&'static str> {
    let base = element.split('(').next().unwrap_or("").trim();
    Some(match base {
        "smallint" => "i16",
        "integer" => "i32",
        "bigint" => "i64",
        "real" => "f32",
        "double precision" => "f64",
        "boolean" => "bool",
        "text" | "character varying" | "character" | "citext" | "name" => "String",
        "uuid" => "uuid::Uuid",
        "date" => "chrono::NaiveDate",
        "timestamp without time zone" => "chrono::NaiveDateTime",
        "timestamp with time zone" => "chrono::DateTime<chrono::Utc>",
        "time without time zone" => "chrono::NaiveTime",
        "json" | "jsonb" => "serde_json::Value",
        "bytea" => "Vec<u8>",
        _ => return scalar_type(element),
    })
}

fn scalar_type(lower: &str) -> Option<&'static str> {
    let base = lower.split('(').next().unwrap_or("").trim();
    if lower.contains(" unsigned") {
        return Some(match base.split(' ').next().unwrap_or("") {
            "tinyint" => "u8",
            "smallint" => "u16",
            "mediumint" | "int" | "integer" => "u32",
            "bigint" => "u64",
            _ => return None,
        });
    }
    if base.starts_with("timestamp") {
        return Some(if lower.contains("without time zone") {
            "chrono::NaiveDateTime"
        } else {
            "chrono::DateTime<chrono::Utc>"
        });
    }
    Some(match base {
        "inet" | "cidr" => "sqlx::types::ipnetwork::IpNetwork",
        "macaddr" => "sqlx::types::mac_address::MacAddress",
        "interval" => "sqlx::postgres::types::PgInterval",
        "money" => "sqlx::postgres::types::PgMoney",
        "time with time zone" => "sqlx::postgres::types::PgTimeTz",
        "oid" => "sqlx::postgres::types::Oid",
        "numeric" | "decimal" => "rust_decimal::Decimal",
        "year" => "u16",
        "tinyint" => "i8",
        "smallint" => "i16",
        "mediumint" | "int" | "integer" => "i32",
        "bigint" => "i64",
        "datetime" => "chrono::NaiveDateTime",
        "time" | "time without time zone" => "chrono::NaiveTime",
        "date" => "chrono::NaiveDate",
        "binary" | "varbinary" | "tinyblob" | "blob" | "mediumblob" | "longblob" | "bytea" => {
            "Vec<u8>"
        }
        "float" | "double" | "double precision" => "f64",
        "real" => "f32",
        "char" | "character" | "character varying" | "varchar" | "tinytext" | "text"
        | "mediumtext" | "longtext" | "citext" | "name" | "set" | "enum" => "String",
        "uuid" => "uuid::Uuid",
        "json" | "jsonb" => "serde_json::Value",
        "boolean" | "bool" => "bool",
        _ => return None,
    })
}

/// `generated = "..."` / `generated(expr = "...", virtual)`,
/// `on_update_current_timestamp` and `collation(...)` for `column`.
pub(super) fn extras_attrs(column: &Column, lit: fn(&str) -> String) -> Vec<String> {
    let mut items = Vec::new();
    if let Some(g) = &column.generated {
        let mut parts = vec![format!("expr = {}", lit(&g.expr))];
        if !g.stored {
            parts.push("virtual".into());
        }
        for kind in g.per_database.named() {
            parts.push(format!(
                "{} = {}",
                kind.name(),
                lit(g.per_database.get(kind).unwrap_or_default())
            ));
        }
        items.push(if parts.len() == 1 {
            format!("generated = {}", lit(&g.expr))
        } else {
            format!("generated({})", parts.join(", "))
        });
    }
    if column.on_update.is_some() {
        items.push("on_update_current_timestamp".into());
    }
    if !column.collation.is_empty() {
        items.push(format!(
            "collation({})",
            per_database_list(&column.collation, lit)
        ));
    }
    items
}

/// `postgres = "...", mysql = "..."` for the databases `v` names.
pub(super) fn per_database_list(v: &PerDatabase, lit: fn(&str) -> String) -> String {
    DialectKind::ALL
        .into_iter()
        .filter_map(|k| v.get(k).map(|t| format!("{} = {}", k.name(), lit(t))))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_types_get_a_rust_type_sqlx_decodes() {
        for (raw, rust) in [
            ("integer[]", "Vec<i32>"),
            ("text[]", "Vec<String>"),
            ("character varying(20)[]", "Vec<String>"),
            ("jsonb[]", "Vec<serde_json::Value>"),
            ("inet", "sqlx::types::ipnetwork::IpNetwork"),
            ("interval", "sqlx::postgres::types::PgInterval"),
            ("year", "u16"),
            ("tinyint", "i8"),
            ("int unsigned zerofill", "u32"),
            ("mediumint unsigned", "u32"),
            ("datetime(3)", "chrono::NaiveDateTime"),
            ("timestamp(3)", "chrono::DateTime<chrono::Utc>"),
            ("set('a','b')", "String"),
            ("character(3)", "String"),
            ("varbinary(16)", "Vec<u8>"),
            ("numeric", "rust_decimal::Decimal"),
        ] {
            assert_eq!(raw_rust_type(raw), (rust.to_string(), None), "{raw}");
        }
        let (ty, note) = raw_rust_type("tsvector");
        assert_eq!(ty, "String");
        assert!(note.unwrap().contains("cast to text"));
    }
}
