//! One run of the migrator: read the log (the only query when up to date), take the
//! lock, re-read, check integrity, plan with the one planner
//! (`migrate_core::graph::RevisionGraph`, with the log's unknown revisions added),
//! then apply or undo each revision with the transaction strategy of the database,
//! telling the progress observer as each one finishes.
//!
//! - PostgreSQL: each revision in a transaction (or the whole run, as configured);
//!   a statement flagged non-transactional commits what precedes it and runs alone.
//! - SQLite: the whole run inside the lock's write transaction, each revision in a
//!   savepoint; a failing revision is rolled back to its savepoint and the earlier
//!   ones are committed (or, with [`TransactionMode::All`], everything is rolled back).
//! - MySQL: DDL commits on its own, so the log row is written first as `dirty` and
//!   marked `applied` at the end; a failure records the step and the error.
//!
//! The per-database strategies are in [`crate::apply`].

use migrate_core::dialect::DialectKind;
use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use migrate_core::graph::{LoggedRevision, RevisionGraph, Target};
use migrate_core::online::Policy;

use crate::apply::{StepRun, TxState};
use crate::backend::{Conn, Handle};
use crate::config::TransactionMode;
use crate::error::Error;
use crate::lease::LeaseWatch;
use crate::lock::Held;
use crate::migrator::{Migrator, Report, Resolution};
use crate::plan::{Direction, Plan, PlannedRevision};
use crate::progress::{Progress, ProgressRevision};
use crate::render::{Statement, Tracker};
use crate::retry::Retries;
use crate::revision::StoredDowngrade;
use crate::version::{LogRow, RowState};

/// What a run read, planned and rendered before taking the lock.
pub(crate) struct Early {
    rows: Vec<LogRow>,
    planned: Planned,
    steps: Vec<Step>,
}

/// What a run brings under the lock: whether SQLite's foreign keys were turned off,
/// what it read and planned before, and the lease to check before each revision
/// (the lock table, not on SQLite).
pub(crate) struct UnderLock {
    fk_off: bool,
    early: Option<Early>,
    lease: Option<LeaseWatch>,
}

/// A plan: the graph with the log's unknown revisions added, which way to go, and
/// the revision ids in the order to run them.
pub(crate) struct Planned {
    graph: RevisionGraph,
    direction: Direction,
    ids: Vec<String>,
    /// Unknown revisions whose recorded downgrade cannot be used, and why.
    no_downgrade: BTreeMap<String, String>,
}

/// What to do with each revision of a plan.
pub(crate) struct Step {
    pub id: String,
    pub message: String,
    pub statements: Vec<Statement>,
    /// How often a statement is tried again after a lock timeout (the revision's
    /// `[safety] lock_retries`; see `crate::retry`).
    pub lock_retries: u32,
}

impl Step {
    /// Whether a statement must run with SQLite's foreign keys off (a table rebuild).
    pub(crate) fn needs_fk_off(&self) -> bool {
        self.statements.iter().any(|s| s.foreign_keys_off)
    }

    /// Whether the revision runs as one script: all of it inside a transaction. A
    /// statement that must run outside one (a raw SQL step with `no_transaction =
    /// true`: PostgreSQL's `CREATE INDEX CONCURRENTLY`, SQLite's `VACUUM`) makes it
    /// go statement by statement instead, on every database.
    pub(crate) fn runs_whole(&self) -> bool {
        self.statements.iter().all(|s| s.transactional)
    }
}

/// The most SQL text one PostgreSQL message carries when a run's revisions are
/// sent together: beyond it they go in several messages, so that a long run does
/// not build one huge text, and reports its progress message by message.
const MESSAGE_BYTES: usize = 1 << 20;

/// The most revisions of one MySQL group ([`Migrator::apply_group`]): its two
/// commits are shared by this many revisions, and a process that dies part-way
/// leaves at most this many rows `dirty`.
const MYSQL_GROUP: usize = 16;

