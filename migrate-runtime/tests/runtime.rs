//! End-to-end tests of the runtime on SQLite (a file), PostgreSQL and MariaDB.
//! Each scenario runs on all three; server tests skip visibly without their URL.

#[macro_use]
mod common;
#[path = "support/revisions.rs"]
mod revisions;

use std::time::Duration;

use common::{marks, Kind, TestDb};
use migrate_runtime::{Direction, Error, Migrator, Resolution, RowState, TransactionMode};
use revisions::{embed, linear, sql, sql_mysql, Rev, A, B, C};

async fn upgrade_downgrade_stamp_history(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let m = Migrator::new(embed(linear()));

    // Fresh database: nothing applied.
    assert!(m.current(&db.url).await.unwrap().is_empty());
    assert!(m.history(&db.url).await.unwrap().is_empty());

    let report = m.upgrade(&db.url, "+1").await.unwrap();
    assert_eq!(report.revisions, [A]);
    assert_eq!(m.current(&db.url).await.unwrap(), [A]);

    let report = m.upgrade_to_head(&db.url).await.unwrap();
    assert_eq!(report.revisions, [B, C]);
    assert_eq!(m.current(&db.url).await.unwrap(), [C]);
    assert_eq!(marks(&db).await, ["a1", "b2", "c3"]);
    assert!(db.has_table("posts").await);

    // Up to date: nothing more runs.
    assert!(m
        .upgrade_to_head(&db.url)
        .await
        .unwrap()
        .revisions
        .is_empty());
    assert_eq!(marks(&db).await, ["a1", "b2", "c3"]);

    let history = m.history(&db.url).await.unwrap();
    let ids: Vec<&str> = history.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids, [A, B, C]);
    assert!(history
        .iter()
        .all(|h| h.state == RowState::Applied && h.known));
    assert_eq!(history[1].parents, [A]);
    assert_eq!(history[2].message, "create posts");
    assert!(history[0].applied_at.starts_with("20") && history[0].applied_at.ends_with('Z'));
    // Every applied revision has its duration recorded.
    assert_eq!(
        db.query_strings(
            "SELECT revision FROM migrate_version_log WHERE duration_ms IS NULL OR duration_ms < 0"
        )
        .await,
        Vec::<String>::new()
    );

    // Downgrade by a prefix: that revision stays.
    let report = m.downgrade(&db.url, "a1a1").await.unwrap();
    assert_eq!(report.revisions, [C, B]);
    assert_eq!(m.current(&db.url).await.unwrap(), [A]);
    assert!(!db.has_table("posts").await);
    assert_eq!(marks(&db).await, ["a1"]);

    m.downgrade(&db.url, "base").await.unwrap();
    assert!(m.current(&db.url).await.unwrap().is_empty());
    assert!(!db.has_table("users").await);

    // Stamp: the schema exists already (created by hand); record without running.
    db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100))")
        .await
        .unwrap();
    db.exec("CREATE TABLE marks (rev VARCHAR(20) NOT NULL)")
        .await
        .unwrap();
    let report = m.stamp(&db.url, A).await.unwrap();
    assert_eq!(report.revisions, [A]);
    assert_eq!(m.current(&db.url).await.unwrap(), [A]);
    assert!(
        marks(&db).await.is_empty(),
        "stamp must not run the revision"
    );
    m.upgrade_to_head(&db.url).await.unwrap();
    assert_eq!(marks(&db).await, ["b2", "c3"]);
    // Stamp back: forget C without running its downgrade.
    let report = m.stamp(&db.url, "-1").await.unwrap();
    assert_eq!(report.direction, Direction::Downgrade);
    assert_eq!(report.revisions, [C]);
    assert_eq!(m.current(&db.url).await.unwrap(), [B]);
    assert!(db.has_table("posts").await);
    db.drop_db().await;
}
on_all_databases!(upgrade_downgrade_stamp_history);

