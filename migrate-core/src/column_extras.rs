//! Column shapes that differ per database: a type or collation named per
//! database ([`PerDatabase`]), and generated columns ([`Generated`]).
//!
//! A per-database value holds up to one SQL text for each database. Rule: a
//! database the value does not name has no such thing, and a column that needs
//! one there is a render error naming the column and the database (never a
//! silent fallback), so `sql_type(postgres = "text[]")` works on PostgreSQL and
//! says clearly why it cannot on MySQL and SQLite.
//!
//! In revision files a per-database type is written
//! `per_database(postgres = text[]; mysql = json)`: a `;` separates the
//! databases, since a type may hold commas (`numeric(10,2)`).

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dialect::DialectKind;

/// Up to one SQL text per database.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PerDatabase {
    /// The text for PostgreSQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<String>,
    /// The text for MySQL and MariaDB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mysql: Option<String>,
    /// The text for SQLite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqlite: Option<String>,
}

impl PerDatabase {
    /// Whether no database is named.
    pub fn is_empty(&self) -> bool {
        self.postgres.is_none() && self.mysql.is_none() && self.sqlite.is_none()
    }

    /// The text for `kind`, if it has one.
    pub fn get(&self, kind: DialectKind) -> Option<&str> {
        match kind {
            DialectKind::Postgres => self.postgres.as_deref(),
            DialectKind::MySql => self.mysql.as_deref(),
            DialectKind::Sqlite => self.sqlite.as_deref(),
        }
    }

    /// The slot for `kind`.
    pub fn slot(&mut self, kind: DialectKind) -> &mut Option<String> {
        match kind {
            DialectKind::Postgres => &mut self.postgres,
            DialectKind::MySql => &mut self.mysql,
            DialectKind::Sqlite => &mut self.sqlite,
        }
    }

    /// The same value with `text` for `kind`.
    pub fn with(mut self, kind: DialectKind, text: impl Into<String>) -> Self {
        *self.slot(kind) = Some(text.into());
        self
    }

    /// The databases named, in [`DialectKind::ALL`] order.
    pub fn named(&self) -> Vec<DialectKind> {
        DialectKind::ALL
            .into_iter()
            .filter(|k| self.get(*k).is_some())
            .collect()
    }

    /// Reads the inside of `per_database(...)`: `postgres = text[]; mysql = json`.
    /// Whitespace in each text is collapsed to one space. `Err` says what is wrong.
    pub fn parse_list(inner: &str) -> Result<Self, String> {
        let mut out = PerDatabase::default();
        for part in inner.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((name, text)) = part.split_once('=') else {
                return Err(format!(
                    "`{part}` is not `DATABASE = SQL`, e.g. `postgres = text[]`"
                ));
            };
            let kind = match name.trim() {
                "postgres" => DialectKind::Postgres,
                "mysql" => DialectKind::MySql,
                "sqlite" => DialectKind::Sqlite,
                other => {
                    return Err(format!(
                        "unknown database `{other}`: use postgres, mysql or sqlite"
                    ))
                }
            };
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            if text.is_empty() {
                return Err(format!("`{}` has an empty SQL text", kind.name()));
            }
            let slot = out.slot(kind);
            if slot.is_some() {
                return Err(format!("`{}` is given twice", kind.name()));
            }
            *slot = Some(text);
        }
        if out.is_empty() {
            return Err("name at least one database, e.g. `postgres = text[]`".into());
        }
        Ok(out)
    }
}

impl fmt::Display for PerDatabase {
    /// `postgres = text[]; mysql = json` (the inside of `per_database(...)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .named()
            .into_iter()
            .map(|k| format!("{} = {}", k.name(), self.get(k).unwrap_or_default()))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

/// A generated column: its value is computed from the other columns of its row.
///
/// Rule: the databases differ in what they allow. PostgreSQL 15 has only `STORED`
/// generated columns; MySQL, MariaDB and SQLite have both kinds, but SQLite cannot
/// add a `STORED` one to an existing table (migrate rebuilds the table then).
/// A generated column has no default and is never copied by a table rebuild
/// (the database computes it again).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Generated {
    /// The SQL expression, for every database that has no text of its own.
    pub expr: String,
    /// `STORED` (computed on write and kept) rather than `VIRTUAL` (computed on read).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stored: bool,
    /// The expression for one database, where its SQL differs (`||` on PostgreSQL
    /// and SQLite, `CONCAT` on MySQL).
    #[serde(default, skip_serializing_if = "PerDatabase::is_empty")]
    pub per_database: PerDatabase,
}