impl Migrator {
    /// Integrity checks, then the plan, made by the one planner
    /// (`migrate_core::graph`) on the graph of the known revisions plus the log's
    /// unknown ones (their parents and recorded downgrade).
    async fn compute(
        &self,
        conn: &mut Conn,
        rows: &[LogRow],
        direction: Direction,
        target: &Target,
        stamp: bool,
    ) -> Result<Planned, Error> {
        let mut dirty = rows.iter().filter(|r| r.state.is_dirty());
        if let Some(d) = dirty.next() {
            return Err(Error::Dirty {
                others: dirty.map(|r| r.revision.clone()).collect(),
                revision: d.revision.clone(),
                step: d.failed_step.unwrap_or(0),
                error: d
                    .error
                    .clone()
                    .unwrap_or_else(|| "the run was interrupted before the revision finished; no error was recorded".into()),
            });
        }
        let mut unknown = Vec::new();
        for row in rows {
            match self.known(&row.revision) {
                // A revision a known squash replaced, whose file is gone: the graph
                // counts it through the squash.
                None if self.squashed(&row.revision) => {}
                None => unknown.push(row),
                Some(k)
                    if k.checksum != row.checksum && !self.config.checksum_policy.allows(&k.id) =>
                {
                    return Err(Error::ChecksumMismatch {
                        revision: k.id.to_string(),
                        recorded: row.checksum.clone(),
                        embedded: k.checksum.to_string(),
                    })
                }
                Some(_) => {}
            }
        }
        if !unknown.is_empty()
            && direction == Direction::Upgrade
            && !self.config.allow_unknown_revisions
        {
            return Err(Error::UnknownApplied {
                revisions: unknown.iter().map(|r| r.revision.clone()).collect(),
            });
        }
        // The plan needs only ids and parents. The recorded downgrade of each unknown
        // revision (to undo it, and to know what it did to the schema, which later
        // revisions render on) is read only when the run renders something.
        let as_logged = |row: &LogRow, downgrade| LoggedRevision {
            id: row.revision.clone(),
            parents: row.parents.clone(),
            message: row.message.clone(),
            downgrade,
        };
        let mut graph = self
            .graph()?
            .with_logged(unknown.iter().map(|row| as_logged(row, Vec::new())))?;
        let applied: Vec<String> = rows.iter().map(|r| r.revision.clone()).collect();
        let (direction, ids) = match direction {
            Direction::Upgrade if stamp => stamp_plan(&graph, &applied, target)?,
            Direction::Upgrade => (direction, graph.upgrade_plan(&applied, target)?),
            Direction::Downgrade => (direction, graph.downgrade_plan(&applied, target)?),
        };
        let mut no_downgrade = BTreeMap::new();
        if !ids.is_empty() && !stamp && !unknown.is_empty() {
            let mut logged = Vec::with_capacity(unknown.len());
            for row in unknown {
                let downgrade = match conn.read_downgrade(&self.config, &row.revision).await? {
                    None => {
                        no_downgrade.insert(
                            row.revision.clone(),
                            "this binary does not know it and the log has no downgrade".to_string(),
                        );
                        Vec::new()
                    }
                    Some(text) => match StoredDowngrade::from_toml(&row.revision, &text) {
                        Ok(ops) => ops,
                        Err(e) => {
                            no_downgrade.insert(row.revision.clone(), e.to_string());
                            Vec::new()
                        }
                    },
                };
                logged.push(as_logged(row, downgrade));
            }
            graph = self.graph()?.with_logged(logged)?;
        }
        Ok(Planned {
            graph,
            direction,
            ids,
            no_downgrade,
        })
    }

    /// Whether the log holds exactly the known revisions, unchanged and finished, and
    /// the target is the head(s): then nothing is to do, which is decided without
    /// building the graph (a start-up on an up-to-date database is the common case).
    fn all_applied(&self, rows: &[LogRow], target: &Target) -> bool {
        let to_heads = match target {
            Target::Heads => true,
            Target::Head => self.head_count == 1,
            _ => false,
        };
        // Log rows are unique (primary key), so with no unknown row and as many rows
        // as known revisions, the two sets are equal (two revisions sharing an id
        // make the counts differ, and the slow path reports the invalid graph).
        to_heads
            && rows.len() == self.revisions.len()
            && rows.iter().all(|row| {
                !row.state.is_dirty()
                    && self.known(&row.revision).is_some_and(|k| {
                        k.checksum == row.checksum || self.config.checksum_policy.allows(&k.id)
                    })
            })
    }

