//! Index shapes beyond a list of columns (a method, included columns, a partial
//! predicate, expressions as keys) and foreign keys checked at commit
//! (`DEFERRABLE`), with the one table of what each database supports.
//!
//! | shape                          | PostgreSQL | MySQL / MariaDB            | SQLite |
//! |--------------------------------|------------|----------------------------|--------|
//! | `where = "..."` (partial)      | yes        | no                         | yes    |
//! | expression key (`lower(x)`)    | yes        | no (MariaDB has none)      | yes    |
//! | `method = "hash"`, `"gin"`, `"gist"`, `"brin"`, `"spgist"` | yes | no (InnoDB keeps B-trees) | no |
//! | `method = "fulltext"`, `"spatial"` | no     | yes                        | no     |
//! | `include(...)`                 | yes        | no                         | no     |
//! | `opclass(key = "text_pattern_ops")` (per key) | yes | no                  | no     |
//! | `collation(key = "C")` (per key) | yes      | no (the column's own only) | yes (`NOCASE`, `RTRIM`, ...) |
//! | `deferrable`, `initially_deferred` | yes    | no                         | yes    |
//!
//! A shape a database cannot store is an error when rendering for it
//! ([`index_unsupported`], [`deferrable_unsupported`]), never silently dropped.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::dialect::tokens::{referenced_columns, rename_column};
use crate::dialect::DialectKind;
use crate::schema::{normalize_default, ForeignKey, Index, Table};

/// How an index is stored (`USING gin` on PostgreSQL, `FULLTEXT` on MySQL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum IndexMethod {
    /// A B-tree, every database's default (written only when asked for).
    Btree,
    /// PostgreSQL hash index.
    Hash,
    /// PostgreSQL generalized inverted index (arrays, jsonb, full text).
    Gin,
    /// PostgreSQL generalized search tree (ranges, geometry).
    Gist,
    /// PostgreSQL block range index (large, naturally ordered tables).
    Brin,
    /// PostgreSQL space-partitioned GiST.
    Spgist,
    /// MySQL/MariaDB `FULLTEXT` index.
    Fulltext,
    /// MySQL/MariaDB `SPATIAL` index.
    Spatial,
}

impl IndexMethod {
    /// Every method, in a fixed order.
    pub const ALL: [IndexMethod; 8] = [
        IndexMethod::Btree,
        IndexMethod::Hash,
        IndexMethod::Gin,
        IndexMethod::Gist,
        IndexMethod::Brin,
        IndexMethod::Spgist,
        IndexMethod::Fulltext,
        IndexMethod::Spatial,
    ];

    /// The name in models and revision files (`gin`), lower case.
    pub fn name(self) -> &'static str {
        match self {
            IndexMethod::Btree => "btree",
            IndexMethod::Hash => "hash",
            IndexMethod::Gin => "gin",
            IndexMethod::Gist => "gist",
            IndexMethod::Brin => "brin",
            IndexMethod::Spgist => "spgist",
            IndexMethod::Fulltext => "fulltext",
            IndexMethod::Spatial => "spatial",
        }
    }

    /// The databases that store this method as asked.
    pub fn supported_on(self, kind: DialectKind) -> bool {
        match self {
            IndexMethod::Btree => true,
            IndexMethod::Hash
            | IndexMethod::Gin
            | IndexMethod::Gist
            | IndexMethod::Brin
            | IndexMethod::Spgist => kind == DialectKind::Postgres,
            IndexMethod::Fulltext | IndexMethod::Spatial => kind == DialectKind::MySql,
        }
    }

    /// Whether an index with this method is the database's default B-tree.
    pub fn is_btree(method: Option<IndexMethod>) -> bool {
        matches!(method, None | Some(IndexMethod::Btree))
    }
}

impl fmt::Display for IndexMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// An index method that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown index method `{0}`: use btree, hash, gin, gist, brin or spgist (PostgreSQL), \
     fulltext or spatial (MySQL/MariaDB)"
)]
pub struct ParseIndexMethodError(pub String);

impl FromStr for IndexMethod {
    type Err = ParseIndexMethodError;

    /// Accepts any case (`GIN`, `FullText`) and `sp-gist`/`sp_gist` for spgist.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        IndexMethod::ALL
            .into_iter()
            .find(|m| m.name() == key)
            .ok_or_else(|| ParseIndexMethodError(s.to_string()))
    }
}

