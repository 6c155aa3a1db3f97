//! The lock table with a lease (`LockMode::Table`): forced on the three single
//! servers, and chosen by itself on a three-node MariaDB Galera cluster (started by
//! `tests/galera/start.sh`, found through `MIGRATE_TEST_GALERA_URLS`), with processes
//! of the replica binary (an application that migrates on start-up) running at once,
//! and the lock's holder killed with `kill -9` part-way.

#[macro_use]
mod common;
#[path = "support/revisions.rs"]
#[allow(dead_code)]
mod revisions;

use std::process::Stdio;
use std::time::{Duration, Instant};

use common::{Kind, TestDb};
use migrate_runtime::{Direction, Error, LockMode, Migrator, Resolution};
use revisions::{chain, chain_id, embed};
use sqlx::Connection;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const REPLICA: &str = env!("CARGO_BIN_EXE_migrate-runtime-replica");

/// A replica process on `url` with the settings `env` (see `support/replica.rs`).
fn replica(url: &str, env: &[(&str, String)]) -> Child {
    let mut cmd = Command::new(REPLICA);
    cmd.arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.spawn().expect("the replica binary starts")
}

/// How a replica ended.
struct Outcome {
    ok: bool,
    applied: usize,
    output: String,
}

async fn outcome(child: Child) -> Outcome {
    let out = child.wait_with_output().await.unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let applied = stdout
        .lines()
        .last()
        .and_then(|l| l.strip_prefix("applied "))
        .map_or(0, |n| n.parse().unwrap());
    Outcome {
        ok: out.status.success(),
        applied,
        output: format!("{stdout}{}", String::from_utf8_lossy(&out.stderr)),
    }
}

async fn outcomes(children: Vec<Child>) -> Vec<Outcome> {
    let mut all = Vec::new();
    for child in children {
        all.push(outcome(child).await);
    }
    all
}

/// Kills a process with SIGKILL (`kill -9`) and reaps it.
async fn kill_9(child: &mut Child) {
    let pid = child.id().expect("the holder is still running");
    let status = std::process::Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let _ = child.wait().await;
}

/// Reads the holder's stdout until a line equal to `line`.
async fn wait_for_line(child: &mut Child, line: &str, within: Duration) {
    let stdout = child.stdout.as_mut().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let found = tokio::time::timeout(within, async {
        while let Some(l) = lines.next_line().await.unwrap() {
            if l == line {
                return;
            }
        }
        panic!("the holder ended before printing `{line}`");
    })
    .await;
    assert!(
        found.is_ok(),
        "the holder did not print `{line}` in {within:?}"
    );
}

/// The lock table's holder (`None` while the table does not exist).
async fn holder(db: &TestDb) -> Option<String> {
    let sql = match db.kind {
        Kind::MySql => "SELECT CONVERT(holder USING utf8mb4) FROM migrate_version_lock",
        _ => "SELECT holder FROM migrate_version_lock",
    };
    if !db.has_table("migrate_version_lock").await {
        return None;
    }
    db.query_strings(sql).await.into_iter().next()
}

