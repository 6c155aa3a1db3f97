//! Helpers for the integration tests: throwaway databases (from `migrate-testkit`)
//! and running statements on them.

#![allow(dead_code)]

pub mod schema_gen;

use migrate_core::dialect::{render_ops, DialectKind};
use migrate_core::{apply_all, Operation, Schema};
use migrate_introspect::{introspect, normalize_schema, IntrospectOptions};
use sqlx::Connection;

pub use migrate_testkit::{throwaway, TestDb};

/// The three databases.
pub const ALL: [DialectKind; 3] = [
    DialectKind::Postgres,
    DialectKind::MySql,
    DialectKind::Sqlite,
];

/// The statements the core's dialect renders to create `schema` from nothing.
pub fn render(kind: DialectKind, schema: &Schema) -> Vec<String> {
    let ops = migrate_core::diff::diff(&Schema::new(), schema);
    render_ops(kind, &Schema::new(), &ops)
        .unwrap_or_else(|e| panic!("{kind:?}: cannot render {schema:#?}: {e}"))
        .into_iter()
        .map(|s| s.sql)
        .collect()
}

/// Runs each statement in order on `db`, panicking with the statement on failure.
pub async fn execute_all(db: &TestDb, statements: &[String]) {
    macro_rules! run {
        ($conn:ty) => {{
            let mut c = <$conn>::connect(db.url()).await.unwrap();
            for s in statements {
                sqlx::raw_sql(s)
                    .execute(&mut c)
                    .await
                    .unwrap_or_else(|e| panic!("{s}: {e}"));
            }
        }};
    }
    match db.kind() {
        DialectKind::Postgres => run!(sqlx::PgConnection),
        DialectKind::MySql => run!(sqlx::MySqlConnection),
        DialectKind::Sqlite => run!(sqlx::SqliteConnection),
    }
}

/// Runs `sql` on `db`: each statement in order, stopping at the first error.
pub async fn run(db: &TestDb, sql: &[String]) -> Result<(), String> {
    macro_rules! run {
        ($conn:ty) => {{
            let mut c = <$conn>::connect(db.url()).await.unwrap();
            for s in sql {
                sqlx::raw_sql(s)
                    .execute(&mut c)
                    .await
                    .map_err(|e| format!("{s}: {e}"))?;
            }
            Ok(())
        }};
    }
    match db.kind() {
        DialectKind::Postgres => run!(sqlx::PgConnection),
        DialectKind::MySql => run!(sqlx::MySqlConnection),
        DialectKind::Sqlite => run!(sqlx::SqliteConnection),
    }
}

/// The count `sql` (a `SELECT count(*)`) returns.
pub async fn count(db: &TestDb, sql: &str) -> i64 {
    macro_rules! count {
        ($conn:ty) => {{
            let mut c = <$conn>::connect(db.url()).await.unwrap();
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&mut c)
                .await
                .unwrap_or_else(|e| panic!("{sql}: {e}"))
        }};
    }
    match db.kind() {
        DialectKind::Postgres => count!(sqlx::PgConnection),
        DialectKind::MySql => count!(sqlx::MySqlConnection),
        DialectKind::Sqlite => count!(sqlx::SqliteConnection),
    }
}

/// Applies `ops` to the database and to `schema`, then compares the live schema
/// with `schema` exactly.
pub async fn step(db: &TestDb, schema: &mut Schema, ops: &[Operation], when: &str) {
    let kind = db.kind();
    let sql: Vec<String> = render_ops(kind, schema, ops)
        .unwrap()
        .into_iter()
        .map(|s| s.sql)
        .collect();
    run(db, &sql).await.unwrap();
    apply_all(schema, ops).unwrap();
    let live = introspect(db.url(), &IntrospectOptions::default())
        .await
        .unwrap();
    let want = normalize_schema(&migrate_introspect::storable(kind, schema));
    assert_eq!(normalize_schema(&live), want, "{kind:?} {when}");
}

/// The live check of `db` against `head` finds nothing.
pub async fn assert_clean(db: &TestDb, head: &Schema, when: &str) {
    let drift = migrate_introspect::check(db.url(), head, &IntrospectOptions::default())
        .await
        .unwrap();
    let said: Vec<String> = drift
        .iter()
        .map(migrate_introspect::describe_drift)
        .collect();
    assert!(drift.is_empty(), "{:?} {when}: drift {said:#?}", db.kind());
}

/// Renders `ops` from `before`, runs them, then [`assert_clean`] against `after`
/// (objects compared by meaning, as the live check does).
pub async fn step_clean(
    db: &TestDb,
    before: &Schema,
    after: &Schema,
    ops: &[Operation],
    when: &str,
) {
    let kind = db.kind();
    let sql: Vec<String> = render_ops(kind, before, ops)
        .unwrap_or_else(|e| panic!("{kind:?} {when}: {e}"))
        .into_iter()
        .map(|s| s.sql)
        .collect();
    run(db, &sql)
        .await
        .unwrap_or_else(|e| panic!("{kind:?} {when}: {e}"));
    assert_clean(db, after, when).await;
}
