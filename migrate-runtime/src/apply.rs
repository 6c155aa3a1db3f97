//! Applying or undoing one revision, with the transaction strategy of its database.
//!
//! A revision travels as one script ([`crate::script`]): its statements and its
//! bookkeeping in one message, so it costs one round trip. On PostgreSQL the scripts
//! of consecutive revisions share one message (up to about a megabyte), so a run of
//! 500 revisions costs one round trip rather than 500; on SQLite, which runs in the
//! process, they go to the library in one batch ([`Migrator::apply_batch`]). What
//! each database does its own way is in its file: `backend/postgres.rs` (one message
//! for many revisions), `backend/mysql.rs` (groups sharing their bookkeeping),
//! `backend/sqlite.rs` (the library's own statement loop).
//!
//! - PostgreSQL: `BEGIN`, the revision's clock, the statements, the log row and the
//!   heads, `COMMIT`. The server stops a message at its first error, so the
//!   revisions before the failing one stay committed, and the rest never start.
//!   Every revision but the run's last commits with `synchronous_commit = off`: it
//!   does not wait for its own WAL flush, and the last commit, which waits, makes the
//!   whole run durable before the call returns. A crash of the server part-way can
//!   only lose whole revisions (each commits with its log row), which the next run
//!   applies again. With [`TransactionMode::All`] the first revision opens the
//!   transaction, the log rows are written together at the end
//!   ([`Migrator::record_deferred`]) and the run commits. A revision with a statement
//!   that must run outside a transaction goes statement by statement instead
//!   ([`Migrator::apply_in_pieces`]).
//! - SQLite: the run holds the write transaction (the lock); each revision runs in a
//!   savepoint, rolled back alone when it fails (or, with `All`, the whole run is).
//! - MySQL: DDL commits on its own, so the log rows of a group of revisions are
//!   written `dirty` first, in one transaction; then each revision's statements;
//!   then, in one transaction, the rows marked applied and the heads
//!   ([`Migrator::apply_group`]). A failure records the step and the error in the
//!   failing revision's row.
//!
//! The revision's duration in its log row is measured where the statements run: by
//! PostgreSQL from the revision's clock, a transaction-local setting its script
//! starts with (`VersionTables::start_clock`), and on MySQL and SQLite by the
//! runtime (on SQLite bound to the statement).

use migrate_core::dialect::DialectKind;
use std::borrow::Cow;
use std::time::{Duration, Instant};

use migrate_core::dialect::version_table::LogEntry;
use migrate_core::dialect::Statement;

use crate::backend::Conn;
use crate::config::TransactionMode;
use crate::error::Error;
use crate::migrator::Migrator;
use crate::plan::Direction;
use crate::retry::{self, is_lock_timeout};
use crate::run::Step;
use crate::script::{Part, Script, CLOCK_COLUMN};
use crate::version::RowState;
use migrate_core::graph::RevisionGraph as Graph;

/// What a revision writes to the version tables around its statements.
///
/// Where the revision is one transaction (PostgreSQL, SQLite, stamps), only `end`:
/// the log row inserted as applied (or deleted) and the heads moved. Where statements
/// commit on their own (MySQL, non-transactional steps), the row is first written
/// `dirty` (`start`), then finished by `end`.
pub(crate) struct Bookkeeping {
    /// Marks the log row `dirty` (a new row for an upgrade).
    start: Vec<Statement>,
    /// Takes `start` back when none of the statements stayed applied.
    cancel: Vec<Statement>,
    /// Finishes the row (applied, or deleted for a downgrade) and moves the heads.
    end: Vec<Statement>,
}

/// One revision of a run, with what the script needs to know of its neighbours.
pub(crate) struct StepRun<'a> {
    pub step: &'a Step,
    pub direction: Direction,
    pub graph: &'a Graph,
    /// The heads before the revision and once it is done.
    pub heads_before: &'a [String],
    pub heads: &'a [String],
    /// Only record the revision (stamp).
    pub record_only: bool,
    /// The run's next revision, if any.
    pub next: Option<&'a Step>,
}

pub(crate) const ROLLED_BACK: &str =
    "The revision was rolled back; the database is at the previous revision.";
pub(crate) const RUN_ROLLED_BACK: &str = "The whole run was rolled back.";