    /// The statements of each revision of a plan.
    fn steps(
        &self,
        kind: DialectKind,
        planned: &Planned,
        rows: &[LogRow],
        record_only: bool,
    ) -> Result<Vec<Step>, Error> {
        let (graph, direction) = (&planned.graph, planned.direction);
        let applied: BTreeSet<String> = rows.iter().map(|r| r.revision.clone()).collect();
        let mut tracker = if record_only {
            None
        } else {
            Some(Tracker::new(self, kind, graph, &applied)?)
        };
        let mut steps = Vec::new();
        for id in &planned.ids {
            let known = self.known(id);
            let message = match known {
                Some(k) => k.message.to_string(),
                None => graph.get(id).map(|r| r.message.clone()).unwrap_or_default(),
            };
            let policy = match known {
                Some(k) => k.policy()?,
                None => Policy::default(),
            };
            let statements = match tracker.as_mut() {
                None => Vec::new(),
                Some(tracker) => match (direction, known) {
                    (Direction::Upgrade, Some(k)) => {
                        tracker.render(id, &k.ops()?.upgrade, &policy)?
                    }
                    (Direction::Downgrade, Some(k)) => {
                        tracker.render(id, &k.ops()?.downgrade, &policy)?
                    }
                    (Direction::Upgrade, None) => {
                        return Err(Error::UnknownTarget { target: id.clone() })
                    }
                    (Direction::Downgrade, None) => {
                        if let Some(reason) = planned.no_downgrade.get(id) {
                            return Err(Error::NoDowngrade {
                                revision: id.clone(),
                                reason: reason.clone(),
                            });
                        }
                        let logged = graph.get(id).map(|r| r.downgrade.as_slice());
                        tracker.render(id, logged.unwrap_or_default(), &policy)?
                    }
                },
            };
            steps.push(Step {
                id: id.clone(),
                message,
                statements,
                lock_retries: policy.lock_retries,
            });
        }
        Ok(steps)
    }

    /// A run: fast path, then the locked part, releasing the lock on every path.
    pub(crate) async fn run(
        &self,
        handle: &Handle,
        direction: Direction,
        target: &Target,
        record_only: bool,
    ) -> Result<Report, Error> {
        let mut conn = handle.acquire().await?;
        let sqlite = conn.kind() == DialectKind::Sqlite;
        let mut fk_off = false;
        let mut early = None;
        if (direction == Direction::Upgrade || sqlite) && !record_only {
            // Up to date: one query, no lock, no DDL.
            if direction == Direction::Upgrade {
                let brief = conn.read_log_brief(&self.config).await?;
                if self.all_applied(&brief.unwrap_or_default(), target) {
                    tracing::debug!(table = %self.config.log_table(), "database is up to date");
                    conn.release();
                    return Ok(Report {
                        direction,
                        revisions: Vec::new(),
                    });
                }
            }
            let rows = conn.read_log(&self.config).await?.unwrap_or_default();
            self.graph()?;
            if let Ok(planned) = self
                .compute(&mut conn, &rows, direction, target, false)
                .await
            {
                if planned.ids.is_empty() && direction == Direction::Upgrade {
                    tracing::debug!(table = %self.config.log_table(), "database is up to date");
                    conn.release();
                    return Ok(Report {
                        direction,
                        revisions: Vec::new(),
                    });
                }
                if sqlite {
                    // SQLite can switch foreign keys off only before the transaction.
                    let steps = self.steps(conn.kind(), &planned, &rows, false)?;
                    fk_off = steps.iter().any(Step::needs_fk_off);
                    early = Some(Early {
                        rows,
                        planned,
                        steps,
                    });
                }
            }
        }
        self.graph()?;
        let held = Held::take(&mut conn, &self.config, fk_off).await?;
        let kind = conn.kind();
        let watch = held.watch(kind);
        let work = self.locked(
            &mut conn,
            direction,
            target,
            record_only,
            UnderLock {
                fk_off,
                early,
                lease: watch,
            },
        );
        let result = held.during(handle, kind, &self.config, work).await;
        if conn.kind() == DialectKind::Sqlite {
            // The lock is the write transaction: keep what the run committed.
            let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
            if let Err(e) = conn.exec(end).await {
                if result.is_ok() {
                    return Err(Error::Database {
                        context: "cannot commit the migration".into(),
                        source: e,
                    });
                }
            }
        }
        let unlocked = held.release(&mut conn, &self.config).await;
        conn.release();
        let report = result?;
        unlocked?;
        Ok(report)
    }

