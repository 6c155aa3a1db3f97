//! Benchmark helper for `migrate-runtime/benches/apply_500.sh`: measures what batching
//! would save. Applies the per-revision SQL files of `bench_apply gen` (`sqlx-<db>/`)
//! with the same bookkeeping as the runtime (a log row and the heads row per revision),
//! sent in one of three ways:
//!
//! - `trips`: one round trip per statement, as the runtime does today (BEGIN, each DDL,
//!   INSERT log with bound values, DELETE heads, INSERT heads, COMMIT);
//! - `batch`: the same statements of one revision in one multi-statement message
//!   (values as escaped literals), one transaction per revision;
//! - `batch-all`: as `batch`, but one transaction around the whole run.
//!
//! ```text
//! bench_batch <trips|batch|batch-all> <sqlx-migrations-dir> <postgres-or-sqlite-url>
//! ```

use std::path::Path;
use std::process::ExitCode;

use sqlx::Connection;

type BoxError = Box<dyn std::error::Error>;

const SETUP: &str = "CREATE TABLE IF NOT EXISTS bench_log (revision VARCHAR(40) PRIMARY KEY, \
    parents TEXT, message TEXT, checksum TEXT, duration_ms BIGINT, downgrade TEXT, state TEXT); \
    CREATE TABLE IF NOT EXISTS bench_version (version_num VARCHAR(40))";

/// A downgrade text of the size the runtime stores for these revisions.
const DOWNGRADE: &str = "[[downgrade]]\nop = \"drop_index\"\ntable = \"bench_0\"\n\
    index = { name = \"ix_bench_0_c_0\", columns = [{ name = \"c_0\" }] }\n";

fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The run, written once for both connection types (sqlx's bound queries need the
/// concrete database type).
macro_rules! run {
    ($name:ident, $conn:ty, $postgres:expr) => {
async fn $name(conn: &mut $conn, mode: &str, dir: &Path) -> Result<usize, BoxError> {
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<Result<_, _>>()?;
    files.sort();
    let (p1, p2) = if $postgres { ("$1", "$2") } else { ("?1", "?2") };
    sqlx::raw_sql(SETUP).execute(&mut *conn).await?;
    if mode == "batch-all" {
        sqlx::raw_sql("BEGIN").execute(&mut *conn).await?;
    }
    let mut parent = String::new();
    for path in &files {
        let id = path.file_stem().unwrap().to_string_lossy().into_owned();
        let sql = std::fs::read_to_string(path)?;
        match mode {
            "trips" => {
                sqlx::raw_sql("BEGIN").execute(&mut *conn).await?;
                for stmt in sql.split(";\n").filter(|s| !s.trim().is_empty()) {
                    sqlx::raw_sql(stmt).execute(&mut *conn).await?;
                }
                let insert = format!(
                    "INSERT INTO bench_log (revision, parents, message, checksum, duration_ms, \
                     downgrade, state) VALUES ({p1}, {p2}, 'm', 'sha256:0', 1, '{DOWNGRADE}', 'applied')"
                );
                sqlx::query(&insert)
                    .bind(&id)
                    .bind(&parent)
                    .execute(&mut *conn)
                    .await?;
                sqlx::raw_sql("DELETE FROM bench_version")
                    .execute(&mut *conn)
                    .await?;
                sqlx::query(&format!("INSERT INTO bench_version VALUES ({p1})"))
                    .bind(&id)
                    .execute(&mut *conn)
                    .await?;
                sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
            }
            "batch" | "batch-all" => {
                let (begin, commit) = if mode == "batch" {
                    ("BEGIN;\n", "COMMIT;\n")
                } else {
                    ("", "")
                };
                let text = format!(
                    "{begin}{sql}INSERT INTO bench_log (revision, parents, message, checksum, \
                     duration_ms, downgrade, state) VALUES ({}, {}, 'm', 'sha256:0', 1, {}, \
                     'applied');\nDELETE FROM bench_version;\n\
                     INSERT INTO bench_version VALUES ({});\n{commit}",
                    literal(&id),
                    literal(&parent),
                    literal(DOWNGRADE),
                    literal(&id)
                );
                sqlx::raw_sql(&text).execute(&mut *conn).await?;
            }
            other => return Err(format!("unknown mode {other:?}").into()),
        }
        parent = id;
    }
    if mode == "batch-all" {
        sqlx::raw_sql("COMMIT").execute(&mut *conn).await?;
    }
    Ok(files.len())
}
    };
}

run!(run_pg, sqlx::PgConnection, true);
run!(run_sqlite, sqlx::SqliteConnection, false);

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, dir, url] = &args[..] else {
        eprintln!("usage: bench_batch <trips|batch|batch-all> <sqlx-migrations-dir> <url>");
        return ExitCode::from(2);
    };
    let result = async {
        if url.starts_with("postgres") {
            let mut c = sqlx::PgConnection::connect(url).await?;
            run_pg(&mut c, mode, Path::new(dir)).await
        } else {
            let mut c = sqlx::SqliteConnection::connect(url).await?;
            run_sqlite(&mut c, mode, Path::new(dir)).await
        }
    }
    .await;
    match result {
        Ok(n) => {
            println!("applied {n}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
