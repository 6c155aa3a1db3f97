//! PostgreSQL: revisions with steps that must run outside a transaction
//! (`CREATE INDEX CONCURRENTLY`): in the plan, in a one-transaction run, and failing
//! before and after the part that committed.

#[macro_use]
mod common;
#[path = "support/revisions.rs"]
#[allow(dead_code)]
mod revisions;

use common::{marks, Kind, TestDb};
use migrate_runtime::{Direction, Error, Migrator, Resolution, RowState, TransactionMode};
use revisions::{embed, linear, sql, Rev, A};

/// The step that must run outside a transaction, as a revision file writes it.
const CONCURRENTLY: &str = "[[upgrade]]\nop = \"sql\"\n\
    sql = \"CREATE INDEX CONCURRENTLY users_name ON users (name)\"\nno_transaction = true\n\n";
const E5: &str = "e5e5e5e5e5e5";

/// The first revision of [`linear`], then `e5e5e5e5e5e5` ("index concurrently") with
/// `body`.
fn then_e5(body: String) -> Vec<Rev> {
    let mut revs = linear();
    revs.truncate(1);
    revs.push(Rev {
        id: E5,
        parents: &[A],
        message: "index concurrently",
        body,
    });
    revs
}

/// A step flagged `no_transaction` shows in the plan and runs outside the transaction
/// (`CREATE INDEX CONCURRENTLY` fails inside one).
#[tokio::test]
async fn non_transactional_step_in_plan_postgres() {
    let Some(db) = TestDb::new(Kind::Postgres).await else {
        return;
    };
    let revs = then_e5(
        CONCURRENTLY.to_string()
            + &sql("upgrade", "INSERT INTO marks (rev) VALUES ('e5')")
            + &sql("downgrade", "DROP INDEX users_name"),
    );
    let m = Migrator::new(embed(revs));
    let plan = m.plan(&db.url, Direction::Upgrade, "head").await.unwrap();
    assert_eq!(plan.revisions.len(), 2);
    assert!(plan.revisions[0].is_transactional());
    assert!(!plan.revisions[1].is_transactional());
    assert!(!plan.revisions[1].statements[0].transactional);
    let text = plan.to_string();
    assert!(
        text.contains("(runs outside the transaction)\nCREATE INDEX CONCURRENTLY"),
        "{text}"
    );
    m.upgrade_to_head(&db.url).await.unwrap();
    assert_eq!(marks(&db).await, ["a1", "e5"]);
    db.drop_db().await;
}

/// With `TransactionMode::All`, a revision that must run outside a transaction commits
/// what came before it; the heads are right at the end of the run.
#[tokio::test]
async fn non_transactional_revision_in_one_transaction_run_postgres() {
    let Some(db) = TestDb::new(Kind::Postgres).await else {
        return;
    };
    let mut revs = then_e5(CONCURRENTLY.to_string());
    revs.push(Rev {
        id: "f6f6f6f6f6f6",
        parents: &[E5],
        message: "after",
        body: sql("upgrade", "INSERT INTO marks (rev) VALUES ('f6')"),
    });
    let m = Migrator::new(embed(revs)).transaction_mode(TransactionMode::All);
    let report = m.upgrade_to_head(&db.url).await.unwrap();
    assert_eq!(report.revisions.len(), 3);
    assert_eq!(m.current(&db.url).await.unwrap(), ["f6f6f6f6f6f6"]);
    assert_eq!(marks(&db).await, ["a1", "f6"]);
    // Every revision is logged, the one before the commit too.
    let history = m.history(&db.url).await.unwrap();
    let ids: Vec<&str> = history.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, [A, "e5e5e5e5e5e5", "f6f6f6f6f6f6"]);
    assert!(history.iter().all(|h| h.state == RowState::Applied));
    assert_eq!(
        m.downgrade(&db.url, "-1").await.unwrap().revisions,
        ["f6f6f6f6f6f6"]
    );
    assert_eq!(m.current(&db.url).await.unwrap(), ["e5e5e5e5e5e5"]);
    db.drop_db().await;
}

