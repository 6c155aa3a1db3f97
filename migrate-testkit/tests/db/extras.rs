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
