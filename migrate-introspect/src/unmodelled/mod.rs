//! What a database holds that migrate's models cannot: the list `adopt` prints,
//! so that nothing is left out silently.
//!
//! Each database reads its own catalog ([`postgres`], [`mysql`], [`sqlite`]) and
//! reports every object the schema model has no place for (events, aggregates,
//! types, the tables of other PostgreSQL schemas, generated columns,
//! `ON UPDATE` clauses, collations, index methods or operator classes the model
//! does not name)
//! and every table a model cannot describe faithfully (a nullable
//! primary key, a column of a type a new database would not have, partitions and
//! inherited tables, MEDIUMINT or ZEROFILL unsigned auto-increment keys). [`Unmodelled::effect`] says what
//! each means for the user.

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

use std::collections::BTreeMap;
use std::fmt;

use migrate_core::{ColumnType, Schema};

use crate::connect::{self, Database};
use crate::{IntrospectError, IntrospectOptions};

/// What an object the models cannot hold means for the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Effect {
    /// The table is not adopted (no model, not in the baseline) and is left alone
    /// by `check`.
    TableLeftOut,
    /// Kept in this database and ignored by `check`; a database built from the
    /// revisions lacks it: it needs a hand-written SQL revision.
    NeedsSqlRevision,
    /// The baseline uses a type only this kind of database knows: it replays there
    /// and nowhere else.
    OnlyThisDatabase,
    /// Not read at all (e.g. another PostgreSQL schema): migrate does not support it.
    NotSupported,
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Effect::TableLeftOut => "tables not adopted (no model, not in the baseline; check leaves them alone)",
            Effect::NeedsSqlRevision => {
                "kept in the database and ignored by check; a database built from the revisions lacks them: write them in a hand-written SQL revision"
            }
            Effect::OnlyThisDatabase => {
                "types only this kind of database knows: the baseline replays on it and on no other kind"
            }
            Effect::NotSupported => "not read: migrate does not support them",
        })
    }
}

/// One object the models cannot hold.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Unmodelled {
    /// What it means for the user.
    pub effect: Effect,
    /// Its kind, as the database calls it (`view`, `trigger`, `enum type`, ...).
    pub kind: String,
    /// Its name (`table.column` or `table.index` for what belongs to a table).
    pub name: String,
    /// Why, or what it is (`USING gist`, `ON UPDATE current_timestamp()`, ...).
    pub detail: String,
}

impl fmt::Display for Unmodelled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} `{}`", self.kind, self.name)?;
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// A catalog row before it is tied to the filter: the table it belongs to, if any.
pub(crate) struct Found {
    pub(crate) table: Option<String>,
    pub(crate) item: Unmodelled,
}

impl Found {
    pub(crate) fn new(
        effect: Effect,
        kind: &str,
        name: String,
        detail: String,
        table: Option<String>,
    ) -> Found {
        Found {
            table,
            item: Unmodelled {
                effect,
                kind: kind.to_string(),
                name,
                detail,
            },
        }
    }
}

/// Runs a database's `(effect, kind, query)` list on `$pool`; each query returns
/// name, detail and the table it belongs to (or NULL). Errors name the database
/// and its catalog. (A macro, since the pools' types differ.)
#[cfg(any(feature = "mysql", feature = "sqlite"))]
macro_rules! read_queries {
    ($pool:expr, $queries:expr, $database:literal, $catalog:literal) => {{
        let mut out = Vec::new();
        for (effect, kind, sql) in $queries {
            for row in sqlx::query(sql)
                .fetch_all($pool)
                .await
                .map_err(IntrospectError::query(format!(
                    "{} {kind}s ({})",
                    $database, $catalog
                )))?
            {
                out.push(Found::new(
                    *effect,
                    kind,
                    get!(row, 0),
                    get!(row, 1 => Option<String>).unwrap_or_default(),
                    get!(row, 2),
                ));
            }
        }
        Ok(out)
    }};
}
#[cfg(any(feature = "mysql", feature = "sqlite"))]
pub(crate) use read_queries;

