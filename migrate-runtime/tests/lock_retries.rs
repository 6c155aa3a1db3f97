//! A lock timeout with the whole run in one transaction
//! (`TransactionMode::All`): a second session holds an open transaction that read
//! `accounts`, so the run's `ALTER TABLE accounts` times out until it commits.
//!
//! On PostgreSQL the timeout rolls the whole run back, and the run starts again
//! from its first revision, with the failing revision's `lock_retries`; when the
//! tries run out it fails naming the revision and step, and nothing of the run
//! stays. A sequence (which no rollback takes back) counts the tries. On MariaDB
//! each DDL statement commits on its own, so there is no run transaction to roll
//! back: the mode changes nothing, the failing statement alone is tried again, and
//! the revisions before it stay applied.

#[macro_use]
mod common;
#[path = "support/revisions.rs"]
#[allow(dead_code)]
mod revisions;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{Kind, TestDb};
use migrate_runtime::{Error, Migrator, Progress, TransactionMode};
use revisions::{embed, sql_mysql, Rev};
use sqlx::Connection;
use tokio::sync::oneshot;

const ACCOUNTS: &str = "0a0a0a0a0a01";
const TEAMS: &str = "0a0a0a0a0a02";
const NOTE: &str = "0a0a0a0a0a03";

/// How long the second session keeps its transaction open when it lets go.
const HOLDS: Duration = Duration::from_millis(1500);

/// The accounts, then a new table (which waits for no lock) and a column added to
/// the accounts (which does), both with a 300 ms lock timeout (1 s on MariaDB,
/// which counts whole seconds) and `retries` tries after it. The column's revision
/// first counts its try in the sequence `attempts`.
fn revisions(retries: u32) -> Vec<Rev> {
    let safety = format!(
        "[safety]\nforms = \"online\"\nlock_timeout = \"300ms\"\nlock_retries = {retries}\n"
    );
    let table = |name: &str| {
        format!(
            "[[upgrade]]\nop = \"create_table\"\n\n[upgrade.table]\nname = \"{name}\"\n\
             columns = [{{ name = \"id\", type = \"bigint\" }}]\n\
             primary_key = {{ name = \"pk_{name}\", columns = [\"id\"] }}\n\n"
        )
    };
    vec![
        Rev {
            id: ACCOUNTS,
            parents: &[],
            message: "accounts",
            body: table("accounts"),
        },
        Rev {
            id: TEAMS,
            parents: &[ACCOUNTS],
            message: "teams",
            body: table("teams") + &safety,
        },
        Rev {
            id: NOTE,
            parents: &[TEAMS],
            message: "account note",
            body: sql_mysql(
                "upgrade",
                "SELECT nextval('attempts')",
                "SELECT NEXTVAL(attempts)",
            ) + "[[upgrade]]\nop = \"add_column\"\ntable = \"accounts\"\n\
                 column = { name = \"note\", type = \"text\", nullable = true }\n\n"
                + &safety,
        },
    ]
}

/// A migrator of [`revisions`] running in one transaction, and the revisions its
/// observer was told finished.
fn migrator(retries: u32) -> (Migrator, Arc<Mutex<Vec<String>>>) {
    let finished = Arc::new(Mutex::new(Vec::new()));
    let seen = finished.clone();
    let m = Migrator::new(embed(revisions(retries)))
        .transaction_mode(TransactionMode::All)
        .on_progress(move |event| {
            if let Progress::Finished { id, .. } = event {
                seen.lock().unwrap().push(id.clone());
            }
        });
    (m, finished)
}

/// Opens a transaction that reads `accounts` on another connection, on a thread
/// of its own, and keeps it until `release` fires (or for `for_at_most`). Returns
/// once the read is done.
async fn hold_accounts(
    db: &TestDb,
    for_at_most: Duration,
) -> (oneshot::Sender<()>, std::thread::JoinHandle<()>) {
    let (release, released) = oneshot::channel::<()>();
    let (ready, is_ready) = oneshot::channel::<()>();
    let (kind, url) = (db.kind, db.url.clone());
    let holder = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let statements = ["BEGIN", "SELECT count(*) FROM accounts", "COMMIT"];
            let wait = async {
                tokio::select! {
                    _ = released => {}
                    _ = tokio::time::sleep(for_at_most) => {}
                }
            };
            match kind {
                Kind::Postgres => {
                    let mut c = sqlx::PgConnection::connect(&url).await.unwrap();
                    for s in &statements[..2] {
                        sqlx::raw_sql(s).execute(&mut c).await.unwrap();
                    }
                    ready.send(()).unwrap();
                    wait.await;
                    sqlx::raw_sql(statements[2]).execute(&mut c).await.unwrap();
                }
                _ => {
                    let mut c = sqlx::MySqlConnection::connect(&url).await.unwrap();
                    for s in &statements[..2] {
                        sqlx::raw_sql(s).execute(&mut c).await.unwrap();
                    }
                    ready.send(()).unwrap();
                    wait.await;
                    sqlx::raw_sql(statements[2]).execute(&mut c).await.unwrap();
                }
            }
        })
    });
    is_ready.await.unwrap();
    (release, holder)
}

