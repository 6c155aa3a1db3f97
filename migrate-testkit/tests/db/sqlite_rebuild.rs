//! The SQLite table rebuild against a real database: another table's foreign key
//! into the rebuilt table survives with its rows (even with ON DELETE CASCADE),
//! `PRAGMA foreign_key_check` stays clean, and a rebuild that would leave broken
//! references fails and rolls back.

use crate::util::Db;
use migrate_core::dialect::{dialect, render_ops, DialectKind};
use migrate_core::schema::Check;
use migrate_core::{apply_all, ColumnType, Operation, Schema};

const KIND: DialectKind = DialectKind::Sqlite;

async fn with_users_and_orders() -> (migrate_testkit::TestDb, Db, Schema) {
    let test_db = migrate_testkit::throwaway(KIND).await.unwrap();
    let mut db = Db::connect(KIND, test_db.url()).await;
    let create = crate::every_op::create_ops();
    let mut schema = Schema::new();
    db.run_revision(&render_ops(KIND, &schema, &create).unwrap())
        .await;
    apply_all(&mut schema, &create).unwrap();
    db.exec(
        "INSERT INTO \"user\" (id, \"Mixed Case\") VALUES (1, 'a'), (2, 'b');
         INSERT INTO \"order\" (id, user_id, qty) VALUES (10, 1, 1), (11, 2, 2), (12, 2, 3);",
    )
    .await;
    (test_db, db, schema)
}

#[tokio::test]
async fn rebuilding_a_referenced_table_keeps_references_and_rows() {
    let (_test_db, mut db, mut schema) = with_users_and_orders().await;
    // A type change on `user` is a rebuild; `order` references `user` with
    // ON DELETE CASCADE, which a DROP TABLE with enforcement on would fire.
    let user = schema.table("user").unwrap();
    let from = user.column("Mixed Case").unwrap().state();
    let mut to = from.clone();
    to.ty = ColumnType::Text;
    let ops = vec![Operation::AlterColumn {
        table: "user".into(),
        column: "Mixed Case".into(),
        from,
        to,
    }];
    let statements = render_ops(KIND, &schema, &ops).unwrap();
    assert!(dialect(KIND).needs_rebuild(&ops[0], &schema));
    assert!(statements.iter().all(|s| s.foreign_keys_off));
    db.run_revision(&statements).await;
    apply_all(&mut schema, &ops).unwrap();

    assert_eq!(
        db.column("SELECT CAST(count(*) AS TEXT) FROM \"order\"")
            .await,
        vec!["3"],
        "no order was deleted by the rebuild"
    );
    assert_eq!(
        db.column("SELECT \"table\" FROM pragma_foreign_key_list('order')")
            .await,
        vec!["user"],
        "order's foreign key still names user, not the temporary table"
    );
    assert!(
        db.column("SELECT \"table\" FROM pragma_foreign_key_check")
            .await
            .is_empty(),
        "PRAGMA foreign_key_check is clean"
    );
    let tables = db.tables().await;
    assert!(
        !tables.iter().any(|t| t.starts_with("_migrate")),
        "no temporary table left: {tables:?}"
    );
    // Enforcement is back on after the revision, and the key still acts.
    db.exec("DELETE FROM \"user\" WHERE id = 2").await;
    assert_eq!(
        db.column("SELECT CAST(count(*) AS TEXT) FROM \"order\"")
            .await,
        vec!["1"],
        "cascade from user to order works after the rebuild"
    );
    let sql = db
        .column("SELECT sql FROM sqlite_master WHERE name = 'user'")
        .await
        .remove(0);
    assert!(sql.contains("\"Mixed Case\" TEXT"), "{sql}");
}

#[tokio::test]
async fn a_rebuild_that_leaves_broken_references_fails_and_rolls_back() {
    let (_test_db, mut db, schema) = with_users_and_orders().await;
    // An order pointing at no user, slipped in with enforcement off.
    db.exec("PRAGMA foreign_keys = OFF; INSERT INTO \"order\" (id, user_id, qty) VALUES (13, 99, 1); PRAGMA foreign_keys = ON;")
        .await;
    let ops = vec![Operation::AddCheck {
        table: "order".into(),
        check: Check {
            name: "ck_order_qty_small".into(),
            expr: "qty < 100".into(),
        },
    }];
    let statements = render_ops(KIND, &schema, &ops).unwrap();
    let Db::Lite(conn) = &mut db else {
        unreachable!()
    };
    sqlx::raw_sql("PRAGMA foreign_keys = OFF; BEGIN")
        .execute(&mut *conn)
        .await
        .unwrap();
    let mut failure = None;
    for s in &statements {
        if let Err(e) = sqlx::raw_sql(&s.sql).execute(&mut *conn).await {
            failure = Some(e.to_string());
            break;
        }
    }
    let failure = failure.expect("the foreign-key check must fail the rebuild");
    assert!(
        failure.contains("no broken foreign keys after rebuilding order"),
        "{failure}"
    );
    sqlx::raw_sql("ROLLBACK; PRAGMA foreign_keys = ON")
        .execute(&mut *conn)
        .await
        .unwrap();
    let sql = db
        .column("SELECT sql FROM sqlite_master WHERE name = 'order'")
        .await
        .remove(0);
    assert!(!sql.contains("ck_order_qty_small"), "rolled back: {sql}");
    assert_eq!(
        db.column("SELECT CAST(count(*) AS TEXT) FROM \"order\"")
            .await,
        vec!["4"]
    );
}
