//! Index shapes (partial, expression, method, included columns) and deferrable
//! foreign keys on the three servers, each where the database has them:
//! render → execute → introspect gives back exactly the schema asked for, and the
//! live check finds no drift, after the create, after the upgrade (a changed
//! predicate, new expression / method / INCLUDE indexes, a key made immediate)
//! and after the downgrade, with rows present throughout.

mod util;

#[path = "../../migrate-core/tests/fixtures/index_shape_ops.rs"]
mod index_shape_ops;

use migrate_core::dialect::DialectKind as Kind;
use migrate_core::{Operation, Schema};
use migrate_introspect::{check, IntrospectOptions};
use util::{count, run, step, throwaway, TestDb};

/// [`step`], then the live check of the result is clean.
async fn checked_step(db: &TestDb, schema: &mut Schema, ops: &[Operation], when: &str) {
    step(db, schema, ops, when).await;
    let drift = check(db.url(), schema, &IntrospectOptions::default())
        .await
        .unwrap();
    assert!(drift.is_empty(), "{:?} {when}: drift {drift:#?}", db.kind());
}

async fn index_shapes_round_trip(kind: Kind) {
    let Some(db) = throwaway(kind).await else {
        return;
    };
    let mut schema = Schema::new();
    checked_step(
        &db,
        &mut schema,
        &index_shape_ops::create_ops(kind),
        "after create",
    )
    .await;
    run(
        &db,
        &[
            "INSERT INTO account (id, email, tenant_id, deleted_at, bio) \
             VALUES (1, 'a@x', 1, NULL, 'first words'), (2, 'a@x', 1, '2024-01-01 00:00:00', NULL)"
                .into(),
            "INSERT INTO member (id, account_id) VALUES (1, 1)".into(),
        ],
    )
    .await
    .unwrap();

    if kind != Kind::MySql {
        // The partial unique index lets a deleted row share the live row's email...
        let dup = "INSERT INTO account (id, email, tenant_id) VALUES (3, 'a@x', 1)";
        assert!(run(&db, &[dup.into()]).await.is_err(), "{kind:?}: {dup}");
        // ...and the key is checked at commit: a member may come before its account.
        let deferred = [
            "BEGIN".to_string(),
            "INSERT INTO member (id, account_id) VALUES (2, 10)".into(),
            "INSERT INTO account (id, email, tenant_id) VALUES (10, 'b@x', 1)".into(),
            "COMMIT".into(),
        ];
        run(&db, &deferred).await.unwrap();
    }

    let changes = index_shape_ops::change_ops(kind);
    checked_step(&db, &mut schema, &changes, "after upgrade").await;
    if kind != Kind::MySql {
        // The key is now checked at each statement.
        let early = "INSERT INTO member (id, account_id) VALUES (3, 11)";
        assert!(
            run(&db, &[early.into()]).await.is_err(),
            "{kind:?}: {early}"
        );
    }
    let undo = Operation::invert_all(&changes).unwrap();
    checked_step(&db, &mut schema, &undo, "after downgrade").await;
    assert_eq!(
        count(&db, "SELECT count(*) FROM account").await,
        if kind == Kind::MySql { 2 } else { 3 },
        "{kind:?}: the rows survive"
    );

    let down = Operation::invert_all(&index_shape_ops::create_ops(kind)).unwrap();
    step(&db, &mut schema, &down, "after dropping").await;
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn index_shapes_round_trip_on_sqlite() {
    index_shapes_round_trip(Kind::Sqlite).await;
}

#[tokio::test]
async fn index_shapes_round_trip_on_postgres() {
    index_shapes_round_trip(Kind::Postgres).await;
}

#[tokio::test]
async fn index_shapes_round_trip_on_mysql() {
    index_shapes_round_trip(Kind::MySql).await;
}

/// A SPATIAL index on MariaDB (a NOT NULL geometry column): rendered, read back
/// with its method, no drift, dropped again.
#[tokio::test]
async fn spatial_index_round_trip_on_mysql() {
    use migrate_core::schema::{Index, IndexColumn, IndexMethod, PrimaryKey};
    use migrate_core::{Column, ColumnType, Table};
    let Some(db) = throwaway(Kind::MySql).await else {
        return;
    };
    let mut place = Table::new("place");
    place.columns = vec![
        Column::new("id", ColumnType::Integer),
        Column::new("pos", ColumnType::Raw("geometry".into())),
    ];
    place.primary_key = Some(PrimaryKey {
        name: "pk_place".into(),
        columns: vec!["id".into()],
    });
    place.indexes = vec![Index {
        name: "ix_place_pos".into(),
        columns: vec![IndexColumn::asc("pos")],
        method: Some(IndexMethod::Spatial),
        ..Default::default()
    }];
    let create = [Operation::CreateTable { table: place }];
    let mut schema = Schema::new();
    checked_step(&db, &mut schema, &create, "after create").await;
    run(
        &db,
        &["INSERT INTO place (id, pos) VALUES (1, ST_GeomFromText('POINT(1 1)'))".into()],
    )
    .await
    .unwrap();
    let down = Operation::invert_all(&create).unwrap();
    step(&db, &mut schema, &down, "after dropping").await;
    db.cleanup().await.unwrap();
}
