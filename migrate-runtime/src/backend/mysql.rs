//! MySQL/MariaDB: connecting, and the migration lock, `GET_LOCK` on the run's dedicated
//! connection, with its result checked (1: taken, 0: timed out, NULL: error).
//!
//! `GET_LOCK` names are server-wide, so the name includes the database and the version
//! table. If the run panics the connection is closed and the server frees the lock.

use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions};
use sqlx::{ConnectOptions, MySqlConnection, MySqlPool};

use crate::backend::database::probe;
use crate::config::Config;
use crate::error::Error;
use crate::redact::RedactedUrl;

/// Opens a small pool for a run.
pub(crate) async fn connect(url: &str) -> Result<MySqlPool, Error> {
    let redacted = RedactedUrl::new(url);
    let options: MySqlConnectOptions = url.parse().map_err(|source| Error::Connect {
        url: redacted.clone(),
        source,
    })?;
    let options = options.log_statements(tracing::log::LevelFilter::Trace);
    // The pool retries a refused connection until its 30 s timeout and then reports
    // only the timeout: one direct connection first reports the reason at once.
    probe(&options).await.map_err(|source| Error::Connect {
        url: redacted.clone(),
        source,
    })?;
    MySqlPoolOptions::new()
        // A pool for one run: no maintenance task, which in sqlx 0.8 can spin
        // forever when its idle count underflows as the pool closes.
        .idle_timeout(None)
        .max_lifetime(None)
        // Its connections are seconds old: no ping before each is handed out.
        .test_before_acquire(false)
        .max_connections(2)
        .connect_with(options)
        .await
        .map_err(|source| Error::Connect {
            url: redacted,
            source,
        })
}

/// The lock name expression (at most 64 characters, MySQL's limit).
const NAME: &str = "LEFT(CONCAT('migrate:', COALESCE(DATABASE(), ''), ':', ?), 64)";

/// Takes the lock, waiting up to `config.lock_timeout`.
pub(crate) async fn lock(c: &mut MySqlConnection, config: &Config) -> Result<(), Error> {
    let secs = config.lock_timeout.as_secs_f64().ceil().max(0.0) as i64;
    let got: Option<i64> = sqlx::query_scalar(&format!("SELECT GET_LOCK({NAME}, ?)"))
        .bind(config.version_table())
        .bind(secs)
        .fetch_one(&mut *c)
        .await
        .map_err(Error::db("cannot take the migration lock (GET_LOCK)"))?;
    match got {
        Some(1) => Ok(()),
        Some(_) => Err(Error::LockTimeout {
            lock: format!("GET_LOCK('migrate:<database>:{}')", config.version_table()),
            waited: config.lock_timeout,
        }),
        None => Err(Error::Database {
            context: "GET_LOCK returned NULL (the server could not take the lock)".into(),
            source: sqlx::Error::Protocol("GET_LOCK returned NULL".into()),
        }),
    }
}

/// Releases the lock.
pub(crate) async fn unlock(c: &mut MySqlConnection, config: &Config) -> Result<(), Error> {
    sqlx::query_scalar::<_, Option<i64>>(&format!("SELECT RELEASE_LOCK({NAME})"))
        .bind(config.version_table())
        .fetch_one(&mut *c)
        .await
        .map(|_| ())
        .map_err(Error::db(
            "cannot release the migration lock (RELEASE_LOCK)",
        ))
}
