//! Helpers for the integration tests: throwaway databases (from `migrate-testkit`)
//! and running statements on them.

#![allow(dead_code)]

pub mod schema_gen;

use migrate_core::dialect::{render_ops, DialectKind};
use migrate_core::Schema;
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
