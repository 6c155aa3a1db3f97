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

use std::collections::BTreeSet;
use std::time::Instant;

use crate::backend::{BackendKind, Conn, Handle, NewLogRow};
use crate::config::TransactionMode;
use crate::error::Error;
use crate::graph::Graph;
use crate::migrator::{Migrator, Report, Resolution};
use crate::plan::{Direction, Plan, PlannedRevision};
use crate::render::{Statement, Tracker};
use crate::revision::StoredDowngrade;
use crate::target::Target;
use crate::version::{join_parents, LogRow, RowState};

/// What to do with each revision of a plan.
struct Step {
    id: String,
    message: String,
    statements: Vec<Statement>,
}

impl Step {
    /// Whether a statement must run with SQLite's foreign keys off (a table rebuild).
    fn needs_fk_off(&self) -> bool {
        self.statements.iter().any(|s| s.foreign_keys_off)
    }
}

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
        if let Some(d) = rows.iter().find(|r| r.state.is_dirty()) {
            return Err(Error::Dirty {
                revision: d.revision.clone(),
                step: d.failed_step.unwrap_or(0),
                error: d
                    .error
                    .clone()
                    .unwrap_or_else(|| "no error recorded".into()),
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
                        revision: k.id.clone(),
                        recorded: row.checksum.clone(),
                        embedded: k.checksum.clone(),
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
                Some(k) => k.message.clone(),
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
        self.graph()?;
        let mut conn = handle.acquire().await?;
        let sqlite = conn.kind() == BackendKind::Sqlite;
        let mut fk_off = false;
        if (direction == Direction::Upgrade || sqlite) && !record_only {
            // Up to date: one query, no lock, no DDL.
            let rows = conn.read_log(&self.config).await?.unwrap_or_default();
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
                }
            }
        }
        conn.lock(&self.config, fk_off).await?;
        let result = self
            .locked(&mut conn, direction, target, record_only, fk_off)
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
    ) -> Result<Report, Error> {
        let rows = match conn.read_log(&self.config).await? {
            Some(rows) => rows,
            None => {
                conn.create_tables(&self.config).await?;
                Vec::new()
            }
        };
        let (graph, direction, ids) = self.compute(&rows, direction, target, record_only)?;
        let steps = self
            .steps(conn, &graph, &rows, direction, &ids, record_only)
            .await?;
        if conn.kind() == BackendKind::Sqlite && !fk_off && steps.iter().any(Step::needs_fk_off) {
            return Err(Error::Graph(
                "another process changed the database while this one waited for the lock; \
                 run again"
                    .into(),
            ));
        }
        let mut applied: BTreeSet<String> = rows.iter().map(|r| r.revision.clone()).collect();
        let mut tx = TxState::default();
        let mut done = Vec::new();
        for step in &steps {
            let start = Instant::now();
            match direction {
                Direction::Upgrade => applied.insert(step.id.clone()),
                Direction::Downgrade => applied.remove(&step.id),
            };
            let heads = graph.heads_of(&applied);
            self.apply_step(conn, &mut tx, step, direction, &graph, &heads, record_only)
                .await?;
            let ms = start.elapsed().as_millis() as u64;
            let verb = match (direction, record_only) {
                (_, true) => "stamped",
                (Direction::Upgrade, false) => "applied",
                (Direction::Downgrade, false) => "undone",
            };
            tracing::info!(revision = %step.id, message = %step.message, duration_ms = ms, "revision {verb}");
            done.push(step.id.clone());
        }
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

    /// The log and heads changes for one revision.
    async fn record(
        &self,
        conn: &mut Conn,
        step: &Step,
        direction: Direction,
        graph: &Graph,
        heads: &[String],
        duration_ms: i64,
    ) -> Result<(), Error> {
        match direction {
            Direction::Upgrade => {
                let downgrade = match self.known(&step.id) {
                    Some(k) => StoredDowngrade::to_toml(&k.ops()?.downgrade),
                    None => String::new(),
                };
                let checksum = self
                    .known(&step.id)
                    .map(|k| k.checksum.as_str())
                    .unwrap_or("");
                conn.insert_log(
                    &self.config,
                    NewLogRow {
                        revision: &step.id,
                        parents: join_parents(graph.parents(&step.id)),
                        message: &step.message,
                        checksum,
                        duration_ms,
                        downgrade,
                        state: RowState::Applied,
                    },
                )
                .await?;
            }
            Direction::Downgrade => conn.delete_log(&self.config, &step.id).await?,
        }
        conn.set_heads(&self.config, heads).await
    }

    #[allow(clippy::too_many_arguments)]
    async fn apply_step(
        &self,
        conn: &mut Conn,
        tx: &mut TxState,
        step: &Step,
        direction: Direction,
        graph: &Graph,
        heads: &[String],
        record_only: bool,
    ) -> Result<(), Error> {
        let start = Instant::now();
        let kind = conn.kind();
        let per_revision = self.config.transaction_mode == TransactionMode::PerRevision;
        match kind {
            BackendKind::MySql if !record_only => {
                return self
                    .apply_dirty_tracked(conn, step, direction, graph, heads)
                    .await
            }
            BackendKind::Sqlite => {
                conn.exec("SAVEPOINT migrate_revision")
                    .await
                    .map_err(Error::db("cannot open a savepoint"))?;
                let mut result = Ok(());
                for (i, s) in step.statements.iter().enumerate() {
                    if let Err(e) = conn.exec(&s.sql).await {
                        result = Err((i, e));
                        break;
                    }
                }
                if result.is_ok() && step.needs_fk_off() {
                    let broken = conn.foreign_key_violations().await?;
                    if broken > 0 {
                        let last = step.statements.len() - 1;
                        let msg =
                            format!("{broken} row(s) break a foreign key after this revision");
                        result = Err((last, sqlx::Error::Protocol(msg)));
                    }
                }
                if let Err((i, e)) = result {
                    {
                        let _ = conn.exec("ROLLBACK TO migrate_revision").await;
                        let _ = conn.exec("RELEASE migrate_revision").await;
                        let outcome = if per_revision {
                            let _ = conn.exec("COMMIT").await;
                            "The revision was rolled back; the database is at the previous revision."
                        } else {
                            "The whole run was rolled back."
                        };
                        return Err(failed(step, i, outcome.into(), e));
                    }
                }
                let ms = start.elapsed().as_millis() as i64;
                self.record(conn, step, direction, graph, heads, ms).await?;
                conn.exec("RELEASE migrate_revision")
                    .await
                    .map_err(Error::db("cannot release a savepoint"))?;
            }
            _ => {
                // PostgreSQL (and stamps on MySQL): real transactions.
                let mut escaped = false;
                for (i, s) in step.statements.iter().enumerate() {
                    if s.transactional {
                        tx.begin(conn).await?;
                    } else {
                        tx.commit(conn).await?;
                        escaped = true;
                    }
                    if let Err(e) = conn.exec(&s.sql).await {
                        let rolled_back = tx.in_tx;
                        if rolled_back {
                            let _ = conn.exec("ROLLBACK").await;
                            tx.in_tx = false;
                        }
                        let outcome = match (escaped, per_revision) {
                            (false, true) => "The revision was rolled back; the database is at \
                                              the previous revision."
                                .to_string(),
                            (false, false) => "The whole run was rolled back.".to_string(),
                            (true, _) => "Statements of this revision that ran outside a \
                                          transaction stay applied; the revision is not recorded."
                                .to_string(),
                        };
                        return Err(failed(step, i, outcome, e));
                    }
                }
                tx.begin(conn).await?;
                let ms = start.elapsed().as_millis() as i64;
                if let Err(e) = self.record(conn, step, direction, graph, heads, ms).await {
                    let _ = conn.exec("ROLLBACK").await;
                    tx.in_tx = false;
                    return Err(e);
                }
                if per_revision {
                    tx.commit(conn).await?;
                }
            }
        }
        Ok(())
    }

    /// MySQL: progress is recorded outside transactions so a failure leaves a trace.
    async fn apply_dirty_tracked(
        &self,
        conn: &mut Conn,
        step: &Step,
        direction: Direction,
        graph: &Graph,
        heads: &[String],
    ) -> Result<(), Error> {
        let start = Instant::now();
        let cfg = &self.config;
        match direction {
            Direction::Upgrade => {
                let downgrade = match self.known(&step.id) {
                    Some(k) => StoredDowngrade::to_toml(&k.ops()?.downgrade),
                    None => String::new(),
                };
                let checksum = self
                    .known(&step.id)
                    .map(|k| k.checksum.as_str())
                    .unwrap_or("");
                conn.insert_log(
                    cfg,
                    NewLogRow {
                        revision: &step.id,
                        parents: join_parents(graph.parents(&step.id)),
                        message: &step.message,
                        checksum,
                        duration_ms: 0,
                        downgrade,
                        state: RowState::Dirty,
                    },
                )
                .await?;
            }
            Direction::Downgrade => {
                let note = Some("downgrade in progress".to_string());
                conn.update_log(cfg, &step.id, RowState::Dirty, None, Some(0), note)
                    .await?;
            }
        }
        for (i, s) in step.statements.iter().enumerate() {
            if let Err(e) = conn.exec(&s.sql).await {
                let what = match direction {
                    Direction::Upgrade => "upgrade",
                    Direction::Downgrade => "downgrade",
                };
                let msg = format!("{what} step {}: {e}", i + 1);
                conn.update_log(
                    cfg,
                    &step.id,
                    RowState::Dirty,
                    None,
                    Some(i as i64 + 1),
                    Some(msg),
                )
                .await?;
                let outcome = "MySQL commits DDL on its own: the steps before it stay applied and \
                               the revision is marked dirty; repair by hand, then resolve it."
                    .to_string();
                return Err(failed(step, i, outcome, e));
            }
        }
        let ms = start.elapsed().as_millis() as i64;
        conn.exec("BEGIN")
            .await
            .map_err(Error::db("cannot begin"))?;
        let recorded = async {
            match direction {
                Direction::Upgrade => {
                    conn.update_log(cfg, &step.id, RowState::Applied, Some(ms), None, None)
                        .await?
                }
                Direction::Downgrade => conn.delete_log(cfg, &step.id).await?,
            }
            conn.set_heads(cfg, heads).await
        }
        .await;
        match recorded {
            Ok(()) => conn
                .exec("COMMIT")
                .await
                .map_err(Error::db(format!("cannot record revision {}", step.id))),
            Err(e) => {
                let _ = conn.exec("ROLLBACK").await;
                Err(e)
            }
        }
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
            match resolution {
                Resolution::Applied => {
                    conn.update_log(&self.config, revision, RowState::Applied, None, None, None)
                        .await?
                }
                Resolution::NotApplied => {
                    applied.remove(revision);
                    conn.delete_log(&self.config, revision).await?
                }
            }
            conn.set_heads(&self.config, &graph.heads_of(&applied))
                .await?;
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

fn failed(step: &Step, index: usize, outcome: String, source: sqlx::Error) -> Error {
    Error::RevisionFailed {
        revision: step.id.clone(),
        message: step.message.clone(),
        step: index + 1,
        sql: step.statements[index].sql.clone(),
        outcome,
        source,
    }
}

/// Whether a transaction is open on the run's connection (PostgreSQL, MySQL stamps).
#[derive(Default)]
struct TxState {
    in_tx: bool,
}

impl TxState {
    async fn begin(&mut self, conn: &mut Conn) -> Result<(), Error> {
        if !self.in_tx {
            conn.exec("BEGIN")
                .await
                .map_err(Error::db("cannot begin a transaction"))?;
            self.in_tx = true;
        }
        Ok(())
    }

    async fn commit(&mut self, conn: &mut Conn) -> Result<(), Error> {
        if self.in_tx {
            conn.exec("COMMIT")
                .await
                .map_err(Error::db("cannot commit"))?;
            self.in_tx = false;
        }
        Ok(())
    }
}