/// B's second step fails, at the second of its two statements.
fn failing() -> Vec<Rev> {
    let mut revs = linear();
    revs.truncate(1);
    revs.push(Rev {
        id: "bad0bad0bad0",
        parents: &[A],
        message: "broken revision",
        body: sql("upgrade", "CREATE TABLE partial (x INTEGER)")
            + &sql(
                "upgrade",
                "INSERT INTO marks (rev) VALUES ('bad'); INSERT INTO no_such_table VALUES (1)",
            )
            + &sql("upgrade", "CREATE TABLE never (x INTEGER)")
            + &sql("downgrade", "DROP TABLE partial"),
    });
    revs
}

async fn failing_revision(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let m = Migrator::new(embed(failing())).lock_timeout(Duration::from_secs(2));
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    let text = err.to_string();
    assert!(
        matches!(&err, Error::RevisionFailed { revision, step: 2, .. } if revision == "bad0bad0bad0"),
        "{text}"
    );
    assert!(
        text.contains("bad0bad0bad0") && text.contains("step 2"),
        "{text}"
    );
    assert!(
        !db.has_table("never").await,
        "nothing runs after the failing step"
    );
    match kind {
        Kind::Sqlite | Kind::Postgres => {
            // The revision before it was applied and kept.
            assert_eq!(marks(&db).await, ["a1"]);
            assert!(
                !db.has_table("partial").await,
                "the failed revision must be rolled back"
            );
            assert_eq!(m.current(&db.url).await.unwrap(), [A]);
            // The next run tries again and fails the same way (nothing half-done).
            let again = m.upgrade_to_head(&db.url).await.unwrap_err();
            assert!(
                matches!(again, Error::RevisionFailed { step: 2, .. }),
                "{again}"
            );
        }
        Kind::MySql => {
            assert_eq!(marks(&db).await, ["a1", "bad"], "autocommitted");
            assert!(
                db.has_table("partial").await,
                "MySQL commits the DDL of step 1"
            );
            let history = m.history(&db.url).await.unwrap();
            let bad = history.iter().find(|h| h.id == "bad0bad0bad0").unwrap();
            assert_eq!(bad.state, RowState::Dirty);
            assert_eq!(bad.failed_step, Some(2));
            assert!(bad.error.as_deref().unwrap().contains("no_such_table"));
            // The next run refuses, naming the revision and the step.
            let again = m.upgrade_to_head(&db.url).await.unwrap_err();
            let text = again.to_string();
            assert!(matches!(again, Error::Dirty { step: 2, .. }), "{text}");
            assert!(
                text.contains("bad0bad0bad0") && text.contains("step 2"),
                "{text}"
            );
            // Fixed by hand: undo step 1, then resolve as not applied.
            db.exec("DROP TABLE partial").await.unwrap();
            m.resolve_dirty(&db.url, "bad0bad0bad0", Resolution::NotApplied)
                .await
                .unwrap();
            assert_eq!(m.current(&db.url).await.unwrap(), [A]);
            let err = m
                .resolve_dirty(&db.url, "bad0bad0bad0", Resolution::Applied)
                .await;
            assert!(matches!(err, Err(Error::NotDirty { .. })));
        }
    }
    // The lock was released after the error: a run with a short timeout gets it, and a
    // fixed revision applies.
    let mut fixed = failing();
    fixed[1].body = sql("upgrade", "CREATE TABLE partial (x INTEGER)")
        + &sql("downgrade", "DROP TABLE partial");
    let m = Migrator::new(embed(fixed))
        .lock_timeout(Duration::from_secs(1))
        .allow_checksum_mismatch(["bad0bad0bad0"]);
    assert_eq!(
        m.upgrade_to_head(&db.url).await.unwrap().revisions,
        ["bad0bad0bad0"]
    );
    assert!(db.has_table("partial").await);
    db.drop_db().await;
}
on_all_databases!(failing_revision);

