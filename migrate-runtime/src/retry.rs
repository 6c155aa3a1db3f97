//! Trying a statement again after a lock timeout, per the revision's `[safety]
//! lock_retries` (docs/safety.md): the same policy on every path a revision takes.
//!
//! - Statement by statement ([`crate::migrator::Migrator::apply_in_pieces`]): the
//!   statements since the last commit run again.
//! - PostgreSQL, revisions sent together in one message: the failing revision was
//!   rolled back alone and the ones before it committed, so the run goes on from
//!   the failing revision ([`Retries::again`], called by the run's loop).
//! - PostgreSQL with the whole run in one transaction
//!   ([`crate::config::TransactionMode::All`]): everything since the transaction
//!   began was rolled back, so the run starts again from its first revision (the
//!   transaction's), the same way.
//! - MySQL/MariaDB, revisions in a group: each DDL statement commits on its own and
//!   one that timed out changed nothing, so the revision goes on from that statement
//!   (`backend/mysql.rs`).
//!
//! Rule: a lock timeout leaves nothing half-done behind (the transaction rolls back;
//! a MariaDB DDL statement that waited for its metadata lock has not started), so
//! running again what it interrupted is safe. After `n` tries the pause is
//! 200 ms × 2ⁿ (at most 12.8 s); when the tries run out the revision fails as any
//! other.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::apply::{ROLLED_BACK, RUN_ROLLED_BACK};
use crate::error::Error;
use crate::run::Step;

/// Whether the database gave up waiting for a lock: PostgreSQL's `lock_not_available`
/// (55P03, `lock_timeout`), MySQL/MariaDB's error 1205 (`lock_wait_timeout`,
/// `innodb_lock_wait_timeout`).
pub(crate) fn is_lock_timeout(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => {
            db.code().as_deref() == Some("55P03")
                // MySQL reports the SQLSTATE (HY000), not the error number.
                || db.message().contains("Lock wait timeout")
        }
        _ => false,
    }
}

/// Whether the database undid the statement to break a deadlock and asks for it to
/// be tried again (SQLSTATE 40001: MySQL/MariaDB's error 1213, which a Galera node
/// also gives a read aborted by a replicated commit; PostgreSQL's
/// `serialization_failure`).
pub(crate) fn is_deadlock(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(db) => db.code().as_deref() == Some("40001"),
        _ => false,
    }
}

/// Waits before try number `tries + 1`, saying why.
pub(crate) async fn pause(revision: &str, step: usize, tries: u32, left: u32, e: &sqlx::Error) {
    tracing::warn!(
        revision = %revision,
        step,
        "lock timeout; trying again ({left} left): {e}"
    );
    tokio::time::sleep(delay(tries)).await;
}

/// The pause before try number `tries + 1`: 200 ms, doubling, at most 12.8 s.
fn delay(tries: u32) -> Duration {
    Duration::from_millis(200 << tries.min(6))
}

/// The tries used so far by each revision of a run whose failures the run's loop
/// retries (revisions sent together).
#[derive(Default)]
pub(crate) struct Retries {
    used: BTreeMap<String, u32>,
}

impl Retries {
    /// Whether revision `step`, which failed with `error`, runs again: the error is
    /// a lock timeout, what it interrupted was rolled back, and the revision has a
    /// try left. Waits the pause first.
    ///
    /// `run_from` is `None` when each revision has its own transaction: the failing
    /// revision must have been rolled back alone (the ones before it are
    /// committed), and the run goes on from it. It is the first revision of the
    /// open transaction when the run shares one (`TransactionMode::All`): the whole
    /// run must have been rolled back, and it starts again from there.
    pub(crate) async fn again(
        &mut self,
        step: &Step,
        error: &Error,
        run_from: Option<&Step>,
    ) -> bool {
        let Error::RevisionFailed {
            revision,
            step: index,
            outcome,
            dirty: false,
            source,
            ..
        } = error
        else {
            return false;
        };
        let rolled_back = match run_from {
            None => ROLLED_BACK,
            Some(_) => RUN_ROLLED_BACK,
        };
        if *revision != step.id || outcome != rolled_back || !is_lock_timeout(source) {
            return false;
        }
        let used = self.used.entry(step.id.clone()).or_default();
        if *used >= step.lock_retries {
            return false;
        }
        let tries = *used;
        *used += 1;
        let left = step.lock_retries - *used;
        match run_from {
            None => pause(&step.id, *index, tries, left, source).await,
            Some(first) => {
                tracing::warn!(
                    revision = %step.id,
                    step = *index,
                    from = %first.id,
                    "lock timeout; the run's transaction was rolled back, trying it again \
                     from revision {} ({left} left): {source}",
                    first.id
                );
                tokio::time::sleep(delay(tries)).await;
            }
        }
        true
    }
}
