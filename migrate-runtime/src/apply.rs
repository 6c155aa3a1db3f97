//! Applying or undoing one revision, with the transaction strategy of its database:
//! real transactions on PostgreSQL, savepoints inside the lock's write transaction on
//! SQLite, and dirty tracking on MySQL, whose DDL commits on its own.

use std::time::Instant;

use crate::backend::{BackendKind, Conn, NewLogRow};
use crate::config::TransactionMode;
use crate::error::Error;
use crate::graph::Graph;
use crate::migrator::Migrator;
use crate::plan::Direction;
use crate::revision::StoredDowngrade;
use crate::run::Step;
use crate::version::{join_parents, RowState};

impl Migrator {
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
    pub(crate) async fn apply_step(
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
}

pub(crate) fn failed(step: &Step, index: usize, outcome: String, source: sqlx::Error) -> Error {
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
pub(crate) struct TxState {
    /// Whether `BEGIN` was run and not yet ended.
    pub in_tx: bool,
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
