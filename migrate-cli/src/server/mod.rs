//! Creating and dropping the database a URL names (`cargo migrate database ...`),
//! and telling whether it exists (so that `upgrade` against a missing database can
//! say how to create it).
//!
//! Each database's protocol is in its own file; they use sqlx's `MigrateDatabase`
//! (a maintenance connection to the server, or the file for SQLite), except where
//! noted there.

#[cfg(feature = "mysql")]
mod mysql;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

use migrate_core::dialect::DialectKind;

/// What a create/drop/exists call can fail with: the driver's error, or a URL of a
/// kind this build does not support.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The driver's error (connection refused, permission denied, ...).
    #[error("{0}")]
    Driver(#[from] sqlx::Error),
    /// Not a SQLite, PostgreSQL or MySQL URL, or its cargo feature is off.
    #[error("the URL is not a database this build of migrate supports")]
    Unsupported,
}

type Result<T> = std::result::Result<T, ServerError>;

/// Whether the database `url` names exists.
pub async fn exists(url: &str) -> Result<bool> {
    match migrate_core::url::kind_of(url) {
        #[cfg(feature = "postgres")]
        Some(DialectKind::Postgres) => Ok(postgres::exists(url).await?),
        #[cfg(feature = "mysql")]
        Some(DialectKind::MySql) => Ok(mysql::exists(url).await?),
        #[cfg(feature = "sqlite")]
        Some(DialectKind::Sqlite) => Ok(sqlite::exists(url).await?),
        _ => Err(ServerError::Unsupported),
    }
}

/// Creates the database `url` names (it must not exist yet).
pub async fn create(url: &str) -> Result<()> {
    match migrate_core::url::kind_of(url) {
        #[cfg(feature = "postgres")]
        Some(DialectKind::Postgres) => Ok(postgres::create(url).await?),
        #[cfg(feature = "mysql")]
        Some(DialectKind::MySql) => Ok(mysql::create(url).await?),
        #[cfg(feature = "sqlite")]
        Some(DialectKind::Sqlite) => Ok(sqlite::create(url).await?),
        _ => Err(ServerError::Unsupported),
    }
}

/// Drops the database `url` names, with everything in it.
pub async fn drop(url: &str) -> Result<()> {
    match migrate_core::url::kind_of(url) {
        #[cfg(feature = "postgres")]
        Some(DialectKind::Postgres) => Ok(postgres::drop(url).await?),
        #[cfg(feature = "mysql")]
        Some(DialectKind::MySql) => Ok(mysql::drop(url).await?),
        #[cfg(feature = "sqlite")]
        Some(DialectKind::Sqlite) => Ok(sqlite::drop(url).await?),
        _ => Err(ServerError::Unsupported),
    }
}
