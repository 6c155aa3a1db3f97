//! Options and errors: version tables and table lists, passwords kept out of
//! messages, unsupported URLs.

mod util;

use migrate_core::dialect::DialectKind;
use migrate_introspect::{introspect, IntrospectError, IntrospectOptions};
use util::{execute_all, throwaway};

#[tokio::test]
async fn version_tables_are_ignored_under_any_name_and_table_lists_filter() {
    let db = throwaway(DialectKind::Sqlite)
        .await
        .expect("SQLite needs no server");
    execute_all(
        &db,
        &[
            "CREATE TABLE app_versions (version_num VARCHAR(64) PRIMARY KEY)".into(),
            "CREATE TABLE app_versions_log (revision VARCHAR(64) PRIMARY KEY)".into(),
            "CREATE TABLE migrate_version (version_num VARCHAR(64) PRIMARY KEY)".into(),
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT)".into(),
            "CREATE TABLE posts (id INTEGER PRIMARY KEY)".into(),
        ],
    )
    .await;
    let options = IntrospectOptions {
        version_table: "app_versions".into(),
        ..IntrospectOptions::default()
    };
    let schema = introspect(db.url(), &options).await.unwrap();
    let names: Vec<&String> = schema.tables.keys().collect();
    assert_eq!(names, ["migrate_version", "posts", "users"]);

    let options = IntrospectOptions {
        tables: Some(vec!["users".into()]),
        ..IntrospectOptions::default()
    };
    let schema = introspect(db.url(), &options).await.unwrap();
    assert_eq!(schema.tables.keys().collect::<Vec<_>>(), ["users"]);
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn connection_errors_never_show_the_password() {
    for url in [
        "postgres://app:hunter2@127.0.0.1:1/app",
        "mysql://app:hunter2@127.0.0.1:1/app",
    ] {
        let options = IntrospectOptions {
            connect_timeout: std::time::Duration::from_secs(1),
            ..IntrospectOptions::default()
        };
        let err = introspect(url, &options).await.unwrap_err();
        let text = err.to_string();
        assert!(matches!(err, IntrospectError::Connect { .. }), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!format!("{err:?}").contains("hunter2"), "{err:?}");
        assert!(text.contains("app:***@127.0.0.1:1"), "{text}");
    }
}

#[tokio::test]
async fn unsupported_urls_say_what_is_supported() {
    let err = introspect("oracle://u:pw@host/db", &IntrospectOptions::default())
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("postgres://, mysql://"), "{text}");
    assert!(!text.contains("pw@"), "{text}");
}
