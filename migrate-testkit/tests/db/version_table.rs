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
    drop(db);
    test_db.cleanup().await.unwrap();
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
