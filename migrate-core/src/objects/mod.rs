//! Schema objects beyond tables: views, materialized views, triggers, functions,
//! procedures, standalone sequences, PostgreSQL extensions and PostgreSQL schemas
//! (namespaces).
//!
//! Each object is managed as a unit: revisions create it from its full SQL and
//! drop it by kind and name ([`crate::ops::Operation::CreateObject`] and
//! [`crate::ops::Operation::DropObject`] carry the whole object, so each is the
//! other's inverse). A changed body is a drop of the old object and a create of
//! the new one, so the downgrade restores the old body.
//!
//! What the body holds depends on the kind ([`ObjectKind::body_is`]): the query of
//! a view, the options of a sequence, the whole `CREATE` statement of a trigger,
//! function or procedure, nothing for an extension or a namespace. A body may differ
//! per database; an object with bodies for some databases only exists only on
//! those ([`SchemaObject::body_for`]).
//!
//! Objects are declared in SQL files ([`files`]) and compared by their body with
//! spelling ignored ([`body_key`]).
//!
//! An object is told apart from the others by its [`ObjectId`]: kind and name, and
//! for a PostgreSQL function or procedure also its argument types, since
//! PostgreSQL keeps routines of one name with other argument types (overloads) as
//! separate objects.

pub(crate) mod apply;
pub mod files;
pub mod routine_header;

use std::collections::BTreeSet;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::dialect::tokens::{tokenize, TokenKind};
use crate::dialect::DialectKind;

/// What kind of object this is. The order is the creation order of kinds that do
/// not depend on each other by name (a namespace before what goes in it, a
/// function before the trigger that calls it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObjectKind {
    /// A PostgreSQL schema (namespace); `CREATE SCHEMA name`.
    Schema,
    /// A PostgreSQL extension; `CREATE EXTENSION IF NOT EXISTS name`.
    Extension,
    /// A standalone sequence (PostgreSQL, MariaDB); the body holds its options.
    Sequence,
    /// A function; the body is the whole `CREATE FUNCTION` statement.
    Function,
    /// A procedure; the body is the whole `CREATE PROCEDURE` statement.
    Procedure,
    /// A view; the body is its query.
    View,
    /// A PostgreSQL materialized view; the body is its query.
    MaterializedView,
    /// A trigger on a table; the body is the whole `CREATE TRIGGER` statement.
    Trigger,
}

/// Every kind, in creation order.
pub const ALL_KINDS: [ObjectKind; 8] = [
    ObjectKind::Schema,
    ObjectKind::Extension,
    ObjectKind::Sequence,
    ObjectKind::Function,
    ObjectKind::Procedure,
    ObjectKind::View,
    ObjectKind::MaterializedView,
    ObjectKind::Trigger,
];