/// Every object of the database behind `db` that the models of `schema` (as
/// [`crate::introspect`] read it with the same `options`) cannot hold, sorted by
/// effect, kind and name. Tables the options leave out are not looked at.
///
/// A table listed with [`Effect::TableLeftOut`] should be removed from `schema`
/// before models or a baseline are written ([`tables_left_out`] adds the tables
/// whose foreign keys point at one).
pub async fn unmodelled<'a>(
    db: impl Into<Database<'a>>,
    schema: &Schema,
    options: &IntrospectOptions,
) -> Result<Vec<Unmodelled>, IntrospectError> {
    let found = match db.into() {
        Database::Url(url) => {
            let pool = connect::Pool::connect(url, options.connect_timeout).await?;
            let result = read(&pool, options).await;
            pool.close().await;
            result?
        }
        #[cfg(feature = "postgres")]
        Database::Postgres(pool) => postgres::read(pool, options).await?,
        #[cfg(feature = "mysql")]
        Database::MySql(pool) => mysql::read(pool).await?,
        #[cfg(feature = "sqlite")]
        Database::Sqlite(pool) => sqlite::read(pool).await?,
    };
    let mut out: Vec<Unmodelled> = found
        .into_iter()
        .filter(|f| f.table.as_deref().map_or(true, |t| options.wants(t)))
        .map(|f| f.item)
        .collect();
    // Rule: a type the neutral model cannot name is written as `raw(...)`, which
    // only this kind of database is sure to accept.
    for table in schema.tables.values() {
        for column in &table.columns {
            if let ColumnType::Raw(text) = &column.ty {
                out.push(Unmodelled {
                    effect: Effect::OnlyThisDatabase,
                    kind: "column type".to_string(),
                    name: format!("{}.{}", table.name, column.name),
                    detail: text.clone(),
                });
            }
        }
    }
    // Rule: an enum type an adopted table uses is in the models and the baseline; one
    // only left-out tables use (or none) stays listed, so it is not lost silently.
    let left_out = tables_left_out(schema, &out);
    out.retain(|item| {
        item.kind != "enum type"
            || !schema.tables.values().any(|t| {
                !left_out.contains_key(&t.name)
                    && t.columns.iter().any(
                        |c| matches!(&c.ty, ColumnType::Enum { name, .. } if *name == item.name),
                    )
            })
    });
    out.sort();
    out.dedup();
    Ok(out)
}

async fn read(
    pool: &connect::Pool,
    options: &IntrospectOptions,
) -> Result<Vec<Found>, IntrospectError> {
    match pool {
        #[cfg(feature = "postgres")]
        connect::Pool::Postgres(p) => postgres::read(p, options).await,
        #[cfg(feature = "mysql")]
        connect::Pool::MySql(p) => {
            let _ = options;
            mysql::read(p).await
        }
        #[cfg(feature = "sqlite")]
        connect::Pool::Sqlite(p) => {
            let _ = options;
            sqlite::read(p).await
        }
    }
}

/// The tables not to adopt, each with its reasons: those `items` lists as
/// [`Effect::TableLeftOut`], then, until nothing changes, every table of `schema`
/// with a foreign key to one of them (a baseline without the referenced table
/// would not replay).
pub fn tables_left_out(schema: &Schema, items: &[Unmodelled]) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for item in items.iter().filter(|i| i.effect == Effect::TableLeftOut) {
        out.entry(item.name.clone())
            .or_default()
            .push(item.detail.clone());
    }
    loop {
        let mut added = Vec::new();
        for table in schema.tables.values() {
            if out.contains_key(&table.name) {
                continue;
            }
            if let Some(fk) = table
                .foreign_keys
                .iter()
                .find(|fk| out.contains_key(&fk.ref_table))
            {
                added.push((
                    table.name.clone(),
                    format!(
                        "its foreign key {} references `{}`, which is not adopted",
                        fk.name, fk.ref_table
                    ),
                ));
            }
        }
        if added.is_empty() {
            return out;
        }
        for (table, why) in added {
            out.entry(table).or_default().push(why);
        }
    }
}
