//! Real-database tests of the dialects: every operation kind applied to a real
//! SQLite, PostgreSQL and MariaDB/MySQL database, with rows inserted before and
//! after; the data must survive and the catalog must show the schema asked for.
//! SQLite always runs; the servers run when their URL variables are set.

use crate::util::{assert_catalog_matches, Db};
use migrate_core::dialect::{dialect, render_ops, DialectKind};
use migrate_core::{apply_all, Schema};

/// `INSERT INTO t (cols) VALUES (...)` with names quoted for `kind`.
fn insert(kind: DialectKind, table: &str, cols: &[&str], values: &[&str]) -> String {
    let d = dialect(kind);
    let cols: Vec<String> = cols.iter().map(|c| d.quote_ident(c)).collect();
    format!(
        "INSERT INTO {} ({}) VALUES ({})",
        d.quote_ident(table),
        cols.join(", "),
        values.join(", ")
    )
}

/// `expr` cast to text, so every database returns it as a string.
fn text(kind: DialectKind, expr: &str) -> String {
    match kind {
        DialectKind::Postgres => format!("CAST({expr} AS TEXT)"),
        DialectKind::MySql => format!("CAST({expr} AS CHAR)"),
        DialectKind::Sqlite => format!("CAST({expr} AS TEXT)"),
    }
}

