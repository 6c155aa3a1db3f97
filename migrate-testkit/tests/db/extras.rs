//! Rendered SQL for the less common cases, run for real: autoincrement added to a
//! column that already has rows, and a TEXT default on MySQL.

use migrate_core::dialect::{render_ops, DialectKind};
use migrate_core::{apply_all, Column, ColumnType, Operation, Schema, Table};

use crate::util::Db;

async fn autoincrement_added_later(kind: DialectKind) {
    let Some(test_db) = migrate_testkit::throwaway(kind).await else {
        return;
    };
    let mut db = Db::connect(kind, test_db.url()).await;
    let mut t = Table::new("Mixed Case");
    t.columns = vec![
        Column::new("id", ColumnType::Integer),
        Column::new("body", ColumnType::Text).default_sql("'it''s \\ fine'"),
    ];
    t.primary_key = Some(migrate_core::PrimaryKey {
        name: "pk_Mixed Case".into(),
        columns: vec!["id".into()],
    });
    let create = vec![Operation::CreateTable { table: t }];
    let mut schema = Schema::new();
    db.run_revision(&render_ops(kind, &schema, &create).unwrap())
        .await;
    apply_all(&mut schema, &create).unwrap();
    let (ins_ids, ins_default) = match kind {
        DialectKind::MySql => (
            "INSERT INTO `Mixed Case` (id) VALUES (1), (2), (3)",
            "INSERT INTO `Mixed Case` () VALUES ()",
        ),
        _ => (
            "INSERT INTO \"Mixed Case\" (id) VALUES (1), (2), (3)",
            "INSERT INTO \"Mixed Case\" DEFAULT VALUES",
        ),
    };
    db.exec(ins_ids).await;

    let from = schema.table("Mixed Case").unwrap().columns[0].state();
    let mut to = from.clone();
    to.autoincrement = true;
    let alter = vec![Operation::AlterColumn {
        table: "Mixed Case".into(),
        column: "id".into(),
        from,
        to,
    }];
    db.run_revision(&render_ops(kind, &schema, &alter).unwrap())
        .await;
    db.exec(ins_default).await;
    let rows = db
        .rows(match kind {
            DialectKind::MySql => "SELECT CAST(id AS CHAR), body FROM `Mixed Case` ORDER BY id",
            _ => "SELECT CAST(id AS TEXT), body FROM \"Mixed Case\" ORDER BY id",
        })
        .await;
    let last = rows.last().unwrap();
    assert_eq!(
        last[0].as_deref(),
        Some("4"),
        "{kind}: the next id follows the rows"
    );
    assert_eq!(
        last[1].as_deref(),
        Some("it's \\ fine"),
        "{kind}: text default"
    );
    drop(db);
    test_db.cleanup().await.unwrap();
}

#[tokio::test]
async fn postgres_autoincrement_added_later() {
    autoincrement_added_later(DialectKind::Postgres).await;
}

#[tokio::test]
async fn mysql_autoincrement_added_later() {
    autoincrement_added_later(DialectKind::MySql).await;
}

#[tokio::test]
async fn sqlite_autoincrement_added_later() {
    autoincrement_added_later(DialectKind::Sqlite).await;
}

/// Creating an index that covers a foreign key lets InnoDB drop the index it made
/// for the key; dropping the covering index again must keep the key indexed rather
/// than fail with error 1553. Run on every database: the undo must work everywhere.
async fn drop_index_covering_a_foreign_key(kind: DialectKind) {
    let Some(test_db) = migrate_testkit::throwaway(kind).await else {
        return;
    };
    let mut db = Db::connect(kind, test_db.url()).await;
    let mut posts = Table::new("posts");
    posts.columns = vec![Column::new("id", ColumnType::BigInt)];
    posts.primary_key = Some(migrate_core::PrimaryKey {
        name: "pk_posts".into(),
        columns: vec!["id".into()],
    });
    let mut comments = Table::new("comments");
    comments.columns = vec![
        Column::new("id", ColumnType::BigInt),
        Column::new("post_id", ColumnType::BigInt),
        Column::new("created_at", ColumnType::Timestamp),
    ];
    comments.primary_key = Some(migrate_core::PrimaryKey {
        name: "pk_comments".into(),
        columns: vec!["id".into()],
    });
    comments.foreign_keys = vec![migrate_core::ForeignKey {
        name: "fk_comments_post_id_posts".into(),
        columns: vec!["post_id".into()],
        ref_table: "posts".into(),
        ref_columns: vec!["id".into()],
        on_delete: migrate_core::FkAction::Cascade,
        on_update: migrate_core::FkAction::NoAction,
        ..Default::default()
    }];
    let index = migrate_core::Index {
        name: "ix_comments_post_id_created_at".into(),
        columns: vec![
            migrate_core::IndexColumn::asc("post_id"),
            migrate_core::IndexColumn {
                name: "created_at".into(),
                desc: true,
                ..Default::default()
            },
        ],
        unique: false,
        ..Default::default()
    };
    let mut schema = Schema::new();
    for ops in [
        vec![
            Operation::CreateTable { table: posts },
            Operation::CreateTable { table: comments },
        ],
        vec![Operation::CreateIndex {
            table: "comments".into(),
            index: index.clone(),
        }],
        vec![Operation::DropIndex {
            table: "comments".into(),
            index,
        }],
    ] {
        db.run_revision(&render_ops(kind, &schema, &ops).unwrap())
            .await;
        apply_all(&mut schema, &ops).unwrap();
    }
    // The key still works after the index is gone.
    db.exec("INSERT INTO posts (id) VALUES (1)").await;
    db.exec("INSERT INTO comments (id, post_id, created_at) VALUES (1, 1, '2026-01-01 00:00:00')")
        .await;
    db.exec("DELETE FROM posts").await;
    let rows = db.rows("SELECT id FROM comments").await;
    assert!(rows.is_empty(), "{kind}: the cascade still runs: {rows:?}");
    drop(db);
    test_db.cleanup().await.unwrap();
}

#[tokio::test]
async fn mysql_drop_index_covering_a_foreign_key() {
    drop_index_covering_a_foreign_key(DialectKind::MySql).await;
}

#[tokio::test]
async fn postgres_drop_index_covering_a_foreign_key() {
    drop_index_covering_a_foreign_key(DialectKind::Postgres).await;
}

#[tokio::test]
async fn sqlite_drop_index_covering_a_foreign_key() {
    drop_index_covering_a_foreign_key(DialectKind::Sqlite).await;
}
