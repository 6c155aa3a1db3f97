//! One run of the migrator: read the log (the only query when up to date), take the
//! lock, re-read, check integrity, then apply or undo each revision with the
//! transaction strategy of the database.
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

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use crate::apply::{StepRun, TxState};
use crate::backend::{BackendKind, Conn, Handle};
use crate::error::Error;
use crate::graph::Graph;
use crate::migrator::{Migrator, Report, Resolution};
use crate::plan::{Direction, Plan, PlannedRevision};
use crate::render::{Statement, Tracker};
use crate::revision::StoredDowngrade;
use crate::target::Target;
use crate::version::{LogRow, RowState};

/// What a run read, planned and rendered before taking the lock.
pub(crate) struct Early {
    rows: Vec<LogRow>,
    graph: Graph,
    direction: Direction,
    steps: Vec<Step>,
}

/// What to do with each revision of a plan.
pub(crate) struct Step {
    pub id: String,
    pub message: String,
    pub statements: Vec<Statement>,
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
    /// Integrity checks, then the ids to apply or undo; also returns the graph with the
    /// log's unknown revisions added.
    fn compute(
        &self,
        rows: &[LogRow],
        direction: Direction,
        target: &Target,
        stamp: bool,
    ) -> Result<(Graph, Direction, Vec<String>), Error> {
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
                None => unknown.push(row.revision.clone()),
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
            return Err(Error::UnknownApplied { revisions: unknown });
        }
        let extra: Vec<(String, Vec<String>)> = rows
            .iter()
            .map(|r| (r.revision.clone(), r.parents.clone()))
            .collect();
        let graph = self.graph()?.with_extra(&extra)?;
        let applied: BTreeSet<String> = rows.iter().map(|r| r.revision.clone()).collect();
        let ids = match direction {
            Direction::Upgrade if stamp => {
                let up = graph.upgrade_plan(&applied, target).unwrap_or_default();
                if up.is_empty() {
                    let down = graph.downgrade_plan(&applied, target)?;
                    return Ok((graph, Direction::Downgrade, down));
                }
                up
            }
            Direction::Upgrade => graph.upgrade_plan(&applied, target)?,
            Direction::Downgrade => graph.downgrade_plan(&applied, target)?,
        };
        Ok((graph, direction, ids))
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
    async fn steps(
        &self,
        conn: &mut Conn,
        graph: &Graph,
        rows: &[LogRow],
        direction: Direction,
        ids: &[String],
        record_only: bool,
    ) -> Result<Vec<Step>, Error> {
        let kind = conn.kind();
        let applied: BTreeSet<String> = rows.iter().map(|r| r.revision.clone()).collect();
        let mut tracker = if record_only {
            None
        } else {
            Some(Tracker::new(self, kind, graph, &applied)?)
        };
        let mut steps = Vec::new();
        for id in ids {
            let known = self.known(id);
            let message = match known {
                Some(k) => k.message.to_string(),
                None => rows
                    .iter()
                    .find(|r| &r.revision == id)
                    .map(|r| r.message.clone())
                    .unwrap_or_default(),
            };
            let statements = match tracker.as_mut() {
                None => Vec::new(),
                Some(tracker) => match (direction, known) {
                    (Direction::Upgrade, Some(k)) => tracker.render(id, &k.ops()?.upgrade)?,
                    (Direction::Downgrade, Some(k)) => tracker.render(id, &k.ops()?.downgrade)?,
                    (Direction::Upgrade, None) => {
                        return Err(Error::UnknownTarget { target: id.clone() })
                    }
                    (Direction::Downgrade, None) => {
                        let text =
                            conn.read_downgrade(&self.config, id)
                                .await?
                                .ok_or_else(|| Error::NoDowngrade {
                                    revision: id.clone(),
                                    reason:
                                        "this binary does not know it and the log has no downgrade"
                                            .into(),
                                })?;
                        tracker.render(id, &StoredDowngrade::from_toml(id, &text)?)?
                    }
                },
            };
            steps.push(Step {
                id: id.clone(),
                message,
                statements,
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
        let sqlite = conn.kind() == BackendKind::Sqlite;
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
            if let Ok((graph, dir, ids)) = self.compute(&rows, direction, target, false) {
                if ids.is_empty() && direction == Direction::Upgrade {
                    tracing::debug!(table = %self.config.log_table(), "database is up to date");
                    conn.release();
                    return Ok(Report {
                        direction,
                        revisions: Vec::new(),
                    });
                }
                if sqlite {
                    // SQLite can switch foreign keys off only before the transaction.
                    let steps = self
                        .steps(&mut conn, &graph, &rows, dir, &ids, false)
                        .await?;
                    fk_off = steps.iter().any(Step::needs_fk_off);
                    early = Some(Early {
                        rows,
                        graph,
                        direction: dir,
                        steps,
                    });
                }
            }
        }
        self.graph()?;
        conn.lock(&self.config, fk_off).await?;
        let result = self
            .locked(&mut conn, direction, target, record_only, fk_off, early)
            .await;
        if conn.kind() == BackendKind::Sqlite {
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
        let unlocked = conn.unlock(&self.config).await;
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
        fk_off: bool,
        early: Option<Early>,
    ) -> Result<Report, Error> {
        let rows = match conn.read_log(&self.config).await? {
            Some(rows) => rows,
            None => {
                conn.create_tables(&self.config).await?;
                Vec::new()
            }
        };
        let (graph, direction, steps) = match early {
            // Nobody changed the log while this run waited for the lock: the plan and
            // the steps made before it still hold.
            Some(early) if early.rows == rows => (early.graph, early.direction, early.steps),
            _ => {
                let (graph, direction, ids) =
                    self.compute(&rows, direction, target, record_only)?;
                let steps = self
                    .steps(conn, &graph, &rows, direction, &ids, record_only)
                    .await?;
                (graph, direction, steps)
            }
        };
        if conn.kind() == BackendKind::Sqlite && !fk_off && steps.iter().any(Step::needs_fk_off) {
            return Err(Error::Graph(
                "another process changed the database while this one waited for the lock; \
                 run again"
                    .into(),
            ));
        }
        let mut applied: BTreeSet<String> = rows.iter().map(|r| r.revision.clone()).collect();
        let mut heads = graph.heads_of(&applied);
        let mut tx = TxState::default();
        // The heads before and after each revision.
        let mut moves = Vec::with_capacity(steps.len());
        for step in &steps {
            let before = heads.clone();
            match direction {
                Direction::Upgrade => {
                    // Its parents stop being heads; it becomes one.
                    let parents = graph.parents(&step.id);
                    heads.retain(|h| !parents.contains(h));
                    heads.push(step.id.clone());
                    applied.insert(step.id.clone());
                }
                Direction::Downgrade => {
                    applied.remove(&step.id);
                    heads = graph.heads_of(&applied);
                }
            }
            moves.push((before, heads.clone()));
        }
        let runs: Vec<StepRun> = steps
            .iter()
            .zip(&moves)
            .enumerate()
            .map(|(i, (step, (before, after)))| StepRun {
                step,
                direction,
                graph: &graph,
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
            done.push(step.id.clone());
        };
        let kind = conn.kind();
        let mut deferred = Vec::new();
        let mut i = 0;
        while i < runs.len() {
            let step = runs[i].step;
            let defers = self.defers_log(kind, step, direction);
            if !defers {
                // It may commit what the run holds: the rows must be in it.
                self.record_deferred(conn, &mut tx, &graph, &mut deferred)
                    .await?;
            }
            // PostgreSQL: this revision and the next ones that run whole go in one
            // message; MySQL: in one group, which shares its bookkeeping.
            let (grouped, most) = match kind {
                BackendKind::Postgres => (step.runs_whole(), usize::MAX),
                BackendKind::MySql => (!record_only && step.runs_whole(), MYSQL_GROUP),
                // SQLite: all that run whole, in one batch through the library.
                BackendKind::Sqlite => (step.runs_whole(), usize::MAX),
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
                    log(run.step, took);
                }
                result?;
                i = end;
                continue;
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
        self.record_deferred(conn, &mut tx, &graph, &mut deferred)
            .await?;
        if tx.in_tx {
            conn.exec("COMMIT")
                .await
                .map_err(Error::db("cannot commit the migration"))?;
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
        let rows = conn.read_log(&self.config).await?.unwrap_or_default();
        let (graph, direction, ids) = self.compute(&rows, direction, target, false)?;
        let steps = self
            .steps(&mut conn, &graph, &rows, direction, &ids, false)
            .await?;
        let backend = conn.kind();
        conn.release();
        Ok(Plan {
            backend,
            direction,
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

    pub(crate) async fn resolve(
        &self,
        handle: &Handle,
        revision: &str,
        resolution: Resolution,
    ) -> Result<(), Error> {
        let graph = self.graph()?;
        let mut conn = handle.acquire().await?;
        conn.lock(&self.config, false).await?;
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
            let extra: Vec<(String, Vec<String>)> = rows
                .iter()
                .map(|r| (r.revision.clone(), r.parents.clone()))
                .collect();
            let graph = graph.with_extra(&extra)?;
            let mut applied: BTreeSet<String> = rows.iter().map(|r| r.revision.clone()).collect();
            let t = self.config.tables();
            let kind = conn.kind().dialect();
            let mut statements = match resolution {
                Resolution::Applied => {
                    vec![t.set_state(kind, revision, RowState::Applied.as_str(), None, None)]
                }
                Resolution::NotApplied => {
                    applied.remove(revision);
                    vec![t.delete_log(kind, revision)]
                }
            };
            statements.extend(t.replace_heads(kind, &graph.heads_of(&applied)));
            conn.exec_all(&statements)
                .await
                .map_err(Error::db(format!("cannot resolve revision {revision}")))?;
            tracing::info!(revision, ?resolution, "dirty revision resolved");
            Ok(())
        }
        .await;
        if conn.kind() == BackendKind::Sqlite {
            let _ = conn
                .exec(if result.is_ok() { "COMMIT" } else { "ROLLBACK" })
                .await;
        }
        let unlocked = conn.unlock(&self.config).await;
        conn.release();
        result?;
        unlocked
    }
}

/// The length of a revision's SQL text.
fn sql_bytes(step: &Step) -> usize {
    step.statements.iter().map(|s| s.sql.len()).sum()
}
