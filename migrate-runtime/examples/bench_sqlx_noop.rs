//! Benchmark helper for `migrate-runtime/benches/apply_500.sh`: the smallest program
//! that runs sqlx's own `Migrator::run` over a directory of `NNNN_name.sql` files, to
//! compare a start-up on an up-to-date database with ours (`bench_apply apply`).
//!
//! ```text
//! bench_sqlx_noop <sqlx-migrations-dir> <url>
//! ```

use std::path::Path;
use std::process::ExitCode;

use sqlx::migrate::Migrator;
use sqlx::Connection;

async fn run(dir: &Path, url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let migrator = Migrator::new(dir).await?;
    if url.starts_with("postgres") {
        let mut conn = sqlx::PgConnection::connect(url).await?;
        migrator.run(&mut conn).await?;
    } else if url.starts_with("mysql") || url.starts_with("mariadb") {
        let mut conn = sqlx::MySqlConnection::connect(url).await?;
        migrator.run(&mut conn).await?;
    } else {
        let mut conn = sqlx::SqliteConnection::connect(url).await?;
        migrator.run(&mut conn).await?;
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, url] = &args[..] else {
        eprintln!("usage: bench_sqlx_noop <sqlx-migrations-dir> <url>");
        return ExitCode::from(2);
    };
    match run(Path::new(dir), url).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
