//! Throwaway databases for tests, one per test, so tests run in parallel safely.
//!
//! [`throwaway`] gives a fresh, empty database of the asked kind:
//!
//! - SQLite: a new file in a temporary directory (always available);
//! - PostgreSQL / MySQL: `CREATE DATABASE migrate_test_<unique>` on the server named
//!   by `MIGRATE_TEST_POSTGRES_URL` / `MIGRATE_TEST_MYSQL_URL` (admin URLs), dropped
//!   again when the [`TestDb`] is dropped.
//!
//! When the variable is unset, or the server cannot be reached, the test is skipped:
//! [`throwaway`] prints `SKIPPED: <test>: ...` to stderr and returns `None`. Under
//! CI (`CI` set to anything but `false`/`0`) it panics instead, so a CI run never
//! passes by skipping.
//!
//! ```no_run
//! # async fn t() {
//! use migrate_core::dialect::DialectKind;
//! let Some(db) = migrate_testkit::throwaway(DialectKind::Postgres).await else { return };
//! let pool = sqlx::PgPool::connect(db.url()).await.unwrap();
//! # }
//! ```

mod url;

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use migrate_core::dialect::DialectKind;
use sqlx::Connection;

pub use url::with_database;

/// The admin URL variable for PostgreSQL tests.
pub const POSTGRES_URL_VAR: &str = "MIGRATE_TEST_POSTGRES_URL";
/// The admin URL variable for MySQL/MariaDB tests.
pub const MYSQL_URL_VAR: &str = "MIGRATE_TEST_MYSQL_URL";

/// The variable listing a MariaDB Galera cluster's nodes for tests: comma-separated
/// admin URLs, one per node (`tests/galera/start.sh` prints it).
pub const GALERA_URLS_VAR: &str = "MIGRATE_TEST_GALERA_URLS";

/// A database on a Galera cluster, created through the first node (the cluster
/// replicates it) and dropped again like a [`TestDb`].
#[derive(Debug)]
pub struct ClusterDb {
    /// The database's URL on each node, in the order of the variable.
    pub urls: Vec<String>,
    db: TestDb,
}

impl ClusterDb {
    /// Drops the database now, reporting a failure.
    pub async fn cleanup(self) -> Result<(), sqlx::Error> {
        self.db.cleanup().await
    }
}

/// A fresh database on the Galera cluster of `MIGRATE_TEST_GALERA_URLS`, or `None`
/// (after printing `SKIPPED: ...`) when it is unset or unreachable outside CI.
///
/// # Panics
///
/// Under CI, when the variable is unset or the cluster cannot create the database.
pub async fn throwaway_galera() -> Option<ClusterDb> {
    let admins: Vec<String> = match std::env::var(GALERA_URLS_VAR) {
        Ok(urls) => urls
            .split(',')
            .map(str::trim)
            .filter(|u| !u.is_empty())
            .map(String::from)
            .collect(),
        Err(_) => Vec::new(),
    };
    if admins.is_empty() {
        skip_or_fail(format!(
            "set {GALERA_URLS_VAR} (tests/galera/start.sh starts a cluster and prints it)"
        ));
        return None;
    }
    let name = unique_name();
    if let Err(e) = create_database(DialectKind::MySql, &admins[0], &name).await {
        skip_or_fail(format!(
            "could not create a database on the Galera node {}: {e}",
            admins[0]
        ));
        return None;
    }
    // The other nodes apply the CREATE DATABASE a moment later: wait until each has.
    let urls: Vec<String> = admins.iter().map(|a| with_database(a, &name)).collect();
    for url in &urls {
        let start = std::time::Instant::now();
        loop {
            match sqlx::MySqlConnection::connect(url).await {
                Ok(c) => {
                    let _ = c.close().await;
                    break;
                }
                Err(e) if start.elapsed() > std::time::Duration::from_secs(20) => {
                    skip_or_fail(format!(
                        "the Galera node {url} does not see the test database: {e}"
                    ));
                    return None;
                }
                Err(_) => tokio::time::sleep(std::time::Duration::from_millis(20)).await,
            }
        }
    }
    Some(ClusterDb {
        urls,
        db: TestDb {
            kind: DialectKind::MySql,
            url: with_database(&admins[0], &name),
            name,
            admin_url: Some(admins[0].clone()),
            _dir: None,
            dropped: false,
        },
    })
}

