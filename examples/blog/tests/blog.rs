//! Runs the example binary the way a user would, against fresh databases: SQLite
//! always; PostgreSQL and MariaDB/MySQL when `MIGRATE_TEST_POSTGRES_URL` /
//! `MIGRATE_TEST_MYSQL_URL` name a server (otherwise those tests print `SKIPPED`,
//! and fail under `CI=true`).
//!
//! That the crate builds at all shows its models and `migrations/` agree: drift
//! fails the build.

use std::path::Path;
use std::process::{Command, Output};

use migrate::core::embed::EmbeddedRevision;
use migrate::runtime::Migrator;
use migrate_core::dialect::DialectKind;
use migrate_testkit::{throwaway, TestDb};
use sqlx::Connection;

/// The revisions compiled into the binary, parents first.
const REVISIONS: &[EmbeddedRevision] = migrate::embedded!().revisions;

/// Runs the binary in `dir` with `args` and no `DATABASE_URL`; returns its output
/// after checking it exited 0.
fn run_blog(dir: &Path, args: &[&str]) -> String {
    let output: Output = Command::new(env!("CARGO_BIN_EXE_blog-example"))
        .args(args)
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .output()
        .expect("the blog-example binary starts");
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "blog-example {args:?} failed with {}\nstdout:\n{stdout}\nstderr:\n{stderr}",
        output.status
    );
    stdout
}

/// Runs the binary against `db`'s URL.
fn run_on(db: &TestDb) -> String {
    let dir = std::env::temp_dir();
    run_blog(&dir, &["--database-url", db.url()])
}

/// The id of the embedded revision with `message`.
fn revision_id(message: &str) -> &'static str {
    REVISIONS
        .iter()
        .find(|r| r.message == message)
        .unwrap_or_else(|| panic!("no revision with message {message:?} in migrations/"))
        .id
}

/// Asserts `out` holds `line` as a whole line.
fn assert_line(out: &str, line: &str) {
    assert!(
        out.lines().any(|l| l == line),
        "expected the line\n{line}\nin the output:\n{out}"
    );
}

/// The line a first start prints: every embedded revision, in order.
fn applied_all_line() -> String {
    let ids: Vec<&str> = REVISIONS.iter().map(|r| r.id).collect();
    format!(
        "migrations: applied {} revision(s): {}",
        ids.len(),
        ids.join(", ")
    )
}

