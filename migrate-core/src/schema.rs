//! The schema model: what a database looks like, without any database.
//!
//! Every constraint and index carries a concrete name, given by the user or by
//! [`crate::naming`], so that every dialect and every regeneration agree on it.
//! Tables are kept in a `BTreeMap`, so iteration (and everything written from a
//! schema) is in a stable order.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::column_extras::{Generated, PerDatabase};
pub use crate::index_shape::{Deferrable, IndexMethod};
use crate::types::ColumnType;

/// A whole schema: tables and enum types by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// Tables by name.
    pub tables: BTreeMap<String, Table>,
    /// Enum types by name (a PostgreSQL `CREATE TYPE ... AS ENUM`; on MySQL and
    /// SQLite only its columns exist, see [`ColumnType::Enum`]).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub enums: BTreeMap<String, EnumType>,
    /// Views, triggers, functions, sequences and other objects beyond tables, in
    /// kind then name order (see [`crate::objects`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objects: Vec<crate::objects::SchemaObject>,
}

/// An enum type: a name and its labels, in order (the order is the sort order
/// on PostgreSQL and MySQL).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EnumType {
    /// Type name.
    pub name: String,
    /// Labels, in order.
    pub values: Vec<String>,
}

impl EnumType {
    /// An enum type called `name` with `values`.
    pub fn new<S: Into<String>>(
        name: impl Into<String>,
        values: impl IntoIterator<Item = S>,
    ) -> Self {
        EnumType {
            name: name.into(),
            values: values.into_iter().map(Into::into).collect(),
        }
    }

    /// The column type of a column holding this enum.
    pub fn column_type(&self) -> ColumnType {
        ColumnType::Enum {
            name: self.name.clone(),
            values: self.values.clone(),
        }
    }
}

/// Labels as SQL string literals separated by `, ` (`'a', 'it''s'`): the
/// spelling of enum labels in revision files and in SQL.
pub fn label_list(values: &[String]) -> String {
    values
        .iter()
        .map(|v| crate::dialect::quote::string_literal(v))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads what [`label_list`] writes; `None` if it is not a list of single-quoted
/// literals separated by commas.
pub fn parse_label_list(text: &str) -> Option<Vec<String>> {
    let mut values = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next()? != '\'' {
            return None;
        }
        let mut value = String::new();
        loop {
            match chars.next()? {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                '\'' => break,
                c => value.push(c),
            }
        }
        values.push(value);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            None => return Some(values),
            Some(',') => {}
            Some(_) => return None,
        }
    }
}

impl Schema {
    /// An empty schema (the state before the first revision).
    pub fn new() -> Self {
        Self::default()
    }

    /// Builds a schema from tables, with the enum types their columns use (the
    /// first column of a type gives its labels; replay reports a column that
    /// lists others).
    pub fn from_tables(tables: impl IntoIterator<Item = Table>) -> Self {
        let tables: BTreeMap<String, Table> =
            tables.into_iter().map(|t| (t.name.clone(), t)).collect();
        let mut enums = BTreeMap::new();
        for c in tables.values().flat_map(|t| &t.columns) {
            if let ColumnType::Enum { name, values } = &c.ty {
                enums
                    .entry(name.clone())
                    .or_insert_with(|| EnumType::new(name.clone(), values.clone()));
            }
        }
        Schema {
            tables,
            enums,
            objects: Vec::new(),
        }
    }

    /// The table called `name`.
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.get(name)
    }

    /// Drops the enum types no column uses. Models declare an enum type only
    /// through its columns, so a type used by no table (or only by tables left out
    /// of an adoption or a check) is not theirs to compare or to create.
    pub fn retain_used_enums(&mut self) {
        let used: std::collections::BTreeSet<String> = self
            .tables
            .values()
            .flat_map(|t| &t.columns)
            .filter_map(|c| match &c.ty {
                ColumnType::Enum { name, .. } => Some(name.clone()),
                _ => None,
            })
            .collect();
        self.enums.retain(|name, _| used.contains(name));
    }

    /// The columns (table, column) whose type is the enum called `name`, in table
    /// then column order.
    pub fn enum_columns(&self, name: &str) -> Vec<(&Table, &Column)> {
        self.tables
            .values()
            .flat_map(|t| t.columns.iter().map(move |c| (t, c)))
            .filter(|(_, c)| matches!(&c.ty, ColumnType::Enum { name: n, .. } if n == name))
            .collect()
    }
}

