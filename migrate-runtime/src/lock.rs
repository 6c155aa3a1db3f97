//! The migration lock: one run at a time per database and version table.
//!
//! Per database (see [`crate::backend`]): a session advisory lock on PostgreSQL,
//! `GET_LOCK` on MySQL, a write transaction on SQLite. All three are held by the run's
//! own connection, which is closed rather than returned to the pool if the run is
//! dropped or panics, so the server frees the lock on every path. The applied set is
//! re-read after the lock is taken.

use std::time::Duration;

#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
/// How often a waiting process retries a lock that cannot wait on the server.
pub(crate) const POLL_INTERVAL: Duration = Duration::from_millis(50);

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
