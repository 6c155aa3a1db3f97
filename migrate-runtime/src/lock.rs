//! The migration lock: one run at a time per database and version table.
//!
//! Two kinds ([`LockMode`]): the database's advisory lock (per database, see
//! [`crate::backend`]: a session advisory lock on PostgreSQL, `GET_LOCK` on MySQL, a
//! write transaction on SQLite), or the lock table with a lease ([`crate::lease`]).
//! [`LockMode::Auto`] takes the advisory lock except on a MariaDB Galera cluster, where
//! `GET_LOCK` holds on one node only. Either is held by the run's own connection,
//! which is closed rather than returned to the pool if the run is dropped or panics,
//! so the server frees an advisory lock on every path (a lease ends on its own). The
//! applied set is re-read after the lock is taken.

use std::time::Duration;

use crate::backend::{Conn, Handle};
use crate::config::{Config, LockMode};
use crate::error::Error;
use crate::lease::{Lease, LeaseWatch};
use migrate_core::dialect::DialectKind;

#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
/// How often a waiting process retries a lock that cannot wait on the server.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(50);

/// The lock a run holds.
pub(crate) enum Held {
    /// The database's advisory lock.
    Advisory,
    /// The lock table's row.
    Lease(Lease),
}

impl Held {
    /// Takes the lock `config.lock_mode` asks for on `conn`. `fk_off` (SQLite only):
    /// turn foreign-key enforcement off for the run, for a table rebuild.
    ///
    /// On SQLite the lock table's row is taken first and then the write
    /// transaction too, which every run there needs: no other process can write,
    /// so none can take the row during the run, and no renewal is needed (nor
    /// possible: a renewal is a write).
    pub(crate) async fn take(
        conn: &mut Conn,
        config: &Config,
        fk_off: bool,
    ) -> Result<Held, Error> {
        // Closed, not returned to the pool, when dropped: it will hold the lock (and
        // on Galera its session settings change).
        conn.close_on_drop();
        let galera = conn.is_galera().await?;
        let table = match config.lock_mode {
            LockMode::Auto => galera,
            LockMode::Table => true,
            LockMode::Advisory if galera => return Err(Error::AdvisoryLockOnGalera),
            LockMode::Advisory => false,
        };
        if !table {
            conn.lock(config, fk_off).await?;
            return Ok(Held::Advisory);
        }
        let lease = Lease::take(conn, config).await?;
        if conn.kind() == DialectKind::Sqlite {
            if let Err(e) = conn.lock(config, fk_off).await {
                let _ = lease.release(conn, config).await;
                return Err(e);
            }
        }
        Ok(Held::Lease(lease))
    }

    /// What the run checks before each revision: `Some` for a lease that can be
    /// lost (not on SQLite, whose write transaction keeps everyone else out).
    pub(crate) fn watch(&self, kind: DialectKind) -> Option<LeaseWatch> {
        match self {
            Held::Lease(lease) if kind != DialectKind::Sqlite => Some(lease.watch()),
            _ => None,
        }
    }

    /// Runs `work` while the lock is held: with a lease (not on SQLite), a second
    /// connection renews it meanwhile.
    pub(crate) async fn during<T>(
        &self,
        handle: &Handle,
        kind: DialectKind,
        config: &Config,
        work: impl std::future::Future<Output = T>,
    ) -> T {
        match self {
            Held::Lease(lease) if kind != DialectKind::Sqlite => {
                lease.while_renewed(handle, kind, config, work).await
            }
            _ => work.await,
        }
    }

    /// Releases the lock. On SQLite the run has ended its write transaction before.
    pub(crate) async fn release(self, conn: &mut Conn, config: &Config) -> Result<(), Error> {
        match self {
            Held::Advisory => conn.unlock(config).await,
            Held::Lease(lease) => {
                let unlocked = if conn.kind() == DialectKind::Sqlite {
                    conn.unlock(config).await
                } else {
                    Ok(())
                };
                let released = lease.release(conn, config).await;
                unlocked.and(released)
            }
        }
    }
}

#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
/// A stable 64-bit key for PostgreSQL's advisory lock, from the version table's name
/// (FNV-1a, so every binary and version computes the same key).
pub(crate) fn lock_key(table: &str) -> i64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in "migrate:".bytes().chain(table.bytes()) {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_is_stable_and_depends_on_the_table() {
        assert_eq!(lock_key("migrate_version"), lock_key("migrate_version"));
        assert_ne!(lock_key("migrate_version"), lock_key("other_version"));
        // Fixed value: changing the hash would let old and new binaries run at once.
        assert_eq!(lock_key(""), -443_523_672_088_442_100);
    }
}
