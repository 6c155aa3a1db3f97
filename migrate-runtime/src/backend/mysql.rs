//! MySQL/MariaDB: connecting; the migration lock, `GET_LOCK` on the run's dedicated
//! connection, with its result checked (1: taken, 0: timed out, NULL: error); and
//! applying revisions in groups that share their bookkeeping, since DDL commits on
//! its own ([`Migrator::apply_group`]).
//!
//! `GET_LOCK` names are server-wide, so the name includes the database and the version
//! table. If the run panics the connection is closed and the server frees the lock.

use migrate_core::dialect::DialectKind;
use sqlx::mysql::{MySqlConnectOptions, MySqlPoolOptions};
use sqlx::{ConnectOptions, Executor, MySqlConnection, MySqlPool};

use std::time::{Duration, Instant};

use migrate_core::dialect::mysql::galera;
use migrate_core::dialect::Statement;

use crate::apply::{failed, StepRun};
use crate::backend::database::connect_pool;
use crate::backend::{Backend, Conn};
use crate::config::Config;
use crate::error::Error;
use crate::migrator::Migrator;
use crate::plan::Direction;
use crate::redact::RedactedUrl;
use crate::retry::{self, is_lock_timeout};
use crate::run::Step;
use crate::script::{Part, Script, Stop};
use crate::version::RowState;

