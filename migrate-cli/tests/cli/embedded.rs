//! `run_embedded`: the commands inside an application's own binary, on revisions
//! embedded at build time (here built by hand, as the build script would).

use migrate_cli::{run_embedded, Status};
use migrate_core::embed::{EmbeddedOps, EmbeddedRevision};
use migrate_core::revision::file_name;

use crate::fixtures::tutorial_revisions;

/// The tutorial's revisions as the build script embeds them (leaked to get `'static`).
fn embedded() -> &'static [EmbeddedRevision] {
    embed(tutorial_revisions())
}

/// Revisions as the build script embeds them (leaked to get `'static`).
pub fn embed(revisions: Vec<migrate_core::revision::Revision>) -> &'static [EmbeddedRevision] {
    let list: Vec<EmbeddedRevision> = revisions
        .into_iter()
        .map(|r| {
            let source: &'static str = Box::leak(r.to_toml().into_boxed_str());
            let parents: Vec<&'static str> = r
                .parents
                .iter()
                .map(|p| &*Box::leak(p.clone().into_boxed_str()))
                .collect();
            EmbeddedRevision {
                id: Box::leak(r.id.clone().into_boxed_str()),
                parents: Box::leak(parents.into_boxed_slice()),
                replaces: &[],
                branch_labels: &[],
                depends_on: &[],
                message: Box::leak(r.message.clone().into_boxed_str()),
                checksum: Box::leak(
                    migrate_core::checksum::checksum(source)
                        .to_string()
                        .into_boxed_str(),
                ),
                file: Box::leak(file_name(&r).into_boxed_str()),
                source,
                ops_json: Box::leak(
                    EmbeddedOps {
                        upgrade: r.upgrade.clone(),
                        downgrade: r.downgrade.clone(),
                    }
                    .to_json()
                    .into_boxed_str(),
                ),
                downgrade_log: "",
            }
        })
        .collect();
    Box::leak(list.into_boxed_slice())
}

#[test]
fn read_only_commands_work_on_embedded_revisions() {
    let revs = embedded();
    assert_eq!(run_embedded(["migrate", "-q", "heads"], revs), Status::Ok);
    assert_eq!(run_embedded(["migrate", "-q", "history"], revs), Status::Ok);
    assert_eq!(
        run_embedded(["migrate", "-q", "show", "ae10"], revs),
        Status::Ok
    );
    assert_eq!(
        run_embedded(["migrate", "-q", "show", "0000"], revs),
        Status::Usage
    );
}

#[test]
fn file_writing_commands_are_refused_inside_an_application() {
    let revs = embedded();
    for args in [
        &["migrate", "revision", "-m", "x"][..],
        &["migrate", "merge", "-m", "x", "heads"][..],
        &["migrate", "init"][..],
    ] {
        assert_eq!(
            run_embedded(args.iter().copied(), revs),
            Status::Usage,
            "{args:?}"
        );
    }
}

/// `run_embedded` called from `#[tokio::main] async fn main`, as the README shows it:
/// the database commands work there (they once panicked: "Cannot start a runtime from
/// within a runtime"), on both kinds of tokio runtime.
#[tokio::test(flavor = "current_thread")]
async fn database_commands_work_from_an_async_main() {
    from_async_main().await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn database_commands_work_from_a_multi_threaded_async_main() {
    from_async_main().await
}

async fn from_async_main() {
    let revs = embedded();
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("app.db").display());
    let run = |args: &[&str]| {
        let mut all = vec!["migrate", "-q", "--database-url", &url];
        all.extend_from_slice(args);
        run_embedded(all, revs)
    };
    assert_eq!(run(&["upgrade", "head"]), Status::Ok);
    assert_eq!(run(&["current"]), Status::Ok);
    assert_eq!(run(&["downgrade", "base"]), Status::Ok);
    assert_eq!(run(&["upgrade", "head"]), Status::Ok);
    // The revisions were really applied: the log holds each of them.
    let db = sqlx::SqlitePool::connect(&url).await.unwrap();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM migrate_version_log")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(rows as usize, revs.len());
    db.close().await;
}

/// An application's own `migrate` command creates, resets and drops its database,
/// prints JSON plans, stamps with `--purge`, and refuses `edit` (it writes files).
#[test]
fn database_commands_and_json_from_an_application() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    let url = format!("sqlite://{}", db.display());
    let run = |args: &[&str]| {
        let mut argv = vec!["migrate", "-q", "--database-url", &url];
        argv.extend(args);
        run_embedded(argv, embedded())
    };
    assert_eq!(
        run(&["current"]),
        Status::Database,
        "a read does not create the file"
    );
    assert!(!db.exists());
    assert_eq!(run(&["database", "create"]), Status::Ok);
    assert!(db.exists());
    assert_eq!(
        run(&["upgrade", "--dry-run", "--format", "json"]),
        Status::Ok
    );
    assert_eq!(run(&["current", "--format", "json"]), Status::Ok);
    assert_eq!(run(&["database", "reset", "-y"]), Status::Ok);
    assert_eq!(run(&["stamp", "--purge", "head"]), Status::Ok);
    assert_eq!(run(&["check", "--format", "json"]), Status::Ok);
    assert_eq!(run(&["edit"]), Status::Usage);
    assert_eq!(run(&["database", "drop", "-y"]), Status::Ok);
    assert!(!db.exists());
}

/// The `dialect` of the project's `migrate.toml`, embedded by the build, is the
/// dialect of `--sql` without a URL, as for `cargo migrate` on the project.
#[test]
fn the_embedded_dialect_serves_offline_scripts() {
    use migrate_core::embed::{Embedded, EmbeddedSettings};
    let revisions = embedded();
    let without = Embedded::from(revisions);
    assert_eq!(
        run_embedded(["migrate", "-q", "upgrade", "head", "--sql"], without),
        Status::Usage
    );
    let with = Embedded {
        revisions,
        settings: EmbeddedSettings {
            dialect: "postgres",
            ..EmbeddedSettings::DEFAULT
        },
    };
    assert_eq!(
        run_embedded(["migrate", "-q", "upgrade", "head", "--sql"], with),
        Status::Ok
    );
    // A bad pattern in a hand-written list is a usage error, not a panic.
    let bad = Embedded {
        revisions,
        settings: EmbeddedSettings {
            tables_exclude: &["[unclosed"],
            ..EmbeddedSettings::DEFAULT
        },
    };
    assert_eq!(
        run_embedded(
            [
                "migrate",
                "-q",
                "check",
                "--database-url",
                "sqlite::memory:"
            ],
            bad
        ),
        Status::Usage
    );
}