    async fn locked(
        &self,
        conn: &mut Conn,
        direction: Direction,
        target: &Target,
        record_only: bool,
        held: UnderLock,
    ) -> Result<Report, Error> {
        let UnderLock {
            fk_off,
            early,
            lease,
        } = held;
        let (rows, had_log) = match conn.read_log(&self.config).await? {
            Some(rows) => (rows, true),
            None => {
                conn.create_tables(&self.config).await?;
                (Vec::new(), false)
            }
        };
        let (planned, steps) = match early {
            // Nobody changed the log while this run waited for the lock: the plan and
            // the steps made before it still hold.
            Some(early) if early.rows == rows => (early.planned, early.steps),
            _ => {
                let planned = self
                    .compute(conn, &rows, direction, target, record_only)
                    .await?;
                let steps = self.steps(conn.kind(), &planned, &rows, record_only)?;
                (planned, steps)
            }
        };
        let (graph, direction) = (&planned.graph, planned.direction);
        let applied: Vec<String> = rows.iter().map(|r| r.revision.clone()).collect();
        let mut heads = graph.applied_heads(&applied)?;
        if let (Some(first), true) = (steps.first(), had_log) {
            // The heads move from where the log says they are (see `crate::heads`).
            self.check_heads(conn, graph, &heads, &first.id).await?;
        }
        if !steps.is_empty() {
            self.observer.send(|| Progress::Planned {
                direction,
                revisions: steps
                    .iter()
                    .map(|s| ProgressRevision {
                        id: s.id.clone(),
                        parents: graph.parents(&s.id).to_vec(),
                        message: s.message.clone(),
                    })
                    .collect(),
            });
        }
        if conn.kind() == DialectKind::Sqlite && !fk_off && steps.iter().any(Step::needs_fk_off) {
            return Err(Error::Graph(
                "another process changed the database while this one waited for the lock; \
                 run again"
                    .into(),
            ));
        }
        let mut tx = TxState {
            lease_guard: lease.as_ref().and_then(|l| l.guard().map(str::to_string)),
            ..TxState::default()
        };
        // The heads before and after each revision, as the planner moves them.
        let ids: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
        let after_each = match direction {
            Direction::Upgrade => graph.heads_after_upgrades(&heads, &ids)?,
            Direction::Downgrade => {
                let mut after_each = Vec::with_capacity(ids.len());
                let mut at = heads.clone();
                for id in &ids {
                    at = graph.heads_after_downgrade(&at, id)?;
                    after_each.push(at.clone());
                }
                after_each
            }
        };
        let mut moves = Vec::with_capacity(steps.len());
        for after in after_each {
            let mut before = heads.clone();
            // A database that ran a squashed range before the squash existed has the
            // range's last id in its head table where the graph sees the squash.
            for head in &heads {
                before.extend(graph.replaces(head).iter().cloned());
            }
            heads = after;
            moves.push((before, heads.clone()));
        }
        let runs: Vec<StepRun> = steps
            .iter()
            .zip(&moves)
            .enumerate()
            .map(|(i, (step, (before, after)))| StepRun {
                step,
                direction,
                graph,
                heads_before: before,
                heads: after,
                record_only,
                next: steps.get(i + 1),
            })
            .collect();
        let verb = match (direction, record_only) {
            (_, true) => "stamped",
            (Direction::Upgrade, false) => "applied",
            (Direction::Downgrade, false) => "undone",
        };
        let mut done = Vec::new();
        let mut log = |step: &Step, took: Duration| {
            let ms = took.as_millis() as u64;
            tracing::info!(revision = %step.id, message = %step.message, duration_ms = ms, "revision {verb}");
            self.observer.send(|| Progress::Finished {
                id: step.id.clone(),
                took,
            });
            done.push(step.id.clone());
        };
        let kind = conn.kind();
        let mut deferred = Vec::new();
        let mut retries = Retries::default();
        // PostgreSQL with the whole run in one transaction: the revisions done in the
        // open transaction are told once it commits (a failure rolls them back), and
        // a lock timeout starts the run again from `tx_from`, the transaction's first
        // revision, while nothing since then was committed (see `crate::retry`).
        let one_tx =
            kind == DialectKind::Postgres && self.config.transaction_mode == TransactionMode::All;
        let mut uncommitted: Vec<(&Step, Duration)> = Vec::new();
        let mut tx_from = Some(0);
        let mut i = 0;
        while i < runs.len() {
            let step = runs[i].step;
            if let Some(lease) = &lease {
                if let Err(lost) = lease.check(&self.config.lock_table(), &step.id) {
                    if tx.in_tx {
                        let _ = conn.exec("ROLLBACK").await;
                    }
                    return Err(lost);
                }
            }
            let defers = self.defers_log(kind, step, direction);
            if !defers {
                // It may commit what the run holds: the rows must be in it.
                self.record_deferred(conn, &mut tx, graph, &mut deferred)
                    .await?;
            }
            // PostgreSQL: this revision and the next ones that run whole go in one
            // message, under a lease too: each revision's transaction starts by
            // checking on the server that this process still holds the lease
            // (`TxState::lease_guard`), so a lease lost mid-message stops the run
            // before the next revision as the check here does. MySQL: in one group,
            // which shares its bookkeeping; under a lease, one revision at a time
            // (its DDL commits on its own, so nothing can check inside a group), so
            // the lease is checked before each.
            let (grouped, most) = match kind {
                DialectKind::Postgres => (step.runs_whole(), usize::MAX),
                DialectKind::MySql => (!record_only && step.runs_whole(), MYSQL_GROUP),
                // SQLite: all that run whole, in one batch through the library.
                DialectKind::Sqlite => (step.runs_whole(), usize::MAX),
            };
            let most = if lease.is_some() && kind != DialectKind::Postgres {
                1
            } else {
                most
            };
            if grouped {
                let mut end = i + 1;
                let mut bytes = sql_bytes(step);
                while end < runs.len() && end - i < most && runs[end].step.runs_whole() {
                    bytes += sql_bytes(runs[end].step);
                    if bytes > MESSAGE_BYTES {
                        break;
                    }
                    end += 1;
                }
                let (durations, result) = self.apply_batch(conn, &mut tx, &runs[i..end]).await;
                let n_done = durations.len();
                let finished = Instant::now();
                // The later revisions of the message took this long after each.
                let mut after: Duration = durations.iter().sum();
                for (run, took) in runs[i..end].iter().zip(durations) {
                    after = after.saturating_sub(took);
                    if defers {
                        deferred.push((
                            run.step,
                            took,
                            finished.checked_sub(after).unwrap_or(finished),
                        ));
                    }
                    if one_tx {
                        uncommitted.push((run.step, took));
                    } else {
                        log(run.step, took);
                    }
                }
                // After a lock timeout the failing revision was rolled back alone:
                // go on from it; in one transaction, the whole run was: start it
                // again.
                let failed_at = i + n_done;
                let from = if one_tx { tx_from } else { Some(failed_at) };
                let again = match (&result, runs.get(failed_at), from) {
                    (Err(e), Some(run), Some(from)) => {
                        let first = one_tx.then(|| runs[from].step);
                        retries.again(run.step, e, first).await
                    }
                    _ => false,
                };
                if let (true, Some(from)) = (again, from) {
                    if one_tx {
                        uncommitted.clear();
                        deferred.clear();
                    }
                    i = from;
                    continue;
                }
                result?;
                i = end;
                continue;
            }
            if one_tx {
                // It commits what the run holds before its first statement, and
                // what it runs outside the transaction cannot be rolled back: a
                // later lock timeout is not retried from the run's start.
                for (step, took) in uncommitted.drain(..) {
                    log(step, took);
                }
                tx_from = None;
            }
            let start = Instant::now();
            self.apply_step(conn, &mut tx, &runs[i]).await?;
            let took = start.elapsed();
            if defers {
                deferred.push((step, took, Instant::now()));
            }
            log(step, took);
            i += 1;
        }
        self.record_deferred(conn, &mut tx, graph, &mut deferred)
            .await?;
        if tx.in_tx {
            conn.exec("COMMIT")
                .await
                .map_err(Error::db("cannot commit the migration"))?;
        }
        for (step, took) in uncommitted.drain(..) {
            log(step, took);
        }
        Ok(Report {
            direction,
            revisions: done,
        })
    }

