//! The execution layer's corner cases, through the path a deployed binary takes
//! (`Migrator` on embedded revisions): a revision without operations after others
//! (MySQL groups), a parse error in a later revision (PostgreSQL one-message batches),
//! a failure after others in one batch (and the session's settings after a run),
//! a step that must run outside a transaction on SQLite, and a refused connection.

#[macro_use]
mod common;
#[path = "support/revisions.rs"]
#[allow(dead_code)]
mod revisions;

use std::time::{Duration, Instant};

use common::{marks, Kind, TestDb};
use migrate_runtime::{Error, Migrator, RowState};
use revisions::{embed, linear, sql, Rev, A, B, C};

const EMPTY: &str = "e0e0e0e0e0e0";
const BROKEN: &str = "b0b0b0b0b0b0";
const VACUUM: &str = "fafafafafafa";
const AFTER: &str = "afafafafafaf";

/// The first revision of [`linear`], then `rev`.
fn first_then(rev: Rev) -> Vec<Rev> {
    let mut revs = linear();
    revs.truncate(1);
    revs.push(rev);
    revs
}

/// Revision [`BROKEN`] after `parents`: step 1 marks `b0`, step 2 is `failing`.
fn broken(parents: &'static [&'static str], message: &'static str, failing: &str) -> Rev {
    Rev {
        id: BROKEN,
        parents,
        message,
        body: sql("upgrade", "INSERT INTO marks (rev) VALUES ('b0')")
            + &sql("upgrade", failing)
            + &sql("downgrade", "DELETE FROM marks WHERE rev = 'b0'"),
    }
}

/// A revision without operations (a merge, or an untouched template) pending after
/// another one is applied in the same run, and recorded applied.
async fn empty_revision_after_others(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let m = Migrator::new(embed(first_then(Rev {
        id: EMPTY,
        parents: &[A],
        message: "nothing yet",
        body: String::new(),
    })));
    let report = m.upgrade_to_head(&db.url).await.unwrap();
    assert_eq!(report.revisions, [A, EMPTY]);
    assert_eq!(m.current(&db.url).await.unwrap(), [EMPTY]);
    let history = m.history(&db.url).await.unwrap();
    assert!(history.iter().all(|h| h.state == RowState::Applied));
    assert_eq!(marks(&db).await, ["a1"]);
    // And back down over it.
    m.downgrade(&db.url, "base").await.unwrap();
    assert!(m.current(&db.url).await.unwrap().is_empty());
    db.drop_db().await;
}
on_all_databases!(empty_revision_after_others);

/// A revision whose second step is not valid SQL, pending after one that is fine: the
/// error names the broken revision and its step, and the revision before it stays
/// applied (PostgreSQL parses a whole message before running any of it).
async fn syntax_error_after_others(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let m = Migrator::new(embed(first_then(broken(
        &[A],
        "broken syntax",
        "CREATE TABLE (",
    ))));
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(&err, Error::RevisionFailed { revision, step: 2, sql, .. }
            if revision == BROKEN && sql == "CREATE TABLE ("),
        "{text}"
    );
    assert!(db.has_table("marks").await, "{text}");
    // The error says whether the revision was left dirty (MySQL: step 1 committed).
    assert!(
        matches!(&err, Error::RevisionFailed { dirty, .. } if *dirty == (kind == Kind::MySql)),
        "{text}"
    );
    let history = m.history(&db.url).await.unwrap();
    let first = history.iter().find(|h| h.id == A).unwrap();
    assert_eq!(first.state, RowState::Applied);
    match kind {
        // Step 1 committed on its own: the revision is dirty at step 2.
        Kind::MySql => {
            assert_eq!(marks(&db).await, ["a1", "b0"]);
            let broken = history.iter().find(|h| h.id == BROKEN).unwrap();
            assert_eq!(
                (broken.state, broken.failed_step),
                (RowState::Dirty, Some(2))
            );
        }
        _ => {
            assert_eq!(marks(&db).await, ["a1"]);
            assert_eq!(m.current(&db.url).await.unwrap(), [A]);
            // The next run fails the same way, on its own.
            let again = m.upgrade_to_head(&db.url).await.unwrap_err();
            assert!(
                matches!(&again, Error::RevisionFailed { revision, step: 2, .. } if revision == BROKEN),
                "{again}"
            );
        }
    }
    db.drop_db().await;
}
on_all_databases!(syntax_error_after_others);