/// Opens a small pool for a run.
pub(crate) async fn connect(url: &str) -> Result<MySqlPool, Error> {
    let redacted = RedactedUrl::new(url);
    let options: MySqlConnectOptions = url.parse().map_err(|source| Error::Connect {
        url: redacted.clone(),
        source,
    })?;
    let options = options.log_statements(tracing::log::LevelFilter::Trace);
    let pool = MySqlPoolOptions::new()
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

impl Backend for MySqlConnection {
    async fn lock(&mut self, config: &Config, _fk_off: bool) -> Result<(), Error> {
        lock(self, config).await
    }

    async fn unlock(&mut self, config: &Config) -> Result<(), Error> {
        unlock(self, config).await
    }

    /// Counts the results of the statements (see [`crate::script`]).
    async fn run_script(&mut self, script: &Script) -> (Vec<i64>, Result<(), Stop>) {
        let clock = |_: &sqlx::mysql::MySqlRow| None;
        script
            .follow(sqlx::raw_sql(script.sql()).fetch_many(&mut *self), clock)
            .await
    }

    /// SQLSTATE 42S02 (MariaDB also says "doesn't exist").
    fn is_missing_table(code: &str, message: &str) -> bool {
        code == "42S02" || message.contains("doesn't exist")
    }
}

/// The lock name expression (at most 64 characters, MySQL's limit).
const NAME: &str = "LEFT(CONCAT('migrate:', COALESCE(DATABASE(), ''), ':', ?), 64)";

/// Takes the lock, waiting up to `config.lock_timeout`.
async fn lock(c: &mut MySqlConnection, config: &Config) -> Result<(), Error> {
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

/// Whether the server is a Galera node (`wsrep_on` is `ON`; MySQL and a MariaDB
/// without Galera have it missing or `OFF`). On a Galera node the session also gets
/// `wsrep_sync_wait = 1`: a read first waits until this node has applied every
/// transaction the cluster committed before it, so the version log read under the
/// lock is never older than the last run's commits on another node.
pub(crate) async fn galera(c: &mut MySqlConnection) -> Result<bool, Error> {
    use sqlx::Row;
    let rows = c
        .fetch_all(sqlx::raw_sql(galera::PROBE))
        .await
        .map_err(Error::db("cannot read the server variable wsrep_on"))?;
    let value: Option<String> = match rows.first() {
        Some(row) => Some(
            row.try_get(1)
                .map_err(Error::db("cannot read the server variable wsrep_on"))?,
        ),
        None => None,
    };
    let on = galera::is_on(value.as_deref());
    if on {
        c.execute(sqlx::raw_sql(galera::SYNC_READS))
            .await
            .map_err(Error::db("cannot set wsrep_sync_wait on the Galera node"))?;
    }
    Ok(on)
}

/// Releases the lock.
async fn unlock(c: &mut MySqlConnection, config: &Config) -> Result<(), Error> {
    sqlx::query_scalar::<_, Option<i64>>(&format!("SELECT RELEASE_LOCK({NAME})"))
        .bind(config.version_table())
        .fetch_one(&mut *c)
        .await
        .map(|_| ())
        .map_err(Error::db(
            "cannot release the migration lock (RELEASE_LOCK)",
        ))
}

impl Migrator {
    /// MySQL: applies or undoes consecutive revisions that run whole, with one
    /// transaction of bookkeeping before them and one after, instead of one per
    /// revision (each commit waits for the disk). The first marks every row of the
    /// group `dirty`, in the message of the first revision's statements; each
    /// revision's statements then go in a message of their own, timed by the
    /// runtime; the last marks the rows applied (or deletes them, for a downgrade)
    /// and moves the heads. A failure is recorded in the same way: the revisions
    /// before it finished, the failing one `dirty` with its step, the rest of the
    /// group taken back. Only if the process or the server dies part-way do
    /// several rows stay `dirty`, and the next run stops on them.
    pub(crate) async fn apply_group(
        &self,
        conn: &mut Conn,
        runs: &[StepRun<'_>],
    ) -> (Vec<Duration>, Result<(), Error>) {
        let kind = conn.kind();
        let (mut starts, mut cancels) = (Vec::new(), Vec::new());
        for run in runs {
            match self.start_statements(kind, run.step, run.direction, run.graph) {
                Ok((start, cancel)) => {
                    starts.push(start);
                    cancels.push(cancel);
                }
                Err(e) => return (Vec::new(), Err(e)),
            }
        }
        let mut durations = Vec::with_capacity(runs.len());
        let mut finished = Vec::with_capacity(runs.len());
        for (k, run) in runs.iter().enumerate() {
            let start = Instant::now();
            // After a lock timeout, the revision goes on from the statement that
            // timed out: those before it committed, and it changed nothing
            // (`crate::retry`).
            let (mut from, mut tries) = (0, 0);
            let ran = loop {
                let mut script = Script::default();
                if k == 0 && tries == 0 {
                    script.push(Part::Start, "BEGIN");
                    script.extend(Part::Start, &starts);
                    script.push(Part::Start, "COMMIT");
                }
                for (i, s) in run.step.statements.iter().enumerate().skip(from) {
                    script.push(Part::Step(i + 1), &s.sql);
                }
                // A revision without statements (a merge, an untouched template)
                // past the group's first has nothing to send: MySQL refuses an
                // empty query.
                if script.is_empty() {
                    break Ok(());
                }
                match conn.run_script(&script).await.1 {
                    Err(stop) if tries < run.step.lock_retries && is_lock_timeout(&stop.error) => {
                        let Part::Step(step) = stop.part else {
                            break Err(stop);
                        };
                        tries += 1;
                        let left = run.step.lock_retries - tries;
                        retry::pause(&run.step.id, step, tries - 1, left, &stop.error).await;
                        from = step - 1;
                    }
                    ran => break ran,
                }
            };
            if let Err(stop) = ran {
                if matches!(stop.part, Part::Step(_)) {
                    let mut undo = cancels[k + 1..].to_vec();
                    if run.direction == Direction::Upgrade {
                        // Its row was written with the group's: date it from its start.
                        let ago = i64::try_from(start.elapsed().as_millis()).unwrap_or(0);
                        let t = self.config.tables();
                        undo.push(t.set_started_at(kind, &run.step.id, ago));
                    }
                    let fix = self.group_end(kind, runs, &durations, &finished, &undo);
                    if let Err(e) = conn.exec_all(&fix).await {
                        let error = Error::Database {
                            context: format!(
                                "revision {} failed ({}), and recording the failure failed too; \
                                 the revisions of its group stay marked dirty",
                                run.step.id, stop.error
                            ),
                            source: e,
                        };
                        return (durations, Err(error));
                    }
                }
                let error = self
                    .mark_failed(conn, run.step, run.direction, stop.part, stop.error)
                    .await;
                return (durations, Err(error));
            }
            durations.push(start.elapsed());
            finished.push(Instant::now());
        }
        let end = self.group_end(kind, runs, &durations, &finished, &[]);
        let result = conn.exec_all(&end).await.map_err(|e| Error::Database {
            context: format!(
                "revisions {} to {} ran, but recording them failed: they stay marked dirty",
                runs[0].step.id,
                runs[runs.len() - 1].step.id
            ),
            source: e,
        });
        (durations, result)
    }

    /// The transaction that ends a MySQL group ([`Migrator::apply_group`]): the rows of
    /// the revisions that finished (as many as `durations`) marked applied or
    /// deleted, the heads moved past them, and `fix`: what takes back the rows of the
    /// revisions that never ran, after a failure.
    pub(crate) fn group_end(
        &self,
        kind: DialectKind,
        runs: &[StepRun<'_>],
        durations: &[Duration],
        finished: &[Instant],
        fix: &[Statement],
    ) -> Vec<Statement> {
        let t = self.config.tables();
        let d = kind;
        let now = Instant::now();
        let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        let mut out = vec![Statement::new("BEGIN")];
        for ((run, took), at) in runs.iter().zip(durations).zip(finished) {
            out.push(match run.direction {
                Direction::Upgrade => t.finish_log_at(d, &run.step.id, ms(*took), ms(now - *at)),
                Direction::Downgrade => t.delete_log(d, &run.step.id),
            });
            out.extend(self.squashed_rows_of(d, run));
        }
        if let Some(last) = runs[..durations.len()].last() {
            out.extend(t.change_heads(d, runs[0].heads_before, last.heads));
        }
        out.extend_from_slice(fix);
        out.push(Statement::new("COMMIT"));
        out
    }

    /// MySQL: records in the log row where the revision stopped; the steps before it
    /// were committed by the database.
    pub(crate) async fn mark_failed(
        &self,
        conn: &mut Conn,
        step: &Step,
        direction: Direction,
        reached: Part,
        error: sqlx::Error,
    ) -> Error {
        let Part::Step(k) = reached else {
            // The log row could not be written or finished: no step failed.
            let _ = conn.exec("ROLLBACK").await;
            return Error::Database {
                context: format!("cannot record revision {}", step.id),
                source: error,
            };
        };
        let what = match direction {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        };
        let note = format!("{what} step {k}: {error}");
        let kind = conn.kind();
        let mark = self.config.tables().set_state(
            kind,
            &step.id,
            RowState::Dirty.as_str(),
            Some(k as i64),
            Some(&note),
        );
        if let Err(e) = conn.exec(&mark.sql).await {
            return Error::Database {
                context: format!(
                    "revision {} failed at step {k} ({error}), and recording the failure \
                     failed too",
                    step.id
                ),
                source: e,
            };
        }
        let outcome = "MySQL commits DDL on its own: the steps before it stay applied and the \
                       revision is marked dirty; repair by hand, then resolve it.";
        failed(step, k - 1, outcome.into(), true, error)
    }
}