/// MySQL applies and undoes revisions in groups that share their bookkeeping. A
/// failure inside a group leaves exactly the failing revision dirty: the ones before
/// it are recorded, the ones after it never start and leave no row behind.
#[tokio::test]
async fn failure_inside_a_group_mysql() {
    let Some(db) = TestDb::new(Kind::MySql).await else {
        return;
    };
    let states = |history: Vec<migrate_runtime::AppliedRevision>| {
        history
            .into_iter()
            .map(|h| (h.id, h.state))
            .collect::<Vec<_>>()
    };
    let row = |id: &str, state| (id.to_string(), state);
    // Up: A, B (fails at its step 2), C.
    let mut revs = linear();
    revs[1].body = sql("upgrade", "INSERT INTO marks (rev) VALUES ('b2')")
        + &sql("upgrade", "INSERT INTO no_such_table VALUES (1)")
        + &sql("downgrade", "DELETE FROM marks WHERE rev = 'b2'");
    let m = Migrator::new(embed(revs));
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    assert!(
        matches!(&err, Error::RevisionFailed { revision, step: 2, .. } if revision == B),
        "{err}"
    );
    assert_eq!(
        states(m.history(&db.url).await.unwrap()),
        [row(A, RowState::Applied), row(B, RowState::Dirty)]
    );
    assert_eq!(m.current(&db.url).await.unwrap(), [A]);
    assert_eq!(marks(&db).await, ["a1", "b2"]);
    assert!(!db.has_table("posts").await, "C never started");

    // Repaired by hand and resolved; then the real B and C apply.
    db.exec("DELETE FROM marks WHERE rev = 'b2'").await.unwrap();
    m.resolve_dirty(&db.url, B, Resolution::NotApplied)
        .await
        .unwrap();
    let m = Migrator::new(embed(linear()));
    assert_eq!(m.upgrade_to_head(&db.url).await.unwrap().revisions, [B, C]);

    // Down: C, B (its first downgrade step fails), A.
    let mut revs = linear();
    revs[1].body = revs[1]
        .body
        .replace("DELETE FROM marks", "DELETE FROM no_such_table");
    let broken = Migrator::new(embed(revs)).allow_checksum_mismatch([B]);
    let err = broken.downgrade(&db.url, "base").await.unwrap_err();
    assert!(
        matches!(&err, Error::RevisionFailed { revision, step: 1, .. } if revision == B),
        "{err}"
    );
    assert_eq!(
        states(m.history(&db.url).await.unwrap()),
        [row(A, RowState::Applied), row(B, RowState::Dirty)]
    );
    assert_eq!(m.current(&db.url).await.unwrap(), [B]);
    assert_eq!(marks(&db).await, ["a1", "b2"]);
    assert!(db.has_table("users").await, "A never started");
    db.drop_db().await;
}

/// `TransactionMode::All`: one transaction for the run. A failure in its last revision
/// undoes the whole run on PostgreSQL and SQLite; MySQL, whose DDL commits, keeps what
/// ran and marks the failing revision dirty.
async fn transaction_mode_all(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let mut revs = linear();
    revs.push(Rev {
        id: "d4d4d4d4d4d4",
        parents: &[C],
        message: "fails",
        body: sql("upgrade", "INSERT INTO marks (rev) VALUES ('d4')")
            + &sql("upgrade", "INSERT INTO no_such_table VALUES (1)"),
    });
    let m = Migrator::new(embed(revs)).transaction_mode(TransactionMode::All);
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    assert!(
        matches!(&err, Error::RevisionFailed { revision, step: 2, .. } if revision == "d4d4d4d4d4d4"),
        "{err}"
    );
    if kind == Kind::MySql {
        assert_eq!(m.current(&db.url).await.unwrap(), [C]);
        assert!(matches!(
            m.upgrade_to_head(&db.url).await,
            Err(Error::Dirty { step: 2, .. })
        ));
    } else {
        assert!(err.to_string().contains("whole run"), "{err}");
        assert!(m.current(&db.url).await.unwrap().is_empty());
        assert!(m.history(&db.url).await.unwrap().is_empty());
        assert!(!db.has_table("users").await, "the whole run is undone");

        // Without the failing revision, the run applies all three in one go, each
        // logged in order with its own time.
        let m = Migrator::new(embed(linear())).transaction_mode(TransactionMode::All);
        assert_eq!(
            m.upgrade_to_head(&db.url).await.unwrap().revisions,
            [A, B, C]
        );
        assert_eq!(marks(&db).await, ["a1", "b2", "c3"]);
        let history = m.history(&db.url).await.unwrap();
        let ids: Vec<&str> = history.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, [A, B, C]);
        assert!(history[0].applied_at <= history[2].applied_at);
        assert!(history.iter().all(|h| h.state == RowState::Applied));
        assert_eq!(
            db.query_strings("SELECT revision FROM migrate_version_log WHERE duration_ms IS NULL")
                .await,
            Vec::<String>::new()
        );
        assert_eq!(m.current(&db.url).await.unwrap(), [C]);
        // And back down in one transaction.
        assert_eq!(
            m.downgrade(&db.url, "base").await.unwrap().revisions,
            [C, B, A]
        );
        assert!(!db.has_table("users").await);
    }
    db.drop_db().await;
}
on_all_databases!(transaction_mode_all);