/// A database that exists for one test and is removed afterwards.
#[derive(Debug)]
pub struct TestDb {
    kind: DialectKind,
    url: String,
    name: String,
    admin_url: Option<String>,
    // Keeps the SQLite file's directory alive; removed on drop.
    _dir: Option<tempfile::TempDir>,
    dropped: bool,
}

impl TestDb {
    /// Which database this is.
    pub fn kind(&self) -> DialectKind {
        self.kind
    }

    /// The URL to connect to this database (sqlx syntax).
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The database's name (for SQLite, the file path).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Drops the database now, reporting a failure (dropping the value does the
    /// same but can only print a failure).
    pub async fn cleanup(mut self) -> Result<(), sqlx::Error> {
        self.dropped = true;
        drop_database(self.kind, self.admin_url.as_deref(), &self.name).await
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if self.dropped || self.admin_url.is_none() {
            return;
        }
        let (kind, admin, name) = (self.kind, self.admin_url.clone(), self.name.clone());
        // Drop may run inside a tokio runtime, which must not block: use a thread
        // with a runtime of its own.
        let result = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime to drop the test database");
            rt.block_on(drop_database(kind, admin.as_deref(), &name))
        })
        .join();
        if let Ok(Err(e)) = result {
            eprintln!("warning: could not drop test database {}: {e}", self.name);
        }
    }
}

/// Whether the tests run under CI, where a skipped database test is a failure.
pub fn in_ci() -> bool {
    match std::env::var("CI") {
        Ok(v) => !matches!(v.trim().to_ascii_lowercase().as_str(), "" | "0" | "false"),
        Err(_) => false,
    }
}

/// The admin-URL variable for `kind` (`None` for SQLite, which needs no server).
pub fn url_var(kind: DialectKind) -> Option<&'static str> {
    match kind {
        DialectKind::Postgres => Some(POSTGRES_URL_VAR),
        DialectKind::MySql => Some(MYSQL_URL_VAR),
        DialectKind::Sqlite => None,
    }
}

/// The current test's name, as the test harness names the thread.
fn test_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("<unnamed test>")
        .to_string()
}

/// Skips (prints and returns `None`) or, under CI, panics with `why`.
fn skip_or_fail(why: String) -> Option<TestDb> {
    if in_ci() {
        panic!(
            "{}: {why} (CI is set, so database tests must run)",
            test_name()
        );
    }
    // Written to the stderr handle directly: `eprintln!` would be captured by the
    // test harness and the skip would go unseen.
    let _ = writeln!(std::io::stderr(), "SKIPPED: {}: {why}", test_name());
    None
}

/// A name no other test (in this process or another) uses at the same time.
fn unique_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(
        "migrate_test_{:x}_{:x}_{n}",
        std::process::id(),
        nanos & 0xffff_ffff_ffff
    )
}

/// A fresh, empty database of `kind`, or `None` (after printing `SKIPPED: ...`)
/// when its server is not configured or not reachable outside CI.
///
/// # Panics
///
/// Under CI, when the server's URL variable is unset or the server cannot be
/// reached or refuses to create the database.
pub async fn throwaway(kind: DialectKind) -> Option<TestDb> {
    let name = unique_name();
    let Some(var) = url_var(kind) else {
        let dir = tempfile::Builder::new()
            .prefix("migrate_test_")
            .tempdir()
            .expect("a temporary directory for the SQLite test database");
        let path = dir.path().join(format!("{name}.db"));
        let path_text = path.display().to_string();
        return Some(TestDb {
            kind,
            url: format!("sqlite://{path_text}?mode=rwc"),
            name: path_text,
            admin_url: None,
            _dir: Some(dir),
            dropped: false,
        });
    };
    let admin = match std::env::var(var) {
        Ok(url) if !url.trim().is_empty() => url,
        _ => return skip_or_fail(format!("set {var} to run it")),
    };
    if let Err(e) = create_database(kind, &admin, &name).await {
        return skip_or_fail(format!(
            "could not create a database on the server at {var}={admin}: {e}"
        ));
    }
    let url = with_database(&admin, &name);
    Some(TestDb {
        kind,
        url,
        name,
        admin_url: Some(admin),
        _dir: None,
        dropped: false,
    })
}