/// How many times the column's revision started: the values taken from the
/// sequence (on MariaDB, whose `LASTVAL` is per session, read from its row, which
/// is exact without a cache).
async fn attempts(db: &TestDb) -> i64 {
    let sql = match db.kind {
        Kind::Postgres => {
            "SELECT CAST(CASE WHEN is_called THEN last_value ELSE 0 END AS TEXT) FROM attempts"
        }
        _ => "SELECT CAST(next_not_cached_value - 1 AS CHAR) FROM attempts",
    };
    db.query_strings(sql).await[0].parse().unwrap()
}

/// The accounts applied, and the sequence that counts the tries.
async fn prepared(db: &TestDb, m: &Migrator) {
    let create = match db.kind {
        Kind::Postgres => "CREATE SEQUENCE attempts",
        _ => "CREATE SEQUENCE attempts NOCACHE",
    };
    db.exec(create).await.unwrap();
    m.upgrade(&db.url, ACCOUNTS).await.unwrap();
}

/// The run waits the lock out, trying again after each timeout, and is told once.
async fn retried_until_the_lock_is_released(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let (m, finished) = migrator(6);
    prepared(&db, &m).await;
    finished.lock().unwrap().clear();

    let (_release, holder) = hold_accounts(&db, HOLDS).await;
    let started = Instant::now();
    let report = m.upgrade_to_head(&db.url).await.unwrap();
    let took = started.elapsed();
    holder.join().unwrap();

    assert_eq!(report.revisions, [TEAMS, NOTE]);
    assert!(took >= HOLDS, "it waited for the session ({took:?})");
    assert_eq!(m.current(&db.url).await.unwrap(), [NOTE]);
    db.exec("INSERT INTO teams (id) VALUES (1)").await.unwrap();
    db.exec("INSERT INTO accounts (id, note) VALUES (1, 'x')")
        .await
        .unwrap();
    // Each revision is told once, though on PostgreSQL `teams` ran (and was
    // rolled back with the run) before each try.
    assert_eq!(*finished.lock().unwrap(), [TEAMS, NOTE]);
    let tries = attempts(&db).await;
    match kind {
        // The run started again from `teams`, the column's revision with it.
        Kind::Postgres => assert!((2..=7).contains(&tries), "{tries} tries"),
        // The statement that timed out ran again, not the revision.
        _ => assert_eq!(tries, 1),
    }
    db.drop_db().await;
}

/// With the lock held for longer than every try, the run fails after the
/// configured tries, naming the revision and the step.
async fn fails_after_the_configured_tries(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let (m, finished) = migrator(2);
    prepared(&db, &m).await;
    finished.lock().unwrap().clear();

    let (release, holder) = hold_accounts(&db, Duration::from_secs(60)).await;
    let started = Instant::now();
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    let took = started.elapsed();
    release.send(()).unwrap();
    holder.join().unwrap();

    let Error::RevisionFailed {
        revision,
        step,
        sql,
        outcome,
        dirty,
        ..
    } = &err
    else {
        panic!("{err}");
    };
    assert_eq!(revision, NOTE, "{err}");
    assert!(sql.contains("ALTER TABLE"), "{err}");
    let text = err.to_string();
    assert!(
        text.contains(NOTE) && text.contains(&format!("step {step}")),
        "{text}"
    );
    match kind {
        Kind::Postgres => {
            // Three tries of 300 ms, with pauses of 200 and 400 ms between.
            assert_eq!(attempts(&db).await, 3);
            assert!(took >= Duration::from_millis(1500), "{took:?}");
            assert!(outcome.contains("whole run"), "{err}");
            assert!(!dirty);
            // Nothing of the run stays, and nothing was told finished.
            assert_eq!(m.current(&db.url).await.unwrap(), [ACCOUNTS]);
            assert!(!db.has_table("teams").await);
            assert!(finished.lock().unwrap().is_empty());
        }
        _ => {
            // Three tries of the statement (1 s each: MariaDB counts whole
            // seconds); the revision started once, and `teams` stays applied.
            assert_eq!(attempts(&db).await, 1);
            assert!(took >= Duration::from_millis(3600), "{took:?}");
            assert!(*dirty);
            assert_eq!(m.current(&db.url).await.unwrap(), [TEAMS]);
            assert!(db.has_table("teams").await);
        }
    }
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_transaction_run_retried_from_its_start_until_the_lock_is_released_postgres() {
    retried_until_the_lock_is_released(Kind::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_transaction_run_fails_after_the_configured_tries_postgres() {
    fails_after_the_configured_tries(Kind::Postgres).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_transaction_mode_retries_the_statement_on_mariadb() {
    retried_until_the_lock_is_released(Kind::MySql).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_transaction_mode_fails_after_the_configured_tries_on_mariadb() {
    fails_after_the_configured_tries(Kind::MySql).await;
}