impl Migrator {
    /// The log row of an upgrade, `dirty` and without its downgrade (returned beside
    /// it, as TOML, for the caller to borrow).
    pub(crate) fn log_entry<'a>(
        &'a self,
        step: &'a Step,
        graph: &'a Graph,
    ) -> Result<(LogEntry<'a>, Cow<'static, str>), Error> {
        let known = self.known(&step.id);
        let downgrade = match known {
            Some(k) => k.downgrade_log()?,
            None => Cow::Borrowed(""),
        };
        let entry = LogEntry {
            revision: &step.id,
            parents: graph.parents(&step.id),
            message: &step.message,
            checksum: known.map(|k| &*k.checksum),
            duration_ms: None,
            downgrade: "",
            state: RowState::Dirty.as_str(),
        };
        Ok((entry, downgrade))
    }

    /// The statement that marks a revision's log row `dirty` before its statements
    /// (a new row for an upgrade), and the one that takes it back.
    pub(crate) fn start_statements(
        &self,
        kind: DialectKind,
        step: &Step,
        direction: Direction,
        graph: &Graph,
    ) -> Result<(Statement, Statement), Error> {
        let t = self.config.tables();
        let d = kind;
        let id = step.id.as_str();
        Ok(match direction {
            Direction::Upgrade => {
                let (entry, downgrade) = self.log_entry(step, graph)?;
                let entry = LogEntry {
                    downgrade: &downgrade,
                    ..entry
                };
                (t.insert_log(d, &entry), t.delete_log(d, id))
            }
            Direction::Downgrade => (
                t.set_state(
                    d,
                    id,
                    RowState::Dirty.as_str(),
                    Some(0),
                    Some("downgrade in progress"),
                ),
                t.set_state(d, id, RowState::Applied.as_str(), None, None),
            ),
        })
    }

    /// The statements that delete the log rows of the revisions a squash replaced,
    /// when the run undoes the squash: a database that ran those revisions before
    /// their files were deleted holds their rows rather than the squash's.
    pub(crate) fn squashed_rows_of(&self, kind: DialectKind, run: &StepRun<'_>) -> Vec<Statement> {
        if run.direction != Direction::Downgrade {
            return Vec::new();
        }
        let t = self.config.tables();
        run.graph
            .replaces(&run.step.id)
            .iter()
            .map(|r| t.delete_log(kind, r))
            .collect()
    }

    fn bookkeeping(
        &self,
        kind: DialectKind,
        run: &StepRun<'_>,
        tracked: bool,
        started_unix_ms: i64,
    ) -> Result<Bookkeeping, Error> {
        let t = self.config.tables();
        let d = kind;
        let id = run.step.id.as_str();
        let per_revision = self.config.transaction_mode == TransactionMode::PerRevision;
        let heads = if tracked && kind != DialectKind::MySql {
            // Statements outside a transaction: whatever the run held was committed
            // first, maybe without its heads (TransactionMode::All).
            t.replace_heads(d, run.heads)
        } else if tracked || per_revision {
            t.change_heads(d, run.heads_before, run.heads)
        } else if run.next.is_none() {
            // One transaction for the run: the heads move once, at its end.
            t.replace_heads(d, run.heads)
        } else {
            Vec::new()
        };
        if !tracked {
            let mut end = match run.direction {
                // Recorded with the others at the end of the run (`record_deferred`).
                Direction::Upgrade if self.defers_log(kind, run.step, run.direction) => Vec::new(),
                Direction::Upgrade => {
                    let (entry, downgrade) = self.log_entry(run.step, run.graph)?;
                    let entry = LogEntry {
                        downgrade: &downgrade,
                        state: RowState::Applied.as_str(),
                        ..entry
                    };
                    vec![t.insert_log_measured(d, &entry, started_unix_ms)]
                }
                Direction::Downgrade => vec![t.delete_log(d, id)],
            };
            end.extend(self.squashed_rows_of(d, run));
            end.extend(heads);
            return Ok(Bookkeeping {
                start: Vec::new(),
                cancel: Vec::new(),
                end,
            });
        }
        let (start, cancel) = self.start_statements(kind, run.step, run.direction, run.graph)?;
        let mut end = vec![match run.direction {
            Direction::Upgrade => t.finish_log(d, id),
            Direction::Downgrade => t.delete_log(d, id),
        }];
        end.extend(self.squashed_rows_of(d, run));
        end.extend(heads);
        Ok(Bookkeeping {
            start: vec![start],
            cancel: vec![cancel],
            end,
        })
    }

    /// Whether the log row of `step` is written with the others at the end of the run
    /// instead of in its own script: PostgreSQL with one transaction for the run,
    /// where one multi-row `INSERT` costs far less than one per revision. A revision
    /// that runs outside the transaction keeps its own row, written first.
    pub(crate) fn defers_log(&self, kind: DialectKind, step: &Step, direction: Direction) -> bool {
        kind == DialectKind::Postgres
            && self.config.transaction_mode == TransactionMode::All
            && direction == Direction::Upgrade
            && step.statements.iter().all(|s| s.transactional)
    }

    /// Writes the log rows of the revisions applied so far whose rows were deferred
    /// (see [`Migrator::defers_log`]), inside the run's open transaction: `(step,
    /// how long it took, when it finished)` each.
    pub(crate) async fn record_deferred(
        &self,
        conn: &mut Conn,
        tx: &mut TxState,
        graph: &Graph,
        deferred: &mut Vec<(&Step, Duration, Instant)>,
    ) -> Result<(), Error> {
        if deferred.is_empty() {
            return Ok(());
        }
        let now = Instant::now();
        let ms = |d: Duration| i64::try_from(d.as_millis()).unwrap_or(i64::MAX);
        let parts = deferred
            .iter()
            .map(|(step, took, finished)| {
                let (entry, downgrade) = self.log_entry(step, graph)?;
                Ok((entry, downgrade, ms(*took), ms(now - *finished)))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        let rows: Vec<(LogEntry, i64)> = parts
            .iter()
            .map(|(entry, downgrade, took, ago)| {
                let entry = LogEntry {
                    downgrade,
                    duration_ms: Some(*took),
                    state: RowState::Applied.as_str(),
                    ..entry.clone()
                };
                (entry, *ago)
            })
            .collect();
        let insert = self
            .config
            .tables()
            .insert_logs_finished(conn.kind(), &rows);
        if let Err(e) = conn.exec_all(&[insert]).await {
            let _ = conn.exec("ROLLBACK").await;
            tx.in_tx = false;
            return Err(Error::Database {
                context: format!("cannot record the run's revisions ({RUN_ROLLED_BACK})"),
                source: e,
            });
        }
        deferred.clear();
        Ok(())
    }

    /// Applies or undoes one revision (only records it for a stamp). `tx` tells
    /// whether the run holds an open transaction (PostgreSQL with
    /// `TransactionMode::All`, MySQL stamps). A revision that MySQL applies or undoes
    /// goes in a group instead ([`Migrator::apply_group`]), unless it must run in
    /// pieces.
    pub(crate) async fn apply_step(
        &self,
        conn: &mut Conn,
        tx: &mut TxState,
        run: &StepRun<'_>,
    ) -> Result<(), Error> {
        let kind = conn.kind();
        let step = run.step;
        if !step.runs_whole() {
            let book = self.bookkeeping(kind, run, true, unix_ms())?;
            #[cfg(feature = "sqlite")]
            if kind == DialectKind::Sqlite {
                // The run's write transaction is its lock: see the method.
                return self.apply_outside_lock(conn, tx, step, &book).await;
            }
            return self.apply_in_pieces(conn, tx, step, &book).await;
        }
        let script = self.revision_script(kind, tx, run)?;
        match conn.run_script(&script).await.1 {
            Ok(()) => {
                let per_revision = self.config.transaction_mode == TransactionMode::PerRevision;
                tx.in_tx = kind != DialectKind::Sqlite && !per_revision;
                Ok(())
            }
            Err(stop) => Err(self
                .script_failed(conn, tx, run, stop.part, stop.error)
                .await),
        }
    }

    /// Applies or undoes consecutive revisions that run whole ([`Step::runs_whole`])
    /// as one batch, the way their database does it best: PostgreSQL in one message
    /// ([`Migrator::apply_in_one_message`], `backend/postgres.rs`), MySQL in a group
    /// that shares its bookkeeping ([`Migrator::apply_group`], `backend/mysql.rs`),
    /// SQLite through the library in one go ([`Migrator::apply_scripts`]). Returns how
    /// long each finished revision took, and the error of the one that failed, naming
    /// its step, if one did.
    pub(crate) async fn apply_batch(
        &self,
        conn: &mut Conn,
        tx: &mut TxState,
        runs: &[StepRun<'_>],
    ) -> (Vec<Duration>, Result<(), Error>) {
        match conn.kind() {
            #[cfg(feature = "postgres")]
            DialectKind::Postgres => self.apply_in_one_message(conn, tx, runs).await,
            #[cfg(feature = "mysql")]
            DialectKind::MySql if !runs.iter().any(|r| r.record_only) => {
                self.apply_group(conn, runs).await
            }
            _ => self.apply_scripts(conn, tx, runs).await,
        }
    }

    /// Runs the scripts of revisions that run whole one after the other, all in one go
    /// (on SQLite through the library: see [`crate::backend::sqlite::run_scripts`]).
    async fn apply_scripts(
        &self,
        conn: &mut Conn,
        tx: &mut TxState,
        runs: &[StepRun<'_>],
    ) -> (Vec<Duration>, Result<(), Error>) {
        let kind = conn.kind();
        let scripts = match runs
            .iter()
            .map(|run| self.revision_script(kind, tx, run))
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(scripts) => scripts,
            Err(e) => return (Vec::new(), Err(e)),
        };
        let texts: Vec<&Script> = scripts.iter().collect();
        let (durations, result) = conn.run_scripts(&texts).await;
        let result = match result {
            Ok(()) => Ok(()),
            Err((reached, error)) => {
                let run = &runs[durations.len()];
                Err(self.script_failed(conn, tx, run, reached, error).await)
            }
        };
        (durations, result)
    }

    /// The script of one revision that runs whole (see the module's comment).
    pub(crate) fn revision_script(
        &self,
        kind: DialectKind,
        tx: &TxState,
        run: &StepRun<'_>,
    ) -> Result<Script, Error> {
        let mut script = if kind == DialectKind::Sqlite {
            Script::located()
        } else {
            Script::default()
        };
        self.write_revision(kind, tx, run, &mut script)?;
        Ok(script)
    }

    /// Appends the statements of one revision that runs whole to `script`: in one
    /// transaction (a savepoint on SQLite), or in the run's. Not for a revision that
    /// MySQL applies or undoes, whose DDL commits on its own
    /// ([`Migrator::apply_group`]).
    pub(crate) fn write_revision(
        &self,
        kind: DialectKind,
        tx: &TxState,
        run: &StepRun<'_>,
        script: &mut Script,
    ) -> Result<(), Error> {
        let step = run.step;
        debug_assert!(kind != DialectKind::MySql || run.record_only);
        let book = self.bookkeeping(kind, run, false, unix_ms())?;
        let per_revision = self.config.transaction_mode == TransactionMode::PerRevision;
        let fk_check = kind == DialectKind::Sqlite && step.needs_fk_off();
        let savepoint = kind == DialectKind::Sqlite && per_revision;
        if savepoint {
            script.push(Part::Start, "SAVEPOINT migrate_revision");
        } else if kind != DialectKind::Sqlite && !tx.in_tx {
            script.push(Part::Start, "BEGIN");
            if kind == DialectKind::Postgres && per_revision && run.next.is_some() {
                // Durable with the run's last commit (see the module's comment).
                script.push(Part::Start, "SET LOCAL synchronous_commit = off");
            }
        }
        // PostgreSQL: the revision's clock, which its log row reads.
        let clock = self.config.tables().start_clock(kind, CLOCK_COLUMN);
        script.extend(Part::Start, clock.as_slice());
        if let (DialectKind::Postgres, Some(guard)) = (kind, &tx.lease_guard) {
            script.push(Part::Lease, guard);
        }
        script.extend(Part::Start, &book.start);
        for (i, s) in step.statements.iter().enumerate() {
            script.push_statement(Part::Step(i + 1), s);
        }
        if fk_check {
            // Rows here stop the script before the savepoint is released.
            script.push(Part::FkCheck, "PRAGMA foreign_key_check");
        }
        script.extend(Part::Record, &book.end);
        if savepoint {
            script.push(Part::Record, "RELEASE migrate_revision");
        } else if kind != DialectKind::Sqlite && per_revision {
            script.push(Part::Record, "COMMIT");
        }
        Ok(())
    }

    /// A revision's script failed at `reached`: undoes what must be undone and gives
    /// the error naming the revision and step.
    pub(crate) async fn script_failed(
        &self,
        conn: &mut Conn,
        tx: &mut TxState,
        run: &StepRun<'_>,
        reached: Part,
        error: sqlx::Error,
    ) -> Error {
        let kind = conn.kind();
        let step = run.step;
        let per_revision = self.config.transaction_mode == TransactionMode::PerRevision;
        // PostgreSQL, SQLite, and MySQL stamps: nothing of the revision stays.
        let outcome = if !per_revision {
            if kind != DialectKind::Sqlite {
                let _ = conn.exec("ROLLBACK").await;
                tx.in_tx = false;
            }
            RUN_ROLLED_BACK
        } else {
            let undo = match kind {
                // Earlier revisions of the run are kept: commit them.
                DialectKind::Sqlite => {
                    "ROLLBACK TO migrate_revision; RELEASE migrate_revision; COMMIT"
                }
                _ => "ROLLBACK",
            };
            let _ = conn.exec(undo).await;
            tx.in_tx = false;
            ROLLED_BACK
        };
        match reached {
            Part::Step(k) => failed(step, k - 1, outcome.into(), false, error),
            // Broken keys: the revision's last step left them.
            Part::FkCheck => failed(
                step,
                step.statements.len() - 1,
                outcome.into(),
                false,
                error,
            ),
            // Nothing of this revision ran; the ones before it are committed.
            Part::Lease => Error::LeaseLost {
                table: self.config.lock_table(),
                revision: step.id.clone(),
                reason: format!(
                    "another process holds it, or its lease ended (found on the server by \
                     revision {}'s transaction, before its first step: {error})",
                    step.id
                ),
            },
            Part::Start | Part::Record => Error::Database {
                context: format!("cannot record revision {} ({outcome})", step.id),
                source: error,
            },
        }
    }

    /// A revision with statements that must run outside a transaction (PostgreSQL's
    /// `CREATE INDEX CONCURRENTLY`), statement by statement. The log row is committed
    /// `dirty` first; consecutive transactional statements share a transaction. If a
    /// statement fails after some were committed, the row stays `dirty` with the
    /// failing step, and the next run stops until it is resolved.
    pub(crate) async fn apply_in_pieces(
        &self,
        conn: &mut Conn,
        tx: &mut TxState,
        step: &Step,
        book: &Bookkeeping,
    ) -> Result<(), Error> {
        let per_revision = self.config.transaction_mode == TransactionMode::PerRevision;
        let record = |e| Error::Database {
            context: format!("cannot record revision {}", step.id),
            source: e,
        };
        // What the run holds is committed before anything runs outside a transaction.
        tx.commit(conn).await?;
        conn.exec_all(&book.start).await.map_err(record)?;
        let mut committed = 0;
        let mut pending = 0;
        // Where the open transaction began, and the tries left after a lock timeout.
        let mut group_start = 0;
        let mut retries_left = step.lock_retries;
        let mut i = 0;
        while i < step.statements.len() {
            let s = &step.statements[i];
            if s.transactional {
                if !tx.in_tx {
                    group_start = i;
                }
                tx.begin(conn).await?;
            } else {
                tx.commit(conn).await?;
                committed += pending;
                pending = 0;
            }
            match conn.exec(&s.sql).await {
                // A timeout `SET` changes no schema: alone it leaves nothing to repair.
                Ok(()) if s.transactional && is_session_setting(&s.sql) => i += 1,
                Ok(()) if s.transactional => {
                    pending += 1;
                    i += 1;
                }
                Ok(()) => {
                    // Dropping a failed build's leftover is safe to run again.
                    if !is_leftover_drop(s) {
                        committed += 1;
                    }
                    i += 1;
                }
                Err(e) if retries_left > 0 && is_lock_timeout(&e) => {
                    // Rule: a lock timeout leaves nothing half-done behind (the
                    // transaction rolls back; a concurrent index build leaves an
                    // invalid index that the statement before it drops), so the
                    // statements since the last commit run again after a pause.
                    if tx.in_tx {
                        let _ = conn.exec("ROLLBACK").await;
                        tx.in_tx = false;
                        pending = 0;
                    }
                    let tries = step.lock_retries - retries_left;
                    retries_left -= 1;
                    retry::pause(&step.id, i + 1, tries, retries_left, &e).await;
                    i = if s.transactional {
                        group_start
                    } else if i > 0 && is_leftover_drop(&step.statements[i - 1]) {
                        i - 1
                    } else {
                        i
                    };
                }
                Err(e) => {
                    if tx.in_tx {
                        let _ = conn.exec("ROLLBACK").await;
                        tx.in_tx = false;
                    }
                    let t = self.config.tables();
                    let dirty = committed > 0;
                    let (fix, outcome) = if !dirty {
                        (book.cancel.clone(), ROLLED_BACK.to_string())
                    } else {
                        let note = format!("step {}: {e}", i + 1);
                        let kind = conn.kind();
                        (
                            vec![t.set_state(
                                kind,
                                &step.id,
                                RowState::Dirty.as_str(),
                                Some(i as i64 + 1),
                                Some(&note),
                            )],
                            format!(
                                "{committed} earlier statement(s) of this revision ran outside a \
                                 transaction and stay applied; the revision is marked dirty: \
                                 repair by hand, then resolve it."
                            ),
                        )
                    };
                    conn.exec_all(&fix).await.map_err(record)?;
                    return Err(failed(step, i, outcome, dirty, e));
                }
            }
        }
        tx.begin(conn).await?;
        if let Err(e) = conn.exec_all(&book.end).await {
            let _ = conn.exec("ROLLBACK").await;
            tx.in_tx = false;
            return Err(record(e));
        }
        if per_revision {
            tx.commit(conn).await?;
        }
        Ok(())
    }
}

/// The error of a revision that failed at statement `index`; `dirty` when the
/// revision was left marked dirty.
pub(crate) fn failed(
    step: &Step,
    index: usize,
    outcome: String,
    dirty: bool,
    source: sqlx::Error,
) -> Error {
    Error::RevisionFailed {
        revision: step.id.clone(),
        message: step.message.clone(),
        step: index + 1,
        sql: step.statements[index].sql.clone(),
        outcome,
        dirty,
        source,
    }
}

/// Whether `sql` only sets a session's timeout (`migrate_core::online::Policy::session_settings`).
fn is_session_setting(sql: &str) -> bool {
    sql.starts_with("SET lock_timeout")
        || sql.starts_with("SET statement_timeout")
        || sql.starts_with("RESET ")
        || sql.starts_with("SET SESSION ")
}

/// Whether `s` drops what a failed concurrent index build left behind, so that the
/// build after it can run again.
fn is_leftover_drop(s: &Statement) -> bool {
    !s.transactional && s.sql.starts_with("DROP INDEX CONCURRENTLY IF EXISTS ")
}

/// Now, in milliseconds since the Unix epoch.
fn unix_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Whether a transaction is open on the run's connection (PostgreSQL, MySQL stamps).
#[derive(Default)]
pub(crate) struct TxState {
    /// Whether `BEGIN` was run and not yet ended.
    pub in_tx: bool,
    /// PostgreSQL under a lease: the statement each revision's transaction starts
    /// with, which fails unless this process still holds the lease
    /// ([`crate::lease::LeaseWatch::guard`]).
    pub lease_guard: Option<String>,
}

impl TxState {
    pub(crate) async fn begin(&mut self, conn: &mut Conn) -> Result<(), Error> {
        if !self.in_tx {
            conn.exec("BEGIN")
                .await
                .map_err(Error::db("cannot begin a transaction"))?;
            self.in_tx = true;
        }
        Ok(())
    }

    pub(crate) async fn commit(&mut self, conn: &mut Conn) -> Result<(), Error> {
        if self.in_tx {
            conn.exec("COMMIT")
                .await
                .map_err(Error::db("cannot commit"))?;
            self.in_tx = false;
        }
        Ok(())
    }
}
