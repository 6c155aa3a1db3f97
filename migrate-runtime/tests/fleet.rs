//! Fleets on real servers through the Rust API: fifty schemas of one PostgreSQL
//! database (`schemas:`), twenty MariaDB databases and two hundred SQLite files
//! (`glob:`), the sizes, each with one target made to fail at a known
//! revision and step. Every other target reaches head, the failing one is reported
//! with its revision and step (dirty on MariaDB, where the revision's first
//! statement committed), a rerun touches nothing else and keeps reporting it, and
//! once fixed a rerun applies only it. The fifty PostgreSQL databases run through
//! the binary, with its JSON report and exit code (`migrate-cli/tests/cli/fleet.rs`).

#[macro_use]
mod common;
#[path = "support/revisions.rs"]
#[allow(dead_code)]
mod revisions;

use std::time::Duration;

use common::{Kind, TestDb};
use migrate_runtime::fleet::{discover, FleetAction, FleetOptions, FleetTarget, Outcome};
use migrate_runtime::{Migrator, Resolution, Target};
use revisions::{embed, sql, Rev};

const R1: &str = "f1f1f1f1f1f1";
const R2: &str = "f2f2f2f2f2f2";
const R3: &str = "f3f3f3f3f3f3";

/// Three revisions; the second has two statements, so a target that already has
/// `invoices` fails at its step 2 (after step 1 committed, on MariaDB).
fn migrator() -> Migrator {
    Migrator::new(embed(vec![
        Rev {
            id: R1,
            parents: &[],
            message: "accounts",
            body: sql(
                "upgrade",
                "CREATE TABLE accounts (id INTEGER PRIMARY KEY, name VARCHAR(100))",
            ),
        },
        Rev {
            id: R2,
            parents: &[R1],
            message: "orders and invoices",
            body: sql("upgrade", "CREATE TABLE orders (id INTEGER PRIMARY KEY)")
                + &sql("upgrade", "CREATE TABLE invoices (id INTEGER PRIMARY KEY)"),
        },
        Rev {
            id: R3,
            parents: &[R2],
            message: "notes",
            body: sql("upgrade", "CREATE TABLE notes (id INTEGER PRIMARY KEY)"),
        },
    ]))
}

fn upgrade() -> FleetAction {
    FleetAction::Upgrade(Target::Head)
}

fn options(jobs: usize) -> FleetOptions {
    FleetOptions::default()
        .jobs(jobs)
        .timeout(Duration::from_secs(120))
}

/// Runs the fleet; returns (label, what happened) per target, with failures as
/// `failed REV step N [dirty]`.
fn run(m: &Migrator, targets: &[FleetTarget], jobs: usize) -> Vec<(String, String)> {
    let reports = m.run_fleet(targets, &upgrade(), &options(jobs), |_| {});
    assert_eq!(reports.len(), targets.len());
    reports
        .iter()
        .map(|r| {
            let what = match &r.outcome {
                Outcome::Unchanged => "unchanged".to_string(),
                Outcome::Changed(revs) => format!("applied {}", revs.join(",")),
                Outcome::Failed(e) => {
                    let p = r.failure_point().unwrap();
                    let what = format!(
                        "failed {} step {}{}",
                        p.revision.unwrap_or_default(),
                        p.step.unwrap_or(0),
                        if p.dirty { " dirty" } else { "" }
                    );
                    assert!(!e.to_string().is_empty());
                    what
                }
                other => format!("{other:?}"),
            };
            (r.target.clone(), what)
        })
        .collect()
}

/// Asserts that every target but `bad` has `others`, and `bad` has `expected`.
fn expect(results: &[(String, String)], bad: &str, expected: &str, others: &str) {
    for (label, what) in results {
        if label == bad {
            assert_eq!(what, expected, "{label}");
        } else {
            assert_eq!(what, others, "{label}");
        }
    }
}

