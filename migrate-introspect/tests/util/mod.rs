//! Helpers for the integration tests: throwaway databases on the three servers and
//! a plain DDL renderer for test schemas.
//!
//! The throwaway databases follow the contract of `migrate-testkit` (admin URLs in
//! `MIGRATE_TEST_POSTGRES_URL` / `MIGRATE_TEST_MYSQL_URL`, a visible skip without
//! them, a failure under CI); they move to that crate once it is merged.

#![allow(dead_code)]

pub mod render;

use std::sync::atomic::{AtomicUsize, Ordering};

use sqlx::Connection;

/// The three databases.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Postgres,
    MySql,
    Sqlite,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Postgres, Kind::MySql, Kind::Sqlite];
}

/// A fresh database, dropped by [`TestDb::cleanup`].
pub struct TestDb {
    pub kind: Kind,
    pub url: String,
    admin_url: String,
    name: String,
    _dir: Option<tempfile::TempDir>,
}

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

/// The library's name for `kind`.
pub fn backend(kind: Kind) -> migrate_introspect::Backend {
    match kind {
        Kind::Postgres => migrate_introspect::Backend::Postgres,
        Kind::MySql => migrate_introspect::Backend::MySql,
        Kind::Sqlite => migrate_introspect::Backend::Sqlite,
    }
}

/// A fresh, empty database of `kind`, or `None` (after printing `SKIPPED`) when the
/// server is not configured; under CI a missing server is a failure.
pub async fn throwaway(kind: Kind, test: &str) -> Option<TestDb> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let name = format!("mi_{}_{}_{}", std::process::id(), n, test.len());
    if kind == Kind::Sqlite {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("db.sqlite");
        return Some(TestDb {
            kind,
            url: format!("sqlite://{}?mode=rwc", path.display()),
            admin_url: String::new(),
            name,
            _dir: Some(dir),
        });
    }
    let var = match kind {
        Kind::Postgres => "MIGRATE_TEST_POSTGRES_URL",
        _ => "MIGRATE_TEST_MYSQL_URL",
    };
    let Ok(admin_url) = std::env::var(var) else {
        if in_ci() {
            panic!("{test}: {var} is not set, and CI needs every database tested");
        }
        eprintln!("SKIPPED: {test} on {kind:?}: set {var} to run it");
        return None;
    };
    let create = format!("CREATE DATABASE {name}");
    let result = match kind {
        Kind::Postgres => match sqlx::PgConnection::connect(&admin_url).await {
            Ok(mut c) => sqlx::query(&create).execute(&mut c).await.map(|_| ()),
            Err(e) => Err(e),
        },
        _ => match sqlx::MySqlConnection::connect(&admin_url).await {
            Ok(mut c) => sqlx::query(&create).execute(&mut c).await.map(|_| ()),
            Err(e) => Err(e),
        },
    };
    if let Err(e) = result {
        if in_ci() {
            panic!("{test}: cannot create a database on {var}: {e}");
        }
        eprintln!("SKIPPED: {test} on {kind:?}: cannot create a database: {e}");
        return None;
    }
    Some(TestDb {
        kind,
        url: with_database(&admin_url, &name),
        admin_url,
        name,
        _dir: None,
    })
}

/// `url` with its database path replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_end = base[scheme_end..]
        .find('/')
        .map(|i| i + scheme_end)
        .unwrap_or(base.len());
    let mut out = format!("{}/{}", &base[..host_end], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

impl TestDb {
    /// Runs each statement in order, panicking with the statement on failure.
    pub async fn execute_all(&self, statements: &[String]) {
        match self.kind {
            Kind::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                for s in statements {
                    sqlx::raw_sql(s)
                        .execute(&mut c)
                        .await
                        .unwrap_or_else(|e| panic!("{s}: {e}"));
                }
            }
            Kind::MySql => {
                let mut c = sqlx::MySqlConnection::connect(&self.url).await.unwrap();
                for s in statements {
                    sqlx::raw_sql(s)
                        .execute(&mut c)
                        .await
                        .unwrap_or_else(|e| panic!("{s}: {e}"));
                }
            }
            Kind::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
                for s in statements {
                    sqlx::raw_sql(s)
                        .execute(&mut c)
                        .await
                        .unwrap_or_else(|e| panic!("{s}: {e}"));
                }
            }
        }
    }

    /// Drops the database.
    pub async fn cleanup(self) {
        let drop = format!("DROP DATABASE IF EXISTS {}", self.name);
        match self.kind {
            Kind::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.admin_url).await.unwrap();
                sqlx::query(&format!("{drop} WITH (FORCE)"))
                    .execute(&mut c)
                    .await
                    .unwrap();
            }
            Kind::MySql => {
                let mut c = sqlx::MySqlConnection::connect(&self.admin_url)
                    .await
                    .unwrap();
                sqlx::query(&drop).execute(&mut c).await.unwrap();
            }
            Kind::Sqlite => {}
        }
    }
}
