//! The throwaway databases themselves: each is fresh, writable, and gone afterwards.

use migrate_core::dialect::DialectKind;
use sqlx::{Connection, Row};

#[tokio::test]
async fn sqlite_database_is_a_fresh_file() {
    let db = migrate_testkit::throwaway(DialectKind::Sqlite)
        .await
        .unwrap();
    let mut conn = sqlx::SqliteConnection::connect(db.url()).await.unwrap();
    sqlx::query("CREATE TABLE t (x INTEGER)")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();
    assert!(std::path::Path::new(db.name()).exists());
}

#[tokio::test]
async fn postgres_database_is_created_and_dropped() {
    let Some(db) = migrate_testkit::throwaway(DialectKind::Postgres).await else {
        return;
    };
    let name = db.name().to_string();
    let mut conn = sqlx::PgConnection::connect(db.url()).await.unwrap();
    let current: String = sqlx::query("SELECT current_database()")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(current, name);
    conn.close().await.unwrap();
    db.cleanup().await.unwrap();
    let admin = std::env::var(migrate_testkit::POSTGRES_URL_VAR).unwrap();
    let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
    let left: i64 = sqlx::query("SELECT count(*) FROM pg_database WHERE datname = $1")
        .bind(&name)
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(left, 0, "the test database should be dropped");
}

#[tokio::test]
async fn mysql_database_is_created_and_dropped_on_drop() {
    let Some(db) = migrate_testkit::throwaway(DialectKind::MySql).await else {
        return;
    };
    let name = db.name().to_string();
    let mut conn = sqlx::MySqlConnection::connect(db.url()).await.unwrap();
    let current: String = sqlx::query("SELECT DATABASE()")
        .fetch_one(&mut conn)
        .await
        .unwrap()
        .get(0);
    assert_eq!(current, name);
    conn.close().await.unwrap();
    drop(db);
    let admin = std::env::var(migrate_testkit::MYSQL_URL_VAR).unwrap();
    let mut conn = sqlx::MySqlConnection::connect(&admin).await.unwrap();
    let left: i64 =
        sqlx::query("SELECT count(*) FROM information_schema.schemata WHERE schema_name = ?")
            .bind(&name)
            .fetch_one(&mut conn)
            .await
            .unwrap()
            .get(0);
    assert_eq!(left, 0, "the test database should be dropped");
}
