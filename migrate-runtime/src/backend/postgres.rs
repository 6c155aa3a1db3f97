//! PostgreSQL: connecting, and the migration lock, a session-level advisory lock
//! (`pg_try_advisory_lock`) on the run's dedicated connection.
//!
//! The key is derived from the version table's name, so two applications with their own
//! version tables in one database do not block each other. If the process dies or the
//! run panics, the connection is closed (not returned to the pool) and the server drops
//! the lock with the session.

use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgDatabaseError, PgErrorPosition, PgPoolOptions};
use sqlx::{ConnectOptions, PgConnection, PgPool};

use crate::backend::database::probe;
use crate::config::Config;
use crate::error::Error;
use crate::lock::{lock_key, POLL_INTERVAL};
use crate::redact::RedactedUrl;
use crate::script::{Script, Stop};

/// Opens a small pool for a run.
pub(crate) async fn connect(url: &str) -> Result<PgPool, Error> {
    let redacted = RedactedUrl::new(url);
    let options: PgConnectOptions = url.parse().map_err(|source| Error::Connect {
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
    PgPoolOptions::new()
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

/// Where a script really stopped: PostgreSQL reports the position of the statement
/// it refused, which for a syntax error is met before anything ran (see
/// [`Script::locate`]).
pub(crate) fn locate(script: &Script, stop: Stop) -> Stop {
    let position = stop
        .error
        .as_database_error()
        .and_then(|e| e.try_downcast_ref::<PgDatabaseError>())
        .and_then(|e| match e.position() {
            Some(PgErrorPosition::Original(chars)) => Some(chars),
            _ => None,
        });
    match position {
        Some(chars) => script.locate(stop, chars),
        None => stop,
    }
}

fn key(config: &Config) -> i64 {
    lock_key(config.version_table())
}

/// Waits for the advisory lock until `config.lock_timeout`.
pub(crate) async fn lock(c: &mut PgConnection, config: &Config) -> Result<(), Error> {
    let start = Instant::now();
    loop {
        let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
            .bind(key(config))
            .fetch_one(&mut *c)
            .await
            .map_err(Error::db(
                "cannot take the migration lock (pg_try_advisory_lock)",
            ))?;
        if got {
            return Ok(());
        }
        if start.elapsed() >= config.lock_timeout {
            return Err(Error::LockTimeout {
                lock: format!("pg_advisory_lock({})", key(config)),
                waited: start.elapsed(),
            });
        }
        tokio::time::sleep(POLL_INTERVAL.min(Duration::from_millis(100))).await;
    }
}

/// Releases the advisory lock.
pub(crate) async fn unlock(c: &mut PgConnection, config: &Config) -> Result<(), Error> {
    sqlx::query_scalar::<_, bool>("SELECT pg_advisory_unlock($1)")
        .bind(key(config))
        .fetch_one(&mut *c)
        .await
        .map(|_| ())
        .map_err(Error::db(
            "cannot release the migration lock (pg_advisory_unlock)",
        ))
}