/// Each revision's own time is logged, also when PostgreSQL gets a run's revisions in
/// one message, where only the database sees each one end: the middle one of three
/// sleeps, and only it shows the time.
async fn each_revision_timed(kind: Kind, mode: TransactionMode) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let mut revs = linear();
    revs[1].body = sql_mysql("upgrade", "SELECT pg_sleep(0.4)", "DO SLEEP(0.4)") + &revs[1].body;
    let m = Migrator::new(embed(revs)).transaction_mode(mode);
    m.upgrade_to_head(&db.url).await.unwrap();
    let history = m.history(&db.url).await.unwrap();
    let took: Vec<(&str, Duration)> = history.iter().map(|h| (&*h.id, h.duration)).collect();
    let ms = Duration::from_millis;
    assert!(took[1].1 >= ms(400), "{took:?}");
    assert!(took[0].1 < ms(300) && took[2].1 < ms(300), "{took:?}");
    db.drop_db().await;
}

#[tokio::test]
async fn each_revision_timed_postgres() {
    each_revision_timed(Kind::Postgres, TransactionMode::PerRevision).await;
}

#[tokio::test]
async fn each_revision_timed_postgres_one_transaction() {
    each_revision_timed(Kind::Postgres, TransactionMode::All).await;
}

#[tokio::test]
async fn each_revision_timed_mysql() {
    each_revision_timed(Kind::MySql, TransactionMode::PerRevision).await;
}

/// History lists parents before children even when they were recorded within the same
/// clock tick (a stamp of a chain writes every row at once) and their ids sort the
/// other way round.
async fn history_order_follows_parents(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    // Ids descend along the chain: "f0..." is the root, "f1..." its child, and so on
    // down to "e8..."; sorting ids would list the chain backwards.
    let ids: Vec<&'static str> = (0..10)
        .map(|i| {
            &*Box::leak(format!("{:x}", 0xfeee_eeee_eeeeu64 - i * 0x1111_1111).into_boxed_str())
        })
        .collect();
    let revs: Vec<Rev> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| Rev {
            id,
            parents: if i == 0 {
                &[]
            } else {
                std::slice::from_ref(Box::leak(Box::new(ids[i - 1])))
            },
            message: "step",
            body: String::new(),
        })
        .collect();
    let m = Migrator::new(embed(revs));
    m.stamp(&db.url, "head").await.unwrap();
    let history = m.history(&db.url).await.unwrap();
    let listed: Vec<&str> = history.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(listed, ids);
    db.drop_db().await;
}
on_all_databases!(history_order_follows_parents);

async fn checksum_mismatch(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    Migrator::new(embed(linear()))
        .upgrade_to_head(&db.url)
        .await
        .unwrap();
    // The same revision B, edited after it was applied.
    let mut edited = linear();
    edited[1].body.push_str(&sql("upgrade", "SELECT 1"));
    edited.push(Rev {
        id: "d4d4d4d4d4d4",
        parents: &[C],
        message: "next",
        body: sql("upgrade", "INSERT INTO marks (rev) VALUES ('d4')"),
    });
    let err = Migrator::new(embed(edited))
        .upgrade_to_head(&db.url)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::ChecksumMismatch { revision, .. } if revision == B),
        "{err}"
    );
    assert!(err.to_string().contains(B));
    assert_eq!(marks(&db).await, ["a1", "b2", "c3"], "nothing ran");

    // A deliberate edit, allowed explicitly.
    let mut edited = linear();
    edited[1].body.push_str(&sql("upgrade", "SELECT 1"));
    let m = Migrator::new(embed(edited)).allow_checksum_mismatch([B]);
    assert!(m
        .upgrade_to_head(&db.url)
        .await
        .unwrap()
        .revisions
        .is_empty());
    db.drop_db().await;
}
on_all_databases!(checksum_mismatch);

