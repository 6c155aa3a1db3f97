//! Test helper: one "replica" of an application that upgrades its database to head on
//! start-up, as ten copies would when a deployment starts. Exits 0 on success.
//!
//! Usage: `migrate-runtime-replica <database-url>`

#[path = "revisions.rs"]
#[allow(dead_code)]
mod revisions;

use std::process::ExitCode;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: migrate-runtime-replica <database-url>");
        return ExitCode::from(2);
    };
    let migrator = migrate_runtime::Migrator::new(revisions::embed(revisions::linear()));
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
