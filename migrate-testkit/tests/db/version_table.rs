//! The version-table statements on real databases, through a branch and a merge:
//! heads move as Alembic's do, up and back down.

use crate::util::Db;
use migrate_core::dialect::version_table::{LogEntry, VersionTables};
use migrate_core::dialect::DialectKind;

async fn up(db: &mut Db, kind: DialectKind, t: &VersionTables, id: &str, parents: &[&str]) {
    let parents: Vec<String> = parents.iter().map(|p| p.to_string()).collect();
    let mut statements = t.add_head(kind, id, &parents);
    statements.push(t.insert_log(
        kind,
        &LogEntry {
            revision: id,
            parents: &parents,
            message: "m",
            checksum: None,
            duration_ms: Some(3),
            downgrade: "",
            state: "applied",
        },
    ));
    db.run_revision(&statements).await;
}

async fn down(db: &mut Db, kind: DialectKind, t: &VersionTables, id: &str, parents: &[&str]) {
    let parents: Vec<String> = parents.iter().map(|p| p.to_string()).collect();
    let mut statements = vec![t.delete_log(kind, id)];
    statements.extend(t.remove_head(kind, id, &parents));
    db.run_revision(&statements).await;
}

async fn branch_and_merge(kind: DialectKind) {
    let Some(test_db) = migrate_testkit::throwaway(kind).await else {
        return;
    };
    let mut db = Db::connect(kind, test_db.url()).await;
    let t = VersionTables::new("Version Table");
    db.run_revision(&t.create(kind)).await;
    // Creating again is harmless.
    db.run_revision(&t.create(kind)).await;
    let heads = t.select_heads(kind);

    up(&mut db, kind, &t, "a", &[]).await;
    assert_eq!(db.column(&heads).await, ["a"], "{kind}");
    db.run_revision(&[t.set_state(kind, "a", "dirty", Some(2), Some("it's \\ broken"))])
        .await;
    let log = db.rows(&t.select_log(kind)).await;
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        log[0][..7],
        [
            s("a"),
            s(""),
            s("m"),
            None,
            s("dirty"),
            s("2"),
            s("it's \\ broken")
        ],
        "{kind}: log row after a failure"
    );
    db.run_revision(&[t.set_state(kind, "a", "applied", None, None)])
        .await;
    up(&mut db, kind, &t, "b", &["a"]).await;
    up(&mut db, kind, &t, "c", &["a"]).await;
    assert_eq!(db.column(&heads).await, ["b", "c"], "{kind}: two branches");
    up(&mut db, kind, &t, "d", &["b", "c"]).await;
    assert_eq!(db.column(&heads).await, ["d"], "{kind}: merged");

    down(&mut db, kind, &t, "d", &["b", "c"]).await;
    assert_eq!(db.column(&heads).await, ["b", "c"], "{kind}: unmerged");
    down(&mut db, kind, &t, "c", &["a"]).await;
    assert_eq!(db.column(&heads).await, ["b"], "{kind}: a is still below b");
    down(&mut db, kind, &t, "b", &["a"]).await;
    assert_eq!(db.column(&heads).await, ["a"], "{kind}");
    down(&mut db, kind, &t, "a", &[]).await;
    assert!(db.column(&heads).await.is_empty(), "{kind}");

    db.run_revision(&t.replace_heads(kind, &["x".into(), "y".into()]))
        .await;
    assert_eq!(db.column(&heads).await, ["x", "y"], "{kind}: replaced");
    let ids = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let moves = t.change_heads(kind, &ids(&["x", "y"]), &ids(&["x", "z"]));
    assert_eq!(moves.len(), 1, "{kind}: one head replaced by one UPDATE");
    db.run_revision(&moves).await;
    assert_eq!(db.column(&heads).await, ["x", "z"], "{kind}: y moved to z");
    db.run_revision(&t.change_heads(kind, &ids(&["x", "z"]), &ids(&["w"])))
        .await;
    assert_eq!(db.column(&heads).await, ["w"], "{kind}: merged into w");
    db.run_revision(&t.change_heads(kind, &ids(&["w"]), &ids(&["u", "v", "w"])))
        .await;
    assert_eq!(db.column(&heads).await, ["u", "v", "w"], "{kind}: added");
    db.run_revision(&t.replace_heads(kind, &[])).await;
    assert!(db.column(&heads).await.is_empty(), "{kind}: emptied");
    drop(db);
    test_db.cleanup().await.unwrap();
}