impl ObjectKind {
    /// How messages call it (`materialized view`).
    pub fn label(self) -> &'static str {
        match self {
            ObjectKind::Schema => "schema",
            ObjectKind::Extension => "extension",
            ObjectKind::Sequence => "sequence",
            ObjectKind::Function => "function",
            ObjectKind::Procedure => "procedure",
            ObjectKind::View => "view",
            ObjectKind::MaterializedView => "materialized view",
            ObjectKind::Trigger => "trigger",
        }
    }

    /// The directory its files live in under the objects directory (`views`).
    pub fn directory(self) -> &'static str {
        match self {
            ObjectKind::Schema => "schemas",
            ObjectKind::Extension => "extensions",
            ObjectKind::Sequence => "sequences",
            ObjectKind::Function => "functions",
            ObjectKind::Procedure => "procedures",
            ObjectKind::View => "views",
            ObjectKind::MaterializedView => "materialized_views",
            ObjectKind::Trigger => "triggers",
        }
    }

    /// What its body holds, for messages and docs.
    pub fn body_is(self) -> &'static str {
        match self {
            ObjectKind::Schema | ObjectKind::Extension => "nothing (the file may be empty)",
            ObjectKind::Sequence => "its options (`START WITH 100 INCREMENT BY 1`), or nothing",
            ObjectKind::View | ObjectKind::MaterializedView => "its query (`SELECT ...`)",
            ObjectKind::Function => "the whole `CREATE FUNCTION` statement",
            ObjectKind::Procedure => "the whole `CREATE PROCEDURE` statement",
            ObjectKind::Trigger => "the whole `CREATE TRIGGER` statement",
        }
    }

    /// Whether objects of this kind come before tables: created before them (a
    /// column's default may call `nextval` on a sequence, a column may have a type
    /// an extension brings, a table may live in a schema) and dropped after them.
    /// The others (views, triggers, routines) are created after every table and
    /// dropped before any.
    pub fn before_tables(self) -> bool {
        matches!(
            self,
            ObjectKind::Schema | ObjectKind::Extension | ObjectKind::Sequence
        )
    }

    /// Whether it is a function or a procedure (PostgreSQL tells routines of one
    /// name apart by their argument types).
    pub fn is_routine(self) -> bool {
        matches!(self, ObjectKind::Function | ObjectKind::Procedure)
    }

    /// Whether an object of this kind can live in a PostgreSQL schema other than
    /// the current one, named `schema.name` ([`crate::qualified`]); schemas and
    /// extensions cannot.
    pub fn in_pg_schema(self) -> bool {
        !matches!(self, ObjectKind::Schema | ObjectKind::Extension)
    }

    /// Whether database `kind` has objects of this kind.
    pub fn exists_on(self, kind: DialectKind) -> bool {
        match self {
            ObjectKind::View | ObjectKind::Trigger => true,
            ObjectKind::Function | ObjectKind::Procedure | ObjectKind::Sequence => {
                kind != DialectKind::Sqlite
            }
            ObjectKind::Schema | ObjectKind::Extension | ObjectKind::MaterializedView => {
                kind == DialectKind::Postgres
            }
        }
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What tells one object from every other: its kind, its name and, for a
/// PostgreSQL function or procedure, the types of its input arguments in
/// PostgreSQL's spelling (`int` and `int4` are `integer`), read from its header
/// ([`routine_header::identity_arguments`]). Two overloads of one name are two
/// objects; a routine whose PostgreSQL header cannot be read (no dollar-quoted
/// body), or that has no PostgreSQL body, is known by its name alone.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ObjectId {
    /// Its kind.
    pub kind: ObjectKind,
    /// Its name.
    pub name: String,
    /// A PostgreSQL routine's input argument types.
    pub signature: Option<Vec<String>>,
}

impl ObjectId {
    /// The name with the signature, as PostgreSQL writes it (`half(integer)`),
    /// or the name alone.
    pub fn qualified_name(&self) -> String {
        match &self.signature {
            Some(types) => format!("{}({})", self.name, types.join(", ")),
            None => self.name.clone(),
        }
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} '{}'", self.kind, self.qualified_name())
    }
}

/// One schema object: kind, name, body (per database where needed) and what it
/// depends on beyond what its body names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemaObject {
    /// What it is.
    pub kind: ObjectKind,
    /// Its name (unique per kind).
    pub name: String,
    /// The table a trigger is on (needed to drop it on PostgreSQL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    /// The body for every database without a variant of its own; `None` when the
    /// object exists only on the databases that have a variant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql: Option<String>,
    /// Body for PostgreSQL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres: Option<String>,
    /// Body for MySQL/MariaDB.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mysql: Option<String>,
    /// Body for SQLite.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sqlite: Option<String>,
    /// Tables and objects it needs that its body does not name (created before
    /// it, dropped after it).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
}

impl SchemaObject {
    /// An object of `kind` called `name` with one body for every database.
    pub fn new(kind: ObjectKind, name: impl Into<String>, sql: impl Into<String>) -> Self {
        SchemaObject {
            kind,
            name: name.into(),
            table: None,
            sql: Some(sql.into()),
            postgres: None,
            mysql: None,
            sqlite: None,
            depends_on: Vec::new(),
        }
    }

