//! Database connections: what the caller passes ([`Database`]: a URL or a sqlx pool),
//! and the dedicated connection a run works on ([`Conn`]), with the version-table
//! queries shared by the three databases (`tables.rs`). What each database does its
//! own way is behind one trait, [`Backend`], implemented in one file per database
//! (`sqlite.rs`, `postgres.rs`, `mysql.rs`): the migration lock, running a script and
//! saying exactly where it stopped, recognising a missing table; the same files hold
//! connecting and the database's way of applying a batch of revisions with their
//! bookkeeping.

use std::time::{Duration, Instant};

use migrate_core::dialect::{DialectKind, Statement};

use crate::config::Config;
use crate::error::Error;
use crate::redact::RedactedUrl;
use crate::script::{Part, Script, Stop};

pub(crate) mod database;
#[cfg(feature = "mysql")]
pub(crate) mod mysql;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;

pub use database::{Database, Opened};

#[cfg(not(any(feature = "sqlite", feature = "postgres", feature = "mysql")))]
compile_error!("migrate-runtime needs at least one of the features sqlite, postgres, mysql");

/// The SQL of the runtime's own queries that differs per database, on the one
/// database-kind type, [`DialectKind`].
pub(crate) trait KindSql: Copy {
    /// Quotes an identifier.
    fn quote(self, ident: &str) -> String;
    /// `applied_at` read back as RFC 3339 text.
    fn applied_at_text(self) -> &'static str;
    /// A text column read as text: on MySQL a `_bin` collation makes sqlx see
    /// `VARBINARY`, so the value is converted to the plain utf8mb4 character set.
    fn text(self, column: &str) -> String;
    /// `failed_step` (an INTEGER) read as a 64-bit integer.
    fn failed_step_bigint(self) -> &'static str;
    /// Bind placeholder number `n` (1-based).
    fn ph(self, n: usize) -> String;
}

impl KindSql for DialectKind {
    fn quote(self, ident: &str) -> String {
        match self {
            DialectKind::MySql => format!("`{}`", ident.replace('`', "``")),
            _ => format!("\"{}\"", ident.replace('"', "\"\"")),
        }
    }

    fn applied_at_text(self) -> &'static str {
        match self {
            DialectKind::Postgres => r#"to_char(applied_at, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')"#,
            DialectKind::MySql => "DATE_FORMAT(applied_at, '%Y-%m-%dT%H:%i:%s.%fZ')",
            DialectKind::Sqlite => "strftime('%Y-%m-%dT%H:%M:%fZ', applied_at)",
        }
    }

    fn text(self, column: &str) -> String {
        match self {
            DialectKind::MySql => format!("CONVERT({column} USING utf8mb4)"),
            _ => column.to_string(),
        }
    }

    fn failed_step_bigint(self) -> &'static str {
        match self {
            DialectKind::MySql => "CAST(failed_step AS SIGNED)",
            _ => "CAST(failed_step AS BIGINT)",
        }
    }

    fn ph(self, n: usize) -> String {
        match self {
            DialectKind::Postgres => format!("${n}"),
            _ => "?".to_string(),
        }
    }
}

/// What each database does its own way on the run's connection, implemented once per
/// database in its file (`sqlite.rs`, `postgres.rs`, `mysql.rs`) on sqlx's connection
/// type; [`Conn`] hands each call to the implementation of its database. The batch
/// strategies built on it (PostgreSQL's one message, MySQL's groups, SQLite's library
/// loop) are in the same files, behind [`crate::migrator::Migrator::apply_batch`].
pub(crate) trait Backend {
    /// Takes the migration lock, waiting up to `config.lock_timeout`. `fk_off`
    /// (SQLite only): turn foreign-key enforcement off for the run, for a table
    /// rebuild.
    async fn lock(&mut self, config: &Config, fk_off: bool) -> Result<(), Error>;

    /// Releases the migration lock.
    async fn unlock(&mut self, config: &Config) -> Result<(), Error>;