/// How many databases [`throwaway_many`] creates at once.
const CREATE_AT_ONCE: usize = 8;

/// How many databases [`cleanup_all`] drops at once, in waves: each PostgreSQL
/// `DROP DATABASE` waits for a checkpoint, and the drops waiting together share
/// one, while a drop started as another ends waits for a checkpoint of its own
/// (measured on the loaded test machine, fifty drops: eight at a time, 42
/// checkpoints, 76 s; all at once, 2 checkpoints, 2 to 7 s; in two waves of 25, 6
/// checkpoints, 45 s). Bounded to leave half of the server's connections (100 by
/// default) to the tests running beside.
const DROP_WAVE: usize = 50;

/// `count` fresh databases of `kind`, created [`CREATE_AT_ONCE`] at a time, or `None` as
/// for [`throwaway`]. For fleet tests: one at a time, each `CREATE DATABASE` waits
/// for the server's disk (PostgreSQL writes its template to the WAL), and fifty
/// took half a minute on a loaded machine; eight at a time share those waits.
///
/// # Panics
///
/// As [`throwaway`].
pub async fn throwaway_many(kind: DialectKind, count: usize) -> Option<Vec<TestDb>> {
    use futures_util::stream::{self, StreamExt};
    // The first alone: a missing server is reported (or skipped) once.
    let first = throwaway(kind).await?;
    let rest: Vec<Option<TestDb>> = stream::iter(1..count)
        .map(|_| throwaway(kind))
        .buffered(CREATE_AT_ONCE)
        .collect()
        .await;
    std::iter::once(Some(first)).chain(rest).collect()
}

/// Drops every database of `dbs`, in waves of [`DROP_WAVE`] started together,
/// reporting the first failure.
pub async fn cleanup_all(dbs: Vec<TestDb>) -> Result<(), sqlx::Error> {
    let mut dbs = dbs.into_iter().peekable();
    while dbs.peek().is_some() {
        let wave = dbs.by_ref().take(DROP_WAVE).map(TestDb::cleanup);
        for result in futures_util::future::join_all(wave).await {
            result?;
        }
    }
    Ok(())
}

async fn create_database(kind: DialectKind, admin: &str, name: &str) -> Result<(), sqlx::Error> {
    match kind {
        DialectKind::Postgres => {
            let mut conn = sqlx::PgConnection::connect(admin).await?;
            sqlx::query(&format!("CREATE DATABASE \"{name}\""))
                .execute(&mut conn)
                .await?;
            conn.close().await
        }
        DialectKind::MySql => {
            let mut conn = sqlx::MySqlConnection::connect(admin).await?;
            sqlx::query(&format!(
                "CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            ))
            .execute(&mut conn)
            .await?;
            conn.close().await
        }
        DialectKind::Sqlite => Ok(()),
    }
}

async fn drop_database(
    kind: DialectKind,
    admin: Option<&str>,
    name: &str,
) -> Result<(), sqlx::Error> {
    let Some(admin) = admin else { return Ok(()) };
    match kind {
        DialectKind::Postgres => {
            let mut conn = sqlx::PgConnection::connect(admin).await?;
            // WITH (FORCE) (PostgreSQL 13+) ends connections a test left open.
            sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
                .execute(&mut conn)
                .await?;
            conn.close().await
        }
        DialectKind::MySql => {
            let mut conn = sqlx::MySqlConnection::connect(admin).await?;
            sqlx::query(&format!("DROP DATABASE IF EXISTS `{name}`"))
                .execute(&mut conn)
                .await?;
            conn.close().await
        }
        DialectKind::Sqlite => Ok(()),
    }
}
