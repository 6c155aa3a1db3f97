//! The lock table: a migration lock that is a row, held with a lease.
//!
//! For databases whose advisory lock is missing or does not cover the whole database
//! (a MariaDB Galera cluster, where `GET_LOCK` is local to one node), and for anyone
//! who asks for it ([`LockMode::Table`](crate::LockMode::Table)). The table
//! `<version table>_lock` has one row (`lock_id = 1`):
//!
//! - `holder`: who holds it (`host/pid/nonce`), `''` when free;
//! - `acquired_ms`, `expires_ms`: the server's clock, in milliseconds since the Unix
//!   epoch, when it was taken and when its lease ends;
//! - `beats`: how often it was renewed (so every renewal changes the row, which MySQL
//!   counts as an affected row).
//!
//! Taking it is one `UPDATE` that succeeds only on a free row or an expired lease, so
//! of several processes (on several cluster nodes) exactly one gets the row; the others
//! poll until it is free, its lease ends, or `lock_timeout` passes. While a run lasts,
//! a second connection renews the lease every third of its length
//! ([`Lease::while_renewed`]); when a renewal finds another holder, or no renewal got
//! through for a whole lease, the lease is lost, and the run stops before its next
//! revision ([`LeaseWatch::check`]). A process killed with `kill -9` stops renewing:
//! the next process takes the row over when the lease ends.
//!
//! The clock is the server's (on a cluster, the clock of the node that writes the
//! row), so processes on hosts whose clocks disagree still agree on the lease.
//! The table has a primary key, as Galera requires of every table it replicates.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::backend::{Conn, Handle, KindSql};
use crate::config::Config;
use crate::error::Error;
use migrate_core::dialect::DialectKind;

/// How often a waiting process tries the lock table again.
const POLL: Duration = Duration::from_millis(100);

/// The shortest lease: a renewal every 100 ms at most.
const MIN_LEASE: Duration = Duration::from_millis(300);

/// A held lease on the lock table's row.
pub(crate) struct Lease {
    holder: String,
    table: String,
    lease: Duration,
    watch: LeaseWatch,
}

/// Whether the lease is still held, as the renewals found it: read by the run before
/// each revision.
#[derive(Clone, Default)]
pub(crate) struct LeaseWatch {
    lost: Arc<Mutex<Option<String>>>,
    /// PostgreSQL: the statement that fails unless this process still holds the
    /// lease, by the server's clock (see [`LeaseWatch::guard`]).
    guard: Option<String>,
}

impl LeaseWatch {
    /// PostgreSQL: a statement that raises an error unless the lock table's row names
    /// this process and its lease has not ended. Each revision's transaction starts
    /// with it, so that the revisions sent in one message are each checked on the
    /// server, as the run checks [`LeaseWatch::check`] before each batch.
    pub(crate) fn guard(&self) -> Option<&str> {
        self.guard.as_deref()
    }

    /// An error if the lease was lost, naming the revision the run stops before.
    pub(crate) fn check(&self, table: &str, next: &str) -> Result<(), Error> {
        match self.lost.lock().map(|g| g.clone()) {
            Ok(None) => Ok(()),
            Ok(Some(reason)) => Err(Error::LeaseLost {
                table: table.to_string(),
                revision: next.to_string(),
                reason,
            }),
            Err(_) => Ok(()),
        }
    }

    fn set_lost(&self, reason: String) {
        if let Ok(mut lost) = self.lost.lock() {
            lost.get_or_insert(reason);
        }
    }
}

/// The statements on the lock table, in each database's words.
struct Sql {
    kind: DialectKind,
    table: String,
}

impl Sql {
    fn new(kind: DialectKind, config: &Config) -> Sql {
        Sql {
            kind,
            table: kind.quote(&config.lock_table()),
        }
    }

