//! Throwaway databases for the tests: a temporary SQLite file, or a fresh database on
//! the PostgreSQL / MariaDB server named by `MIGRATE_TEST_POSTGRES_URL` /
//! `MIGRATE_TEST_MYSQL_URL`. Without the variable a test prints SKIP and passes, except
//! under `CI=true`, where a missing server is an error.
//! (Stand-in for `migrate-testkit` until that crate is merged.)

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Connection;

/// The three databases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
    MySql,
}

/// A database that exists for one test.
pub struct TestDb {
    pub kind: Kind,
    pub url: String,
    admin_url: Option<String>,
    name: String,
    _dir: Option<tempfile::TempDir>,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique_name() -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!(
        "mrt_{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst),
        nanos
    )
}

fn server_url(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            if std::env::var("CI").as_deref() == Ok("true") {
                panic!("{var} is not set, but CI=true requires the server tests to run");
            }
            eprintln!("SKIP: {var} is not set; this test needs that server");
            None
        }
    }
}

fn with_path(url: &str, db: &str) -> String {
    let mut u = url::Url::parse(url).expect("server URL parses");
    u.set_path(&format!("/{db}"));
    u.to_string()
}

impl TestDb {
    /// A new empty database, or `None` (after printing SKIP) if its server is not set.
    pub async fn new(kind: Kind) -> Option<TestDb> {
        let name = unique_name();
        match kind {
            Kind::Sqlite => {
                let dir = tempfile::tempdir().unwrap();
                let path = dir.path().join(format!("{name}.db"));
                Some(TestDb {
                    kind,
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    admin_url: None,
                    name,
                    _dir: Some(dir),
                })
            }
            Kind::Postgres => {
                let admin = server_url("MIGRATE_TEST_POSTGRES_URL")?;
                let mut c = sqlx::PgConnection::connect(&admin).await.unwrap();
                sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
                    .execute(&mut c)
                    .await
                    .unwrap();
                c.close().await.unwrap();
                Some(TestDb {
                    kind,
                    url: with_path(&admin, &name),
                    admin_url: Some(admin),
                    name,
                    _dir: None,
                })
            }
            Kind::MySql => {
                let admin = server_url("MIGRATE_TEST_MYSQL_URL")?;
                let mut c = sqlx::MySqlConnection::connect(&admin).await.unwrap();
                sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
                    .execute(&mut c)
                    .await
                    .unwrap();
                c.close().await.unwrap();
                Some(TestDb {
                    kind,
                    url: with_path(&admin, &name),
                    admin_url: Some(admin),
                    name,
                    _dir: None,
                })
            }
        }
    }

    /// Runs one SQL statement and returns the first column of every row as text
    /// (`CAST` in the query where needed).
    pub async fn query_strings(&self, sql: &str) -> Vec<String> {
        match self.kind {
            Kind::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
                let v = sqlx::query_scalar::<_, String>(sql).fetch_all(&mut c).await;
                c.close().await.unwrap();
                v.unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
            Kind::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                let v = sqlx::query_scalar::<_, String>(sql).fetch_all(&mut c).await;
                c.close().await.unwrap();
                v.unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
            Kind::MySql => {
                let mut c = sqlx::MySqlConnection::connect(&self.url).await.unwrap();
                let v = sqlx::query_scalar::<_, String>(sql).fetch_all(&mut c).await;
                c.close().await.unwrap();
                v.unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
        }
    }

    /// Runs SQL text, returning the error message if it fails.
    pub async fn exec(&self, sql: &str) -> Result<(), String> {
        let r = match self.kind {
            Kind::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
                sqlx::raw_sql(sql).execute(&mut c).await.map(|_| ())
            }
            Kind::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                sqlx::raw_sql(sql).execute(&mut c).await.map(|_| ())
            }
            Kind::MySql => {
                let mut c = sqlx::MySqlConnection::connect(&self.url).await.unwrap();
                sqlx::raw_sql(sql).execute(&mut c).await.map(|_| ())
            }
        };
        r.map_err(|e| e.to_string())
    }

    /// Whether a table exists.
    pub async fn has_table(&self, table: &str) -> bool {
        self.exec(&format!("SELECT 1 FROM {table} WHERE 1 = 0"))
            .await
            .is_ok()
    }

    /// Drops the server database (call at the end of a passing test).
    pub async fn drop_db(self) {
        match (self.kind, &self.admin_url) {
            (Kind::Postgres, Some(admin)) => {
                let mut c = sqlx::PgConnection::connect(admin).await.unwrap();
                let _ = sqlx::raw_sql(&format!(
                    "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                    self.name
                ))
                .execute(&mut c)
                .await;
            }
            (Kind::MySql, Some(admin)) => {
                let mut c = sqlx::MySqlConnection::connect(admin).await.unwrap();
                let _ = sqlx::raw_sql(&format!("DROP DATABASE IF EXISTS {}", self.name))
                    .execute(&mut c)
                    .await;
            }
            _ => {}
        }
    }
}