/// The heads table edited by hand so that it no longer lists the head the log gives:
/// the run stops before the next revision, naming it, with the statements that set
/// the table right; once they ran, the run goes on. (Before, the heads' `UPDATE`
/// matched no row: B and C ran and the table was left empty.)
async fn heads_table_disagrees_with_the_log(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let m = Migrator::new(embed(linear()));
    m.upgrade(&db.url, "+1").await.unwrap();
    db.exec("DELETE FROM migrate_version").await.unwrap();
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    let Error::HeadsDisagree {
        revision,
        recorded,
        logged,
        repair,
        ..
    } = &err
    else {
        panic!("expected HeadsDisagree, got {err}");
    };
    assert_eq!(
        (revision.as_str(), logged.as_slice()),
        (B, [A.to_string()].as_slice())
    );
    assert!(recorded.is_empty(), "{err}");
    let text = err.to_string();
    assert!(
        text.contains(B) && text.contains("migrate_version") && text.contains("stamp --purge"),
        "{text}"
    );
    assert_eq!(marks(&db).await, ["a1"], "nothing ran");
    for statement in repair.split("; ") {
        db.exec(statement).await.unwrap();
    }
    assert_eq!(m.upgrade_to_head(&db.url).await.unwrap().revisions, [B, C]);
    assert_eq!(m.current(&db.url).await.unwrap(), [C]);
    assert_eq!(marks(&db).await, ["a1", "b2", "c3"]);

    // A head too many is refused the same way, downgrades too.
    db.exec(&format!(
        "INSERT INTO migrate_version (version_num) VALUES ('{A}')"
    ))
    .await
    .unwrap();
    let err = m.downgrade(&db.url, "-1").await.unwrap_err();
    assert!(
        matches!(&err, Error::HeadsDisagree { revision, .. } if revision == C),
        "{err}"
    );
    assert_eq!(marks(&db).await, ["a1", "b2", "c3"], "nothing was undone");
    db.drop_db().await;
}
on_all_databases!(heads_table_disagrees_with_the_log);

async fn unknown_revision(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    // A newer binary applies D, which the older binary does not know.
    let mut newer = linear();
    newer.push(Rev {
        id: "d4d4d4d4d4d4",
        parents: &[C],
        message: "newer binary's revision",
        body: sql("upgrade", "CREATE TABLE newer (x INTEGER)")
            + &sql("downgrade", "DROP TABLE newer"),
    });
    Migrator::new(embed(newer))
        .upgrade_to_head(&db.url)
        .await
        .unwrap();

    let old = Migrator::new(embed(linear()));
    let err = old.upgrade_to_head(&db.url).await.unwrap_err();
    assert!(
        matches!(&err, Error::UnknownApplied { revisions } if revisions == &["d4d4d4d4d4d4"]),
        "{err}"
    );
    assert!(err.to_string().contains("d4d4d4d4d4d4"));

    // Allowed by configuration: start-up goes on.
    let tolerant = Migrator::new(embed(linear())).allow_unknown_revisions(true);
    assert!(tolerant
        .upgrade_to_head(&db.url)
        .await
        .unwrap()
        .revisions
        .is_empty());
    let history = old.history(&db.url).await.unwrap();
    assert!(
        !history
            .iter()
            .find(|h| h.id == "d4d4d4d4d4d4")
            .unwrap()
            .known
    );

    // The old binary can undo D with the downgrade the newer one recorded.
    let report = old.downgrade(&db.url, C).await.unwrap();
    assert_eq!(report.revisions, ["d4d4d4d4d4d4"]);
    assert!(!db.has_table("newer").await);
    assert_eq!(old.current(&db.url).await.unwrap(), [C]);
    db.drop_db().await;
}
on_all_databases!(unknown_revision);

