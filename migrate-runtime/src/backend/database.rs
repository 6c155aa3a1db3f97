//! What the caller passes as the database: a URL or an existing sqlx pool.

use std::fmt;

use crate::backend::{Handle, Pool};
use crate::config::Config;
use crate::error::Error;
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
    /// A URL connected ahead of the run ([`Opened::connect`]).
    Opened(&'a Opened),
}

/// A database URL connected ahead of its run, for a caller with other work to do
/// while it connects: the CLI reads the revision files meanwhile. A run given
/// `&Opened` is the run given the URL, on the same pool; [`Opened::close`] closes
/// it when the caller is done.
pub struct Opened {
    pub(crate) pool: Pool,
}

impl Opened {
    /// Connects to `url` as a run given the URL would (`config` gives SQLite its
    /// busy timeout).
    pub async fn connect(url: &str, config: &Config) -> Result<Opened, Error> {
        let pool = Handle::open(Database::Url(url), config).await?.pool;
        Ok(Opened { pool })
    }

    /// Closes the pool.
    pub async fn close(self) {
        Handle::owning(self.pool).close().await;
    }
}

impl fmt::Debug for Opened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Opened(pool)")
    }
}

impl<'a> From<&'a Opened> for Database<'a> {
    fn from(opened: &'a Opened) -> Self {
        Database::Opened(opened)
    }
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
            Database::Opened(_) => f.write_str("Database::Opened(pool)"),
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

/// Opens a run's pool, with the reason when the server cannot be reached. sqlx's pool
/// retries a refused connection (and a server that is starting up) until its 30 s
/// timeout and then reports only "pool timed out"; any other failure it reports at
/// once. So when the pool has no connection after [`PROBE_AFTER`], one direct
/// connection is tried beside it: its error is the reason, reported at once; if it
/// succeeds, the pool is awaited as before. A server that answers in time costs
/// nothing more.
#[cfg(any(feature = "postgres", feature = "mysql"))]
pub(crate) async fn connect_pool<DB: sqlx::Database>(
    pool: sqlx::pool::PoolOptions<DB>,
    options: <DB::Connection as sqlx::Connection>::Options,
) -> Result<sqlx::Pool<DB>, sqlx::Error> {
    use sqlx::{ConnectOptions, Connection};
    let probe_options = options.clone();
    let mut connecting = std::pin::pin!(pool.connect_with(options));
    if let Ok(result) = tokio::time::timeout(PROBE_AFTER, &mut connecting).await {
        return result;
    }
    let probe = async { probe_options.connect().await?.close().await };
    tokio::select! {
        result = &mut connecting => result,
        probed = probe => match probed {
            Err(e) => Err(e),
            Ok(()) => connecting.await,
        },
    }
}

/// How long a pool may take to open before a direct connection looks for the reason.
#[cfg(any(feature = "postgres", feature = "mysql"))]
const PROBE_AFTER: std::time::Duration = std::time::Duration::from_millis(300);
