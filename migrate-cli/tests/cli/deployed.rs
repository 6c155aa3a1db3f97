//! A deployed binary and `cargo migrate` on one project agree on the settings of its
//! `migrate.toml`: the fixture application `tests/deployed-app` sets its own
//! version table (`app_schema_version`) and leaves `legacy_*` tables alone, and its
//! code passes no setting (`Migrator::new(migrate::embedded!())`, `check_embedded`,
//! `run_embedded`). The binary is built once per test run with the real `cargo
//! build` and its build script; each test then alternates the CLI on the files and
//! the binary on one database, and each sees what the other did.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use migrate_core::dialect::DialectKind;
use migrate_testkit::throwaway;
use sqlx::Connection;

use crate::util::build_fixtures;

const FIRST: &str = "1a2b3c4d5e6f";
const SECOND: &str = "2b3c4d5e6f7a";

/// The fixture's project directory (its `migrate.toml`, `migrations/`, `src/`).
fn project_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/deployed-app")
}

/// The fixture binary, built once for the whole test run.
fn deployed_app() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| build_fixtures(&["deployed-app"], &[]).remove(0))
}

/// Runs the deployed binary in an empty directory (no migrate.toml to find).
fn app(args: &[&str]) -> Output {
    let cwd = tempfile::tempdir().unwrap();
    Command::new(deployed_app())
        .args(args)
        .current_dir(cwd.path())
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .output()
        .expect("the deployed binary runs")
}

/// Runs `cargo migrate` in the fixture's project directory.
fn cli(args: &[&str]) -> Output {
    assert_cmd::Command::cargo_bin("cargo-migrate")
        .unwrap()
        .current_dir(project_dir())
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .arg("migrate")
        .args(args)
        .output()
        .unwrap()
}

/// Asserts an exit code; returns stdout.
fn expect(what: &str, out: Output, code: i32) -> String {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs one SQL statement.
async fn exec(kind: DialectKind, url: &str, sql: &str) {
    match kind {
        DialectKind::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
        }
        DialectKind::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
        }
        DialectKind::MySql => {
            let mut c = sqlx::MySqlConnection::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
        }
    }
}

/// The database's tables, sorted.
async fn tables(kind: DialectKind, url: &str) -> Vec<String> {
    let mut names: Vec<String> = match kind {
        DialectKind::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'")
                .fetch_all(&mut c)
                .await
                .unwrap()
        }
        DialectKind::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar(
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = 'public'",
            )
            .fetch_all(&mut c)
            .await
            .unwrap()
        }
        DialectKind::MySql => {
            let mut c = sqlx::MySqlConnection::connect(url).await.unwrap();
            let raw: Vec<Vec<u8>> = sqlx::query_scalar(
                "SELECT CONVERT(table_name USING utf8mb4) FROM information_schema.tables \
                 WHERE table_schema = DATABASE()",
            )
            .fetch_all(&mut c)
            .await
            .unwrap();
            raw.into_iter()
                .map(|b| String::from_utf8(b).unwrap())
                .collect()
        }
    };
    names.retain(|n| !n.starts_with("sqlite_"));
    names.sort();
    names
}

async fn cli_and_deployed_binary_share_the_project_settings(kind: DialectKind) {
    let Some(db) = throwaway(kind).await else {
        return;
    };
    let url = db.url();
    // A table of another application, in the same database: `[tables]` leaves it alone.
    exec(
        kind,
        url,
        "CREATE TABLE legacy_orders (id INTEGER PRIMARY KEY)",
    )
    .await;

    // The CLI on the files applies the first revision...
    expect(
        "cli upgrade",
        cli(&["upgrade", FIRST, "--database-url", url]),
        0,
    );
    // ...the binary finds it in the same version table and applies only the second.
    let started = expect("app start", app(&["start", url]), 0);
    assert_eq!(started.trim(), format!("applied {SECOND}"));
    // The CLI sees what the binary applied.
    let current = expect("cli current", cli(&["current", "--database-url", url]), 0);
    assert!(current.contains(SECOND), "{current}");
    // Neither compares the legacy table nor its own version tables.
    expect("cli check", cli(&["check", "--database-url", url]), 0);
    expect("app check_embedded", app(&["check", url]), 0);
    expect(
        "app migrate check",
        app(&["migrate", "check", "--database-url", url]),
        0,
    );
    // What the models cannot hold is named by the binary's `migrate check` as by the
    // CLI's, and is not drift. (SQLite's one such thing is a table option, which
    // only a table the revisions create could carry.)
    let unheld = match kind {
        DialectKind::Postgres => Some((
            "CREATE AGGREGATE total_of(int) (sfunc = int4pl, stype = int)",
            "aggregate `total_of(integer)`",
        )),
        DialectKind::MySql => Some((
            "CREATE EVENT nightly_purge ON SCHEDULE EVERY 1 DAY DO DELETE FROM legacy_orders",
            "event `nightly_purge`",
        )),
        DialectKind::Sqlite => None,
    };
    if let Some((made, listed)) = unheld {
        exec(kind, url, made).await;
        let out = app(&["migrate", "check", "--database-url", url]);
        let text = String::from_utf8_lossy(&out.stdout).to_string()
            + &String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{text}");
        assert!(
            text.contains("not compared: the database has 1 object(s)") && text.contains(listed),
            "{text}"
        );
    }
    // The binary's own `migrate` command undoes the second; the CLI sees it.
    expect(
        "app migrate downgrade",
        app(&["migrate", "downgrade", "-1", "--database-url", url]),
        0,
    );
    let current = expect("cli current", cli(&["current", "--database-url", url]), 0);
    assert!(
        current.contains(FIRST) && !current.contains(SECOND),
        "{current}"
    );
    let history = expect(
        "app migrate history",
        app(&["migrate", "history", "--database-url", url]),
        0,
    );
    assert!(history.contains(FIRST), "{history}");
    assert_eq!(
        tables(kind, url).await,
        [
            "accounts",
            "app_schema_version",
            "app_schema_version_log",
            "legacy_orders"
        ],
        "no default version table, the notes table undone, the legacy table kept"
    );

    // A hand-made change to a managed table is drift for both.
    exec(kind, url, "CREATE TABLE legacy_x (id INTEGER PRIMARY KEY)").await;
    expect("app start", app(&["start", url]), 0);
    exec(kind, url, "DROP TABLE notes").await;
    let drift = expect("app check_embedded", app(&["check", url]), 1);
    assert!(drift.contains("notes"), "{drift}");
    expect("cli check", cli(&["check", "--database-url", url]), 1);
    expect(
        "app migrate check",
        app(&["migrate", "check", "--database-url", url]),
        1,
    );
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn sqlite_cli_and_deployed_binary_share_the_project_settings() {
    cli_and_deployed_binary_share_the_project_settings(DialectKind::Sqlite).await;
}

#[tokio::test]
async fn postgres_cli_and_deployed_binary_share_the_project_settings() {
    cli_and_deployed_binary_share_the_project_settings(DialectKind::Postgres).await;
}

#[tokio::test]
async fn mysql_cli_and_deployed_binary_share_the_project_settings() {
    cli_and_deployed_binary_share_the_project_settings(DialectKind::MySql).await;
}