/// An older binary undoes revisions it does not know that changed a table it knows
/// (added a column with an index, then altered a column): the schema it renders on
/// includes what the newer revisions did, rebuilt from the downgrades they recorded.
async fn unknown_schema_revisions_undone(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let newer = Migrator::new(embed(revisions::schema_ops()));
    newer.upgrade_to_head(&db.url).await.unwrap();
    db.exec("INSERT INTO accounts (name, email) VALUES ('ann', 'a@x')")
        .await
        .unwrap();
    let mut only_first = revisions::schema_ops();
    only_first.truncate(1);
    let old = Migrator::new(embed(only_first));
    let report = old.downgrade(&db.url, "5a5a5a5a5a5a").await.unwrap();
    assert_eq!(report.revisions, ["5c5c5c5c5c5c", "5b5b5b5b5b5b"]);
    assert_eq!(old.current(&db.url).await.unwrap(), ["5a5a5a5a5a5a"]);
    // The rows stayed, the column is gone, and the known revision's table works.
    assert_eq!(db.query_strings("SELECT name FROM accounts").await, ["ann"]);
    assert!(db.exec("SELECT email FROM accounts").await.is_err());
    old.upgrade_to_head(&db.url).await.unwrap();
    old.downgrade(&db.url, "base").await.unwrap();
    assert!(!db.has_table("accounts").await);
    db.drop_db().await;
}
on_all_databases!(unknown_schema_revisions_undone);

/// A stamp whose target the planner refuses is an error, not a silent empty stamp:
/// `head` with two heads names them.
async fn stamp_refuses_what_it_cannot_plan(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let mut two_heads = linear();
    two_heads.push(Rev {
        id: "e5e5e5e5e5e5",
        parents: &[B],
        message: "second branch",
        body: sql("upgrade", "SELECT 1") + &sql("downgrade", "SELECT 1"),
    });
    let m = Migrator::new(embed(two_heads));
    m.stamp(&db.url, B).await.unwrap();
    let err = m.stamp(&db.url, "head").await.unwrap_err();
    assert!(
        matches!(&err, Error::MultipleHeads { heads } if heads.len() == 2),
        "{err}"
    );
    assert_eq!(m.current(&db.url).await.unwrap(), [B]);
    // Back and forth still work.
    assert_eq!(m.stamp(&db.url, "-1").await.unwrap().revisions, [B]);
    assert_eq!(m.current(&db.url).await.unwrap(), [A]);
    m.stamp(&db.url, "heads").await.unwrap();
    assert_eq!(m.current(&db.url).await.unwrap(), [C, "e5e5e5e5e5e5"]);
    db.drop_db().await;
}
on_all_databases!(stamp_refuses_what_it_cannot_plan);

/// The runtime reads targets with the one parser: `REV+N` and `head-N` are steps,
/// not revision ids; a malformed target is refused before connecting.
async fn relative_targets(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let m = Migrator::new(embed(linear()));
    m.upgrade(&db.url, "a1a1+1").await.unwrap();
    assert_eq!(m.current(&db.url).await.unwrap(), [B]);
    m.upgrade_to_head(&db.url).await.unwrap();
    assert_eq!(m.downgrade(&db.url, "head-1").await.unwrap().revisions, [C]);
    assert_eq!(m.current(&db.url).await.unwrap(), [B]);
    let err = m.upgrade(&db.url, "+0").await.unwrap_err();
    assert!(err.to_string().contains("zero steps"), "{err}");
    db.drop_db().await;
}
on_all_databases!(relative_targets);

/// Table name configurable: two applications share a database with their own tables.
#[tokio::test]
async fn custom_table_name_sqlite() {
    let db = TestDb::new(Kind::Sqlite).await.unwrap();
    let m = Migrator::new(embed(linear())).table("app_versions");
    m.upgrade(&db.url, "+1").await.unwrap();
    assert_eq!(
        db.query_strings("SELECT version_num FROM app_versions")
            .await,
        [A]
    );
    assert_eq!(
        db.query_strings("SELECT revision FROM app_versions_log")
            .await,
        [A]
    );
    assert!(!db.has_table("migrate_version").await);
}