/// A table with its columns and constraints. Written to files and read back by
/// [`crate::qualified`] (its schema apart from its name).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// Table name: `invoice` in the current schema, `billing.invoice` in the
    /// PostgreSQL schema `billing` ([`crate::qualified`]).
    pub name: String,
    /// Columns in declaration order.
    pub columns: Vec<Column>,
    /// Primary key, if any.
    pub primary_key: Option<PrimaryKey>,
    /// Unique constraints.
    pub uniques: Vec<Unique>,
    /// Indexes (unique or not).
    pub indexes: Vec<Index>,
    /// Foreign keys.
    pub foreign_keys: Vec<ForeignKey>,
    /// Named CHECK constraints.
    pub checks: Vec<Check>,
    /// Table comment.
    pub comment: Option<String>,
}

/// The kinds of named objects a table holds besides its columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedObject {
    /// The primary key.
    PrimaryKey,
    /// A UNIQUE constraint.
    Unique,
    /// An index.
    Index,
    /// A foreign key.
    ForeignKey,
    /// A CHECK constraint.
    Check,
}

impl NamedObject {
    /// How messages call it.
    pub fn label(self) -> &'static str {
        match self {
            NamedObject::PrimaryKey => "primary key",
            NamedObject::Unique => "unique constraint",
            NamedObject::Index => "index",
            NamedObject::ForeignKey => "foreign key",
            NamedObject::Check => "check",
        }
    }
}

impl Table {
    /// A table with no columns or constraints yet.
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            columns: Vec::new(),
            primary_key: None,
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            comment: None,
        }
    }

    /// The column called `name`.
    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    /// The column called `name`, mutably.
    pub fn column_mut(&mut self, name: &str) -> Option<&mut Column> {
        self.columns.iter_mut().find(|c| c.name == name)
    }

    /// What the object called `name` is (primary key, unique, index, foreign key or
    /// check), if this table has one.
    pub fn named_object(&self, name: &str) -> Option<NamedObject> {
        if self.primary_key.as_ref().is_some_and(|pk| pk.name == name) {
            Some(NamedObject::PrimaryKey)
        } else if self.uniques.iter().any(|u| u.name == name) {
            Some(NamedObject::Unique)
        } else if self.indexes.iter().any(|i| i.name == name) {
            Some(NamedObject::Index)
        } else if self.foreign_keys.iter().any(|f| f.name == name) {
            Some(NamedObject::ForeignKey)
        } else if self.checks.iter().any(|c| c.name == name) {
            Some(NamedObject::Check)
        } else {
            None
        }
    }

    /// Renames the object called `from` to `to`; false when there is none.
    pub fn rename_object(&mut self, from: &str, to: &str) -> bool {
        let names = self
            .primary_key
            .iter_mut()
            .map(|pk| &mut pk.name)
            .chain(self.uniques.iter_mut().map(|u| &mut u.name))
            .chain(self.indexes.iter_mut().map(|i| &mut i.name))
            .chain(self.foreign_keys.iter_mut().map(|f| &mut f.name))
            .chain(self.checks.iter_mut().map(|c| &mut c.name));
        let mut found = false;
        for name in names.filter(|n| *n == from) {
            *name = to.to_string();
            found = true;
        }
        found
    }

    /// The names of the constraints (primary key, uniques, foreign keys, checks)
    /// and indexes of this table that use `column`.
    pub fn constraints_on(&self, column: &str) -> Vec<String> {
        let mut names = Vec::new();
        if let Some(pk) = &self.primary_key {
            if pk.columns.iter().any(|c| c == column) {
                names.push(pk.name.clone());
            }
        }
        for u in &self.uniques {
            if u.columns.iter().any(|c| c == column) {
                names.push(u.name.clone());
            }
        }
        for i in &self.indexes {
            if i.uses_column(column) {
                names.push(i.name.clone());
            }
        }
        for fk in &self.foreign_keys {
            if fk.columns.iter().any(|c| c == column) {
                names.push(fk.name.clone());
            }
        }
        // A check uses a column its expression names as a column (not inside a
        // string, not as a function or a type); databases match unquoted names
        // without regard to case, so this does too.
        for ck in &self.checks {
            let used = crate::dialect::tokens::referenced_columns(&ck.expr);
            if used.iter().any(|c| c.eq_ignore_ascii_case(column)) {
                names.push(ck.name.clone());
            }
        }
        names
    }

    /// The table without its foreign keys (used to create tables that reference
    /// each other in a cycle: the keys are added afterwards).
    pub fn without_foreign_keys(&self) -> Table {
        Table {
            foreign_keys: Vec::new(),
            ..self.clone()
        }
    }
}

