//! Test databases: `migrate_testkit`'s throwaway databases (a temporary SQLite file, or
//! a fresh database on the server named by `MIGRATE_TEST_POSTGRES_URL` /
//! `MIGRATE_TEST_MYSQL_URL`; skipped visibly without it unless `CI=true`), plus the
//! few queries the tests make to check what the runtime did.

// Each test file uses its own part of these.
#![allow(dead_code, unused_macros)]

use migrate_core::dialect::DialectKind;
use sqlx::Connection;

/// The three databases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
    MySql,
}

/// A database that exists for one test (a `migrate_testkit` throwaway database).
pub struct TestDb {
    pub kind: Kind,
    pub url: String,
    db: migrate_testkit::TestDb,
}

impl TestDb {
    /// A new empty database, or `None` (after printing SKIPPED) if its server is not
    /// set; under `CI=true` a missing server is a failure.
    pub async fn new(kind: Kind) -> Option<TestDb> {
        let dialect = match kind {
            Kind::Sqlite => DialectKind::Sqlite,
            Kind::Postgres => DialectKind::Postgres,
            Kind::MySql => DialectKind::MySql,
        };
        let db = migrate_testkit::throwaway(dialect).await?;
        Some(TestDb {
            kind,
            url: db.url().to_string(),
            db,
        })
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
                // Decoded as bytes: the testkit's `utf8mb4_bin` columns read as VARBINARY.
                let mut c = sqlx::MySqlConnection::connect(&self.url).await.unwrap();
                let v = sqlx::query_scalar::<_, Vec<u8>>(sql)
                    .fetch_all(&mut c)
                    .await;
                c.close().await.unwrap();
                let v = v.unwrap_or_else(|e| panic!("{sql}: {e}"));
                v.into_iter()
                    .map(|b| String::from_utf8(b).unwrap())
                    .collect()
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
        self.db.cleanup().await.unwrap();
    }
}

/// Runs `scenario` once per database, as three tests.
macro_rules! on_all_databases {
    ($scenario:ident) => {
        mod $scenario {
            use super::*;

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$scenario(Kind::Sqlite).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                super::$scenario(Kind::Postgres).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn mysql() {
                super::$scenario(Kind::MySql).await
            }
        }
    };
}

/// The ids the revisions of [`crate::revisions::linear`] wrote to `marks`, sorted.
pub async fn marks(db: &TestDb) -> Vec<String> {
    db.query_strings("SELECT rev FROM marks ORDER BY rev").await
}