/// A row written `dirty` before a revision's statements and finished after them gets
/// the database's measure of the time between, and its texts come back exactly even
/// when the session treats backslashes otherwise than the default.
async fn finish_and_exact_texts(kind: DialectKind) {
    let Some(test_db) = migrate_testkit::throwaway(kind).await else {
        return;
    };
    let mut db = Db::connect(kind, test_db.url()).await;
    let t = VersionTables::default();
    db.run_revision(&t.create(kind)).await;
    match kind {
        DialectKind::Postgres => db.exec("SET standard_conforming_strings = off").await,
        DialectKind::MySql => {
            db.exec("SET SESSION sql_mode = CONCAT(@@sql_mode, ',NO_BACKSLASH_ESCAPES')")
                .await
        }
        DialectKind::Sqlite => {}
    }
    let text = "it's C:\\dir\\ and $$ \"q\" \n naïve";
    let parents = vec![];
    let insert = t.insert_log(
        kind,
        &LogEntry {
            revision: "a",
            parents: &parents,
            message: text,
            checksum: Some("sha256:00"),
            duration_ms: None,
            downgrade: text,
            state: "dirty",
        },
    );
    db.run_revision(&[insert]).await;
    let pause = match kind {
        DialectKind::Postgres => "SELECT pg_sleep(0.05)",
        DialectKind::MySql => "DO SLEEP(0.05)",
        // No sleep function: a recursive count of some milliseconds.
        DialectKind::Sqlite => {
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) \
             SELECT count(*) FROM n"
        }
    };
    db.exec(pause).await;
    db.run_revision(&[t.finish_log(kind, "a")]).await;
    let log = db.rows(&t.select_log(kind)).await;
    let s = |v: &str| Some(v.to_string());
    assert_eq!(log[0][2], s(text), "{kind}: message");
    assert_eq!(log[0][7], s(text), "{kind}: downgrade");
    assert_eq!(log[0][4], s("applied"), "{kind}: state");
    let duration = db
        .column("SELECT duration_ms FROM migrate_version_log")
        .await;
    let ms: i64 = duration[0].parse().unwrap();
    if kind != DialectKind::Sqlite {
        assert!(
            (40..5000).contains(&ms),
            "{kind}: duration {ms} ms after a 50 ms pause"
        );
    } else {
        assert!((0..5000).contains(&ms), "{kind}: duration {ms} ms");
    }
    drop(db);
    test_db.cleanup().await.unwrap();
}

/// Log rows recorded together at the end of a run keep the durations measured for them
/// and times that many milliseconds before the statement, in order.
async fn rows_recorded_at_the_end(kind: DialectKind) {
    let Some(test_db) = migrate_testkit::throwaway(kind).await else {
        return;
    };
    let mut db = Db::connect(kind, test_db.url()).await;
    let t = VersionTables::new("migrate_version");
    db.run_revision(&t.create(kind)).await;
    let none = vec![];
    let a = vec!["a".to_string()];
    let entry = |revision, parents, duration_ms| LogEntry {
        revision,
        parents,
        message: "it's",
        checksum: Some("sha256:00"),
        duration_ms: Some(duration_ms),
        downgrade: "[[downgrade]]\nop = \"sql\"\nsql = 'x'\n",
        state: "applied",
    };
    let insert = t.insert_logs_finished(
        kind,
        &[(entry("a", &none, 7), 2500), (entry("b", &a, 11), 0)],
    );
    db.run_revision(&[insert]).await;
    let rows = db
        .rows("SELECT revision, duration_ms, parents, downgrade FROM migrate_version_log ORDER BY applied_at")
        .await;
    let s = |v: &str| Some(v.to_string());
    assert_eq!(rows[0][..3], [s("a"), s("7"), s("")], "{kind}");
    assert_eq!(rows[1][..3], [s("b"), s("11"), s("a")], "{kind}");
    assert_eq!(
        rows[0][3],
        s("[[downgrade]]\nop = \"sql\"\nsql = 'x'\n"),
        "{kind}"
    );
    // `a` finished 2.5 s before the statement, `b` at it.
    let gap = match kind {
        DialectKind::Postgres => "SELECT CAST(EXTRACT(EPOCH FROM MAX(applied_at) - MIN(applied_at)) * 1000 AS BIGINT) FROM migrate_version_log",
        DialectKind::MySql => "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(applied_at), MAX(applied_at)) DIV 1000 FROM migrate_version_log",
        DialectKind::Sqlite => "SELECT CAST(ROUND((julianday(MAX(applied_at)) - julianday(MIN(applied_at))) * 86400000) AS INTEGER) FROM migrate_version_log",
    };
    let gap: i64 = db.column(gap).await[0].parse().unwrap();
    assert!(
        (2400..2600).contains(&gap),
        "{kind}: {gap} ms between the rows"
    );
    drop(db);
    test_db.cleanup().await.unwrap();
}

#[tokio::test]
async fn sqlite_rows_recorded_at_the_end() {
    rows_recorded_at_the_end(DialectKind::Sqlite).await;
}

#[tokio::test]
async fn postgres_rows_recorded_at_the_end() {
    rows_recorded_at_the_end(DialectKind::Postgres).await;
}

#[tokio::test]
async fn mysql_rows_recorded_at_the_end() {
    rows_recorded_at_the_end(DialectKind::MySql).await;
}

#[tokio::test]
async fn sqlite_log_finish_and_exact_texts() {
    finish_and_exact_texts(DialectKind::Sqlite).await;
}

#[tokio::test]
async fn postgres_log_finish_and_exact_texts() {
    finish_and_exact_texts(DialectKind::Postgres).await;
}

#[tokio::test]
async fn mysql_log_finish_and_exact_texts() {
    finish_and_exact_texts(DialectKind::MySql).await;
}

#[tokio::test]
async fn sqlite_heads_through_branch_and_merge() {
    branch_and_merge(DialectKind::Sqlite).await;
}

#[tokio::test]
async fn postgres_heads_through_branch_and_merge() {
    branch_and_merge(DialectKind::Postgres).await;
}

#[tokio::test]
async fn mysql_heads_through_branch_and_merge() {
    branch_and_merge(DialectKind::MySql).await;
}