impl Serialize for IndexMethod {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for IndexMethod {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// When a foreign key is checked.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Deferrable {
    /// At each statement (the SQL default): not deferrable.
    #[default]
    No,
    /// `DEFERRABLE INITIALLY IMMEDIATE`: at each statement unless a transaction
    /// says `SET CONSTRAINTS ... DEFERRED`.
    Immediate,
    /// `DEFERRABLE INITIALLY DEFERRED`: at commit.
    Deferred,
}

impl Deferrable {
    /// The SQL clause after the key's actions (empty when not deferrable).
    pub fn sql(self) -> &'static str {
        match self {
            Deferrable::No => "",
            Deferrable::Immediate => " DEFERRABLE INITIALLY IMMEDIATE",
            Deferrable::Deferred => " DEFERRABLE INITIALLY DEFERRED",
        }
    }

    /// From the two catalog flags (`condeferrable`, `condeferred`).
    pub fn from_flags(deferrable: bool, initially_deferred: bool) -> Self {
        match (deferrable, initially_deferred) {
            (false, _) => Deferrable::No,
            (true, false) => Deferrable::Immediate,
            (true, true) => Deferrable::Deferred,
        }
    }

    pub(crate) fn is_default(&self) -> bool {
        *self == Deferrable::No
    }

    /// The spelling in models and revision files.
    pub fn name(self) -> &'static str {
        match self {
            Deferrable::No => "no",
            Deferrable::Immediate => "immediate",
            Deferrable::Deferred => "deferred",
        }
    }
}

/// A `deferrable` value that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown `deferrable` value `{0}`: use immediate or deferred")]
pub struct ParseDeferrableError(pub String);

impl FromStr for Deferrable {
    type Err = ParseDeferrableError;

    /// `immediate` / `deferred`, any case, with or without `initially`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match key.trim_start_matches("initially") {
            "immediate" => Ok(Deferrable::Immediate),
            "deferred" => Ok(Deferrable::Deferred),
            _ => Err(ParseDeferrableError(s.to_string())),
        }
    }
}

impl Serialize for Deferrable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Deferrable {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        [Deferrable::No, Deferrable::Immediate, Deferrable::Deferred]
            .into_iter()
            .find(|d| d.name() == text)
            .ok_or_else(|| {
                serde::de::Error::custom(format!(
                    "unknown deferrable `{text}`: use immediate or deferred"
                ))
            })
    }
}

impl Index {
    /// Whether the index uses `column`: as a key, inside a key expression, as an
    /// included column or in its predicate (databases drop such an index with the
    /// column).
    pub fn uses_column(&self, column: &str) -> bool {
        let in_expr = |e: &str| {
            referenced_columns(e)
                .iter()
                .any(|c| c.eq_ignore_ascii_case(column))
        };
        self.columns.iter().any(|c| {
            if c.expression {
                in_expr(&c.name)
            } else {
                c.name == column
            }
        }) || self.include.iter().any(|c| c == column)
            || self.predicate.as_deref().is_some_and(in_expr)
    }

    /// Whether every column the index uses (keys, the columns its expressions and
    /// predicate name, included columns) is a column of `table`.
    pub fn all_columns_in(&self, table: &Table) -> bool {
        let has = |c: &str| {
            table
                .columns
                .iter()
                .any(|col| col.name.eq_ignore_ascii_case(c))
        };
        let in_expr = |e: &str| referenced_columns(e).iter().all(|c| has(c));
        self.columns.iter().all(|c| {
            if c.expression {
                in_expr(&c.name)
            } else {
                table.column(&c.name).is_some()
            }
        }) && self.include.iter().all(|c| table.column(c).is_some())
            && self.predicate.as_deref().map_or(true, in_expr)
    }

    /// Renames `from` to `to` wherever the index uses it, as the databases do.
    pub fn rename_column(&mut self, from: &str, to: &str) {
        for c in &mut self.columns {
            if c.expression {
                c.name = rename_column(&c.name, from, to);
            } else if c.name == from {
                c.name = to.to_string();
            }
        }
        for c in self.include.iter_mut().filter(|c| *c == from) {
            *c = to.to_string();
        }
        if let Some(p) = &mut self.predicate {
            *p = rename_column(p, from, to);
        }
    }
}

