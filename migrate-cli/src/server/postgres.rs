//! PostgreSQL: `CREATE DATABASE` / `DROP DATABASE` over a connection to the
//! server's `postgres` maintenance database (sqlx's `MigrateDatabase`).

use sqlx::migrate::MigrateDatabase;
use sqlx::Postgres;

pub async fn exists(url: &str) -> Result<bool, sqlx::Error> {
    Postgres::database_exists(url).await
}

pub async fn create(url: &str) -> Result<(), sqlx::Error> {
    Postgres::create_database(url).await
}

/// Fails while other sessions are connected (PostgreSQL refuses to drop a database
/// in use), which is what an operator wants to hear.
pub async fn drop(url: &str) -> Result<(), sqlx::Error> {
    Postgres::drop_database(url).await
}