const ALL: &str = "applied f1f1f1f1f1f1,f2f2f2f2f2f2,f3f3f3f3f3f3";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_postgres_schemas_of_one_database() {
    let Some(db) = TestDb::new(Kind::Postgres).await else {
        return;
    };
    for i in 0..50 {
        db.exec(&format!("CREATE SCHEMA tenant_{i:02}"))
            .await
            .unwrap();
    }
    db.exec("CREATE SCHEMA other").await.unwrap();
    db.exec("CREATE TABLE tenant_03.invoices (id INTEGER)")
        .await
        .unwrap();
    let targets = discover(&format!("schemas:{}#tenant_%", db.url))
        .await
        .unwrap();
    assert_eq!(targets.len(), 50, "{targets:?}");
    let bad = format!(
        "{} schema tenant_03",
        FleetTarget::url(db.url.clone()).label()
    );
    let m = migrator();

    let first = run(&m, &targets, 4);
    expect(&first, &bad, "failed f2f2f2f2f2f2 step 2", ALL);
    // Each schema has its own version tables and tables; public and `other` none.
    assert!(db.has_table("tenant_07.migrate_version").await);
    assert!(db.has_table("tenant_07.notes").await);
    assert!(!db.has_table("public.migrate_version").await);
    assert!(!db.has_table("public.accounts").await);
    assert!(!db.has_table("other.accounts").await);
    assert!(!db.has_table("tenant_03.orders").await);

    let again = run(&m, &targets, 4);
    expect(&again, &bad, "failed f2f2f2f2f2f2 step 2", "unchanged");

    db.exec("DROP TABLE tenant_03.invoices").await.unwrap();
    let fixed = run(&m, &targets, 4);
    expect(
        &fixed,
        &bad,
        "applied f2f2f2f2f2f2,f3f3f3f3f3f3",
        "unchanged",
    );
    assert!(db.has_table("tenant_03.notes").await);
    db.drop_db().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_mariadb_databases_one_left_dirty_until_resolved() {
    let mut dbs = Vec::new();
    for _ in 0..20 {
        let Some(db) = TestDb::new(Kind::MySql).await else {
            return;
        };
        dbs.push(db);
    }
    dbs[2]
        .exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
        .await
        .unwrap();
    let targets: Vec<FleetTarget> = dbs
        .iter()
        .map(|d| FleetTarget::url(d.url.clone()))
        .collect();
    let bad = targets[2].label().to_string();
    let m = migrator();

    let first = run(&m, &targets, 3);
    // MariaDB commits DDL: `orders` (step 1) stays, and the revision is dirty.
    expect(&first, &bad, "failed f2f2f2f2f2f2 step 2 dirty", ALL);
    assert!(dbs[2].has_table("orders").await);

    // Reported dirty, with the same revision and step, until resolved.
    let again = run(&m, &targets, 3);
    expect(
        &again,
        &bad,
        "failed f2f2f2f2f2f2 step 2 dirty",
        "unchanged",
    );

    dbs[2]
        .exec("DROP TABLE invoices; DROP TABLE orders")
        .await
        .unwrap();
    m.resolve_dirty(&dbs[2].url, R2, Resolution::NotApplied)
        .await
        .unwrap();
    let fixed = run(&m, &targets, 3);
    expect(
        &fixed,
        &bad,
        "applied f2f2f2f2f2f2,f3f3f3f3f3f3",
        "unchanged",
    );
    for db in dbs {
        db.drop_db().await;
    }
}

/// `n` SQLite files in one directory, found by a `glob:` spec.
async fn sqlite_files(n: usize) -> (tempfile::TempDir, Vec<FleetTarget>) {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        std::fs::write(dir.path().join(format!("tenant_{i:03}.db")), b"").unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), b"not a tenant").unwrap();
    let targets = discover(&format!("glob:{}/*.db", dir.path().display()))
        .await
        .unwrap();
    assert_eq!(targets.len(), n);
    (dir, targets)
}

