//! Test helper: one "replica" of an application that upgrades its database to head on
//! start-up, as ten copies would when a deployment starts. Exits 0 on success and
//! prints `applied N`.
//!
//! Usage: `migrate-runtime-replica <database-url>`, with optional settings in the
//! environment:
//!
//! - `REPLICA_LOCK`: `auto`, `advisory` or `table` (the lock mode);
//! - `REPLICA_LEASE_MS`: the lock table's lease;
//! - `REPLICA_LOCK_TIMEOUT_MS`: how long to wait for the lock (default: the
//!   runtime's);
//! - `REPLICA_CHAIN=N[:MS]`: the revisions are `revisions::chain(N, MS)` instead of
//!   the three of `revisions::linear`;
//! - `REPLICA_STALL_AFTER=K`: after the K-th revision of its run the process prints
//!   `stalled` and stops moving (no renewal either), to be killed between two
//!   revisions.
//!
//! Each finished revision prints `finished <id>` as it happens.

#[path = "revisions.rs"]
#[allow(dead_code)]
mod revisions;

use std::io::Write;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use migrate_runtime::{LockMode, Migrator, Progress};

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: migrate-runtime-replica <database-url>");
        return ExitCode::from(2);
    };
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let revisions = match env("REPLICA_CHAIN") {
        Some(spec) => {
            let (n, ms) = spec.split_once(':').unwrap_or((&spec, "0"));
            revisions::chain(n.parse().unwrap(), ms.parse().unwrap())
        }
        None => revisions::linear(),
    };
    let mut migrator = Migrator::new(revisions::embed(revisions));
    if let Some(mode) = env("REPLICA_LOCK") {
        migrator = migrator.lock_mode(mode.parse::<LockMode>().unwrap());
    }
    if let Some(ms) = env("REPLICA_LEASE_MS") {
        migrator = migrator.lease(Duration::from_millis(ms.parse().unwrap()));
    }
    if let Some(ms) = env("REPLICA_LOCK_TIMEOUT_MS") {
        migrator = migrator.lock_timeout(Duration::from_millis(ms.parse().unwrap()));
    }
    let stall_after: usize = env("REPLICA_STALL_AFTER").map_or(0, |k| k.parse().unwrap());
    let finished = AtomicUsize::new(0);
    let migrator = migrator.on_progress(move |progress| {
        if let Progress::Finished { id, .. } = progress {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "finished {id}");
            let _ = out.flush();
            if finished.fetch_add(1, Ordering::SeqCst) + 1 == stall_after {
                let _ = writeln!(out, "stalled");
                let _ = out.flush();
                // Blocks the run (a current-thread runtime): it stops between two
                // revisions, holding the lock, until it is killed.
                std::thread::sleep(Duration::from_secs(3600));
            }
        }
    });
    match migrator.upgrade_to_head(&url).await {
        Ok(report) => {
            println!("applied {}", report.revisions.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
