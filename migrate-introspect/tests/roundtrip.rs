//! Render → execute → introspect gives back the same schema, on all three
//! databases, for a bounded corpus of generated schemas ([`util::schema_gen`]):
//! no false drift. `MIGRATE_PROPTEST_CASES` raises the number of cases.

mod util;

use migrate_core::dialect::DialectKind as Kind;
use migrate_core::Schema;
use migrate_introspect::{introspect, normalize_schema, schema_ops, IntrospectOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use util::schema_gen::{cases, schemas};
use util::{execute_all, render, throwaway};

/// What `kind` can keep of `schema`.
fn expected(kind: Kind, schema: &Schema) -> Schema {
    normalize_schema(&migrate_introspect::storable(kind, schema))
}

async fn round_trip(kind: Kind, schema: &Schema) -> Result<(), TestCaseError> {
    let Some(db) = throwaway(kind).await else {
        return Ok(());
    };
    execute_all(&db, &render(kind, schema)).await;
    let live = introspect(db.url(), &IntrospectOptions::default()).await;
    db.cleanup().await.unwrap();
    let live = live.map_err(|e| TestCaseError::fail(e.to_string()))?;
    let want = expected(kind, schema);
    // What `check` reports: checks the database stored in its own spelling
    // (`length((c0)::text)`, `octet_length(c0)`) are the model's checks.
    let drift = schema_ops(&live, &want);
    prop_assert!(drift.is_empty(), "{:?}: drift {:#?}", kind, drift);
    // Everything but check spellings is equal as read.
    let mut live = normalize_schema(&live);
    let mut want = want;
    for t in live.tables.values_mut().chain(want.tables.values_mut()) {
        t.checks.clear();
    }
    prop_assert_eq!(&live, &want, "{:?}", kind);
    Ok(())
}

fn run(kind: Kind, cases: u32) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&schemas(), |schema| rt.block_on(round_trip(kind, &schema)))
        .unwrap();
}

#[test]
fn generated_schemas_round_trip_on_sqlite() {
    run(Kind::Sqlite, cases(48));
}

#[test]
fn generated_schemas_round_trip_on_postgres() {
    run(Kind::Postgres, cases(32));
}

#[test]
fn generated_schemas_round_trip_on_mysql() {
    run(Kind::MySql, cases(32));
}
