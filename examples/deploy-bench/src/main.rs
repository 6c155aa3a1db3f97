//! A deployed binary's start-up: `deploy-bench <ours|ours-all|sqlx> <url>` brings the
//! database to the newest embedded revision, with migrate-runtime (revisions embedded
//! by the build script; `ours-all` with `TransactionMode::All`) or with sqlx's
//! `Migrator` (migrations embedded as `sqlx::migrate!()` embeds them).
//! `migrate-runtime/benches/apply_500.sh` builds it with `MIGRATE_BENCH_DATA` pointing
//! at its generated revisions and times it applying them all to an empty database, and
//! starting on an up-to-date one.

use std::borrow::Cow;
use std::process::ExitCode;

use migrate::core::embed::Embedded;
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::Connection;

/// Version, description, SQL and SHA-384 checksum of one sqlx migration.
type SqlxFile = (i64, &'static str, &'static str, &'static [u8]);

mod sqlx_embedded {
    use super::SqlxFile;
    include!(concat!(env!("OUT_DIR"), "/sqlx_embedded.rs"));
}

static EMBEDDED: &Embedded = migrate::embedded!();

/// What `sqlx::migrate!()` expands to, for the files of one database.
fn sqlx_migrator(files: &'static [SqlxFile]) -> Migrator {
    Migrator {
        migrations: Cow::Owned(
            files
                .iter()
                .map(|&(version, description, sql, checksum)| Migration {
                    version,
                    description: Cow::Borrowed(description),
                    migration_type: MigrationType::Simple,
                    sql: Cow::Borrowed(sql),
                    checksum: Cow::Borrowed(checksum),
                    no_tx: false,
                })
                .collect(),
        ),
        ignore_missing: false,
        locking: true,
        no_tx: false,
    }
}

async fn run(who: &str, url: &str) -> Result<(), Box<dyn std::error::Error>> {
    if EMBEDDED.revisions.is_empty() {
        return Err("built without MIGRATE_BENCH_DATA: nothing is embedded".into());
    }
    if who == "ours" || who == "ours-all" {
        let mode = if who == "ours-all" {
            migrate::runtime::TransactionMode::All
        } else {
            migrate::runtime::TransactionMode::PerRevision
        };
        migrate::runtime::Migrator::new(EMBEDDED)
            .transaction_mode(mode)
            .upgrade_to_head(url)
            .await?;
        return Ok(());
    }
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        sqlx_migrator(sqlx_embedded::SQLX_POSTGRES)
            .run(&mut conn)
            .await?;
    } else if url.starts_with("mysql") {
        let mut conn = sqlx::MySqlConnection::connect(url).await?;
        sqlx_migrator(sqlx_embedded::SQLX_MYSQL)
            .run(&mut conn)
            .await?;
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await?;
        sqlx_migrator(sqlx_embedded::SQLX_SQLITE)
            .run(&mut conn)
            .await?;
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (who, url) = match &args[..] {
        [who, url] if ["ours", "ours-all", "sqlx"].contains(&who.as_str()) => {
            (who.as_str(), url.as_str())
        }
        _ => {
            eprintln!("usage: deploy-bench <ours|ours-all|sqlx> <url>");
            return ExitCode::from(2);
        }
    };
    match run(who, url).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
