//! Where to read from: a URL or an open pool, and connecting without leaking the
//! password.

use std::time::Duration;

use migrate_core::dialect::DialectKind;

use crate::error::IntrospectError;

/// A database to read: a URL, or a pool the caller already has.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub enum Database<'a> {
    /// A URL: `postgres://`, `postgresql://`, `mysql://`, `mariadb://`, `sqlite:`.
    Url(&'a str),
    /// An open PostgreSQL pool.
    #[cfg(feature = "postgres")]
    Postgres(&'a sqlx::PgPool),
    /// An open MySQL/MariaDB pool.
    #[cfg(feature = "mysql")]
    MySql(&'a sqlx::MySqlPool),
    /// An open SQLite pool.
    #[cfg(feature = "sqlite")]
    Sqlite(&'a sqlx::SqlitePool),
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

#[cfg(feature = "sqlite")]
impl<'a> From<&'a sqlx::SqlitePool> for Database<'a> {
    fn from(pool: &'a sqlx::SqlitePool) -> Self {
        Database::Sqlite(pool)
    }
}

/// On a MariaDB Galera node, the session's reads first wait until the node has
/// applied what the cluster committed before them (`wsrep_sync_wait = 1`, as the
/// runtime's reads do), so a node that is behind is not read as the database's
/// schema. Only on a pool opened here: an application's own pool keeps its
/// settings.
#[cfg(feature = "mysql")]
async fn read_what_the_cluster_committed(
    conn: &mut sqlx::MySqlConnection,
) -> Result<(), sqlx::Error> {
    use migrate_core::dialect::mysql::galera;
    use sqlx::{Executor, Row};
    let rows = conn.fetch_all(sqlx::raw_sql(galera::PROBE)).await?;
    let value = match rows.first() {
        Some(row) => Some(row.try_get::<String, _>(1)?),
        None => None,
    };
    if galera::is_on(value.as_deref()) {
        conn.execute(sqlx::raw_sql(galera::SYNC_READS)).await?;
    }
    Ok(())
}

/// A pool opened from a URL, closed again after reading.
pub(crate) enum Pool {
    #[cfg(feature = "postgres")]
    Postgres(sqlx::PgPool),
    #[cfg(feature = "mysql")]
    MySql(sqlx::MySqlPool),
    #[cfg(feature = "sqlite")]
    Sqlite(sqlx::SqlitePool),
}

impl Pool {
    /// Opens a small pool for `url`.
    pub(crate) async fn connect(url: &str, timeout: Duration) -> Result<Pool, IntrospectError> {
        let fail = |source| IntrospectError::Connect {
            url: redact_url(url),
            source,
        };
        match backend_of(url)? {
            #[cfg(feature = "postgres")]
            DialectKind::Postgres => Ok(Pool::Postgres(
                sqlx::postgres::PgPoolOptions::new()
                    // A pool for one run: no maintenance task, which in sqlx 0.8 can spin
                    // forever when its idle count underflows as the pool closes.
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .max_connections(2)
                    .acquire_timeout(timeout)
                    .connect(url)
                    .await
                    .map_err(fail)?,
            )),
            #[cfg(feature = "mysql")]
            DialectKind::MySql => {
                let url = url.replacen("mariadb:", "mysql:", 1);
                Ok(Pool::MySql(
                    sqlx::mysql::MySqlPoolOptions::new()
                        // A pool for one run: no maintenance task, which in sqlx 0.8 can spin
                        // forever when its idle count underflows as the pool closes.
                        .idle_timeout(None)
                        .max_lifetime(None)
                        .max_connections(2)
                        .acquire_timeout(timeout)
                        .after_connect(|conn, _| Box::pin(read_what_the_cluster_committed(conn)))
                        .connect(&url)
                        .await
                        .map_err(fail)?,
                ))
            }
            #[cfg(feature = "sqlite")]
            DialectKind::Sqlite => Ok(Pool::Sqlite(
                sqlx::sqlite::SqlitePoolOptions::new()
                    // A pool for one run: no maintenance task, which in sqlx 0.8 can spin
                    // forever when its idle count underflows as the pool closes.
                    .idle_timeout(None)
                    .max_lifetime(None)
                    .max_connections(1)
                    .acquire_timeout(timeout)
                    .connect(url)
                    .await
                    .map_err(fail)?,
            )),
            #[allow(unreachable_patterns)]
            _ => Err(IntrospectError::UnsupportedUrl {
                url: redact_url(url),
            }),
        }
    }

    /// The pool as a database to read.
    pub(crate) fn database(&self) -> Database<'_> {
        match self {
            #[cfg(feature = "postgres")]
            Pool::Postgres(p) => Database::Postgres(p),
            #[cfg(feature = "mysql")]
            Pool::MySql(p) => Database::MySql(p),
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(p) => Database::Sqlite(p),
        }
    }

    /// Closes the pool.
    pub(crate) async fn close(&self) {
        match self {
            #[cfg(feature = "postgres")]
            Pool::Postgres(p) => p.close().await,
            #[cfg(feature = "mysql")]
            Pool::MySql(p) => p.close().await,
            #[cfg(feature = "sqlite")]
            Pool::Sqlite(p) => p.close().await,
        }
    }
}

/// Which database a URL names.
pub(crate) fn backend_of(url: &str) -> Result<DialectKind, IntrospectError> {
    migrate_core::url::kind_of(url).ok_or_else(|| IntrospectError::UnsupportedUrl {
        url: redact_url(url),
    })
}

/// `url` with its passwords (`user:secret@`, `password=`) replaced by `***`, for
/// messages and logs: the one redactor, `migrate_core::url::redact`.
pub fn redact_url(url: &str) -> String {
    migrate_core::url::redact(url)
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact_url("postgres://me:s3cr%40t@db:5432/app?sslmode=disable"),
            "postgres://me:***@db:5432/app?sslmode=disable"
        );
        assert_eq!(
            redact_url("mysql://root@localhost/test"),
            "mysql://root@localhost/test"
        );
        assert_eq!(redact_url("sqlite:app.db"), "sqlite:app.db");
        assert_eq!(
            redact_url("mysql://u:p@h/d?x=a@b"),
            "mysql://u:***@h/d?x=a@b"
        );
        // A password given as a query parameter is hidden too.
        let r = redact_url("postgres://me@db/app?password=hunter2");
        assert!(!r.contains("hunter2") && r.contains("password=***"), "{r}");
    }
}