    /// The server's clock in milliseconds since the Unix epoch.
    fn now(&self) -> &'static str {
        match self.kind {
            DialectKind::Postgres => "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)",
            DialectKind::MySql => "CAST(UNIX_TIMESTAMP(SYSDATE(3)) * 1000 AS SIGNED)",
            DialectKind::Sqlite => "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)",
        }
    }

    fn create(&self) -> String {
        format!(
            "CREATE TABLE IF NOT EXISTS {} (lock_id INTEGER NOT NULL PRIMARY KEY, \
             holder VARCHAR(255) NOT NULL, acquired_ms BIGINT NOT NULL, \
             expires_ms BIGINT NOT NULL, beats BIGINT NOT NULL)",
            self.table
        )
    }

    /// The free row, unless it is there already.
    fn insert_row(&self) -> String {
        let (verb, tail) = match self.kind {
            DialectKind::Postgres => ("INSERT", " ON CONFLICT DO NOTHING"),
            DialectKind::MySql => ("INSERT IGNORE", ""),
            DialectKind::Sqlite => ("INSERT OR IGNORE", ""),
        };
        format!(
            "{verb} INTO {} (lock_id, holder, acquired_ms, expires_ms, beats) \
             VALUES (1, '', 0, 0, 0){tail}",
            self.table
        )
    }

    fn take(&self, holder: &str, lease: Duration) -> String {
        let now = self.now();
        format!(
            "UPDATE {} SET holder = '{holder}', acquired_ms = {now}, \
             expires_ms = {now} + {ms}, beats = 0 \
             WHERE lock_id = 1 AND (holder = '' OR expires_ms < {now})",
            self.table,
            ms = lease.as_millis()
        )
    }

    /// PostgreSQL's check that `holder` still holds an unexpired lease (see
    /// [`LeaseWatch::guard`]); `None` elsewhere.
    fn guard(&self, holder: &str) -> Option<String> {
        (self.kind == DialectKind::Postgres).then(|| {
            format!(
                "DO $migrate_lease$ BEGIN IF NOT EXISTS (SELECT 1 FROM {table} \
                 WHERE lock_id = 1 AND holder = '{holder}' AND expires_ms > {now}) THEN \
                 RAISE EXCEPTION 'the lease on lock table {name} is no longer held by \
                 {holder}'; END IF; END $migrate_lease$",
                table = self.table,
                now = self.now(),
                name = self.table.replace('\'', "''"),
            )
        })
    }

    fn renew(&self, holder: &str, lease: Duration) -> String {
        format!(
            "UPDATE {} SET expires_ms = {} + {}, beats = beats + 1 \
             WHERE lock_id = 1 AND holder = '{holder}'",
            self.table,
            self.now(),
            lease.as_millis()
        )
    }

    fn release(&self, holder: &str) -> String {
        format!(
            "UPDATE {} SET holder = '', expires_ms = 0 WHERE lock_id = 1 AND holder = '{holder}'",
            self.table
        )
    }

    /// The holder and the milliseconds left of its lease.
    fn status(&self) -> String {
        format!(
            "SELECT {}, expires_ms - {} FROM {} WHERE lock_id = 1",
            self.kind.text("holder"),
            self.now(),
            self.table
        )
    }
}

/// Who this process is, for the `holder` column: host, process id and a nonce that
/// tells two runs of one process apart. Only `[A-Za-z0-9._/-]`, so it can be written
/// into the SQL text.
fn holder_id() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static RUNS: AtomicU64 = AtomicU64::new(0);
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_default();
    let host: String = host
        .trim()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        .take(100)
        .collect();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let run = RUNS.fetch_add(1, Ordering::Relaxed);
    let host = if host.is_empty() { "host" } else { &host };
    format!("{host}/pid-{}/{nanos:08x}-{run}", std::process::id())
}

/// Whether an error only says that another session won a race: a write conflict
/// (Galera's certification failure is reported as a deadlock, 1213/40001;
/// PostgreSQL's serialization failure and deadlock) or a duplicate key or catalog
/// entry while two sessions create the table at once.
fn is_race(e: &sqlx::Error) -> bool {
    let Some(db) = e.as_database_error() else {
        return false;
    };
    let code = db.code().unwrap_or_default();
    race_code(&code) || db.message().contains("Deadlock")
}

/// The SQLSTATEs of losing a race with another replica: a serialization failure or
/// deadlock, and the three ways PostgreSQL reports two concurrent
/// `CREATE TABLE IF NOT EXISTS` (the loser can trip over the table's row type in
/// `pg_type`: `23505`, `42P07` or `42710 type ... already exists`); `23000` is
/// MySQL's duplicate key.
fn race_code(code: &str) -> bool {
    matches!(
        code,
        "40001" | "40P01" | "23505" | "42P07" | "42710" | "23000"
    )
}