async fn sqlite_exec(target: &FleetTarget, sql: &str) {
    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(target.connect_url())
        .await
        .unwrap();
    sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hundred_sqlite_files_by_glob() {
    let (_dir, targets) = sqlite_files(200).await;
    sqlite_exec(&targets[11], "CREATE TABLE invoices (id INTEGER)").await;
    let bad = targets[11].label().to_string();
    assert!(bad.ends_with("tenant_011.db"), "{bad}");
    let m = migrator();

    let first = run(&m, &targets, 8);
    expect(&first, &bad, "failed f2f2f2f2f2f2 step 2", ALL);
    let again = run(&m, &targets, 8);
    expect(&again, &bad, "failed f2f2f2f2f2f2 step 2", "unchanged");
    sqlite_exec(&targets[11], "DROP TABLE invoices").await;
    let fixed = run(&m, &targets, 8);
    expect(
        &fixed,
        &bad,
        "applied f2f2f2f2f2f2,f3f3f3f3f3f3",
        "unchanged",
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fail_fast_skips_the_targets_not_started() {
    let (_dir, targets) = sqlite_files(6).await;
    sqlite_exec(&targets[0], "CREATE TABLE invoices (id INTEGER)").await;
    let m = migrator();
    let options = FleetOptions::default().jobs(1).fail_fast(true);
    let reports = m.run_fleet(&targets, &upgrade(), &options, |_| {});
    assert!(matches!(reports[0].outcome, Outcome::Failed(_)));
    for r in &reports[1..] {
        assert!(matches!(r.outcome, Outcome::Skipped), "{r:?}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_target_past_its_timeout_is_reported_and_the_others_finish() {
    use sqlx::Connection;
    let mut dbs = Vec::new();
    for _ in 0..3 {
        let Some(db) = TestDb::new(Kind::Postgres).await else {
            return;
        };
        dbs.push(db);
    }
    let targets: Vec<FleetTarget> = dbs
        .iter()
        .map(|d| FleetTarget::url(d.url.clone()))
        .collect();
    let m = migrator();
    m.upgrade(&dbs[1].url, R1).await.unwrap();
    // Another session holds the second database's version log.
    let mut holder = sqlx::PgConnection::connect(&dbs[1].url).await.unwrap();
    sqlx::raw_sql("BEGIN; LOCK TABLE migrate_version_log IN ACCESS EXCLUSIVE MODE")
        .execute(&mut holder)
        .await
        .unwrap();
    let options = FleetOptions::default()
        .jobs(3)
        .timeout(Duration::from_millis(1500));
    let reports = m.run_fleet(&targets, &upgrade(), &options, |_| {});
    assert!(
        matches!(reports[0].outcome, Outcome::Changed(_)),
        "{reports:?}"
    );
    assert!(
        matches!(reports[1].outcome, Outcome::TimedOut(_)),
        "{reports:?}"
    );
    assert!(reports[1].took < Duration::from_secs(10), "{reports:?}");
    assert!(
        matches!(reports[2].outcome, Outcome::Changed(_)),
        "{reports:?}"
    );
    sqlx::raw_sql("ROLLBACK")
        .execute(&mut holder)
        .await
        .unwrap();
    holder.close().await.unwrap();
    // Its run was dropped before it changed anything: a rerun applies the rest.
    let again = m.run_fleet(&targets, &upgrade(), &options, |_| {});
    assert!(
        matches!(&again[1].outcome, Outcome::Changed(r) if r.len() == 2),
        "{again:?}"
    );
    for db in dbs {
        db.drop_db().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn current_reports_heads_and_pending() {
    let (_dir, targets) = sqlite_files(2).await;
    let m = migrator();
    m.upgrade(targets[0].connect_url(), R1).await.unwrap();
    let options = FleetOptions::default();
    let reports = m.run_fleet(&targets, &FleetAction::Current, &options, |_| {});
    match &reports[0].outcome {
        Outcome::Current { heads, pending } => {
            assert_eq!(heads, &[R1.to_string()]);
            assert_eq!(pending, &[R2.to_string(), R3.to_string()]);
        }
        other => panic!("{other:?}"),
    }
    match &reports[1].outcome {
        Outcome::Current { heads, pending } => {
            assert!(heads.is_empty());
            assert_eq!(pending.len(), 3);
        }
        other => panic!("{other:?}"),
    }
}

/// `query:`: the URLs a catalog query returns, from a SQLite catalog and from a
/// PostgreSQL one.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn targets_from_a_catalog_query() {
    let (dir, files) = sqlite_files(3).await;
    let catalog = dir.path().join("catalog.sqlite");
    std::fs::write(&catalog, b"").unwrap();
    let catalog_url = format!("sqlite://{}", catalog.display());
    let mut rows = String::from("CREATE TABLE tenants (url TEXT NOT NULL, active INTEGER);");
    for (i, t) in files.iter().enumerate() {
        rows += &format!(
            "INSERT INTO tenants VALUES ('{}', {});",
            t.connect_url(),
            i32::from(i != 1)
        );
    }
    sqlite_exec(&FleetTarget::url(catalog_url.clone()), &rows).await;
    let spec = format!("query:{catalog_url}#SELECT url FROM tenants WHERE active = 1");
    let targets = discover(&spec).await.unwrap();
    assert_eq!(targets, vec![files[0].clone(), files[2].clone()]);
    let reports = migrator().run_fleet(&targets, &upgrade(), &options(2), |_| {});
    assert!(reports.iter().all(|r| r.succeeded()), "{reports:?}");

    let Some(pg) = TestDb::new(Kind::Postgres).await else {
        return;
    };
    pg.exec(&format!(
        "CREATE TABLE tenants (url TEXT); INSERT INTO tenants VALUES ('{}')",
        files[1].connect_url()
    ))
    .await
    .unwrap();
    let targets = discover(&format!("query:{}#SELECT url FROM tenants", pg.url))
        .await
        .unwrap();
    assert_eq!(targets, vec![files[1].clone()]);
    // A query whose rows are not database URLs is refused, naming the value.
    pg.exec("INSERT INTO tenants VALUES ('redis://cache')")
        .await
        .unwrap();
    let err = discover(&format!("query:{}#SELECT url FROM tenants", pg.url))
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("redis://cache"), "{err}");
    pg.drop_db().await;
}

/// Schemas of one database lock separately: a session holding the lock of
/// `tenant_0` (its key: the schema and the version table, hashed; fixed, so old and
/// new binaries agree) blocks only the run on `tenant_0`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemas_of_one_database_take_separate_locks() {
    use sqlx::Connection;
    let Some(db) = TestDb::new(Kind::Postgres).await else {
        return;
    };
    db.exec("CREATE SCHEMA tenant_0; CREATE SCHEMA tenant_1")
        .await
        .unwrap();
    let mut holder = sqlx::PgConnection::connect(&db.url).await.unwrap();
    sqlx::raw_sql(
        "SELECT pg_advisory_lock(('x' || substr(md5('tenant_0' || '.' || 'migrate_version'), \
         1, 16))::bit(64)::bigint)",
    )
    .execute(&mut holder)
    .await
    .unwrap();
    let targets = discover(&format!("schemas:{}#tenant_%", db.url))
        .await
        .unwrap();
    let m = migrator().lock_timeout(Duration::from_secs(2));
    let reports = m.run_fleet(&targets, &upgrade(), &options(2), |_| {});
    let err = match &reports[0].outcome {
        Outcome::Failed(e) => e.to_string(),
        other => panic!("{other:?}"),
    };
    assert!(err.contains("timed out"), "{err}");
    assert!(
        matches!(reports[1].outcome, Outcome::Changed(_)),
        "{reports:?}"
    );
    holder.close().await.unwrap();
    let reports = m.run_fleet(&targets, &upgrade(), &options(2), |_| {});
    assert!(
        matches!(reports[0].outcome, Outcome::Changed(_)),
        "{reports:?}"
    );
    assert!(
        matches!(reports[1].outcome, Outcome::Unchanged),
        "{reports:?}"
    );
    db.drop_db().await;
}