/// What of `index` the database `kind` cannot store, and how to fix it; `None`
/// when it stores all of it. The one place that states the per-database rules
/// of the module's table.
pub fn index_unsupported(kind: DialectKind, index: &Index) -> Option<(String, String)> {
    let what = |w: &str| format!("create index '{}' {w}", index.name);
    if let Some(method) = index.method {
        if !method.supported_on(kind) {
            let fix = match kind {
                DialectKind::MySql if method == IndexMethod::Hash => {
                    "InnoDB stores every index as a B-tree (a HASH index would read back as \
                     BTREE); drop `method`"
                }
                DialectKind::MySql => {
                    "MySQL/MariaDB index methods are `fulltext` and `spatial`; drop `method` \
                     or use one of these"
                }
                DialectKind::Postgres => {
                    "PostgreSQL has no FULLTEXT/SPATIAL index: use `method = \"gin\"` on a \
                     tsvector expression, or `method = \"gist\"` for geometry"
                }
                DialectKind::Sqlite => "SQLite has B-tree indexes only; drop `method`",
            };
            return Some((what(&format!("with method {method}")), fix.into()));
        }
    }
    if index.unique && !IndexMethod::is_btree(index.method) {
        return Some((
            what("as a unique index with a method other than btree"),
            "only B-tree indexes can be unique: drop `unique` or `method`".into(),
        ));
    }
    if !index.include.is_empty() && kind != DialectKind::Postgres {
        return Some((
            what("with included columns"),
            "only PostgreSQL has INCLUDE; move the columns into the key or drop `include`".into(),
        ));
    }
    if let Some(c) = index.columns.iter().find(|c| c.opclass.is_some()) {
        let opclass = c.opclass.as_deref().unwrap_or_default();
        if !is_sql_name(opclass) {
            return Some((
                what(&format!(
                    "with the operator class `{opclass}` on `{}`",
                    c.name
                )),
                "an operator class is a name (letters, digits, `_`, and `.` after a schema), \
                 like `text_pattern_ops`"
                    .into(),
            ));
        }
        if kind != DialectKind::Postgres {
            return Some((
                what(&format!(
                    "with the operator class `{opclass}` on `{}`",
                    c.name
                )),
                "only PostgreSQL has operator classes: drop `opclass` for a project that \
                 targets this database"
                    .into(),
            ));
        }
    }
    if let Some(c) = index.columns.iter().find(|c| c.collation.is_some()) {
        let collation = c.collation.as_deref().unwrap_or_default();
        if collation.trim().is_empty() || collation.contains('"') {
            return Some((
                what(&format!("with the collation `{collation}` on `{}`", c.name)),
                "a collation is a name without quotes, like `C` or `NOCASE`".into(),
            ));
        }
        if kind == DialectKind::MySql {
            return Some((
                what(&format!("with the collation `{collation}` on `{}`", c.name)),
                "MySQL/MariaDB have no collation per index key (an index uses its \
                 column's): drop the key's `collation` and set `collation` on the column"
                    .into(),
            ));
        }
    }
    if kind == DialectKind::MySql {
        if let Some(c) = index.columns.iter().find(|c| c.expression) {
            return Some((
                what(&format!("on the expression `{}`", c.name)),
                "MariaDB has no expression indexes: index a generated column that holds the \
                 expression instead"
                    .into(),
            ));
        }
        if index.predicate.is_some() {
            return Some((
                what("with a WHERE predicate"),
                "MySQL/MariaDB have no partial indexes: drop `where`, or index a generated \
                 column that is NULL for the rows to leave out"
                    .into(),
            ));
        }
    }
    None
}

