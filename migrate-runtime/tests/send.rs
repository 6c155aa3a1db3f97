//! The runtime's futures are `Send`: an application can migrate from a spawned task
//! (`tokio::spawn`, a web server's background task), not only from `main`. Each
//! public call runs in a task of its own on SQLite, PostgreSQL and MariaDB, given a
//! URL and given a pool; without `Send` futures this file does not compile.

#[macro_use]
mod common;
#[path = "support/revisions.rs"]
#[allow(dead_code)] // shared with the other tests, which use the rest
mod revisions;

use std::future::Future;
use std::sync::Arc;

use common::{marks, Kind, TestDb};
use migrate_runtime::{Database, Direction, Error, Migrator, Resolution, RowState};
use revisions::{embed, linear, A, B, C};

/// A migrator can be shared between tasks and threads (`Arc<Migrator>`, a `static`).
const _: () = {
    const fn send_and_sync<T: Send + Sync>() {}
    send_and_sync::<Migrator>();
};

/// Runs `work` as its own task, as an application does in the background, and
/// returns its output.
async fn in_task<T: Send + 'static>(work: impl Future<Output = T> + Send + 'static) -> T {
    tokio::spawn(work).await.expect("the task panicked")
}

/// Every public call of the migrator, each in a task of its own, on `db` (a URL or a
/// pool), with the result of each checked.
async fn every_call_in_a_task<D>(test: &TestDb, db: D)
where
    D: Clone + Send + Sync + 'static,
    for<'a> &'a D: Into<Database<'a>>,
{
    let m = Arc::new(Migrator::new(embed(linear())));
    // Each task gets its own handle to the migrator and the database.
    macro_rules! task {
        (|$m:ident, $db:ident| $call:expr) => {{
            let ($m, $db) = (Arc::clone(&m), db.clone());
            in_task(async move { $call.await }).await
        }};
    }

    assert_eq!(task!(|m, db| m.current(&db)).unwrap(), Vec::<String>::new());
    let plan = task!(|m, db| m.plan(&db, Direction::Upgrade, "head")).unwrap();
    let planned: Vec<&str> = plan.revisions.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(planned, [A, B, C]);
    assert!(plan.revisions.iter().all(|r| !r.statements.is_empty()));

    assert_eq!(task!(|m, db| m.upgrade(&db, "+1")).unwrap().revisions, [A]);
    let report = task!(|m, db| m.upgrade_to_head(&db)).unwrap();
    assert_eq!(report.revisions, [B, C]);
    assert_eq!(marks(test).await, ["a1", "b2", "c3"]);
    assert_eq!(task!(|m, db| m.current(&db)).unwrap(), [C]);
    let history = task!(|m, db| m.history(&db)).unwrap();
    let ids: Vec<&str> = history.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, [A, B, C]);
    assert!(history.iter().all(|h| h.state == RowState::Applied));

    let report = task!(|m, db| m.downgrade(&db, A)).unwrap();
    assert_eq!(report.revisions, [C, B]);
    assert_eq!(marks(test).await, ["a1"]);
    assert!(!test.has_table("posts").await);

    // Stamp forward: recorded without running (the `marks` rows stay as they are).
    assert_eq!(task!(|m, db| m.stamp(&db, C)).unwrap().revisions, [B, C]);
    assert_eq!(task!(|m, db| m.current(&db)).unwrap(), [C]);
    assert_eq!(marks(test).await, ["a1"]);

    // A revision an interrupted run left dirty stops the next run until resolved.
    test.exec(&format!(
        "UPDATE migrate_version_log SET state = 'dirty', failed_step = 1 WHERE revision = '{C}'"
    ))
    .await
    .unwrap();
    let err = task!(|m, db| m.upgrade_to_head(&db)).unwrap_err();
    assert!(
        matches!(&err, Error::Dirty { revision, .. } if revision == C),
        "{err}"
    );
    task!(|m, db| m.resolve_dirty(&db, C, Resolution::Applied)).unwrap();
    assert!(task!(|m, db| m.upgrade_to_head(&db))
        .unwrap()
        .revisions
        .is_empty());

    // Purge forgets every recorded revision, changing nothing else.
    let mut forgotten = task!(|m, db| m.purge(&db)).unwrap();
    forgotten.sort();
    assert_eq!(forgotten, [A, B, C]);
    assert_eq!(task!(|m, db| m.current(&db)).unwrap(), Vec::<String>::new());
    assert!(test.has_table("users").await);
}

async fn every_call_with_a_url(kind: Kind) {
    let Some(test) = TestDb::new(kind).await else {
        return;
    };
    every_call_in_a_task(&test, test.url.clone()).await;

    // The fleet's async calls too: targets found by a query, and what each is at.
    let spec = format!("query:{}#SELECT '{}'", test.url, test.url);
    let targets = in_task(async move { migrate_runtime::fleet::discover(&spec).await }).await;
    let targets = targets.unwrap();
    assert_eq!(targets.len(), 1);
    let m = Migrator::new(embed(linear()));
    let target = targets[0].clone();
    let (heads, pending) = in_task(async move { m.heads_and_pending(target.connect_url()).await })
        .await
        .unwrap();
    assert_eq!(
        (heads, pending),
        (
            Vec::<String>::new(),
            vec![A.to_string(), B.into(), C.into()]
        )
    );
    test.drop_db().await;
}
on_all_databases!(every_call_with_a_url);

async fn every_call_with_a_pool(kind: Kind) {
    let Some(test) = TestDb::new(kind).await else {
        return;
    };
    match kind {
        Kind::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&test.url).await.unwrap();
            every_call_in_a_task(&test, pool.clone()).await;
            pool.close().await;
        }
        Kind::Postgres => {
            let pool = sqlx::PgPool::connect(&test.url).await.unwrap();
            every_call_in_a_task(&test, pool.clone()).await;
            pool.close().await;
        }
        Kind::MySql => {
            let pool = sqlx::MySqlPool::connect(&test.url).await.unwrap();
            every_call_in_a_task(&test, pool.clone()).await;
            pool.close().await;
        }
    }
    test.drop_db().await;
}
on_all_databases!(every_call_with_a_pool);