    /// Runs a script of one revision (PostgreSQL: of several), and says where it
    /// stopped if it failed, with the clock readings it returned (PostgreSQL).
    async fn run_script(&mut self, script: &Script) -> (Vec<i64>, Result<(), Stop>);

    /// Whether a database error (its SQLSTATE or code, and its message) means "this
    /// table does not exist".
    fn is_missing_table(code: &str, message: &str) -> bool;
}

/// A pool, opened from a URL (closed when the run ends) or borrowed from the caller.
#[derive(Clone)]
pub(crate) enum Pool {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqlitePool),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgPool),
    #[cfg(feature = "mysql")]
    MySql(sqlx::MySqlPool),
}

/// A pool to work with, and whether the runtime opened it.
pub(crate) struct Handle {
    pub pool: Pool,
    owned: bool,
}

macro_rules! on_pool {
    ($pool:expr, $p:ident => $body:expr) => {
        match $pool {
            #[cfg(feature = "sqlite")]
            Pool::Sqlite($p) => $body,
            #[cfg(feature = "postgres")]
            Pool::Postgres($p) => $body,
            #[cfg(feature = "mysql")]
            Pool::MySql($p) => $body,
        }
    };
}

macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            #[cfg(feature = "sqlite")]
            Conn::Sqlite($c) => $body,
            #[cfg(feature = "postgres")]
            Conn::Postgres($c) => $body,
            #[cfg(feature = "mysql")]
            Conn::MySql($c) => $body,
        }
    };
}

// After the macros, which it uses.
mod tables;

impl Handle {
    /// Opens or borrows the pool (`config` gives SQLite its busy timeout).
    #[cfg_attr(not(feature = "sqlite"), allow(unused_variables))]
    pub(crate) async fn open(db: Database<'_>, config: &Config) -> Result<Handle, Error> {
        let (pool, owned) = match db {
            Database::Url(url) => {
                let pool = match migrate_core::url::kind_of(url) {
                    #[cfg(feature = "sqlite")]
                    Some(DialectKind::Sqlite) => Pool::Sqlite(sqlite::connect(url, config).await?),
                    #[cfg(feature = "postgres")]
                    Some(DialectKind::Postgres) => Pool::Postgres(postgres::connect(url).await?),
                    #[cfg(feature = "mysql")]
                    Some(DialectKind::MySql) => Pool::MySql(mysql::connect(url).await?),
                    _ => {
                        return Err(Error::UnsupportedUrl {
                            url: RedactedUrl::new(url),
                        })
                    }
                };
                (pool, true)
            }
            #[cfg(feature = "sqlite")]
            Database::Sqlite(p) => (Pool::Sqlite(p.clone()), false),
            #[cfg(feature = "postgres")]
            Database::Postgres(p) => (Pool::Postgres(p.clone()), false),
            #[cfg(feature = "mysql")]
            Database::MySql(p) => (Pool::MySql(p.clone()), false),
            // Its owner closes it.
            Database::Opened(opened) => (opened.pool.clone(), false),
        };
        Ok(Handle { pool, owned })
    }

    /// A pool the runtime opened, to be closed by [`Handle::close`].
    pub(crate) fn owning(pool: Pool) -> Handle {
        Handle { pool, owned: true }
    }

    /// A connection of the pool.
    pub(crate) async fn acquire(&self) -> Result<Conn, Error> {
        let conn = on_pool!(&self.pool, p => {
            let c = p.acquire().await.map_err(Error::db("cannot get a connection from the pool"))?;
            Conn::from(c)
        });
        Ok(conn)
    }

    /// Closes the pool if the runtime opened it.
    pub(crate) async fn close(self) {
        if self.owned {
            on_pool!(&self.pool, p => p.close().await);
        }
    }
}

/// One connection of the pool, for one run.
pub(crate) enum Conn {
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::pool::PoolConnection<sqlx::Sqlite>),
    #[cfg(feature = "postgres")]
    Postgres(sqlx::pool::PoolConnection<sqlx::Postgres>),
    #[cfg(feature = "mysql")]
    MySql(sqlx::pool::PoolConnection<sqlx::MySql>),
}

