//! Per-database types, generated columns, collations and `ON UPDATE` on the three
//! servers: render → execute → introspect gives back exactly the schema asked for
//! after the create, after the upgrade (`fixtures/column_extras_ops.rs`) and
//! after the downgrade (its inverse), with a row present throughout: generated
//! values are computed (and computed again after a new expression), a column that
//! stops being generated keeps its values, and each collation compares as its
//! database says.

mod util;

#[path = "../../migrate-core/tests/fixtures/column_extras_ops.rs"]
mod column_extras_ops;

use migrate_core::dialect::DialectKind as Kind;
use migrate_core::{Operation, Schema};
use util::{count, run, throwaway, TestDb};

/// [`util::step`], except on PostgreSQL, where a column whose generation changes
/// is dropped and added again at the end of the table (PostgreSQL 15 can neither
/// change a generation expression nor reorder columns): there the columns are
/// compared by name, as the drift check does.
async fn step(db: &TestDb, schema: &mut Schema, ops: &[Operation], when: &str) {
    if db.kind() != Kind::Postgres {
        return util::step(db, schema, ops, when).await;
    }
    let sql: Vec<String> = migrate_core::dialect::render_ops(db.kind(), schema, ops)
        .unwrap()
        .into_iter()
        .map(|s| s.sql)
        .collect();
    run(db, &sql).await.unwrap();
    migrate_core::apply_all(schema, ops).unwrap();
    let by_name = |s: Schema| {
        let mut s = migrate_introspect::normalize_schema(&s);
        for t in s.tables.values_mut() {
            t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        }
        s
    };
    let options = migrate_introspect::IntrospectOptions::default();
    let live = migrate_introspect::introspect(db.url(), &options)
        .await
        .unwrap();
    let want = migrate_introspect::storable(db.kind(), schema);
    assert_eq!(by_name(live), by_name(want), "{:?} {when}", db.kind());
}

async fn column_extras_round_trip(kind: Kind) {
    let Some(db) = throwaway(kind).await else {
        return;
    };
    let mut schema = Schema::new();
    step(
        &db,
        &mut schema,
        &column_extras_ops::create_ops(kind),
        "after create",
    )
    .await;
    let tags = match kind {
        Kind::Postgres => "'{a,b}'",
        Kind::MySql => "'[\"a\", \"b\"]'",
        Kind::Sqlite => "'a,b'",
    };
    run(
        &db,
        &[format!(
            "INSERT INTO items (price, qty, label, tags, addr) VALUES (3, 4, 'Ab', {tags}, '10.0.0.1')"
        )],
    )
    .await
    .unwrap();
    let row = |cond: &str| format!("SELECT count(*) FROM items WHERE {cond}");
    assert_eq!(
        count(&db, &row("total = 12 AND doubled = 8 AND shout = 'Ab!'")).await,
        1,
        "{kind:?}: generated values computed"
    );
    // Each database's collation: NOCASE and utf8mb4_bin, then RTRIM and a
    // case-insensitive one after the upgrade.
    // NOCASE and utf8mb4_unicode_ci ignore case, PostgreSQL's "C" does not.
    let ignores_case = kind != Kind::Postgres;
    assert_eq!(
        count(&db, &row("label = 'ab'")).await,
        i64::from(ignores_case),
        "{kind:?}: the collation decides"
    );

    let changes = column_extras_ops::change_ops(kind);
    step(&db, &mut schema, &changes, "after upgrade").await;
    assert_eq!(
        count(
            &db,
            &row("total = 13 AND doubled = 8 AND fewer = 3 AND sum = 7")
        )
        .await,
        1,
        "{kind:?}: new expressions computed, the old generated value kept"
    );
    if kind == Kind::MySql {
        // latin1_general_cs: another character set, and case-sensitive.
        assert_eq!(
            count(&db, &row("label = 'ab'")).await,
            0,
            "latin1_general_cs"
        );
    }

    let undo = Operation::invert_all(&changes).unwrap();
    step(&db, &mut schema, &undo, "after downgrade").await;
    assert_eq!(
        count(&db, &row("total = 12 AND doubled = 8 AND shout = 'Ab!'")).await,
        1,
        "{kind:?}: the row survives the downgrade, computed again"
    );
    if kind == Kind::MySql {
        run(
            &db,
            &[
                "UPDATE items SET touched_at = '2000-01-01'".to_string(),
                "UPDATE items SET price = 5".to_string(),
            ],
        )
        .await
        .unwrap();
        assert_eq!(
            count(&db, &row("touched_at > '2001-01-01' AND total = 20")).await,
            1,
            "ON UPDATE sets the timestamp"
        );
    }

    let down = Operation::invert_all(&column_extras_ops::create_ops(kind)).unwrap();
    step(&db, &mut schema, &down, "after dropping").await;
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn column_extras_round_trip_on_sqlite() {
    column_extras_round_trip(Kind::Sqlite).await;
}

#[tokio::test]
async fn column_extras_round_trip_on_postgres() {
    column_extras_round_trip(Kind::Postgres).await;
}

#[tokio::test]
async fn column_extras_round_trip_on_mysql() {
    column_extras_round_trip(Kind::MySql).await;
}
