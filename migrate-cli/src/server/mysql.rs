//! MySQL and MariaDB: `CREATE DATABASE` / `DROP DATABASE` over a connection with no
//! database selected. Exists and drop are sqlx's `MigrateDatabase`; create is ours,
//! to ask for `utf8mb4` (a server's default may still be `latin1`, which cannot
//! store every string a Rust `String` holds).

use sqlx::migrate::MigrateDatabase;
use sqlx::{Connection, Executor, MySql, MySqlConnection};

/// sqlx knows the `mysql:` scheme only; MariaDB speaks the same protocol.
fn sqlx_url(url: &str) -> String {
    match url.split_once(':') {
        Some((_, rest)) => format!("mysql:{rest}"),
        None => url.to_string(),
    }
}

pub async fn exists(url: &str) -> Result<bool, sqlx::Error> {
    MySql::database_exists(&sqlx_url(url)).await
}

pub async fn create(url: &str) -> Result<(), sqlx::Error> {
    let mut server =
        url::Url::parse(&sqlx_url(url)).map_err(|e| sqlx::Error::Configuration(Box::new(e)))?;
    let name = server.path().trim_start_matches('/').to_string();
    if name.is_empty() {
        return Err(sqlx::Error::Configuration(
            "the URL names no database (the part after the host, as in mysql://host/app)".into(),
        ));
    }
    server.set_path("");
    let mut conn = MySqlConnection::connect(server.as_str()).await?;
    conn.execute(&*format!(
        "CREATE DATABASE `{}` CHARACTER SET utf8mb4",
        name.replace('`', "``")
    ))
    .await?;
    conn.close().await
}

pub async fn drop(url: &str) -> Result<(), sqlx::Error> {
    MySql::drop_database(&sqlx_url(url)).await
}
