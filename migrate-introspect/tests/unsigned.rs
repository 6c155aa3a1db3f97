//! Unsigned integer columns on the three servers: render → execute → introspect
//! gives back exactly the schema asked for, after the upgrade (create, then every
//! change of `fixtures/unsigned_ops.rs`) and after the downgrade (the inverse);
//! the largest value of each width is stored and read back, and a negative one is
//! refused by the database.

mod util;

#[path = "../../migrate-core/tests/fixtures/unsigned_ops.rs"]
mod unsigned_ops;

use migrate_core::dialect::DialectKind as Kind;
use migrate_core::{Operation, Schema};
use util::{count, run, step, throwaway};

async fn unsigned_round_trip(kind: Kind) {
    let Some(db) = throwaway(kind).await else {
        return;
    };
    let mut schema = Schema::new();
    step(
        &db,
        &mut schema,
        &unsigned_ops::create_ops(),
        "after create",
    )
    .await;

    // The top of each range fits; u64's top only where the storage holds it.
    let hits_max = match kind {
        Kind::Sqlite => i64::MAX.to_string(),
        _ => u64::MAX.to_string(),
    };
    let insert = format!(
        "INSERT INTO counter (id, level, hits) VALUES ({}, 255, {hits_max})",
        u32::MAX
    );
    run(&db, &[insert]).await.unwrap();
    for bad in [
        "INSERT INTO counter (id, level) VALUES (1, 256)",
        "INSERT INTO counter (id, level) VALUES (2, -1)",
        "INSERT INTO counter (id, level, hits) VALUES (3, 0, -1)",
        "INSERT INTO counter (id, level) VALUES (-4, 0)",
    ] {
        assert!(
            run(&db, &[bad.to_string()]).await.is_err(),
            "{kind:?}: {bad} was accepted"
        );
    }

    let changes = unsigned_ops::change_ops();
    step(&db, &mut schema, &changes, "after upgrade").await;
    let undo = Operation::invert_all(&changes).unwrap();
    step(&db, &mut schema, &undo, "after downgrade").await;
    // The row kept its values through both.
    let kept = format!(
        "SELECT count(*) FROM counter WHERE id = {} AND level = 255 AND hits = {hits_max}",
        u32::MAX
    );
    assert_eq!(count(&db, &kept).await, 1, "{kind:?}: the row survives");

    let down = Operation::invert_all(&unsigned_ops::create_ops()).unwrap();
    step(&db, &mut schema, &down, "after dropping").await;
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn unsigned_columns_round_trip_on_sqlite() {
    unsigned_round_trip(Kind::Sqlite).await;
}

#[tokio::test]
async fn unsigned_columns_round_trip_on_postgres() {
    unsigned_round_trip(Kind::Postgres).await;
}

#[tokio::test]
async fn unsigned_columns_round_trip_on_mysql() {
    unsigned_round_trip(Kind::MySql).await;
}
