//! What the caller passes as the database: a URL or an existing sqlx pool.

use std::fmt;

use crate::redact::RedactedUrl;

/// The database to migrate: a URL, or a pool the application already has.
///
/// Every migrator method takes `impl Into<Database>`, so both read naturally:
///
/// ```no_run
/// # async fn f(m: migrate_runtime::Migrator, pool: sqlx::SqlitePool) -> Result<(), migrate_runtime::Error> {
/// m.upgrade_to_head("sqlite://app.db").await?;
/// m.upgrade_to_head(&pool).await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
#[non_exhaustive]
pub enum Database<'a> {
    /// A URL (`sqlite:`, `postgres://`, `mysql://`); a pool is opened and closed.
    Url(&'a str),
    /// An existing SQLite pool.
    #[cfg(feature = "sqlite")]
    Sqlite(&'a sqlx::SqlitePool),
    /// An existing PostgreSQL pool.
    #[cfg(feature = "postgres")]
    Postgres(&'a sqlx::PgPool),
    /// An existing MySQL pool.
    #[cfg(feature = "mysql")]
    MySql(&'a sqlx::MySqlPool),
}

impl fmt::Debug for Database<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::Url(u) => write!(f, "Database::Url({})", RedactedUrl::new(u)),
            #[cfg(feature = "sqlite")]
            Database::Sqlite(_) => f.write_str("Database::Sqlite(pool)"),
            #[cfg(feature = "postgres")]
            Database::Postgres(_) => f.write_str("Database::Postgres(pool)"),
            #[cfg(feature = "mysql")]
            Database::MySql(_) => f.write_str("Database::MySql(pool)"),
        }
    }
}

impl<'a> From<&'a str> for Database<'a> {
    fn from(url: &'a str) -> Self {
        Database::Url(url)
    }
}

impl<'a> From<&'a String> for Database<'a> {
    fn from(url: &'a String) -> Self {
        Database::Url(url)
    }
}

#[cfg(feature = "sqlite")]
impl<'a> From<&'a sqlx::SqlitePool> for Database<'a> {
    fn from(pool: &'a sqlx::SqlitePool) -> Self {
        Database::Sqlite(pool)
    }
}

#[cfg(feature = "postgres")]
impl<'a> From<&'a sqlx::PgPool> for Database<'a> {
    fn from(pool: &'a sqlx::PgPool) -> Self {
        Database::Postgres(pool)
    }
}

#[cfg(feature = "mysql")]
impl<'a> From<&'a sqlx::MySqlPool> for Database<'a> {
    fn from(pool: &'a sqlx::MySqlPool) -> Self {
        Database::MySql(pool)
    }
}

/// Opens one connection and closes it: how a run learns at once why a server cannot
/// be reached (refused, unknown host, bad password), which a pool only reports as a
/// timeout after retrying for 30 s.
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(crate) async fn probe<O>(options: &O) -> Result<(), sqlx::Error>
where
    O: sqlx::ConnectOptions,
    O::Connection: Sized,
{
    use sqlx::Connection;
    let connect = async { options.connect().await?.close().await };
    match tokio::time::timeout(CONNECT_TIMEOUT, connect).await {
        Ok(result) => result,
        Err(_) => Err(sqlx::Error::Io(std::io::Error::new(
            std::io::ErrorKind::TimedOut,
            format!("no answer within {} s", CONNECT_TIMEOUT.as_secs()),
        ))),
    }
}

/// How long opening the first connection may take (a host that drops packets): the
/// same wait as the pool's own.
#[cfg(any(feature = "postgres", feature = "mysql"))]
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);