/// A revision with a non-transactional step that fails: before anything was committed
/// it is rolled back; after the concurrent index was built, it is marked dirty with the
/// failing step, and the next run stops until it is resolved.
#[tokio::test]
async fn non_transactional_revision_failing_postgres() {
    let Some(db) = TestDb::new(Kind::Postgres).await else {
        return;
    };
    let with = |body: String| Migrator::new(embed(then_e5(body))).allow_checksum_mismatch([E5]);
    // Step 1 (in a transaction) fails before the index is built: nothing stays.
    let m = with(sql("upgrade", "INSERT INTO no_such_table VALUES (1)") + CONCURRENTLY);
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::RevisionFailed {
                step: 1,
                dirty: false,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("rolled back"), "{err}");
    assert_eq!(m.current(&db.url).await.unwrap(), [A]);
    assert_eq!(m.history(&db.url).await.unwrap().len(), 1);

    // Step 2 fails after the index was committed: dirty.
    let m =
        with(CONCURRENTLY.to_string() + &sql("upgrade", "INSERT INTO no_such_table VALUES (1)"));
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::RevisionFailed {
                step: 2,
                dirty: true,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains("marked dirty"), "{err}");
    let history = m.history(&db.url).await.unwrap();
    let row = history.iter().find(|h| h.id == "e5e5e5e5e5e5").unwrap();
    assert_eq!((row.state, row.failed_step), (RowState::Dirty, Some(2)));
    assert!(matches!(
        m.upgrade_to_head(&db.url).await,
        Err(Error::Dirty { step: 2, .. })
    ));
    db.exec("DROP INDEX users_name").await.unwrap();
    m.resolve_dirty(&db.url, "e5e5e5e5e5e5", Resolution::NotApplied)
        .await
        .unwrap();
    assert_eq!(m.current(&db.url).await.unwrap(), [A]);
    db.drop_db().await;
}

/// An embedded revision whose file says `forms = "online"` (migrate_core::online):
/// its index is built concurrently, with the file's lock timeout set for the
/// session, and a lock timeout is tried again. A reader holds an open transaction
/// on the table, so the first builds time out; the run goes on once it commits.
#[tokio::test]
async fn online_revision_times_out_and_retries_until_the_reader_commits_postgres() {
    let Some(db) = TestDb::new(Kind::Postgres).await else {
        return;
    };
    let people = Rev {
        id: "0101010101a1",
        parents: &[],
        message: "people",
        body: "[[upgrade]]\nop = \"create_table\"\n\n[upgrade.table]\nname = \"people\"\n\
               columns = [{ name = \"id\", type = \"bigint\" }, \
               { name = \"name\", type = \"text\", nullable = true }]\n\
               primary_key = { name = \"pk_people\", columns = [\"id\"] }\n\n"
            .to_string()
            + &sql(
                "upgrade",
                "INSERT INTO people (id, name) SELECT g, 'p' || g FROM generate_series(1, 1000) g",
            ),
    };
    let index = Rev {
        id: "0202020202b2",
        parents: &["0101010101a1"],
        message: "index names",
        body: "[[upgrade]]\nop = \"create_index\"\ntable = \"people\"\n\
               index = { name = \"ix_people_name\", columns = [{ name = \"name\" }] }\n\n\
               [[downgrade]]\nop = \"drop_index\"\ntable = \"people\"\n\
               index = { name = \"ix_people_name\", columns = [{ name = \"name\" }] }\n\n\
               [safety]\nforms = \"online\"\nlock_timeout = \"200ms\"\nlock_retries = 6\n"
            .to_string(),
    };
    let m = Migrator::new(embed(vec![people, index]));
    m.upgrade(&db.url, "0101010101a1").await.unwrap();
    let plan = m.plan(&db.url, Direction::Upgrade, "head").await.unwrap();
    let text = plan.to_string();
    assert!(text.contains("SET lock_timeout = '200ms'"), "{text}");
    assert!(
        text.contains("DROP INDEX CONCURRENTLY IF EXISTS \"ix_people_name\""),
        "{text}"
    );
    assert!(
        text.contains("CREATE INDEX CONCURRENTLY \"ix_people_name\" ON \"people\""),
        "{text}"
    );

    // A reader's open transaction on the table: a concurrent build waits for it.
    use sqlx::Connection;
    let mut reader = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::query("BEGIN").execute(&mut reader).await.unwrap();
    sqlx::query("SELECT count(*) FROM people")
        .execute(&mut reader)
        .await
        .unwrap();
    let hold = tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_millis(900)).await;
        sqlx::query("COMMIT").execute(&mut reader).await.unwrap();
    });
    let started = std::time::Instant::now();
    m.upgrade_to_head(&db.url).await.unwrap();
    hold.await.unwrap();
    // It waited past at least one timeout for the reader, and did not give up.
    assert!(started.elapsed() >= std::time::Duration::from_millis(800));
    assert_eq!(m.current(&db.url).await.unwrap(), ["0202020202b2"]);
    let invalid = db
        .query_strings(
            "SELECT CAST(count(*) AS TEXT) FROM pg_index \
             WHERE indrelid = 'people'::regclass AND NOT indisvalid",
        )
        .await;
    assert_eq!(invalid, ["0"]);
    m.downgrade(&db.url, "0101010101a1").await.unwrap();
    db.drop_db().await;
}