    pub(crate) async fn make_plan(
        &self,
        handle: &Handle,
        direction: Direction,
        target: &Target,
    ) -> Result<Plan, Error> {
        self.graph()?;
        let mut conn = handle.acquire().await?;
        conn.read_what_the_cluster_committed().await?;
        let rows = conn.read_log(&self.config).await?.unwrap_or_default();
        let planned = self
            .compute(&mut conn, &rows, direction, target, false)
            .await?;
        let steps = self.steps(conn.kind(), &planned, &rows, false)?;
        let backend = conn.kind();
        conn.release();
        Ok(Plan {
            backend,
            direction: planned.direction,
            revisions: steps
                .into_iter()
                .map(|s| PlannedRevision {
                    id: s.id,
                    message: s.message,
                    statements: s.statements,
                })
                .collect(),
        })
    }

    /// Forgets every recorded revision, under the lock the runs take (the lock
    /// table where they take it: the advisory lock would not keep them out).
    pub(crate) async fn purge_records(&self, handle: &Handle) -> Result<Vec<String>, Error> {
        let mut conn = handle.acquire().await?;
        let held = Held::take(&mut conn, &self.config, false).await?;
        let result = async {
            // No version tables yet: nothing is recorded.
            let Some(rows) = conn.read_log(&self.config).await? else {
                return Ok::<_, Error>(Vec::new());
            };
            let mut forgotten = conn.read_heads(&self.config).await?;
            let t = self.config.tables();
            let kind = conn.kind();
            let mut statements = t.replace_heads(kind, &[]);
            for row in &rows {
                statements.push(t.delete_log(kind, &row.revision));
                if !forgotten.contains(&row.revision) {
                    forgotten.push(row.revision.clone());
                }
            }
            conn.exec_all(&statements)
                .await
                .map_err(Error::db("cannot purge the version table"))?;
            tracing::info!(?forgotten, "version table purged");
            Ok(forgotten)
        }
        .await;
        end_locked(conn, held, &self.config, result).await
    }

