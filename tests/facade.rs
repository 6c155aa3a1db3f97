//! The public paths a user writes, end to end on SQLite: a model through
//! `migrate::Model`, its revision written with `migrate::core`, and the revision
//! applied and undone with `migrate::runtime`.

use migrate::core::diff::{diff, downgrade_for};
use migrate::core::revision::{file_name, load_dir, Revision};
use migrate::runtime::Migrator;
use migrate::{Model, Schema};

/// A note a user keeps.
#[derive(Model, sqlx::FromRow)]
#[allow(dead_code)]
struct Note {
    #[model(primary_key, autoincrement)]
    id: i64,
    #[model(max_len = 200, index)]
    title: String,
    body: Option<String>,
}

async fn tables(url: &str) -> Vec<String> {
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    names.into_iter().map(|(n,)| n).collect()
}

#[tokio::test]
async fn a_model_becomes_a_revision_that_upgrades_and_downgrades() {
    assert_eq!(Note::TABLE_NAME, "notes");
    let models = Schema::from_tables([Note::table()]);
    let upgrade = diff(&Schema::new(), &models);
    let downgrade = downgrade_for(&upgrade);
    let rev = Revision::new(
        "create notes",
        vec![],
        "2026-01-01T00:00:00Z",
        upgrade,
        downgrade,
    );

    let dir = tempfile::tempdir().unwrap();
    let migrations = dir.path().join("migrations");
    std::fs::create_dir(&migrations).unwrap();
    std::fs::write(migrations.join(file_name(&rev)), rev.to_toml()).unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("app.db").display());

    let migrator = Migrator::from_files(load_dir(&migrations).unwrap());
    let report = migrator.upgrade_to_head(url.as_str()).await.unwrap();
    assert_eq!(report.revisions, vec![rev.id.clone()]);
    assert!(tables(&url).await.contains(&"notes".to_string()));
    assert_eq!(
        migrator.current(url.as_str()).await.unwrap(),
        vec![rev.id.clone()]
    );

    // Up to date: nothing to apply.
    let again = migrator.upgrade_to_head(url.as_str()).await.unwrap();
    assert!(again.revisions.is_empty());

    migrator.downgrade(url.as_str(), "base").await.unwrap();
    assert!(!tables(&url).await.contains(&"notes".to_string()));
    assert!(migrator.current(url.as_str()).await.unwrap().is_empty());
}