async fn every_operation(kind: DialectKind) {
    let Some(test_db) = migrate_testkit::throwaway(kind).await else {
        return;
    };
    let mut db = Db::connect(kind, test_db.url()).await;
    let lit = |s: &str| dialect(kind).quote_literal(s);

    // Create, then rows before the changes.
    let create = crate::every_op::create_ops();
    let mut schema = Schema::new();
    db.run_revision(&render_ops(kind, &schema, &create).unwrap())
        .await;
    apply_all(&mut schema, &create).unwrap();
    let user_cols = ["id", "Mixed Case", "naïve"];
    let order_cols = ["id", "user_id", "qty", "select"];
    for sql in [
        insert(
            kind,
            "user",
            &user_cols,
            &["1", &lit("it's"), &lit("naïve ü")],
        ),
        insert(
            kind,
            "user",
            &user_cols,
            &["2", &lit("back\\slash"), "NULL"],
        ),
        insert(kind, "order", &order_cols, &["10", "1", "3", "true"]),
        insert(kind, "order", &order_cols, &["11", "2", "5", "false"]),
        insert(kind, "order", &order_cols, &["12", "NULL", "0", "true"]),
    ] {
        db.exec(&sql).await;
    }

    // Every other operation kind, as one revision.
    let changes = crate::every_op::change_ops();
    let statements = render_ops(kind, &schema, &changes).unwrap();
    db.run_revision(&statements).await;
    apply_all(&mut schema, &changes).unwrap();

    // Rows after: defaults of the new shape apply.
    db.exec(&insert(kind, "user", &["id"], &["3"])).await;
    db.exec(&insert(kind, "order", &["id", "user_id"], &["13", "3"]))
        .await;

    let q = |n: &str| dialect(kind).quote_ident(n);
    let users = db
        .rows(&format!(
            "SELECT {}, {}, {} FROM {} ORDER BY {}",
            text(kind, &q("id")),
            q("Mixed Case"),
            q("naïve"),
            q("user"),
            q("id")
        ))
        .await;
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        users,
        vec![
            vec![s("1"), s("it's"), s("naïve ü")],
            vec![s("2"), s("back\\slash"), None],
            vec![s("3"), s("it's"), None],
        ],
        "{kind}: users survive, with the default for the new row"
    );
    let orders = db
        .rows(&format!(
            "SELECT {}, {}, {} FROM {} ORDER BY {}",
            text(kind, &q("id")),
            text(kind, &q("user_id")),
            text(kind, &q("qty")),
            q("order"),
            q("id")
        ))
        .await;
    assert_eq!(
        orders,
        vec![
            vec![s("10"), s("1"), s("4")],
            vec![s("11"), s("2"), s("6")],
            vec![s("12"), None, s("1")],
            vec![s("13"), s("3"), s("1")],
        ],
        "{kind}: orders survive (raw SQL added 1 to qty; new rows get default 1)"
    );

    assert_catalog_matches(&mut db, kind, &schema, &[]).await;
    let qty = db
        .columns("order")
        .await
        .into_iter()
        .find(|c| c.name == "qty")
        .unwrap();
    assert!(
        qty.ty.starts_with("bigint"),
        "{kind}: qty is now {}",
        qty.ty
    );

    // The foreign key still acts: deleting a user deletes its orders (cascade).
    db.exec(&format!("DELETE FROM {} WHERE {} = 1", q("user"), q("id")))
        .await;
    let left = db
        .column(&format!(
            "SELECT {} FROM {}",
            text(kind, "count(*)"),
            q("order")
        ))
        .await;
    assert_eq!(
        left,
        vec!["3".to_string()],
        "{kind}: cascade removed order 10"
    );

    if kind != DialectKind::Sqlite {
        let comment_sql = match kind {
            DialectKind::Postgres => "SELECT obj_description('\"user\"'::regclass, 'pg_class')",
            _ => {
                "SELECT CAST(table_comment AS CHAR) FROM information_schema.tables \
                  WHERE table_schema = DATABASE() AND table_name = 'user'"
            }
        };
        assert_eq!(
            db.column(comment_sql).await,
            vec!["people's \\ table".to_string()],
            "{kind}: table comment with quote and backslash"
        );
    }

    // Undo the changes made to `user` and `order` (the inverse of each operation,
    // in reverse order): the schema goes back to the created one, the rows stay.
    let first_select = changes
        .iter()
        .position(|op| matches!(op, migrate_core::Operation::CreateTable { .. }))
        .unwrap();
    let undo = migrate_core::Operation::invert_all(&changes[..first_select]).unwrap();
    let mut before_undo = Schema::new();
    apply_all(&mut before_undo, &create).unwrap();
    apply_all(&mut before_undo, &changes[..first_select]).unwrap();
    // The later changes only touched `select`/`sélection` and `order.remark`.
    let mut current = before_undo.clone();
    current
        .tables
        .get_mut("order")
        .unwrap()
        .columns
        .retain(|c| c.name != "remark");
    let remark = migrate_core::Operation::AddColumn {
        table: "order".into(),
        column: before_undo
            .table("order")
            .unwrap()
            .column("remark")
            .unwrap()
            .clone(),
    };
    let mut undo_all = vec![remark];
    undo_all.extend(undo);
    db.run_revision(&render_ops(kind, &current, &undo_all).unwrap())
        .await;
    let mut created = Schema::new();
    apply_all(&mut created, &create).unwrap();
    assert_catalog_matches(&mut db, kind, &created, &[]).await;
    let users_left = db
        .column(&format!(
            "SELECT {} FROM {} ORDER BY 1",
            text(kind, &q("id")),
            q("user")
        ))
        .await;
    assert_eq!(users_left, ["2", "3"], "{kind}: rows survive the undo");
    if kind != DialectKind::Sqlite {
        let comment_sql = match kind {
            DialectKind::Postgres => "SELECT col_description('\"user\"'::regclass, 3)".to_string(),
            _ => "SELECT CAST(column_comment AS CHAR) FROM information_schema.columns \
                  WHERE table_schema = DATABASE() AND table_name = 'user' \
                  AND column_name = 'naïve'"
                .to_string(),
        };
        assert_eq!(
            db.column(&comment_sql).await,
            ["it's a \\ comment"],
            "{kind}: column comment restored"
        );
    }
    drop(db);
    test_db.cleanup().await.unwrap();
}

#[tokio::test]
async fn sqlite_every_operation() {
    every_operation(DialectKind::Sqlite).await;
}

#[tokio::test]
async fn postgres_every_operation() {
    every_operation(DialectKind::Postgres).await;
}

#[tokio::test]
async fn mysql_every_operation() {
    every_operation(DialectKind::MySql).await;
}
