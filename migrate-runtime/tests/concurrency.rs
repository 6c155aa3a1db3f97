//! Concurrency: replicas starting at once, the migration lock and its release on
//! every path, on SQLite (a file), PostgreSQL and MariaDB.

#[macro_use]
mod common;
#[path = "support/revisions.rs"]
#[allow(dead_code)]
mod revisions;

use std::time::Duration;

use common::{marks, Kind, TestDb};
use migrate_runtime::{Error, Migrator};
use revisions::{embed, linear, sql, Rev, A, B, C};

/// When the database is up to date, start-up takes no lock: it succeeds at once even
/// while another session holds the migration lock.
async fn up_to_date_takes_no_lock(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let m = Migrator::new(embed(linear())).lock_timeout(Duration::from_secs(1));
    m.upgrade_to_head(&db.url).await.unwrap();
    // Hold the lock from another connection, as a migrating replica would.
    let holder = hold_lock(&db).await;
    let start = std::time::Instant::now();
    assert!(m
        .upgrade_to_head(&db.url)
        .await
        .unwrap()
        .revisions
        .is_empty());
    assert!(start.elapsed() < Duration::from_millis(900));

    // With something to do, the run must wait for the lock and time out clearly.
    let mut more = linear();
    more.push(Rev {
        id: "d4d4d4d4d4d4",
        parents: &[C],
        message: "needs the lock",
        body: sql("upgrade", "INSERT INTO marks (rev) VALUES ('d4')"),
    });
    let err = Migrator::new(embed(more))
        .lock_timeout(Duration::from_secs(1))
        .upgrade_to_head(&db.url)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LockTimeout { .. }), "{err}");
    assert!(err.to_string().contains("migration lock"), "{err}");
    drop(holder);
    db.drop_db().await;
}
on_all_databases!(up_to_date_takes_no_lock);

/// A connection holding the migration lock of `db` (dropping it closes the session).
enum LockHolder {
    #[allow(dead_code)]
    Sqlite(sqlx::SqliteConnection),
    #[allow(dead_code)]
    Postgres(sqlx::PgConnection),
    #[allow(dead_code)]
    MySql(sqlx::MySqlConnection),
}

async fn hold_lock(db: &TestDb) -> LockHolder {
    use sqlx::Connection;
    match db.kind {
        Kind::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
            sqlx::raw_sql("BEGIN IMMEDIATE")
                .execute(&mut c)
                .await
                .unwrap();
            LockHolder::Sqlite(c)
        }
        Kind::Postgres => {
            let mut c = sqlx::PgConnection::connect(&db.url).await.unwrap();
            sqlx::query("SELECT pg_advisory_lock($1)")
                .bind(pg_key("migrate_version"))
                .execute(&mut c)
                .await
                .unwrap();
            LockHolder::Postgres(c)
        }
        Kind::MySql => {
            let mut c = sqlx::MySqlConnection::connect(&db.url).await.unwrap();
            let got: Option<i64> = sqlx::query_scalar(
                "SELECT GET_LOCK(LEFT(CONCAT('migrate:', DATABASE(), ':', 'migrate_version'), 64), 5)",
            )
            .fetch_one(&mut c)
            .await
            .unwrap();
            assert_eq!(got, Some(1));
            LockHolder::MySql(c)
        }
    }
}