/// A column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Column {
    /// Column name.
    pub name: String,
    /// Dialect-neutral type.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// Whether NULL is allowed.
    #[serde(default)]
    pub nullable: bool,
    /// Server default, as an SQL expression (`0`, `'draft'`, `CURRENT_TIMESTAMP`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Values are generated by the database (identity / serial / AUTO_INCREMENT).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub autoincrement: bool,
    /// Column comment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Computed by the database from the row (`GENERATED ALWAYS AS (...)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// MySQL/MariaDB `ON UPDATE` expression (`CURRENT_TIMESTAMP`): set on every
    /// update of the row. Other databases have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<String>,
    /// Collation, per database (`C` on PostgreSQL, `utf8mb4_bin` on MySQL,
    /// `NOCASE` on SQLite); empty means the database's default.
    #[serde(default, skip_serializing_if = "PerDatabase::is_empty")]
    pub collation: PerDatabase,
}

impl Column {
    /// A NOT NULL column with no default.
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column {
            name: name.into(),
            ty,
            nullable: false,
            default: None,
            autoincrement: false,
            comment: None,
            generated: None,
            on_update: None,
            collation: PerDatabase::default(),
        }
    }

    /// The same column, nullable.
    pub fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }

    /// The same column with a server default.
    pub fn default_sql(mut self, expr: impl Into<String>) -> Self {
        self.default = Some(expr.into());
        self
    }

    /// The parts an ALTER COLUMN changes.
    pub fn state(&self) -> ColumnState {
        ColumnState {
            ty: self.ty.clone(),
            nullable: self.nullable,
            default: self.default.clone(),
            autoincrement: self.autoincrement,
            generated: self.generated.clone().map(Box::new),
            on_update: self.on_update.clone(),
            collation: self.collation.clone(),
        }
    }
}

/// What an ALTER COLUMN changes: type, nullability, default, autoincrement,
/// generation, `ON UPDATE` and collation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnState {
    /// Type.
    #[serde(rename = "type")]
    pub ty: ColumnType,
    /// Whether NULL is allowed.
    #[serde(default)]
    pub nullable: bool,
    /// Server default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    /// Generated by the database.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub autoincrement: bool,
    /// Computed from the row ([`Column::generated`]); boxed, as an
    /// [`AlterColumn`](crate::ops::Operation::AlterColumn) holds two states.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Box<Generated>>,
    /// MySQL `ON UPDATE` expression ([`Column::on_update`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on_update: Option<String>,
    /// Collation per database ([`Column::collation`]).
    #[serde(default, skip_serializing_if = "PerDatabase::is_empty")]
    pub collation: PerDatabase,
}

/// A primary key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    /// Constraint name.
    pub name: String,
    /// Columns, in key order.
    pub columns: Vec<String>,
}

/// A UNIQUE constraint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unique {
    /// Constraint name.
    pub name: String,
    /// Columns, in order.
    pub columns: Vec<String>,
}

/// One column of an index, with its sort order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexColumn {
    /// Column name, or an SQL expression when `expression` is set.
    pub name: String,
    /// Sorted descending.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub desc: bool,
    /// `name` is an SQL expression (`lower(email)`), not a column name.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub expression: bool,
    /// The key's operator class (PostgreSQL `text_pattern_ops`, `gin_trgm_ops`);
    /// `None` is the type's default. See [`crate::index_shape`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opclass: Option<String>,
    /// The key's collation (PostgreSQL `"C"`, SQLite `NOCASE`); `None` is the
    /// column's own. See [`crate::index_shape`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
}

impl IndexColumn {
    /// An ascending index column.
    pub fn asc(name: impl Into<String>) -> Self {
        IndexColumn {
            name: name.into(),
            ..Default::default()
        }
    }
}

/// An index.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// Index name.
    pub name: String,
    /// Columns, in order.
    pub columns: Vec<IndexColumn>,
    /// A unique index.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unique: bool,
    /// The access method (`gin`, `fulltext`, ...); `None` is the database's default
    /// (a B-tree). See [`crate::index_shape`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<IndexMethod>,
    /// Columns stored in the index but not part of its key (PostgreSQL `INCLUDE`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub include: Vec<String>,
    /// The predicate of a partial index (`WHERE deleted_at IS NULL`), as SQL.
    #[serde(default, rename = "where", skip_serializing_if = "Option::is_none")]
    pub predicate: Option<String>,
}

/// A foreign key.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    /// Constraint name.
    pub name: String,
    /// Referencing columns of this table.
    pub columns: Vec<String>,
    /// Referenced table.
    pub ref_table: String,
    /// Referenced columns, paired with `columns`.
    pub ref_columns: Vec<String>,
    /// ON DELETE action.
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_delete: FkAction,
    /// ON UPDATE action.
    #[serde(default, skip_serializing_if = "FkAction::is_default")]
    pub on_update: FkAction,
    /// When the key is checked (`DEFERRABLE`, `INITIALLY DEFERRED`).
    #[serde(default, skip_serializing_if = "Deferrable::is_default")]
    pub deferrable: Deferrable,
}