    /// The body for database `kind`: its variant, else the common body. `None`:
    /// the object does not exist on that database.
    pub fn body_for(&self, kind: DialectKind) -> Option<&str> {
        let variant = match kind {
            DialectKind::Postgres => &self.postgres,
            DialectKind::MySql => &self.mysql,
            DialectKind::Sqlite => &self.sqlite,
        };
        variant.as_deref().or(self.sql.as_deref())
    }

    /// The body for `kind` set (a variant; the common body when `kind` is `None`).
    pub fn set_body(&mut self, kind: Option<DialectKind>, body: String) {
        let slot = match kind {
            None => &mut self.sql,
            Some(DialectKind::Postgres) => &mut self.postgres,
            Some(DialectKind::MySql) => &mut self.mysql,
            Some(DialectKind::Sqlite) => &mut self.sqlite,
        };
        *slot = Some(body);
    }

    /// `kind 'name'` for messages; a PostgreSQL routine with its argument types
    /// (`function 'half(integer)'`).
    pub fn describe(&self) -> String {
        self.id().to_string()
    }

    /// What tells it apart from every other object ([`ObjectId`]).
    pub fn id(&self) -> ObjectId {
        ObjectId {
            kind: self.kind,
            name: self.name.clone(),
            signature: self.signature(),
        }
    }

    /// A PostgreSQL routine's input argument types (see [`ObjectId`]).
    pub fn signature(&self) -> Option<Vec<String>> {
        if !self.kind.is_routine() {
            return None;
        }
        self.body_for(DialectKind::Postgres)
            .and_then(routine_header::identity_arguments)
    }

    /// Whether `other` is the same object: same kind, name, table and
    /// dependencies, and bodies equal once spelling is ignored ([`body_key`]).
    pub fn same_as(&self, other: &SchemaObject) -> bool {
        let body = |a: &Option<String>, b: &Option<String>| match (a, b) {
            (None, None) => true,
            (Some(a), Some(b)) => a == b || body_key(a) == body_key(b),
            _ => false,
        };
        self.kind == other.kind
            && self.name == other.name
            && self.table == other.table
            && self.depends_on == other.depends_on
            && body(&self.sql, &other.sql)
            && body(&self.postgres, &other.postgres)
            && body(&self.mysql, &other.mysql)
            && body(&self.sqlite, &other.sqlite)
    }

    /// The names among `known` (tables and objects) this object needs: its table,
    /// its declared dependencies and every name its bodies mention, itself left out.
    pub fn references(&self, known: &BTreeSet<&str>) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self
            .depends_on
            .iter()
            .chain(&self.table)
            .filter(|n| known.contains(n.as_str()))
            .cloned()
            .collect();
        for body in [&self.sql, &self.postgres, &self.mysql, &self.sqlite]
            .into_iter()
            .flatten()
        {
            for t in tokenize(body) {
                if matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent)
                    && known.contains(t.text.as_str())
                {
                    out.insert(t.text);
                }
            }
        }
        out.remove(&self.name);
        out
    }
}

/// Puts `objects` in kind then name order, overloads by their argument types (the
/// order of [`crate::Schema::objects`]).
pub fn sort(objects: &mut [SchemaObject]) {
    objects.sort_by_cached_key(SchemaObject::id);
}