/// Waits until a session of the test's database is inside a chain revision's
/// server-side wait (`pg_sleep`, `SLEEP`): the run is in that revision, past its
/// start (on PostgreSQL, past the check of its lease). Not for SQLite, whose wait is
/// a count on the client.
async fn wait_until_in_a_revision(db: &TestDb) {
    let sql = match db.kind {
        Kind::Postgres => {
            "SELECT CAST(count(*) AS TEXT) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event = 'PgSleep'"
        }
        Kind::MySql => {
            "SELECT CAST(COUNT(*) AS BINARY) FROM information_schema.PROCESSLIST \
             WHERE DB = DATABASE() AND STATE = 'User sleep'"
        }
        Kind::Sqlite => unreachable!("SQLite has no server-side wait"),
    };
    let start = Instant::now();
    while db.query_strings(sql).await != ["1"] {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "no run entered a revision"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn wait_until_held(db: &TestDb) {
    let start = Instant::now();
    while holder(db).await.unwrap_or_default().is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "nobody took the lock table"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// After a run: every revision of a chain of `n` recorded once and applied, each of
/// its tables there, and the lock table's row free.
async fn assert_chain_applied(db: &TestDb, n: usize) {
    let mut expected: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    expected.sort();
    let marks = db
        .query_strings("SELECT rev FROM chain_marks ORDER BY rev")
        .await;
    assert_eq!(marks, expected, "each revision ran exactly once");
    let states = db
        .query_strings("SELECT state FROM migrate_version_log")
        .await;
    assert_eq!(states.len(), n);
    assert!(states.iter().all(|s| s == "applied"), "{states:?}");
    for i in 0..n {
        assert!(db.has_table(&format!("chain_{i}")).await, "chain_{i}");
    }
    assert_eq!(holder(db).await.as_deref(), Some(""), "the lock is free");
}

/// The replica's settings for the lock table. Its lock timeout is five minutes, not
/// the default minute: on SQLite a waiting replica waits for the holder's whole run
/// (the busy timeout), and a revision's wait there is a count on the client, which
/// the machine's load stretches (a run of three 1 s revisions took 40 to 88 s at load
/// 10 on two cores).
fn table_mode(chain_spec: &str, lease_ms: u64) -> Vec<(&'static str, String)> {
    vec![
        ("REPLICA_LOCK", "table".to_string()),
        ("REPLICA_LEASE_MS", lease_ms.to_string()),
        ("REPLICA_CHAIN", chain_spec.to_string()),
        ("REPLICA_LOCK_TIMEOUT_MS", "300000".to_string()),
    ]
}

/// Ten processes start at once with the lock table forced: each revision is applied
/// exactly once, and the lock is free at the end.
async fn ten_replicas_with_the_lock_table(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let env = table_mode("6:20", 2000);
    let children = (0..10).map(|_| replica(&db.url, &env)).collect();
    let all = outcomes(children).await;
    for o in &all {
        assert!(o.ok, "a replica failed:\n{}", o.output);
    }
    assert_eq!(all.iter().map(|o| o.applied).sum::<usize>(), 6);
    assert_chain_applied(&db, 6).await;
    db.drop_db().await;
}
on_all_databases!(ten_replicas_with_the_lock_table);

/// Ten starts at once on a new database find no lock table, in several rounds (a
/// new database each): they all create it together, and the ones that lose the race
/// (PostgreSQL reports it as a duplicate key on `pg_type`, a duplicate table or
/// `type ... already exists`) wait their turn instead of failing the deployment.
async fn ten_starts_create_the_lock_table_at_once(kind: Kind) {
    let m = Migrator::new(embed(chain(2, 0)))
        .lock_mode(LockMode::Table)
        .lease(Duration::from_secs(5));
    for round in 0..8 {
        let Some(db) = TestDb::new(kind).await else {
            return;
        };
        let starts = (0..10).map(|_| m.upgrade_to_head(&db.url));
        let results = futures_util::future::join_all(starts).await;
        for (i, result) in results.into_iter().enumerate() {
            if let Err(e) = result {
                panic!("round {round}, start {i} failed: {e}");
            }
        }
        assert_chain_applied(&db, 2).await;
        db.drop_db().await;
    }
}
on_all_databases!(ten_starts_create_the_lock_table_at_once);

/// The holder is killed with -9 inside a revision (in its first step, a server-side
/// wait); nine processes started right after wait for its lease to end, and take
/// over. PostgreSQL and SQLite had the revision in a transaction: they continue and
/// all exit 0. MySQL commits DDL on its own, so the revision was flagged dirty: they
/// report it (revision and fix); once resolved, the next start continues.
async fn holder_killed_inside_a_revision(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let (n, lease_ms) = (8, 1500);
    let env = table_mode(&format!("{n}:400"), lease_ms);
    let mut first = replica(&db.url, &env);
    if kind == Kind::Sqlite {
        // The whole run is one transaction there: nothing is visible before the end.
        wait_until_held(&db).await;
        tokio::time::sleep(Duration::from_millis(1200)).await;
    } else if kind == Kind::Postgres {
        // The revisions go in one message, whose progress arrives at its end: killed
        // by the clock, in revision 3 (each takes 400 ms).
        wait_until_held(&db).await;
        tokio::time::sleep(Duration::from_millis(1400)).await;
    } else {
        wait_for_line(
            &mut first,
            &format!("finished {}", chain_id(2)),
            Duration::from_secs(30),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    kill_9(&mut first).await;
    let killed_at = Instant::now();
    let dead_holder = holder(&db).await.unwrap();
    assert!(!dead_holder.is_empty(), "the killed process held the lock");

    let children = (0..9).map(|_| replica(&db.url, &env)).collect();
    let all = outcomes(children).await;
    assert!(
        killed_at.elapsed() >= Duration::from_millis(lease_ms / 2),
        "the others waited for the dead holder's lease"
    );
    if all.iter().all(|o| o.ok) {
        assert_chain_applied(&db, n).await;
    } else {
        assert_eq!(kind, Kind::MySql, "{}", all[0].output);
        // Killed in revision 3: it is flagged dirty. The server may have gone on
        // with the statements it had received (MariaDB does), so the operator looks:
        // all of it there, or none of it.
        let dirty = chain_id(3);
        for o in &all {
            assert!(!o.ok);
            assert!(
                o.output.contains(&format!("revision {dirty}")),
                "{}",
                o.output
            );
            assert!(o.output.contains("resolve"), "{}", o.output);
        }
        let ran = db.has_table("chain_3").await;
        let marked = db
            .query_strings("SELECT rev FROM chain_marks WHERE rev = '3'")
            .await;
        assert_eq!(
            marked.len(),
            usize::from(ran),
            "revision 3 ran whole or not at all"
        );
        let (resolution, left) = if ran {
            (Resolution::Applied, n - 4)
        } else {
            (Resolution::NotApplied, n - 3)
        };
        let m = Migrator::new(embed(chain(n, 0)));
        m.resolve_dirty(&db.url, dirty, resolution).await.unwrap();
        let again = outcomes((0..3).map(|_| replica(&db.url, &env)).collect()).await;
        for o in &again {
            assert!(o.ok, "{}", o.output);
        }
        assert_eq!(again.iter().map(|o| o.applied).sum::<usize>(), left);
        assert_chain_applied(&db, n).await;
    }
    db.drop_db().await;
}
on_all_databases!(holder_killed_inside_a_revision);

/// A run whose lease is taken from it (here by hand, as a process whose clock ran
/// past the lease would) stops before its next revision, with the error naming it;
/// the revision it was running is finished and recorded. The row is taken once the
/// run is inside revision 0 (not merely once it holds the row: under load the run
/// may not have started that revision yet, and would rightly stop before it).
async fn lost_lease_stops_before_the_next_revision(kind: Kind) {
    if kind == Kind::Sqlite {
        return; // The run's write transaction keeps every other writer out.
    }
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let m = Migrator::new(embed(chain(2, 1500)))
        .lock_mode(LockMode::Table)
        .lease(Duration::from_millis(600));
    let steal = async {
        wait_until_in_a_revision(&db).await;
        db.exec(
            "UPDATE migrate_version_lock SET holder = 'thief', expires_ms = expires_ms + 600000",
        )
        .await
        .unwrap();
    };
    let (result, ()) = tokio::join!(m.upgrade_to_head(&db.url), steal);
    let err = result.unwrap_err();
    match &err {
        Error::LeaseLost { revision, .. } => assert_eq!(revision, chain_id(1)),
        other => panic!("expected LeaseLost, got {other}"),
    }
    let text = err.to_string();
    assert!(text.contains("migrate_version_lock"), "{text}");
    assert!(text.contains("another process holds"), "{text}");
    assert!(text.contains("make the lease longer"), "{text}");
    let log = db
        .query_strings("SELECT revision FROM migrate_version_log")
        .await;
    assert_eq!(log, [chain_id(0)]);
    assert!(!db.has_table("chain_1").await);
    db.drop_db().await;
}
on_all_databases!(lost_lease_stops_before_the_next_revision);

/// A database at revision 0 of a chain, whose lock-table row another process
/// (`web-7/pid-42`) holds for good; and the migrator that ran it, which waits 500 ms
/// for the row.
async fn row_held_elsewhere(db: &TestDb) -> Migrator {
    let m = Migrator::new(embed(chain(1, 0)))
        .lock_mode(LockMode::Table)
        .lock_timeout(Duration::from_millis(500));
    m.upgrade_to_head(&db.url).await.unwrap();
    db.exec("UPDATE migrate_version_lock SET holder = 'web-7/pid-42', expires_ms = 9000000000000")
        .await
        .unwrap();
    m
}

/// `stamp --purge` takes the lock the runs take: with the lock table, a row another
/// process holds is waited for (here until `lock_timeout`), and nothing is forgotten
/// meanwhile. (It took the advisory lock, which a run holding the lock table does
/// not hold: it purged the records under a running upgrade.)
async fn purge_waits_for_the_lock_table(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let m = row_held_elsewhere(&db).await;
    let err = m.purge(&db.url).await.unwrap_err();
    assert!(matches!(err, Error::LockTimeout { .. }), "{err}");
    assert!(err.to_string().contains("held by web-7/pid-42"), "{err}");
    let log = db
        .query_strings("SELECT revision FROM migrate_version_log")
        .await;
    assert_eq!(log, [chain_id(0)], "nothing was forgotten");

    // Once the row is free, the purge goes through and frees it again.
    db.exec("UPDATE migrate_version_lock SET holder = '', expires_ms = 0")
        .await
        .unwrap();
    assert_eq!(m.purge(&db.url).await.unwrap(), [chain_id(0)]);
    assert!(db
        .query_strings("SELECT revision FROM migrate_version_log")
        .await
        .is_empty());
    assert_eq!(holder(&db).await.as_deref(), Some(""), "the lock is free");
    db.drop_db().await;
}
on_all_databases!(purge_waits_for_the_lock_table);

/// PostgreSQL sends the pending revisions in one message under a lease too (as with
/// the advisory lock); each revision's transaction first checks, on the server, that
/// this process still holds the lease. Here revision 2 itself hands the row to
/// another holder, with a lease of a minute (no renewal would notice for 20 s): the
/// run stops before revision 3 with `LeaseLost`, revisions 0 to 2 applied and
/// recorded, 3 and 4 not run.
#[tokio::test]
async fn postgres_batch_under_a_lease_checks_it_in_each_revision() {
    let Some(db) = TestDb::new(Kind::Postgres).await else {
        return;
    };
    let mut revs = chain(5, 0);
    revs[2].body += &revisions::sql(
        "upgrade",
        "UPDATE migrate_version_lock SET holder = 'thief', expires_ms = expires_ms + 600000",
    );
    let m = Migrator::new(embed(revs))
        .lock_mode(LockMode::Table)
        .lease(Duration::from_secs(60));
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    match &err {
        Error::LeaseLost { revision, .. } => assert_eq!(revision, chain_id(3)),
        other => panic!("expected LeaseLost, got {other}"),
    }
    let text = err.to_string();
    assert!(text.contains("no longer held by"), "{text}");
    assert!(
        text.contains(&format!("revision {}", chain_id(3))),
        "{text}"
    );
    let log = db
        .query_strings("SELECT revision FROM migrate_version_log ORDER BY revision")
        .await;
    assert_eq!(log, [chain_id(0), chain_id(1), chain_id(2)]);
    assert!(db.has_table("chain_2").await);
    assert!(!db.has_table("chain_3").await);
    assert_eq!(holder(&db).await.as_deref(), Some("thief"));

    // With the row handed back, the next run applies the rest.
    db.exec("UPDATE migrate_version_lock SET holder = '', expires_ms = 0")
        .await
        .unwrap();
    let again = Migrator::new(embed(chain(5, 0)))
        .lock_mode(LockMode::Table)
        .allow_checksum_mismatch([chain_id(2)]);
    let report = again.upgrade_to_head(&db.url).await.unwrap();
    assert_eq!(report.revisions, [chain_id(3), chain_id(4)]);
    assert_chain_applied(&db, 5).await;
    db.drop_db().await;
}

// ---- MariaDB Galera -----------------------------------------------------------------

/// One query on one node, its first column as text. A causal read: the node first
/// applies what the cluster committed before (nodes apply others' commits a moment
/// later).
async fn galera_strings(url: &str, sql: &str) -> Vec<String> {
    let mut c = sqlx::MySqlConnection::connect(url).await.unwrap();
    sqlx::raw_sql("SET SESSION wsrep_sync_wait = 1")
        .execute(&mut c)
        .await
        .unwrap();
    let rows: Vec<Vec<u8>> = sqlx::query_scalar(sql).fetch_all(&mut c).await.unwrap();
    c.close().await.unwrap();
    rows.into_iter()
        .map(|r| String::from_utf8(r).unwrap())
        .collect()
}

/// On every node: `n` revisions recorded once, their marks, a free lock.
async fn assert_galera_chain(urls: &[String], n: usize) {
    let mut expected: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    expected.sort();
    for url in urls {
        let marks = galera_strings(
            url,
            "SELECT CAST(rev AS BINARY) FROM chain_marks ORDER BY rev",
        )
        .await;
        assert_eq!(marks, expected);
        let states =
            galera_strings(url, "SELECT CAST(state AS BINARY) FROM migrate_version_log").await;
        assert_eq!(states.len(), n);
        assert!(states.iter().all(|s| s == "applied"), "{states:?}");
        let holder = galera_strings(
            url,
            "SELECT CAST(holder AS BINARY) FROM migrate_version_lock",
        )
        .await;
        assert_eq!(holder, [""]);
    }
}

/// The bug this lock fixes: on Galera, `GET_LOCK` holds on one node only, so a
/// session on another node gets the same lock at once.
#[tokio::test]
async fn galera_get_lock_is_node_local() {
    let Some(cluster) = migrate_testkit::throwaway_galera().await else {
        return;
    };
    let lock = "SELECT GET_LOCK('migrate:probe', 1)";
    let mut one = sqlx::MySqlConnection::connect(&cluster.urls[0])
        .await
        .unwrap();
    let mut two = sqlx::MySqlConnection::connect(&cluster.urls[1])
        .await
        .unwrap();
    let a: Option<i64> = sqlx::query_scalar(lock).fetch_one(&mut one).await.unwrap();
    let b: Option<i64> = sqlx::query_scalar(lock).fetch_one(&mut two).await.unwrap();
    assert_eq!(
        (a, b),
        (Some(1), Some(1)),
        "both nodes granted the same lock"
    );
    one.close().await.unwrap();
    two.close().await.unwrap();
    cluster.cleanup().await.unwrap();
}

/// On a Galera node the default mode takes the lock table by itself, and the
/// advisory lock is refused with a message that says why and what to set.
#[tokio::test]
async fn galera_auto_takes_the_lock_table_and_advisory_is_refused() {
    let Some(cluster) = migrate_testkit::throwaway_galera().await else {
        return;
    };
    let url = &cluster.urls[1];
    let err = Migrator::new(embed(chain(1, 0)))
        .lock_mode(LockMode::Advisory)
        .upgrade_to_head(url)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::AdvisoryLockOnGalera), "{err}");
    assert!(err.to_string().contains("lock = \"table\""), "{err}");
    let report = Migrator::new(embed(chain(1, 0)))
        .upgrade_to_head(url)
        .await
        .unwrap();
    assert_eq!(report.revisions, [chain_id(0)]);
    assert_galera_chain(&cluster.urls, 1).await;
    cluster.cleanup().await.unwrap();
}

/// Twenty processes of the replica spread over the three nodes, in the default
/// mode: thirty revisions applied exactly once, every process exits 0.
#[tokio::test]
async fn galera_twenty_replicas_over_three_nodes() {
    let Some(cluster) = migrate_testkit::throwaway_galera().await else {
        return;
    };
    let env = [
        ("REPLICA_CHAIN", "30:0".to_string()),
        ("REPLICA_LEASE_MS", "3000".to_string()),
    ];
    let children = (0..20)
        .map(|i| replica(&cluster.urls[i % cluster.urls.len()], &env))
        .collect();
    let all = outcomes(children).await;
    for o in &all {
        assert!(o.ok, "a replica failed:\n{}", o.output);
    }
    assert_eq!(all.iter().map(|o| o.applied).sum::<usize>(), 30);
    assert_galera_chain(&cluster.urls, 30).await;
    cluster.cleanup().await.unwrap();
}

/// The holder (on node 1) is killed with -9 after ten of thirty revisions; nineteen
/// processes over the three nodes wait for its lease to end, apply the other twenty
/// exactly once, and all exit 0.
#[tokio::test]
async fn galera_holder_killed_halfway() {
    let Some(cluster) = migrate_testkit::throwaway_galera().await else {
        return;
    };
    let lease_ms = 2000;
    let env = vec![
        ("REPLICA_CHAIN", "30:20".to_string()),
        ("REPLICA_LEASE_MS", lease_ms.to_string()),
    ];
    let mut stalling = env.clone();
    stalling.push(("REPLICA_STALL_AFTER", "10".to_string()));
    let mut first = replica(&cluster.urls[0], &stalling);
    wait_for_line(&mut first, "stalled", Duration::from_secs(60)).await;
    // The others start while it still holds the lock, then it dies.
    let children: Vec<Child> = (0..19)
        .map(|i| replica(&cluster.urls[i % cluster.urls.len()], &env))
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    kill_9(&mut first).await;
    let killed_at = Instant::now();
    let all = outcomes(children).await;
    for o in &all {
        assert!(o.ok, "a replica failed:\n{}", o.output);
    }
    assert!(killed_at.elapsed() >= Duration::from_millis(lease_ms / 2));
    assert_eq!(all.iter().map(|o| o.applied).sum::<usize>(), 20);
    assert_galera_chain(&cluster.urls, 30).await;
    cluster.cleanup().await.unwrap();
}

/// The holder (on node 1) is killed with -9 inside a revision: Galera, like any
/// MySQL, commits DDL on its own, so the nineteen others, on all three nodes, report
/// that revision dirty (after the lease ended) instead of running anything; once it
/// is resolved, the next start applies the rest exactly once.
#[tokio::test]
async fn galera_holder_killed_inside_a_revision() {
    let Some(cluster) = migrate_testkit::throwaway_galera().await else {
        return;
    };
    let env = vec![
        ("REPLICA_CHAIN", "30:300".to_string()),
        ("REPLICA_LEASE_MS", "1500".to_string()),
    ];
    let mut first = replica(&cluster.urls[0], &env);
    wait_for_line(
        &mut first,
        &format!("finished {}", chain_id(9)),
        Duration::from_secs(60),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    kill_9(&mut first).await;
    let children = (0..19)
        .map(|i| replica(&cluster.urls[i % cluster.urls.len()], &env))
        .collect();
    let dirty = chain_id(10);
    for o in outcomes(children).await {
        assert!(!o.ok, "{}", o.output);
        assert!(
            o.output.contains(&format!("revision {dirty}")),
            "{}",
            o.output
        );
        assert!(o.output.contains("resolve"), "{}", o.output);
    }
    // The node may have finished the statements it had received: all or nothing.
    let url = &cluster.urls[1];
    let marked = galera_strings(
        url,
        "SELECT CAST(rev AS BINARY) FROM chain_marks WHERE rev = '10'",
    )
    .await;
    let resolution = if marked.is_empty() {
        Resolution::NotApplied
    } else {
        Resolution::Applied
    };
    Migrator::new(embed(chain(30, 0)))
        .resolve_dirty(url, dirty, resolution)
        .await
        .unwrap();
    let again = outcomes((0..3).map(|i| replica(&cluster.urls[i], &env)).collect()).await;
    for o in &again {
        assert!(o.ok, "{}", o.output);
    }
    assert_galera_chain(&cluster.urls, 30).await;
    cluster.cleanup().await.unwrap();
}

/// A row held by another process is waited for until `lock_timeout`, and the error
/// names the lock table, the holder and when its lease ends.
async fn held_row_times_out_naming_the_holder(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    row_held_elsewhere(&db).await;
    let err = Migrator::new(embed(chain(2, 0)))
        .lock_mode(LockMode::Table)
        .lock_timeout(Duration::from_millis(500))
        .upgrade_to_head(&db.url)
        .await
        .unwrap_err();
    assert!(matches!(err, Error::LockTimeout { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("lock table `migrate_version_lock`"), "{text}");
    assert!(text.contains("held by web-7/pid-42"), "{text}");
    assert!(text.contains("its lease ends in"), "{text}");
    db.drop_db().await;
}
on_all_databases!(held_row_times_out_naming_the_holder);

/// Keeps a Galera node from applying what the cluster commits (`FLUSH TABLES WITH
/// READ LOCK` desyncs and pauses it) until the connection unlocks: the node is then
/// behind the others, as a busy node can be for a moment.
async fn pause_node(url: &str) -> sqlx::MySqlConnection {
    let mut c = sqlx::MySqlConnection::connect(url).await.unwrap();
    sqlx::raw_sql("FLUSH TABLES WITH READ LOCK")
        .execute(&mut c)
        .await
        .unwrap();
    c
}

/// `current`, `history` and a plan read on a Galera node that is behind answer with
/// what the cluster committed (they wait for the node to catch up), never with the
/// older state the node still holds.
#[tokio::test]
async fn galera_reads_are_never_behind_the_cluster() {
    let Some(cluster) = migrate_testkit::throwaway_galera().await else {
        return;
    };
    let (first, behind) = (cluster.urls[0].clone(), cluster.urls[1].clone());
    let m = |n| Migrator::new(embed(chain(n, 0)));
    m(1).upgrade_to_head(first.as_str()).await.unwrap();
    assert_galera_chain(&cluster.urls, 1).await;
    let mut paused = pause_node(&behind).await;
    let report = m(2).upgrade_to_head(first.as_str()).await.unwrap();
    assert_eq!(report.revisions, [chain_id(1)]);
    let reads = tokio::spawn(async move {
        let m = Migrator::new(embed(chain(2, 0)));
        let current = m.current(behind.as_str()).await.unwrap();
        let history = m.history(behind.as_str()).await.unwrap();
        let plan = m
            .plan(behind.as_str(), Direction::Upgrade, "head")
            .await
            .unwrap();
        (current, history.len(), plan.revisions.len())
    });
    // While the node is behind, the reads wait rather than answer.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let waited = !reads.is_finished();
    sqlx::raw_sql("UNLOCK TABLES")
        .execute(&mut paused)
        .await
        .unwrap();
    paused.close().await.unwrap();
    let (current, applied, pending) = reads.await.unwrap();
    assert_eq!(
        current,
        [chain_id(1)],
        "the node answered with its older state"
    );
    assert_eq!((applied, pending), (2, 0));
    assert!(waited, "the reads answered before the node caught up");
    cluster.cleanup().await.unwrap();
}

/// On SQLite a writer waits for another connection's write transaction on the busy
/// timeout (set to `lock_timeout`), not on the row: running out of it while taking
/// the lock table's row is a lock timeout naming the lock table, like waiting for a
/// held row, not a bare "database is locked".
#[tokio::test]
async fn sqlite_database_kept_locked_is_a_lock_timeout() {
    let Some(db) = TestDb::new(Kind::Sqlite).await else {
        return;
    };
    let m = |n| {
        Migrator::new(embed(chain(n, 0)))
            .lock_mode(LockMode::Table)
            .lock_timeout(Duration::from_millis(500))
    };
    m(1).upgrade_to_head(&db.url).await.unwrap();
    let mut other = sqlx::SqliteConnection::connect(&db.url).await.unwrap();
    sqlx::raw_sql("BEGIN IMMEDIATE")
        .execute(&mut other)
        .await
        .unwrap();
    let err = m(2).upgrade_to_head(&db.url).await.unwrap_err();
    assert!(matches!(err, Error::LockTimeout { .. }), "{err}");
    let text = err.to_string();
    assert!(text.contains("lock table `migrate_version_lock`"), "{text}");
    assert!(text.contains("kept the SQLite database locked"), "{text}");
    sqlx::raw_sql("ROLLBACK").execute(&mut other).await.unwrap();
    other.close().await.unwrap();
    let report = m(2).upgrade_to_head(&db.url).await.unwrap();
    assert_eq!(report.revisions, [chain_id(1)]);
    db.drop_db().await;
}

/// A run longer than several leases keeps the lock: its renewals hold off a process
/// that starts while it runs, which then finds nothing left to do.
async fn renewals_keep_the_lock_past_its_lease(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    // Three revisions of 1 s each, a lease of 0.6 s.
    let env = table_mode("3:1000", 600);
    let first = replica(&db.url, &env);
    wait_until_held(&db).await;
    tokio::time::sleep(Duration::from_millis(700)).await;
    let second = replica(&db.url, &env);
    let all = outcomes(vec![first, second]).await;
    for o in &all {
        assert!(o.ok, "{}", o.output);
    }
    assert_eq!((all[0].applied, all[1].applied), (3, 0));
    assert_chain_applied(&db, 3).await;
    db.drop_db().await;
}
on_all_databases!(renewals_keep_the_lock_past_its_lease);
