//! SQLite: the database is a file; creating it opens it with `create_if_missing`,
//! dropping it removes the file (sqlx's `MigrateDatabase`).

use sqlx::migrate::MigrateDatabase;
use sqlx::Sqlite;

pub async fn exists(url: &str) -> Result<bool, sqlx::Error> {
    Sqlite::database_exists(url).await
}

pub async fn create(url: &str) -> Result<(), sqlx::Error> {
    Sqlite::create_database(url).await
}

pub async fn drop(url: &str) -> Result<(), sqlx::Error> {
    Sqlite::drop_database(url).await
}