/// Runs `sql` on `db` (one statement) and returns the first column of the first row
/// as an integer, or 0 for a statement without rows.
async fn query_i64(db: &TestDb, sql: &str) -> i64 {
    macro_rules! on {
        ($conn:ty) => {{
            let mut conn = <$conn>::connect(db.url()).await.expect("connect");
            let value = sqlx::query_scalar::<_, i64>(sql)
                .fetch_optional(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
                .unwrap_or(0);
            conn.close().await.expect("close");
            value
        }};
    }
    match db.kind() {
        DialectKind::Sqlite => on!(sqlx::SqliteConnection),
        DialectKind::Postgres => on!(sqlx::PgConnection),
        DialectKind::MySql => on!(sqlx::MySqlConnection),
    }
}

/// Runs `sql` on `db` (one statement); its error, if any.
async fn execute(db: &TestDb, sql: &str) -> Result<(), sqlx::Error> {
    macro_rules! on {
        ($conn:ty) => {{
            let mut conn = <$conn>::connect(db.url()).await.expect("connect");
            let result = sqlx::query(sql).execute(&mut conn).await.map(|_| ());
            conn.close().await.expect("close");
            result
        }};
    }
    match db.kind() {
        DialectKind::Sqlite => on!(sqlx::SqliteConnection),
        DialectKind::Postgres => on!(sqlx::PgConnection),
        DialectKind::MySql => on!(sqlx::MySqlConnection),
    }
}

/// A fresh, empty database of `kind`, or `None` when its server is not configured.
///
/// migrate-testkit makes MySQL databases with the `utf8mb4_bin` collation, whose
/// text columns sqlx 0.8 cannot read into `String` (it sees `VARBINARY`; sqlx issue
/// #3387). The blog reads its rows into model structs, so its database uses a
/// case-insensitive collation, as a MySQL server's default does.
async fn fresh_database(kind: DialectKind) -> Option<TestDb> {
    let db = throwaway(kind).await?;
    if kind == DialectKind::MySql {
        query_i64(
            &db,
            "ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
        )
        .await;
    }
    Some(db)
}

/// Two starts on a fresh database: the first applies every revision and writes the
/// first post, the second applies nothing and adds a second post.
async fn two_starts(kind: DialectKind) {
    let Some(db) = fresh_database(kind).await else {
        return;
    };
    let first = run_on(&db);
    assert_line(&first, &applied_all_line());
    // The account's creation time comes from the column's CURRENT_TIMESTAMP default.
    let since = first
        .lines()
        .find_map(|l| l.strip_prefix("user: #1 Alice <alice@example.com>, member since "))
        .unwrap_or_else(|| panic!("no line for Alice in:\n{first}"));
    let since = chrono::NaiveDate::parse_from_str(since, "%Y-%m-%d").expect("a date");
    let today = chrono::Utc::now().date_naive();
    assert!(
        since <= today && today - since <= chrono::Duration::days(1),
        "{since}"
    );
    assert_line(
        &first,
        "  #1 hello-from-run-1 \"Hello from run 1\" by Alice: 1 comment(s)",
    );
    // The unsigned `views` column, counted and read back on each database.
    assert_line(&first, "post #1 read 1 time(s)");
    // The enum `status` column: its default read back into `PostStatus` by sqlx.
    assert_line(&first, "post #1 is Published");
    assert!(
        first.contains("comment: #1 on post #1 by user #2 at ")
            && first.contains(": \"Nice post, Alice!\""),
        "no comment line in:\n{first}"
    );

    let second = run_on(&db);
    assert_line(&second, "migrations: up to date, nothing applied");
    assert!(
        !second.contains("applied 1") && !second.contains("revision(s):"),
        "{second}"
    );
    assert_line(
        &second,
        "  #1 hello-from-run-1 \"Hello from run 1\" by Alice: 1 comment(s)",
    );
    assert_line(
        &second,
        "  #2 hello-from-run-2 \"Hello from run 2\" by Alice: 1 comment(s)",
    );

    // The database agrees with what was printed.
    let head = REVISIONS.last().expect("at least one revision").id;
    let current = Migrator::new(REVISIONS)
        .current(db.url())
        .await
        .expect("current");
    assert_eq!(current, vec![head.to_string()]);
    assert_eq!(query_i64(&db, "SELECT COUNT(*) FROM posts").await, 2);
    assert_eq!(query_i64(&db, "SELECT COUNT(*) FROM comments").await, 2);
    assert_eq!(query_i64(&db, "SELECT COUNT(*) FROM users").await, 2);
    // The enum column refuses a label outside `PostStatus` on every database
    // (PostgreSQL: its type; MySQL: ENUM; SQLite: the CHECK).
    let bad = "UPDATE posts SET status = 'archived' WHERE id = 1";
    assert!(
        execute(&db, bad).await.is_err(),
        "{:?}: 'archived' was stored",
        db.kind()
    );
    if kind == DialectKind::Postgres {
        let types = "SELECT COUNT(*) FROM pg_type WHERE typname = 'post_status' AND typtype = 'e'";
        assert_eq!(query_i64(&db, types).await, 1);
    }
    db.cleanup().await.expect("drop the test database");
}

/// Posts written before slugs existed get one from the hand-written data migration;
/// undoing it empties the column again, and a new start fills it again.
async fn backfill_and_undo(kind: DialectKind) {
    let Some(db) = fresh_database(kind).await else {
        return;
    };
    let migrator = Migrator::new(REVISIONS);
    let add_slug = revision_id("add slug to posts");
    migrator
        .upgrade(db.url(), add_slug)
        .await
        .expect("upgrade to 'add slug to posts'");
    for sql in [
        "INSERT INTO users (email, name) VALUES ('carol@example.com', 'Carol')",
        "INSERT INTO posts (author_id, title, body) VALUES (1, 'My First Post', 'Hi')",
        "INSERT INTO posts (author_id, title, body) VALUES (1, 'My First Post', 'Again')",
    ] {
        query_i64(&db, sql).await;
    }
    assert_eq!(
        query_i64(&db, "SELECT COUNT(*) FROM posts WHERE slug IS NULL").await,
        2
    );

    // The start-up upgrade runs the backfill, then makes slugs required and unique.
    let out = run_on(&db);
    let pending = REVISIONS
        .iter()
        .skip_while(|r| r.id != add_slug)
        .skip(1)
        .count();
    assert!(
        out.contains(&format!(
            "migrations: applied {pending} revision(s): {}",
            revision_id("backfill post slugs")
        )),
        "{out}"
    );
    assert_line(
        &out,
        "  #1 my-first-post-1 \"My First Post\" by Carol: 0 comment(s)",
    );
    assert_line(
        &out,
        "  #2 my-first-post-2 \"My First Post\" by Carol: 0 comment(s)",
    );
    assert_line(
        &out,
        "  #3 hello-from-run-3 \"Hello from run 3\" by Alice: 1 comment(s)",
    );

    // Down to 'add slug to posts': the backfill's downgrade clears every slug.
    let report = migrator
        .downgrade(db.url(), add_slug)
        .await
        .expect("downgrade");
    assert_eq!(report.revisions.len(), pending);
    assert_eq!(
        query_i64(&db, "SELECT COUNT(*) FROM posts WHERE slug IS NULL").await,
        3
    );

    // The next start applies them again; the backfill derives every slug anew.
    let again = run_on(&db);
    assert!(
        again.contains(&format!("migrations: applied {pending} revision(s)")),
        "{again}"
    );
    assert_line(
        &again,
        "  #1 my-first-post-1 \"My First Post\" by Carol: 0 comment(s)",
    );
    assert_line(
        &again,
        "  #3 hello-from-run-3-3 \"Hello from run 3\" by Alice: 1 comment(s)",
    );
    assert_line(
        &again,
        "  #4 hello-from-run-4 \"Hello from run 4\" by Alice: 1 comment(s)",
    );
    assert_eq!(
        query_i64(&db, "SELECT COUNT(*) FROM posts WHERE slug IS NULL").await,
        0
    );
    db.cleanup().await.expect("drop the test database");
}

#[test]
fn sqlite_without_url_creates_blog_db_in_the_current_directory() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let first = run_blog(dir.path(), &[]);
    assert!(
        dir.path().join("blog.db").is_file(),
        "no blog.db after:\n{first}"
    );
    assert_line(&first, "database: sqlite (sqlite://blog.db?mode=rwc)");
    assert_line(&first, &applied_all_line());
    let second = run_blog(dir.path(), &[]);
    assert_line(&second, "migrations: up to date, nothing applied");
    assert_line(
        &second,
        "  #2 hello-from-run-2 \"Hello from run 2\" by Alice: 1 comment(s)",
    );
}

#[tokio::test]
async fn sqlite_two_starts() {
    two_starts(DialectKind::Sqlite).await;
}

#[tokio::test]
async fn postgres_two_starts() {
    two_starts(DialectKind::Postgres).await;
}

#[tokio::test]
async fn mysql_two_starts() {
    two_starts(DialectKind::MySql).await;
}

#[tokio::test]
async fn sqlite_backfill_and_undo() {
    backfill_and_undo(DialectKind::Sqlite).await;
}

#[tokio::test]
async fn postgres_backfill_and_undo() {
    backfill_and_undo(DialectKind::Postgres).await;
}

#[tokio::test]
async fn mysql_backfill_and_undo() {
    backfill_and_undo(DialectKind::MySql).await;
}