/// A body with spelling ignored: tokens separated by one space, unquoted words in
/// lower case, comments and a final `;` left out. Two bodies with the same key
/// are the same object.
pub fn body_key(body: &str) -> String {
    let mut tokens = tokenize(body);
    while tokens.last().is_some_and(|t| t.is(";")) {
        tokens.pop();
    }
    tokens
        .iter()
        .map(|t| match t.kind {
            TokenKind::Word => t.text.to_lowercase(),
            TokenKind::QuotedIdent => format!("\"{}\"", t.text),
            _ => t.text.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A view's query with what databases add when they store it ignored, for the
/// live check: besides [`body_key`]'s rules, quotes around names, qualifiers
/// (`users.id`, `` `db`.`users` ``), parentheses, casts (`'x'::text`) and an
/// alias that repeats its column (`id AS id`) are left out. PostgreSQL and
/// MySQL store a view's query in their own words, not as written.
pub fn stored_query_key(query: &str) -> String {
    let mut tokens = tokenize(query);
    while tokens.last().is_some_and(|t| t.is(";")) {
        tokens.pop();
    }
    let word = |i: usize| -> Option<String> {
        tokens
            .get(i)
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent))
            .map(|t| t.text.to_lowercase())
    };
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        // `name .` : a qualifier.
        if word(i).is_some() && tokens.get(i + 1).is_some_and(|n| n.is(".")) {
            i += 2;
            continue;
        }
        // `:: type`: a cast the database added.
        if t.is(":") && tokens.get(i + 1).is_some_and(|n| n.is(":")) {
            i += 3;
            continue;
        }
        if t.is("(") || t.is(")") {
            i += 1;
            continue;
        }
        // `count(*)`: MySQL stores `count(0)`.
        if t.is("*") && i >= 2 && tokens[i - 1].is("(") && tokens[i - 2].is("count") {
            out.push("0".to_string());
            i += 1;
            continue;
        }
        // `x AS x`: an alias naming the column it is.
        if t.is("as") && word(i + 1).is_some() && out.last() == word(i + 1).as_ref() {
            i += 2;
            continue;
        }
        out.push(match t.kind {
            TokenKind::Word | TokenKind::QuotedIdent => t.text.to_lowercase(),
            _ => t.text.clone(),
        });
        i += 1;
    }
    out.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_compare_without_spacing_case_comments_or_final_semicolon() {
        assert_eq!(
            body_key("SELECT id,\n  name FROM users -- all\n;"),
            body_key("select id, name from users")
        );
        assert_ne!(
            body_key("SELECT 'A' FROM users"),
            body_key("SELECT 'a' FROM users")
        );
    }

    #[test]
    fn a_stored_query_compares_with_the_written_one() {
        let written = "SELECT id, name FROM users WHERE active = 1";
        let mysql = "select `app`.`users`.`id` AS `id`,`app`.`users`.`name` AS `name` \
                     from `app`.`users` where `app`.`users`.`active` = 1";
        let postgres =
            " SELECT users.id,\n    users.name\n   FROM users\n  WHERE (users.active = 1);";
        assert_eq!(stored_query_key(mysql), stored_query_key(written));
        assert_eq!(stored_query_key(postgres), stored_query_key(written));
        assert_eq!(
            stored_query_key("select count(0) AS `n` from `v`"),
            stored_query_key("SELECT count(*) AS n FROM v")
        );
        assert_ne!(
            stored_query_key("SELECT id FROM users WHERE active = 0"),
            stored_query_key(written)
        );
    }

    #[test]
    fn references_are_the_known_names_a_body_mentions() {
        let mut v = SchemaObject::new(
            ObjectKind::View,
            "active_users",
            "SELECT u.id FROM users u JOIN \"teams\" t ON t.id = u.team_id",
        );
        v.depends_on.push("audit".into());
        let known: BTreeSet<&str> = ["users", "teams", "audit", "posts", "active_users"].into();
        let refs: Vec<String> = v.references(&known).into_iter().collect();
        assert_eq!(refs, ["audit", "teams", "users"]);
    }

    #[test]
    fn a_body_per_database_scopes_the_object() {
        let mut f = SchemaObject::new(ObjectKind::Function, "f", "");
        f.sql = None;
        f.set_body(
            Some(DialectKind::Postgres),
            "CREATE FUNCTION f() ...".into(),
        );
        assert!(f.body_for(DialectKind::Postgres).is_some());
        assert!(f.body_for(DialectKind::Sqlite).is_none());
    }
}
