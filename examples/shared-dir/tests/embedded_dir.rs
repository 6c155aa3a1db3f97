//! `migrate::embedded!("../blog/migrations")`: the revisions of a directory outside
//! the crate, embedded by its build script, upgrade real databases (SQLite always;
//! PostgreSQL and MariaDB/MySQL through the testkit's servers), which then match the
//! head; and they are those of the directory, file for file.

use migrate::core::embed::Embedded;
use migrate::runtime::Migrator;
use migrate_core::dialect::DialectKind;
use migrate_core::revision::load_dir;
use migrate_testkit::throwaway;

const BLOG: &Embedded = migrate::embedded!("../blog/migrations");

#[test]
fn the_directory_is_embedded_file_for_file() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../blog/migrations");
    let files = load_dir(&dir).unwrap();
    assert!(!files.is_empty());
    assert_eq!(BLOG.revisions.len(), files.len());
    for f in files {
        let e = BLOG
            .revisions
            .iter()
            .find(|e| e.id == f.revision.id)
            .unwrap_or_else(|| panic!("{} is not embedded", f.revision.id));
        assert_eq!(e.checksum, f.checksum.to_string());
    }
    // This crate's own (empty) directory is embedded apart from it.
    assert!(migrate::embedded!().revisions.is_empty());
}

fn upgrade_and_check(kind: DialectKind) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let Some(db) = rt.block_on(throwaway(kind)) else {
        return;
    };
    rt.block_on(async {
        let report = Migrator::new(BLOG).upgrade_to_head(db.url()).await.unwrap();
        assert_eq!(report.revisions.len(), BLOG.revisions.len());
        let drift = migrate::introspect::check_embedded(db.url(), BLOG, &Default::default())
            .await
            .unwrap();
        assert!(drift.is_empty(), "{drift:?}");
    });
    rt.block_on(db.cleanup()).unwrap();
}

#[test]
fn upgrades_sqlite() {
    upgrade_and_check(DialectKind::Sqlite);
}

#[test]
fn upgrades_postgres() {
    upgrade_and_check(DialectKind::Postgres);
}

#[test]
fn upgrades_mysql() {
    upgrade_and_check(DialectKind::MySql);
}