/// The runtime's PostgreSQL advisory-lock key (FNV-1a of "migrate:" + table), restated
/// here so the test fails if the key ever changes (old and new binaries must agree).
fn pg_key(table: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in "migrate:".bytes().chain(table.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h as i64
}

/// Ten processes start at once; each revision is applied exactly once.
async fn ten_replicas(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let exe = env!("CARGO_BIN_EXE_migrate-runtime-replica");
    let children: Vec<_> = (0..10)
        .map(|_| {
            tokio::process::Command::new(exe)
                .arg(&db.url)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied_total = 0;
    for child in children {
        let out = child.wait_with_output().await.unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "replica failed: {}{}",
            stdout,
            String::from_utf8_lossy(&out.stderr)
        );
        applied_total += stdout
            .lines()
            .last()
            .unwrap_or_default()
            .trim_start_matches("applied ")
            .parse::<usize>()
            .unwrap();
    }
    assert_eq!(
        applied_total, 3,
        "the three revisions were applied once in total"
    );
    assert_eq!(marks(&db).await, ["a1", "b2", "c3"]);
    let log = db
        .query_strings("SELECT revision FROM migrate_version_log ORDER BY revision")
        .await;
    assert_eq!(log, [A, B, C]);
    db.drop_db().await;
}
on_all_databases!(ten_replicas);

/// A run dropped while it holds the lock (cancelled, as by a panic or a shutdown)
/// frees the lock: its connection is closed, not returned to the pool still locked.
async fn lock_freed_when_run_is_dropped(kind: Kind) {
    if kind == Kind::Sqlite {
        return; // SQLite has no server-side sleep; its lock is a transaction, rolled back on close.
    }
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let sleep = match kind {
        Kind::Postgres => "SELECT pg_sleep(2)",
        _ => "SELECT SLEEP(2)",
    };
    let slow = vec![Rev {
        id: "a0a0a0a0a0a0",
        parents: &[],
        message: "slow",
        body: sql("upgrade", sleep),
    }];
    let slow = embed(slow);
    let m = Migrator::new(slow);
    // Keep the pool open: a lock left on one of its idle connections would block.
    let (pg_pool, my_pool) = match kind {
        Kind::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            let cancelled =
                tokio::time::timeout(Duration::from_millis(500), m.upgrade_to_head(&pool)).await;
            assert!(cancelled.is_err(), "the run was still sleeping");
            (Some(pool), None)
        }
        _ => {
            let pool = sqlx::MySqlPool::connect(&db.url).await.unwrap();
            let cancelled =
                tokio::time::timeout(Duration::from_millis(500), m.upgrade_to_head(&pool)).await;
            assert!(cancelled.is_err(), "the run was still sleeping");
            (None, Some(pool))
        }
    };
    // The revision was sent whole: the server finishes it or abandons it when it
    // notices the client is gone. Either way the lock is freed and the revision is
    // applied and recorded, or not applied at all (on MySQL: reported dirty).
    let next = Migrator::new(slow).lock_timeout(Duration::from_secs(10));
    match next.upgrade_to_head(&db.url).await {
        Ok(report) => {
            assert!(report.revisions.len() <= 1, "{report:?}");
            assert_eq!(next.current(&db.url).await.unwrap(), ["a0a0a0a0a0a0"]);
        }
        Err(err) => {
            assert_eq!(kind, Kind::MySql, "{err}");
            assert!(
                matches!(&err, Error::Dirty { revision, .. } if revision == "a0a0a0a0a0a0"),
                "{err}"
            );
            assert!(err.to_string().contains("interrupted"), "{err}");
        }
    }
    drop((pg_pool, my_pool));
    db.drop_db().await;
}
on_all_databases!(lock_freed_when_run_is_dropped);

/// MySQL records a group of revisions together. A run dropped inside a group leaves
/// every row of the group dirty, because it can no longer tell which ran; the next
/// run stops and names them all, and resolving each lets the rest apply.
#[tokio::test]
async fn interrupted_group_mysql() {
    let Some(db) = TestDb::new(Kind::MySql).await else {
        return;
    };
    let revs = |c_body: &str| {
        embed(vec![
            Rev {
                id: "a0a0a0a0a0a0",
                parents: &[],
                message: "first",
                body: sql("upgrade", "CREATE TABLE first_t (x INTEGER)"),
            },
            Rev {
                id: "b0b0b0b0b0b0",
                parents: &["a0a0a0a0a0a0"],
                message: "slow",
                body: sql("upgrade", "DO SLEEP(2)"),
            },
            Rev {
                id: "c0c0c0c0c0c0",
                parents: &["b0b0b0b0b0b0"],
                message: "third",
                body: sql("upgrade", c_body),
            },
        ])
    };
    let m = Migrator::new(revs("CREATE TABLE third_t (x INTEGER)"));
    let pool = sqlx::MySqlPool::connect(&db.url).await.unwrap();
    let cancelled =
        tokio::time::timeout(Duration::from_millis(500), m.upgrade_to_head(&pool)).await;
    assert!(cancelled.is_err(), "the run was still sleeping");
    pool.close().await;

    let m = m.lock_timeout(Duration::from_secs(10));
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(&err, Error::Dirty { revision, others, .. }
            if revision == "a0a0a0a0a0a0" && others == &["b0b0b0b0b0b0", "c0c0c0c0c0c0"]),
        "{text}"
    );
    assert!(
        text.contains("interrupted") && text.contains("c0c0c0c0c0c0"),
        "{text}"
    );
    assert!(db.has_table("first_t").await);
    assert!(!db.has_table("third_t").await, "the third never started");
    // Checked by hand: the first two ran, the third did not.
    use migrate_runtime::Resolution::{Applied, NotApplied};
    m.resolve_dirty(&db.url, "a0a0a0a0a0a0", Applied)
        .await
        .unwrap();
    m.resolve_dirty(&db.url, "b0b0b0b0b0b0", Applied)
        .await
        .unwrap();
    m.resolve_dirty(&db.url, "c0c0c0c0c0c0", NotApplied)
        .await
        .unwrap();
    let report = m.upgrade_to_head(&db.url).await.unwrap();
    assert_eq!(report.revisions, ["c0c0c0c0c0c0"]);
    assert!(db.has_table("third_t").await);
    assert_eq!(m.current(&db.url).await.unwrap(), ["c0c0c0c0c0c0"]);
    db.drop_db().await;
}