/// Whether `text` is a plain SQL name, possibly qualified (`pg_catalog.text_ops`).
pub fn is_sql_name(text: &str) -> bool {
    !text.is_empty()
        && text.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// What of `fk` the database `kind` cannot store, with how to fix it.
pub fn deferrable_unsupported(kind: DialectKind, fk: &ForeignKey) -> Option<(String, String)> {
    (fk.deferrable != Deferrable::No && kind == DialectKind::MySql).then(|| {
        (
            format!("add deferrable foreign key '{}'", fk.name),
            "MySQL/MariaDB check foreign keys at once, always: drop `deferrable` / \
             `initially_deferred` for a project that targets MySQL"
                .into(),
        )
    })
}

/// Whether two definitions of an index (same name) are the same index: the same
/// keys, order, operator classes and collations (case ignored), uniqueness,
/// method, included columns and predicate. Expressions and
/// predicates are compared by their normalised spelling ([`normalize_default`]), so
/// `lower( email )` and `LOWER(email)` are one key; `None` and `btree` are one method.
pub fn same_index(a: &Index, b: &Index) -> bool {
    let key = |i: &Index| {
        i.columns
            .iter()
            .map(|c| {
                let name = if c.expression {
                    normalize_default(&c.name)
                } else {
                    c.name.clone()
                };
                let lower = |v: &Option<String>| v.as_deref().map(str::to_ascii_lowercase);
                (
                    name,
                    c.desc,
                    c.expression,
                    lower(&c.opclass),
                    lower(&c.collation),
                )
            })
            .collect::<Vec<_>>()
    };
    let predicate = |i: &Index| i.predicate.as_deref().map(normalize_default);
    key(a) == key(b)
        && a.unique == b.unique
        && IndexMethod::is_btree(a.method) == IndexMethod::is_btree(b.method)
        && (IndexMethod::is_btree(a.method) || a.method == b.method)
        && a.include == b.include
        && predicate(a) == predicate(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::IndexColumn;

    #[test]
    fn method_spellings() {
        assert_eq!("GIN".parse::<IndexMethod>().unwrap(), IndexMethod::Gin);
        assert_eq!(
            "FullText".parse::<IndexMethod>().unwrap(),
            IndexMethod::Fulltext
        );
        assert_eq!(
            "sp-gist".parse::<IndexMethod>().unwrap(),
            IndexMethod::Spgist
        );
        let e = "rtree".parse::<IndexMethod>().unwrap_err().to_string();
        assert!(e.contains("`rtree`") && e.contains("gin"), "{e}");
    }

    #[test]
    fn reformatted_expression_and_predicate_are_the_same_index() {
        let a = Index {
            name: "ix".into(),
            columns: vec![IndexColumn {
                name: "lower( email )".into(),
                expression: true,
                ..Default::default()
            }],
            predicate: Some("deleted_at IS NULL".into()),
            ..Default::default()
        };
        let mut b = a.clone();
        b.columns[0].name = "LOWER(email)".into();
        b.predicate = Some("(deleted_at  is null)".into());
        b.method = Some(IndexMethod::Btree);
        assert!(same_index(&a, &b));
        b.predicate = Some("deleted_at IS NOT NULL".into());
        assert!(!same_index(&a, &b));
    }

    #[test]
    fn operator_classes_and_collations_per_key() {
        let mut ix = Index {
            name: "ix_users_email".into(),
            columns: vec![IndexColumn {
                opclass: Some("text_pattern_ops".into()),
                collation: Some("C".into()),
                ..IndexColumn::asc("email")
            }],
            ..Default::default()
        };
        assert!(index_unsupported(DialectKind::Postgres, &ix).is_none());
        let (what, fix) = index_unsupported(DialectKind::MySql, &ix).unwrap();
        assert!(what.contains("text_pattern_ops") && fix.contains("only PostgreSQL"));
        let (_, fix) = index_unsupported(DialectKind::Sqlite, &ix).unwrap();
        assert!(fix.contains("operator classes"), "{fix}");
        let mut other = ix.clone();
        other.columns[0].opclass = Some("TEXT_PATTERN_OPS".into());
        assert!(same_index(&ix, &other));
        other.columns[0].collation = None;
        assert!(!same_index(&ix, &other));
        ix.columns[0].opclass = None;
        ix.columns[0].collation = Some("NOCASE".into());
        assert!(index_unsupported(DialectKind::Sqlite, &ix).is_none());
        let (_, fix) = index_unsupported(DialectKind::MySql, &ix).unwrap();
        assert!(fix.contains("collation per index key"), "{fix}");
        ix.columns[0].opclass = Some("x; DROP TABLE users".into());
        assert!(index_unsupported(DialectKind::Postgres, &ix).is_some());
    }

    #[test]
    fn mariadb_refuses_expression_and_partial_indexes() {
        let mut ix = Index {
            name: "ix_users_email".into(),
            columns: vec![IndexColumn {
                name: "lower(email)".into(),
                expression: true,
                ..Default::default()
            }],
            ..Default::default()
        };
        let (what, fix) = index_unsupported(DialectKind::MySql, &ix).unwrap();
        assert!(what.contains("lower(email)") && fix.contains("generated column"));
        assert!(index_unsupported(DialectKind::Sqlite, &ix).is_none());
        assert!(index_unsupported(DialectKind::Postgres, &ix).is_none());
        ix.columns[0].expression = false;
        ix.method = Some(IndexMethod::Gin);
        assert!(index_unsupported(DialectKind::Sqlite, &ix).is_some());
        assert!(index_unsupported(DialectKind::Postgres, &ix).is_none());
    }
}