impl Generated {
    /// A `STORED` generated column computing `expr`.
    pub fn stored(expr: impl Into<String>) -> Self {
        Generated {
            expr: expr.into(),
            stored: true,
            per_database: PerDatabase::default(),
        }
    }

    /// A `VIRTUAL` generated column computing `expr`.
    pub fn virtual_(expr: impl Into<String>) -> Self {
        Generated {
            stored: false,
            ..Generated::stored(expr)
        }
    }

    /// The expression `kind` computes.
    pub fn expr_for(&self, kind: DialectKind) -> &str {
        self.per_database.get(kind).unwrap_or(&self.expr)
    }

    /// `STORED` or `VIRTUAL`.
    pub fn kind_sql(&self) -> &'static str {
        if self.stored {
            "STORED"
        } else {
            "VIRTUAL"
        }
    }
}

/// What changed in generation, `ON UPDATE` and collation between two states of
/// a column, one phrase each (for [`crate::ops::Operation::describe`]).
pub fn describe_changes(
    from: &crate::schema::ColumnState,
    to: &crate::schema::ColumnState,
) -> Vec<String> {
    let mut parts = Vec::new();
    let generated = |g: &Option<Box<Generated>>| match g {
        Some(g) => format!("generated {} ({})", g.kind_sql().to_lowercase(), g.expr),
        None => "not generated".to_string(),
    };
    if from.generated != to.generated {
        parts.push(format!(
            "{} -> {}",
            generated(&from.generated),
            generated(&to.generated)
        ));
    }
    if from.on_update != to.on_update {
        parts.push(format!(
            "on update {} -> {}",
            from.on_update.as_deref().unwrap_or("none"),
            to.on_update.as_deref().unwrap_or("none")
        ));
    }
    if from.collation != to.collation {
        let show = |c: &PerDatabase| {
            if c.is_empty() {
                "default".to_string()
            } else {
                format!("({c})")
            }
        };
        parts.push(format!(
            "collation {} -> {}",
            show(&from.collation),
            show(&to.collation)
        ));
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_round_trips_through_its_text() {
        let v = PerDatabase::parse_list("mysql = json ;postgres =  text[] ").unwrap();
        assert_eq!(v.get(DialectKind::Postgres), Some("text[]"));
        assert_eq!(v.get(DialectKind::MySql), Some("json"));
        assert_eq!(v.get(DialectKind::Sqlite), None);
        assert_eq!(v.to_string(), "postgres = text[]; mysql = json");
        assert_eq!(PerDatabase::parse_list(&v.to_string()).unwrap(), v);
    }

    #[test]
    fn a_bad_list_says_what_is_wrong() {
        for (text, says) in [
            ("oracle = number", "unknown database `oracle`"),
            ("postgres = a; postgres = b", "given twice"),
            ("postgres", "is not `DATABASE = SQL`"),
            ("", "name at least one database"),
            ("sqlite = ", "empty SQL text"),
        ] {
            let e = PerDatabase::parse_list(text).unwrap_err();
            assert!(e.contains(says), "{text}: {e}");
        }
    }

    #[test]
    fn a_generated_expression_falls_back_to_the_common_one() {
        let g = Generated {
            per_database: PerDatabase::default().with(DialectKind::MySql, "CONCAT(a, b)"),
            ..Generated::stored("a || b")
        };
        assert_eq!(g.expr_for(DialectKind::MySql), "CONCAT(a, b)");
        assert_eq!(g.expr_for(DialectKind::Sqlite), "a || b");
    }
}
