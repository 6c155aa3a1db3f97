//! PostgreSQL: connecting; the migration lock, a session-level advisory lock
//! (`pg_try_advisory_lock`) on the run's dedicated connection; and applying a run's
//! revisions in one message ([`Migrator::apply_in_one_message`]), with the failing
//! revision found from the error's position when the server refused the message
//! whole ([`locate`]).
//!
//! The key is derived from the version table's name, so two applications with their own
//! version tables in one database do not block each other. If the process dies or the
//! run panics, the connection is closed (not returned to the pool) and the server drops
//! the lock with the session.

use std::time::{Duration, Instant};

use crate::apply::{StepRun, TxState};
use crate::backend::{Backend, Conn};
use crate::config::TransactionMode;
use crate::migrator::Migrator;
use crate::script::{Part, CLOCK_COLUMN};

use sqlx::postgres::{PgConnectOptions, PgDatabaseError, PgErrorPosition, PgPoolOptions};
use sqlx::{ConnectOptions, PgConnection, PgPool};

use crate::backend::database::connect_pool;
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
    let pool = PgPoolOptions::new()
        // A pool for one run: no maintenance task, which in sqlx 0.8 can spin
        // forever when its idle count underflows as the pool closes.
        .idle_timeout(None)
        .max_lifetime(None)
        // Its connections are seconds old: no ping before each is handed out.
        .test_before_acquire(false)
        .max_connections(2);
    connect_pool(pool, options)
        .await
        .map_err(|source| Error::Connect {
            url: redacted,
            source,
        })
}

/// Where a script really stopped: PostgreSQL reports the position of the statement
/// it refused, which for a syntax error is met before anything ran (see
/// [`Script::locate`]).
fn locate(script: &Script, stop: Stop) -> Stop {
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

impl Backend for PgConnection {
    async fn lock(&mut self, config: &Config, _fk_off: bool) -> Result<(), Error> {
        lock(self, config).await
    }

    async fn unlock(&mut self, config: &Config) -> Result<(), Error> {
        unlock(self, config).await
    }

    /// Counts the results of the statements; a parse error, which comes before any,
    /// is placed by its position ([`locate`]).
    async fn run_script(&mut self, script: &Script) -> (Vec<i64>, Result<(), Stop>) {
        use sqlx::Row;
        let clock = |row: &sqlx::postgres::PgRow| row.try_get::<i64, _>(0).ok();
        let (clocks, result) = script
            .follow(sqlx::raw_sql(script.sql()).fetch_many(&mut *self), clock)
            .await;
        (clocks, result.map_err(|stop| locate(script, stop)))
    }

    /// SQLSTATE 42P01, undefined_table.
    fn is_missing_table(code: &str, _message: &str) -> bool {
        code == "42P01"
    }
}

fn key(config: &Config) -> i64 {
    lock_key(config.version_table())
}

/// The advisory lock's key as SQL: `$1` (the key of the version table) in the
/// `public` schema, as always; in any other schema (schema per tenant, `search_path`
/// set per run) a key that also depends on the schema, so that runs on different
/// schemas of one database do not wait for each other.
const KEY_SQL: &str = "CASE WHEN COALESCE(current_schema(), 'public') = 'public' THEN $1 \
     ELSE ('x' || substr(md5(current_schema() || '.' || $2), 1, 16))::bit(64)::bigint END";

/// Waits for the advisory lock until `config.lock_timeout`.
async fn lock(c: &mut PgConnection, config: &Config) -> Result<(), Error> {
    let start = Instant::now();
    loop {
        let got: bool = sqlx::query_scalar(&format!("SELECT pg_try_advisory_lock({KEY_SQL})"))
            .bind(key(config))
            .bind(config.version_table())
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
async fn unlock(c: &mut PgConnection, config: &Config) -> Result<(), Error> {
    sqlx::query_scalar::<_, bool>(&format!("SELECT pg_advisory_unlock({KEY_SQL})"))
        .bind(key(config))
        .bind(config.version_table())
        .fetch_one(&mut *c)
        .await
        .map(|_| ())
        .map_err(Error::db(
            "cannot release the migration lock (pg_advisory_unlock)",
        ))
}

impl Migrator {
    /// PostgreSQL: the scripts of consecutive revisions sent as one message, which
    /// costs one round trip for all of them. Each revision keeps its own
    /// transaction (or the run's, with [`TransactionMode::All`]); the server stops at
    /// the first error, so the revisions before the failing one stay committed.
    /// The client sees no statement's end inside a message: each revision starts
    /// the database's clock and returns it, and the script ends by reading it again,
    /// so how long each revision took comes from the database.
    pub(crate) async fn apply_in_one_message(
        &self,
        conn: &mut Conn,
        tx: &mut TxState,
        runs: &[StepRun<'_>],
    ) -> (Vec<Duration>, Result<(), Error>) {
        let kind = conn.kind();
        let per_revision = self.config.transaction_mode == TransactionMode::PerRevision;
        let mut script = Script::default();
        let mut state = TxState {
            in_tx: tx.in_tx,
            lease_guard: tx.lease_guard.clone(),
        };
        for (i, run) in runs.iter().enumerate() {
            if i > 0 {
                script.next_revision();
            }
            if let Err(e) = self.write_revision(kind, &state, run, &mut script) {
                return (Vec::new(), Err(e));
            }
            state.in_tx = !per_revision;
        }
        let tables = self.config.tables();
        script.extend(
            Part::Record,
            tables.read_clock(kind, CLOCK_COLUMN).as_slice(),
        );
        let (clocks, result) = conn.run_script(&script).await;
        let finished = match &result {
            Ok(()) => runs.len(),
            Err(stop) => stop.revision,
        };
        // Each revision's time runs from its clock to the next one's.
        let mut durations: Vec<Duration> = clocks
            .windows(2)
            .map(|w| Duration::from_micros(u64::try_from(w[1] - w[0]).unwrap_or(0)))
            .collect();
        durations.resize(finished, Duration::ZERO);
        match result {
            Ok(()) => {
                tx.in_tx = !per_revision;
                (durations, Ok(()))
            }
            // The server refused the message before running any of it (a syntax
            // error): the revisions before the broken one are sent again, so that
            // they stay applied as they would have had the error come at run time.
            Err(stop) if stop.nothing_ran && stop.revision > 0 && per_revision => {
                let earlier = &runs[..stop.revision];
                let (durations, result) =
                    Box::pin(self.apply_in_one_message(conn, tx, earlier)).await;
                if result.is_err() {
                    return (durations, result);
                }
                let run = &runs[stop.revision];
                let error = self.script_failed(conn, tx, run, stop.part, stop.error);
                (durations, Err(error.await))
            }
            Err(stop) => {
                let run = &runs[stop.revision];
                let error = self.script_failed(conn, tx, run, stop.part, stop.error);
                (durations, Err(error.await))
            }
        }
    }
}