    pub(crate) async fn resolve(
        &self,
        handle: &Handle,
        revision: &str,
        resolution: Resolution,
    ) -> Result<(), Error> {
        let graph = self.graph()?;
        let mut conn = handle.acquire().await?;
        let held = Held::take(&mut conn, &self.config, false).await?;
        let result = async {
            let rows = conn.read_log(&self.config).await?.unwrap_or_default();
            if !rows
                .iter()
                .any(|r| r.revision == revision && r.state.is_dirty())
            {
                return Err(Error::NotDirty {
                    revision: revision.to_string(),
                });
            }
            let logged = rows.iter().map(|r| LoggedRevision {
                id: r.revision.clone(),
                parents: r.parents.clone(),
                message: r.message.clone(),
                downgrade: Vec::new(),
            });
            let graph = graph.with_logged(logged.collect::<Vec<_>>())?;
            let mut applied: Vec<String> = rows.iter().map(|r| r.revision.clone()).collect();
            let t = self.config.tables();
            let kind = conn.kind();
            let mut statements = match resolution {
                Resolution::Applied => {
                    vec![t.set_state(kind, revision, RowState::Applied.as_str(), None, None)]
                }
                Resolution::NotApplied => {
                    applied.retain(|id| id != revision);
                    vec![t.delete_log(kind, revision)]
                }
            };
            statements.extend(t.replace_heads(kind, &graph.applied_heads(&applied)?));
            conn.exec_all(&statements)
                .await
                .map_err(Error::db(format!("cannot resolve revision {revision}")))?;
            tracing::info!(revision, ?resolution, "dirty revision resolved");
            Ok(())
        }
        .await;
        end_locked(conn, held, &self.config, result).await
    }
}

/// Ends a short piece of work done under the lock (`purge`, `resolve`): on SQLite
/// the write transaction is committed, or rolled back if the work failed; then the
/// lock is released and the connection returned. The work's error comes first.
async fn end_locked<T>(
    mut conn: Conn,
    held: Held,
    config: &crate::config::Config,
    result: Result<T, Error>,
) -> Result<T, Error> {
    if conn.kind() == DialectKind::Sqlite {
        let _ = conn
            .exec(if result.is_ok() { "COMMIT" } else { "ROLLBACK" })
            .await;
    }
    let unlocked = held.release(&mut conn, config).await;
    conn.release();
    let value = result?;
    unlocked?;
    Ok(value)
}

/// The length of a revision's SQL text.
fn sql_bytes(step: &Step) -> usize {
    step.statements.iter().map(|s| s.sql.len()).sum()
}

/// The plan of a stamp, which records the target whichever way it lies: forward when
/// something is pending towards it, back when it is behind the database (`base`,
/// `-N`, an applied revision). A target the planner refuses (several heads, an unknown
/// id) is an error, never an empty stamp.
fn stamp_plan(
    graph: &RevisionGraph,
    applied: &[String],
    target: &Target,
) -> Result<(Direction, Vec<String>), Error> {
    let back = matches!(target, Target::Relative(n) if *n < 0);
    if !back {
        let up = graph.upgrade_plan(applied, target)?;
        if !up.is_empty() || matches!(target, Target::Head | Target::Heads) {
            return Ok((Direction::Upgrade, up));
        }
    }
    Ok((Direction::Downgrade, graph.downgrade_plan(applied, target)?))
}