impl Lease {
    /// Takes the lock table's row, creating the table if missing, waiting up to
    /// `config.lock_timeout` for another holder to release it or for its lease to end.
    pub(crate) async fn take(conn: &mut Conn, config: &Config) -> Result<Lease, Error> {
        let sql = Sql::new(conn.kind(), config);
        let holder = holder_id();
        let lease = config.lease.max(MIN_LEASE);
        let take = sql.take(&holder, lease);
        let start = Instant::now();
        // An error of a statement on the lock table: on SQLite, a database another
        // connection kept locked for the whole busy timeout (`lock_timeout`) is a
        // lock timeout, as waiting on the row would be.
        let table = config.lock_table();
        let failed = |conn: &Conn, context: String, e: sqlx::Error| {
            if conn.is_busy(&e) {
                Error::LockTimeout {
                    lock: format!(
                        "lock table `{table}`; another connection kept the SQLite database \
                         locked"
                    ),
                    waited: start.elapsed(),
                }
            } else {
                Error::Database { context, source: e }
            }
        };
        let mut created = false;
        loop {
            match conn.exec_count(&take).await {
                Ok(1) => break,
                Ok(_) => {}
                Err(e) if conn.is_missing_table(&e) && !created => {
                    created = true;
                    // Another process may create it at the same moment: its error is
                    // a race, and the next round finds the table.
                    if let Err(e) = conn.exec(&sql.create()).await {
                        if !is_race(&e) {
                            return Err(failed(
                                conn,
                                format!("cannot create the lock table `{table}`"),
                                e,
                            ));
                        }
                    }
                    continue;
                }
                Err(e) if is_race(&e) => {}
                Err(e) => {
                    let context = format!("cannot take the migration lock (lock table `{table}`)");
                    return Err(failed(conn, context, e));
                }
            }
            let status = conn.query_text_int(&sql.status()).await;
            let held_by = match status {
                Ok(Some((holder, left_ms))) => Some((holder, left_ms)),
                Ok(None) => {
                    // The table without its row (its creator stopped in between).
                    if let Err(e) = conn.exec(&sql.insert_row()).await {
                        if !is_race(&e) {
                            let context = format!("cannot write the lock table `{table}`");
                            return Err(failed(conn, context, e));
                        }
                    }
                    continue;
                }
                Err(_) => None,
            };
            if start.elapsed() >= config.lock_timeout {
                let by = match held_by {
                    Some((holder, left)) if left >= 0 => {
                        format!(", held by {holder}, its lease ends in {} ms", left)
                    }
                    Some((holder, _)) => format!(", last held by {holder}"),
                    None => String::new(),
                };
                return Err(Error::LockTimeout {
                    lock: format!("lock table `{}`{by}", config.lock_table()),
                    waited: start.elapsed(),
                });
            }
            tokio::time::sleep(POLL).await;
        }
        tracing::debug!(table = %config.lock_table(), %holder, "lock table taken");
        if conn.kind() == DialectKind::Postgres {
            // The run sends many revisions in one message. Should this process die
            // (kill -9), the server would go on with the message; this makes it check
            // the client every third of the lease and stop, rolling back the revision
            // in progress, well before the lease ends and another process takes over.
            // (PostgreSQL 14 and later; an older server keeps the per-revision guard.)
            let ms = (lease / 3).as_millis().max(1);
            let _ = conn
                .exec(&format!("SET client_connection_check_interval = {ms}"))
                .await;
        }
        Ok(Lease {
            table: config.lock_table(),
            lease,
            watch: LeaseWatch {
                guard: sql.guard(&holder),
                ..LeaseWatch::default()
            },
            holder,
        })
    }

    /// What the run reads before each revision.
    pub(crate) fn watch(&self) -> LeaseWatch {
        self.watch.clone()
    }

    /// Runs `work` while a second connection of `handle` renews the lease every third
    /// of its length. A renewal that finds another holder, or renewals failing for a
    /// whole lease, mark the lease lost (see [`LeaseWatch`]); `work` goes on to its
    /// next check.
    pub(crate) async fn while_renewed<T>(
        &self,
        handle: &Handle,
        kind: DialectKind,
        config: &Config,
        work: impl std::future::Future<Output = T>,
    ) -> T {
        let sql = Sql::new(kind, config);
        let renew = sql.renew(&self.holder, self.lease);
        let beat = self.lease / 3;
        let heartbeat = async {
            let mut conn = None;
            let mut last = Instant::now();
            loop {
                tokio::time::sleep(beat).await;
                if conn.is_none() {
                    // Closed when dropped: the run may end in the middle of a renewal.
                    conn = handle.acquire().await.ok().map(|mut c| {
                        c.close_on_drop();
                        c
                    });
                }
                let result = match conn.as_mut() {
                    Some(c) => c.exec_count(&renew).await.map_err(|e| e.to_string()),
                    None => Err("no connection for the renewal".to_string()),
                };
                match result {
                    Ok(1) => last = Instant::now(),
                    Ok(_) => {
                        self.watch.set_lost(
                            "another process holds the lock table's row now; this run's \
                             lease had ended before it was renewed"
                                .into(),
                        );
                        break;
                    }
                    Err(e) if last.elapsed() >= self.lease => {
                        self.watch.set_lost(format!(
                            "the lease could not be renewed for {:?} (last error: {e})",
                            self.lease
                        ));
                        break;
                    }
                    Err(e) => {
                        tracing::warn!(table = %self.table, error = %e, "lease renewal failed; retrying");
                        conn = None;
                    }
                }
            }
            drop(conn);
            std::future::pending::<()>().await;
        };
        tokio::select! {
            out = work => out,
            () = heartbeat => unreachable!("the heartbeat never ends"),
        }
    }

    /// Frees the row, if it is still this run's.
    pub(crate) async fn release(self, conn: &mut Conn, config: &Config) -> Result<(), Error> {
        let sql = Sql::new(conn.kind(), config);
        conn.exec_count(&sql.release(&self.holder))
            .await
            .map(|_| ())
            .map_err(Error::db(format!(
                "cannot release the migration lock (lock table `{}`)",
                config.lock_table()
            )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holder_ids_are_plain_and_distinct() {
        let (a, b) = (holder_id(), holder_id());
        assert_ne!(a, b);
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | '/')));
        assert!(a.contains(&format!("pid-{}", std::process::id())));
    }
}