/// A named CHECK constraint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    /// Constraint name.
    pub name: String,
    /// SQL boolean expression.
    pub expr: String,
}

/// What a foreign key does when the referenced row is deleted or updated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FkAction {
    /// NO ACTION (the SQL default).
    #[default]
    NoAction,
    /// RESTRICT.
    Restrict,
    /// CASCADE.
    Cascade,
    /// SET NULL.
    SetNull,
    /// SET DEFAULT.
    SetDefault,
}

impl FkAction {
    /// The SQL spelling.
    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }

    fn is_default(&self) -> bool {
        *self == FkAction::NoAction
    }
}

impl fmt::Display for FkAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FkAction::NoAction => "no_action",
            FkAction::Restrict => "restrict",
            FkAction::Cascade => "cascade",
            FkAction::SetNull => "set_null",
            FkAction::SetDefault => "set_default",
        })
    }
}

/// An FK action that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown foreign-key action `{0}`: use cascade, restrict, set_null, set_default or no_action"
)]
pub struct ParseFkActionError(pub String);

impl FromStr for FkAction {
    type Err = ParseFkActionError;

    /// Accepts any case and `_`, `-` or space between words (`SET NULL`, `set_null`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let key: String = s
            .trim()
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        Ok(match key.as_str() {
            "noaction" => FkAction::NoAction,
            "restrict" => FkAction::Restrict,
            "cascade" => FkAction::Cascade,
            "setnull" => FkAction::SetNull,
            "setdefault" => FkAction::SetDefault,
            _ => return Err(ParseFkActionError(s.to_string())),
        })
    }
}

impl Serialize for FkAction {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FkAction {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Normalises a default expression so that spelling differences compare equal:
/// whitespace outside string literals is collapsed, keywords and function names
/// outside literals are lowercased, redundant outer parentheses are removed, and
/// `now()`/`current_timestamp()` become `current_timestamp`.
pub fn normalize_default(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut in_string = false;
    let mut pending_space = false;
    for ch in expr.trim().chars() {
        if in_string {
            out.push(ch);
            if ch == '\'' {
                in_string = false;
            }
            continue;
        }
        if ch.is_whitespace() {
            pending_space = true;
            continue;
        }
        if pending_space {
            let prev = out.chars().last();
            // `f (x)` is a call written loosely; `1 + (2)` keeps its space.
            let call = ch == '(' && prev.is_some_and(|p| p.is_alphanumeric() || p == '_');
            let glue = matches!(prev, Some('(')) || matches!(ch, ')' | ',') || call;
            if !glue && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
        }
        if ch == '\'' {
            in_string = true;
        }
        out.push(ch.to_ascii_lowercase());
    }
    let mut s = out;
    while s.starts_with('(') && s.ends_with(')') && balanced_parentheses(&s[1..s.len() - 1]) {
        s = s[1..s.len() - 1].to_string();
    }
    match s.as_str() {
        "now()" | "current_timestamp()" | "current_timestamp" => "current_timestamp".to_string(),
        _ => s,
    }
}

/// Whether the parentheses of the SQL text `s` balance, ignoring those inside
/// string literals.
pub fn balanced_parentheses(s: &str) -> bool {
    let mut depth = 0i32;
    let mut in_string = false;
    for ch in s.chars() {
        match ch {
            '\'' => in_string = !in_string,
            '(' if !in_string => depth += 1,
            ')' if !in_string => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fk_action_spellings() {
        for s in ["SET NULL", "set_null", "Set-Null", "setnull"] {
            assert_eq!(s.parse::<FkAction>().unwrap(), FkAction::SetNull);
        }
        assert_eq!("CASCADE".parse::<FkAction>().unwrap(), FkAction::Cascade);
        let e = "explode".parse::<FkAction>().unwrap_err();
        assert!(e.to_string().contains("`explode`"));
    }

    #[test]
    fn default_spelling_is_normalised() {
        assert_eq!(normalize_default(" 0 "), "0");
        assert_eq!(normalize_default("(0)"), "0");
        assert_eq!(normalize_default("NOW()"), "current_timestamp");
        assert_eq!(normalize_default("CURRENT_TIMESTAMP"), "current_timestamp");
        assert_eq!(normalize_default("lower( 'AbC' )"), "lower('AbC')");
        assert_eq!(normalize_default("'a  B'"), "'a  B'");
        assert_eq!(normalize_default("(1) + (2)"), "(1) + (2)");
        assert_eq!(normalize_default("1   +   2"), "1 + 2");
    }
}