/// Dialect-neutral operations rendered for each database, with rows kept across a
/// type change (on SQLite a table rebuild under a foreign key), and undone again.
async fn schema_operations(kind: Kind) {
    let Some(db) = TestDb::new(kind).await else {
        return;
    };
    let m = Migrator::new(embed(revisions::schema_ops()));
    m.upgrade(&db.url, "+2").await.unwrap();
    db.exec("INSERT INTO accounts (name, email) VALUES ('ann', 'a@x')")
        .await
        .unwrap();
    db.exec("INSERT INTO orders (account_id) VALUES (1)")
        .await
        .unwrap();
    assert_eq!(
        m.upgrade_to_head(&db.url).await.unwrap().revisions,
        ["5c5c5c5c5c5c"]
    );
    assert_eq!(db.query_strings("SELECT name FROM accounts").await, ["ann"]);
    let long = "n".repeat(80);
    db.exec(&format!("INSERT INTO accounts (name) VALUES ('{long}')"))
        .await
        .unwrap();
    db.exec("DELETE FROM accounts WHERE id <> 1").await.unwrap();
    let report = m.downgrade(&db.url, "base").await.unwrap();
    assert_eq!(report.revisions.len(), 3);
    assert!(!db.has_table("accounts").await && !db.has_table("orders").await);
    db.drop_db().await;
}
on_all_databases!(schema_operations);

/// TLS: with the `tls-rustls` feature a run connects with `sslmode=require` (which, as
/// with libpq, encrypts without verifying the certificate) and its queries travel
/// encrypted. Without the feature sqlx refuses such a URL.
#[tokio::test]
async fn tls_postgres() {
    let Some(db) = TestDb::new(Kind::Postgres).await else {
        return;
    };
    let plain = sqlx::PgPool::connect(&db.url).await.unwrap();
    let ssl: String = sqlx::query_scalar("SHOW ssl")
        .fetch_one(&plain)
        .await
        .unwrap();
    plain.close().await;
    if ssl != "on" {
        eprintln!("SKIPPED: tls_postgres: this PostgreSQL server has ssl = {ssl}");
        db.drop_db().await;
        return;
    }
    let sep = if db.url.contains('?') { '&' } else { '?' };
    let url = format!("{}{sep}sslmode=require", db.url);
    let m = Migrator::new(embed(linear()));
    assert_eq!(m.upgrade(&url, "+1").await.unwrap().revisions, [A]);

    // One connection, so the run and the check below share it.
    let pool = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    assert_eq!(m.upgrade_to_head(&pool).await.unwrap().revisions, [B, C]);
    let encrypted: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert!(encrypted, "the connection is not encrypted");
    pool.close().await;
    db.drop_db().await;
}

/// SQLite: a revision that rebuilds a table runs with foreign keys off, so its rows are
/// checked before it is kept; one that leaves broken foreign keys is rolled back.
#[tokio::test]
async fn broken_foreign_keys_roll_back_sqlite() {
    let Some(db) = TestDb::new(Kind::Sqlite).await else {
        return;
    };
    let mut revs = revisions::schema_ops();
    revs[2].body = sql("upgrade", "DELETE FROM accounts") + &revs[2].body;
    let m = Migrator::new(embed(revs));
    m.upgrade(&db.url, "+2").await.unwrap();
    db.exec("INSERT INTO accounts (name, email) VALUES ('ann', 'a@x')")
        .await
        .unwrap();
    db.exec("INSERT INTO orders (account_id) VALUES (1)")
        .await
        .unwrap();
    let err = m.upgrade_to_head(&db.url).await.unwrap_err();
    assert!(
        matches!(&err, Error::RevisionFailed { revision, .. } if revision == "5c5c5c5c5c5c"),
        "{err}"
    );
    assert!(err.to_string().contains("broken foreign keys"), "{err}");
    assert_eq!(db.query_strings("SELECT name FROM accounts").await, ["ann"]);
    assert_eq!(m.current(&db.url).await.unwrap(), ["5b5b5b5b5b5b"]);
    db.drop_db().await;
}