/// A revision that fails at its second step after three that are fine, all pending
/// in one run (one PostgreSQL message, one MySQL group, one SQLite batch), with one
/// more after it: the error names the revision and the step, the three before it
/// stay applied, each with its log row, and the heads stand at the last of them;
/// the one after it never starts.
async fn failure_after_others_in_one_batch(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let mut revs = linear();
    revs.push(broken(
        &[C],
        "fails at step 2",
        "INSERT INTO no_such_table VALUES (1)",
    ));
    revs.push(Rev {
        id: AFTER,
        parents: &[BROKEN],
        message: "never runs",
        body: sql("upgrade", "CREATE TABLE never (x INTEGER)")
            + &sql("downgrade", "DROP TABLE never"),
    });
    let m = Migrator::new(embed(revs));
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(&err, Error::RevisionFailed { revision, step: 2, .. } if revision == BROKEN),
        "{text}"
    );
    assert!(text.contains(BROKEN) && text.contains("step 2"), "{text}");
    assert!(!db.has_table("never").await, "{text}");
    let history = m.history(&db.url).await.unwrap();
    let applied: Vec<&str> = history
        .iter()
        .filter(|h| h.state == RowState::Applied)
        .map(|h| &*h.id)
        .collect();
    assert_eq!(applied, [A, B, C]);
    assert!(history.iter().all(|h| h.id != AFTER));
    match kind {
        // Step 1 committed on its own: the revision is dirty at step 2.
        Kind::MySql => {
            assert_eq!(marks(&db).await, ["a1", "b0", "b2", "c3"]);
            let broken = history.iter().find(|h| h.id == BROKEN).unwrap();
            assert_eq!(
                (broken.state, broken.failed_step),
                (RowState::Dirty, Some(2))
            );
        }
        _ => {
            assert_eq!(marks(&db).await, ["a1", "b2", "c3"]);
            assert!(history.iter().all(|h| h.id != BROKEN));
            assert_eq!(m.current(&db.url).await.unwrap(), [C]);
        }
    }
    db.drop_db().await;
}
on_all_databases!(failure_after_others_in_one_batch);

/// PostgreSQL: a run on the application's own pool leaves its connection's settings
/// as it found them (the run's revisions but the last commit without waiting for the
/// disk, and each is timed with a setting of the database's, both set for its
/// transaction only).
#[tokio::test]
async fn the_session_keeps_its_settings_postgres() {
    let Some(db) = TestDb::new(Kind::Postgres).await else {
        return;
    };
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&db.url)
        .await
        .unwrap();
    let settings = "SELECT current_setting('synchronous_commit') || ' ' || \
                    COALESCE(current_setting('migrate.revision_started_us', true), '')";
    let before: String = sqlx::query_scalar(settings).fetch_one(&pool).await.unwrap();
    let m = Migrator::new(embed(linear()));
    m.upgrade_to_head(&pool).await.unwrap();
    let after: String = sqlx::query_scalar(settings).fetch_one(&pool).await.unwrap();
    assert_eq!(after.trim_end(), before.trim_end());
    assert_eq!(m.current(&pool).await.unwrap(), [C]);
    pool.close().await;
    db.drop_db().await;
}

/// SQLite: a step flagged `no_transaction` (`VACUUM`, which SQLite refuses inside a
/// transaction) runs outside the run's transaction, between revisions that do not.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_transaction_step_sqlite() {
    let Some(db) = TestDb::new(Kind::Sqlite).await else {
        return;
    };
    let mut revs = first_then(Rev {
        id: VACUUM,
        parents: &[A],
        message: "vacuum",
        body: sql("upgrade", "INSERT INTO marks (rev) VALUES ('fa')")
            + "[[upgrade]]\nop = \"sql\"\nsql = \"VACUUM\"\nno_transaction = true\n\n"
            + &sql("downgrade", "DELETE FROM marks WHERE rev = 'fa'"),
    });
    revs.push(Rev {
        id: "fbfbfbfbfbfb",
        parents: &[VACUUM],
        message: "after",
        body: sql("upgrade", "INSERT INTO marks (rev) VALUES ('fb')"),
    });
    let m = Migrator::new(embed(revs));
    let report = m.upgrade_to_head(&db.url).await.unwrap();
    assert_eq!(report.revisions.len(), 3);
    assert_eq!(marks(&db).await, ["a1", "fa", "fb"]);
    assert_eq!(m.current(&db.url).await.unwrap(), ["fbfbfbfbfbfb"]);
    let history = m.history(&db.url).await.unwrap();
    assert!(history.iter().all(|h| h.state == RowState::Applied));
    db.drop_db().await;
}

/// A server that refuses the connection is reported at once, with the reason, not
/// after the pool's 30 s wait as "pool timed out".
#[tokio::test]
async fn refused_connection_is_reported_at_once() {
    for url in [
        "postgres://postgres:secret@127.0.0.1:1/postgres",
        "mysql://root:secret@127.0.0.1:1/test",
    ] {
        let start = Instant::now();
        let err = Migrator::new(embed(linear()))
            .upgrade_to_head(url)
            .await
            .unwrap_err();
        let text = err.to_string();
        assert!(start.elapsed() < Duration::from_secs(5), "{text}");
        assert!(matches!(err, Error::Connect { .. }), "{text}");
        assert!(text.to_lowercase().contains("refused"), "{text}");
        assert!(!text.contains("secret"), "{text}");
    }
}
