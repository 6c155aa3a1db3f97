//! What a run is given as its database: a URL, a pool the application already has,
//! or a URL connected ahead of the run (`Opened`); and what an error shows of a URL.
//! Server tests skip visibly without their URL.

#[macro_use]
mod common;
#[path = "support/revisions.rs"]
#[allow(dead_code)]
mod revisions;

use common::{marks, Kind, TestDb};
use migrate_runtime::{Direction, Error, Migrator, RowState};
use revisions::{embed, linear, sql, sql_mysql, Rev, A, B, C};

/// A database connected ahead of its runs (`Opened`, as the CLI connects while it
/// reads the revision files): the runs on it are the runs on the URL, and it stays
/// open for more until its owner closes it.
async fn opened_ahead(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let m = Migrator::new(embed(linear()));
    let opened = migrate_runtime::Opened::connect(&db.url, m.config())
        .await
        .unwrap();
    assert!(m.current(&opened).await.unwrap().is_empty());
    assert_eq!(m.upgrade(&opened, "+1").await.unwrap().revisions, [A]);
    assert_eq!(m.upgrade_to_head(&opened).await.unwrap().revisions, [B, C]);
    // The same database as by its URL.
    assert_eq!(m.current(&db.url).await.unwrap(), [C]);
    assert_eq!(marks(&db).await, ["a1", "b2", "c3"]);
    assert_eq!(m.downgrade(&opened, "-1").await.unwrap().revisions, [C]);
    assert!(!db.has_table("posts").await);
    let history = m.history(&opened).await.unwrap();
    let applied: Vec<&str> = history
        .iter()
        .filter(|h| h.state == RowState::Applied)
        .map(|h| h.id.as_str())
        .collect();
    assert_eq!(applied, [A, B], "{history:?}");
    opened.close().await;
    assert_eq!(m.current(&db.url).await.unwrap(), [B]);
    db.drop_db().await;
}
on_all_databases!(opened_ahead);

/// Per-dialect variants of a raw SQL step, and an existing pool as the database.
#[tokio::test]
async fn existing_pool_and_dialect_variant_mysql() {
    let Some(db) = TestDb::new(Kind::MySql).await else {
        return;
    };
    let revs = vec![Rev {
        id: "f6f6f6f6f6f6",
        parents: &[],
        message: "engine",
        body: sql_mysql(
            "upgrade",
            "CREATE TABLE t (x INTEGER)",
            "CREATE TABLE t (x INTEGER) ENGINE=InnoDB",
        ) + &sql("downgrade", "DROP TABLE t"),
    }];
    let pool = sqlx::MySqlPool::connect(&db.url).await.unwrap();
    let m = Migrator::new(embed(revs));
    let plan = m.plan(&pool, Direction::Upgrade, "head").await.unwrap();
    assert!(plan.revisions[0].statements[0].sql.contains("InnoDB"));
    m.upgrade_to_head(&pool).await.unwrap();
    assert_eq!(m.current(&pool).await.unwrap(), ["f6f6f6f6f6f6"]);
    // The pool still works after the run.
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(n, 0);
    pool.close().await;
    db.drop_db().await;
}

/// A password in the URL never shows in an error.
#[tokio::test]
async fn password_is_not_printed() {
    let m = Migrator::new(embed(linear()));
    let err = m
        .upgrade_to_head("postgres://app:hunter2@127.0.0.1:1/app")
        .await
        .unwrap_err();
    let text = format!("{err} {err:?}");
    assert!(matches!(err, Error::Connect { .. }), "{text}");
    assert!(!text.contains("hunter2"), "{text}");
    assert!(text.contains("app:***@127.0.0.1"), "{text}");
    let err = m
        .upgrade_to_head("oracle://u:hunter2@h/db")
        .await
        .unwrap_err();
    assert!(!format!("{err} {err:?}").contains("hunter2"));
}
