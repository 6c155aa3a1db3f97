//! Reading a live database back into migrate's schema model.
//!
//! [`introspect`] connects to PostgreSQL (`pg_catalog`), MySQL/MariaDB
//! (`information_schema`) or SQLite (pragmas and `sqlite_master`) and returns a
//! [`migrate_core::Schema`]: tables, columns with their neutral types, nullability,
//! normalised defaults, autoincrement, primary keys, uniques, indexes, foreign keys,
//! checks and comments. What a database adds on its own (MySQL's implicit foreign-key
//! indexes, PostgreSQL's constraint-backing indexes, MariaDB's `json_valid` checks,
//! SQLite's autoindexes) is left out, and so are migrate's own version tables, so a
//! schema rendered by migrate and read back compares equal to what was rendered.
//!
//! [`check`] compares a live database with the head schema (drift), and
//! [`baseline_revision`] turns an introspected schema into the base revision of
//! an adopted database (its models come from `migrate_model::codegen`).

mod baseline;
mod check;
mod connect;
mod error;
#[cfg(feature = "mysql")]
mod mysql;
mod normalize;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "sqlite")]
mod sqlite_ddl;

pub use baseline::{baseline_ops, baseline_revision};
pub use check::{check, check_embedded, schema_ops};
pub use connect::{redact_url, Database};
pub use error::IntrospectError;

pub use normalize::{canonical_order, check_key, normalize_column_default, normalize_schema};

use migrate_core::Schema;

/// What to read, beyond the database itself.
#[derive(Clone, Debug)]
pub struct IntrospectOptions {
    /// Name of migrate's version table (`migrate_version` by default); it and its
    /// `<name>_log` companion are left out of the schema.
    pub version_table: String,
    /// PostgreSQL schema to read (`None`: `current_schema()`); ignored elsewhere.
    pub pg_schema: Option<String>,
    /// Only these tables (`None`: all of them).
    pub tables: Option<Vec<String>>,
    /// How long to keep trying to connect when given a URL (10 s by default).
    pub connect_timeout: std::time::Duration,
}

impl Default for IntrospectOptions {
    fn default() -> Self {
        IntrospectOptions {
            version_table: "migrate_version".to_string(),
            pg_schema: None,
            tables: None,
            connect_timeout: std::time::Duration::from_secs(10),
        }
    }
}

impl IntrospectOptions {
    /// Whether `table` belongs in the result.
    pub(crate) fn wants(&self, table: &str) -> bool {
        if table == self.version_table || table == format!("{}_log", self.version_table) {
            return false;
        }
        match &self.tables {
            Some(list) => list.iter().any(|t| t == table),
            None => true,
        }
    }
}

/// Reads the schema of a live database.
///
/// `db` is a URL (`postgres://...`, `mysql://...`, `mariadb://...`, `sqlite:...`) or
/// an open pool (`&PgPool`, `&MySqlPool`, `&SqlitePool`). A URL's password never
/// appears in an error.
///
/// ```no_run
/// # async fn f() -> Result<(), migrate_introspect::IntrospectError> {
/// use migrate_introspect::{introspect, IntrospectOptions};
/// let schema = introspect("sqlite:app.db", &IntrospectOptions::default()).await?;
/// println!("{} tables", schema.tables.len());
/// # Ok(()) }
/// ```
pub async fn introspect<'a>(
    db: impl Into<Database<'a>>,
    options: &IntrospectOptions,
) -> Result<Schema, IntrospectError> {
    Ok(introspect_backend(db.into(), options).await?.0)
}

/// The database families, for what each one cannot store (see [`Backend::storable`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// PostgreSQL.
    Postgres,
    /// MySQL or MariaDB.
    MySql,
    /// SQLite.
    Sqlite,
}

impl Backend {
    /// `schema` as this database can store it, so it compares with what
    /// [`introspect`] reads back. SQLite keeps no comments, and the core's SQLite
    /// dialect declares `uuid` and `json` columns as `TEXT`, which reads back as
    /// `text`. The core's MySQL dialect declares `timestamptz` as `DATETIME(6)`,
    /// which reads back as `timestamp`. InnoDB makes no difference between
    /// `RESTRICT` and `NO ACTION` (MariaDB reports both as `RESTRICT`), so both
    /// read as `NoAction` there.
    pub fn storable(self, schema: &Schema) -> Schema {
        use migrate_core::ColumnType;
        let mut out = schema.clone();
        for table in out.tables.values_mut() {
            match self {
                Backend::Sqlite => {
                    table.comment = None;
                    for c in &mut table.columns {
                        c.comment = None;
                        if matches!(c.ty, ColumnType::Uuid | ColumnType::Json) {
                            c.ty = ColumnType::Text;
                        }
                    }
                }
                Backend::MySql => {
                    for c in &mut table.columns {
                        if c.ty == ColumnType::TimestampTz {
                            c.ty = ColumnType::Timestamp;
                        }
                    }
                    for fk in &mut table.foreign_keys {
                        for action in [&mut fk.on_delete, &mut fk.on_update] {
                            if *action == migrate_core::FkAction::Restrict {
                                *action = migrate_core::FkAction::NoAction;
                            }
                        }
                    }
                }
                Backend::Postgres => {}
            }
        }
        out
    }
}

pub(crate) async fn introspect_backend(
    db: Database<'_>,
    options: &IntrospectOptions,
) -> Result<(Schema, Backend), IntrospectError> {
    let backend = match &db {
        Database::Url(url) => connect::backend_of(url)?,
        #[cfg(feature = "postgres")]
        Database::Postgres(_) => Backend::Postgres,
        #[cfg(feature = "mysql")]
        Database::MySql(_) => Backend::MySql,
        #[cfg(feature = "sqlite")]
        Database::Sqlite(_) => Backend::Sqlite,
    };
    let mut schema = match db {
        Database::Url(url) => {
            let pool = connect::Pool::connect(url, options.connect_timeout).await?;
            let result = introspect_pool(&pool, options).await;
            pool.close().await;
            result
        }
        #[cfg(feature = "postgres")]
        Database::Postgres(pool) => postgres::introspect(pool, options).await,
        #[cfg(feature = "mysql")]
        Database::MySql(pool) => mysql::introspect(pool, options).await,
        #[cfg(feature = "sqlite")]
        Database::Sqlite(pool) => sqlite::introspect(pool, options).await,
    }?;
    canonical_order(&mut schema);
    Ok((schema, backend))
}

async fn introspect_pool(
    pool: &connect::Pool,
    options: &IntrospectOptions,
) -> Result<Schema, IntrospectError> {
    match pool {
        #[cfg(feature = "postgres")]
        connect::Pool::Postgres(p) => postgres::introspect(p, options).await,
        #[cfg(feature = "mysql")]
        connect::Pool::MySql(p) => mysql::introspect(p, options).await,
        #[cfg(feature = "sqlite")]
        connect::Pool::Sqlite(p) => sqlite::introspect(p, options).await,
    }
}