#[cfg(feature = "sqlite")]
impl From<sqlx::pool::PoolConnection<sqlx::Sqlite>> for Conn {
    fn from(c: sqlx::pool::PoolConnection<sqlx::Sqlite>) -> Self {
        Conn::Sqlite(c)
    }
}

#[cfg(feature = "postgres")]
impl From<sqlx::pool::PoolConnection<sqlx::Postgres>> for Conn {
    fn from(c: sqlx::pool::PoolConnection<sqlx::Postgres>) -> Self {
        Conn::Postgres(c)
    }
}

#[cfg(feature = "mysql")]
impl From<sqlx::pool::PoolConnection<sqlx::MySql>> for Conn {
    fn from(c: sqlx::pool::PoolConnection<sqlx::MySql>) -> Self {
        Conn::MySql(c)
    }
}

impl Conn {
    pub(crate) fn kind(&self) -> DialectKind {
        match self {
            #[cfg(feature = "sqlite")]
            Conn::Sqlite(_) => DialectKind::Sqlite,
            #[cfg(feature = "postgres")]
            Conn::Postgres(_) => DialectKind::Postgres,
            #[cfg(feature = "mysql")]
            Conn::MySql(_) => DialectKind::MySql,
        }
    }

    /// Lets the connection go back to the pool (after the lock was released).
    pub(crate) fn release(self) {
        on_conn!(self, c => {
            let _ = c;
        });
    }

    /// Runs SQL text as is (DDL, `BEGIN`, several statements).
    ///
    /// Through [`sqlx::Executor`]'s methods, which return boxed `Send` futures, and
    /// never `sqlx::raw_sql(..).execute(..)`: that `async fn` wrapper is generic over
    /// the executor, and a future holding it is not `Send` for rustc (higher-ranked
    /// lifetimes), which would make every public future of the runtime not `Send`.
    pub(crate) async fn exec(&mut self, sql: &str) -> Result<(), sqlx::Error> {
        use sqlx::Executor;
        on_conn!(self, c => c.execute(sqlx::raw_sql(sql)).await.map(|_| ()))
    }

    /// Runs statements as one script (one message), in order, stopping at the first
    /// error.
    pub(crate) async fn exec_all(&mut self, statements: &[Statement]) -> Result<(), sqlx::Error> {
        let mut script = Script::default();
        script.extend(Part::Record, statements);
        self.exec(script.sql()).await
    }

    /// Runs a script of one revision, or, on PostgreSQL, of several (see
    /// [`crate::script`] and [`Backend::run_script`]).
    pub(crate) async fn run_script(&mut self, script: &Script) -> (Vec<i64>, Result<(), Stop>) {
        on_conn!(self, c => Backend::run_script(&mut **c, script).await)
    }

    /// Runs revision scripts one after the other until one fails: how long each
    /// finished one took, and the part that failed. SQLite takes them all in one
    /// go (see [`sqlite::run_scripts`]).
    pub(crate) async fn run_scripts(
        &mut self,
        scripts: &[&Script],
    ) -> (Vec<Duration>, Result<(), (Part, sqlx::Error)>) {
        #[cfg(feature = "sqlite")]
        #[allow(irrefutable_let_patterns)] // when SQLite is the only database
        if let Conn::Sqlite(c) = self {
            return sqlite::run_scripts(c, scripts).await;
        }
        let mut durations = Vec::with_capacity(scripts.len());
        for script in scripts {
            let start = Instant::now();
            if let (_, Err(stop)) = self.run_script(script).await {
                return (durations, Err((stop.part, stop.error)));
            }
            durations.push(start.elapsed());
        }
        (durations, Ok(()))
    }

    /// Runs one statement as text and returns how many rows it changed.
    pub(crate) async fn exec_count(&mut self, sql: &str) -> Result<u64, sqlx::Error> {
        use sqlx::Executor;
        on_conn!(self, c => c.execute(sqlx::raw_sql(sql)).await.map(|r| r.rows_affected()))
    }

