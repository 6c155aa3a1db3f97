//! SQLite: connecting (with a busy timeout), and the migration lock, a write
//! transaction (`BEGIN IMMEDIATE`) held for the whole run.
//!
//! Only one connection can hold a write transaction, so other processes wait (up to the
//! busy timeout) and then see the revisions committed. A crashed process leaves nothing
//! behind: SQLite rolls back its transaction from the journal.

use std::str::FromStr;
use std::time::Instant;

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{ConnectOptions, SqliteConnection, SqlitePool};

use crate::config::Config;
use crate::error::Error;
use crate::redact::RedactedUrl;

/// Opens a small pool for a run, creating the file if missing.
pub(crate) async fn connect(url: &str, config: &Config) -> Result<SqlitePool, Error> {
    let redacted = RedactedUrl::new(url);
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| Error::Connect {
            url: redacted.clone(),
            source,
        })?
        .create_if_missing(true)
        .busy_timeout(config.lock_timeout)
        .log_statements(tracing::log::LevelFilter::Trace);
    SqlitePoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await
        .map_err(|source| Error::Connect {
            url: redacted,
            source,
        })
}

/// Sets the busy timeout (also on a pool the caller passed), turns foreign-key
/// enforcement off if a table rebuild needs it (possible only outside a transaction;
/// the run checks the keys itself with `PRAGMA foreign_key_check`), and opens the
/// write transaction.
pub(crate) async fn lock(
    c: &mut SqliteConnection,
    config: &Config,
    fk_off: bool,
) -> Result<(), Error> {
    let ms = config.lock_timeout.as_millis().min(i32::MAX as u128);
    let fk = if fk_off {
        "PRAGMA foreign_keys = OFF; "
    } else {
        ""
    };
    sqlx::raw_sql(&format!("{fk}PRAGMA busy_timeout = {ms}"))
        .execute(&mut *c)
        .await
        .map_err(Error::db("cannot set the SQLite busy timeout"))?;
    let start = Instant::now();
    match sqlx::raw_sql("BEGIN IMMEDIATE").execute(&mut *c).await {
        Ok(_) => Ok(()),
        Err(e) => {
            let busy = e
                .as_database_error()
                .and_then(|d| d.code())
                .is_some_and(|code| code == "5" || code == "6");
            if busy {
                Err(Error::LockTimeout {
                    lock: "SQLite write transaction (BEGIN IMMEDIATE)".into(),
                    waited: start.elapsed(),
                })
            } else {
                Err(Error::Database {
                    context: "cannot take the migration lock (BEGIN IMMEDIATE)".into(),
                    source: e,
                })
            }
        }
    }
}

/// The write transaction was ended by the run; turn foreign keys back on (sqlx's
/// default) in case they were turned off.
pub(crate) async fn unlock(c: &mut SqliteConnection, _config: &Config) -> Result<(), Error> {
    sqlx::raw_sql("PRAGMA foreign_keys = ON")
        .execute(&mut *c)
        .await
        .map(|_| ())
        .map_err(Error::db("cannot turn SQLite foreign keys back on"))
}