    /// The first row of a query of a text and an integer column, if it has one.
    pub(crate) async fn query_text_int(
        &mut self,
        sql: &str,
    ) -> Result<Option<(String, i64)>, sqlx::Error> {
        use sqlx::{Executor, Row};
        on_conn!(self, c => {
            match c.fetch_all(sqlx::raw_sql(sql)).await?.first() {
                Some(row) => Ok(Some((row.try_get(0)?, row.try_get(1)?))),
                None => Ok(None),
            }
        })
    }

    /// From here on the connection is closed rather than returned to the pool when
    /// it is dropped (it will hold the migration lock).
    pub(crate) fn close_on_drop(&mut self) {
        on_conn!(self, c => c.close_on_drop());
    }

    /// Whether the server is a node of a MariaDB Galera cluster (`wsrep_on` is
    /// `ON`); if so, the connection's reads are made to wait until the node has
    /// applied everything committed in the cluster before them (see
    /// [`mysql::galera`]). Always `false` on SQLite and PostgreSQL.
    pub(crate) async fn is_galera(&mut self) -> Result<bool, Error> {
        match self {
            #[cfg(feature = "mysql")]
            Conn::MySql(c) => mysql::galera(c).await,
            #[allow(unreachable_patterns)]
            _ => Ok(false),
        }
    }

    /// Before reading the version tables without the lock (`current`, `history`,
    /// a plan): on a Galera node, the reads wait until the node has applied what the
    /// cluster committed before them, as under the lock ([`Self::is_galera`]), so a
    /// node that is behind never answers with an older state than another node just
    /// wrote. The connection is then closed rather than returned to the pool: its
    /// session setting changed, and a pool the application lent keeps its own.
    pub(crate) async fn read_what_the_cluster_committed(&mut self) -> Result<(), Error> {
        if self.is_galera().await? {
            self.close_on_drop();
        }
        Ok(())
    }

    /// Whether an error means "this table does not exist".
    pub(crate) fn is_missing_table(&self, e: &sqlx::Error) -> bool {
        let Some(db) = e.as_database_error() else {
            return false;
        };
        let code = db.code().unwrap_or_default();
        let message = db.message();
        match self {
            #[cfg(feature = "sqlite")]
            Conn::Sqlite(_) => {
                <sqlx::SqliteConnection as Backend>::is_missing_table(&code, message)
            }
            #[cfg(feature = "postgres")]
            Conn::Postgres(_) => <sqlx::PgConnection as Backend>::is_missing_table(&code, message),
            #[cfg(feature = "mysql")]
            Conn::MySql(_) => <sqlx::MySqlConnection as Backend>::is_missing_table(&code, message),
        }
    }

    /// Whether an error means the database stayed locked by another connection for
    /// the whole busy timeout (SQLite only: its writers wait on a busy timeout, set to
    /// `lock_timeout`, rather than on a lock of their own).
    pub(crate) fn is_busy(&self, e: &sqlx::Error) -> bool {
        match self {
            #[cfg(feature = "sqlite")]
            Conn::Sqlite(_) => sqlite::is_busy(e),
            #[allow(unreachable_patterns)]
            _ => false,
        }
    }

    /// Takes the migration lock (per database: see the backend files).
    /// `sqlite_fk_off`: turn SQLite's foreign-key enforcement off for the run (it
    /// cannot change inside the transaction), for a table rebuild.
    ///
    /// From here on the connection is closed rather than returned to the pool when it is
    /// dropped, so the session lock it holds (advisory lock, `GET_LOCK`, an open SQLite
    /// transaction) dies with it on every path: error, cancellation, panic.
    pub(crate) async fn lock(&mut self, config: &Config, sqlite_fk_off: bool) -> Result<(), Error> {
        self.close_on_drop();
        on_conn!(self, c => Backend::lock(&mut **c, config, sqlite_fk_off).await)
    }

    /// Releases the migration lock. On SQLite the lock is the write transaction, which
    /// is committed by the run before this is called; this only checks it is closed.
    pub(crate) async fn unlock(&mut self, config: &Config) -> Result<(), Error> {
        on_conn!(self, c => Backend::unlock(&mut **c, config).await)
    }
}
