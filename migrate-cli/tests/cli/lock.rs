//! The lock table through the CLI: `[runtime] lock = "table"` in `migrate.toml`,
//! ten `cargo migrate upgrade head` processes at once on each of the three databases
//! (also with the first one killed with -9 inside a revision), and, on a three-node
//! MariaDB Galera cluster (`MIGRATE_TEST_GALERA_URLS`, see `tests/galera/start.sh`),
//! processes spread over the nodes with no `[runtime]` section at all: the default
//! mode finds the cluster by itself; also a fleet of Galera databases, six `upgrade
//! --fleet` processes each reaching them through other nodes.

use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use migrate_core::dialect::DialectKind;
use migrate_testkit::{throwaway, TestDb};
use sqlx::Connection;

use crate::util::Project;

const CLI: &str = env!("CARGO_BIN_EXE_cargo-migrate");

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn id(i: usize) -> String {
    format!("beef{i:08x}")
}

/// A project with `n` revision files in a line: revision `i` waits `step_ms` on the
/// server, creates `chain_<i>` and records `i` in `chain_marks` (primary key: a
/// revision run twice fails), and `runtime` as the `[runtime]` section.
fn chain_project(n: usize, step_ms: u64, runtime: &str) -> Project {
    let p = Project::new();
    p.write(
        "migrate.toml",
        &format!("migrations_dir = \"migrations\"\nmodels = [\"src\"]\n{runtime}"),
    );
    let secs = step_ms as f64 / 1000.0;
    // SQLite has no sleep: a count of about that many milliseconds of CPU on the
    // two-core CI machine (its unoptimised test-build SQLite counts about 1.8 million
    // rows a second). 10 000 rows per ms made the eight revisions of `holder_killed`
    // 17 s of CPU: at load 17 the process that takes over ran past the others'
    // one-minute busy timeout, and they failed with a lock timeout.
    let rows = step_ms * 2_000;
    for i in 0..n {
        let parents = if i == 0 {
            String::new()
        } else {
            format!("\"{}\"", id(i - 1))
        };
        let mut text = format!(
            "id = \"{}\"\nparents = [{parents}]\nmessage = \"chain {i}\"\n\
             created = \"2026-01-01T00:00:00Z\"\n\n",
            id(i)
        );
        text += &format!(
            "[[upgrade]]\nop = \"sql\"\nsql = \"SELECT 1\"\npostgres = \"SELECT pg_sleep({secs})\"\n\
             mysql = \"SELECT SLEEP({secs})\"\nsqlite = \"WITH RECURSIVE c(x) AS (SELECT 1 \
             UNION ALL SELECT x + 1 FROM c WHERE x < {rows}) SELECT count(*) FROM c\"\n\n"
        );
        if i == 0 {
            text += "[[upgrade]]\nop = \"sql\"\nsql = \"CREATE TABLE chain_marks (rev VARCHAR(20) NOT NULL PRIMARY KEY)\"\n\n";
        }
        text += &format!(
            "[[upgrade]]\nop = \"sql\"\nsql = \"CREATE TABLE chain_{i} (id INTEGER NOT NULL PRIMARY KEY)\"\n\n\
             [[upgrade]]\nop = \"sql\"\nsql = \"INSERT INTO chain_marks (rev) VALUES ('{i}')\"\n\n\
             [[downgrade]]\nop = \"sql\"\nsql = \"DROP TABLE chain_{i}\"\n"
        );
        p.write(&format!("migrations/{}_chain_{i}.toml", id(i)), &text);
    }
    p
}

/// `cargo migrate <args> --database-url <url>` in the project, started.
fn spawn(p: &Project, url: &str, args: &[&str]) -> Child {
    Command::new(CLI)
        .current_dir(p.path())
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .arg("migrate")
        .args(args)
        .args(["--database-url", url])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The first column of a query's rows, as text (`CAST` in the query where needed).
async fn query(kind: DialectKind, url: &str, sql: &str) -> Result<Vec<String>, sqlx::Error> {
    match kind {
        DialectKind::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(url).await?;
            sqlx::query_scalar(sql).fetch_all(&mut c).await
        }
        DialectKind::Postgres => {
            let mut c = sqlx::PgConnection::connect(url).await?;
            sqlx::query_scalar(sql).fetch_all(&mut c).await
        }
        DialectKind::MySql => {
            let mut c = sqlx::MySqlConnection::connect(url).await?;
            // On a Galera node, a causal read: after what the cluster committed.
            let _ = sqlx::raw_sql("SET SESSION wsrep_sync_wait = 1")
                .execute(&mut c)
                .await;
            let rows: Vec<Vec<u8>> = sqlx::query_scalar(sql).fetch_all(&mut c).await?;
            Ok(rows
                .into_iter()
                .map(|r| String::from_utf8(r).unwrap())
                .collect())
        }
    }
}

fn text_of(kind: DialectKind, column: &str) -> String {
    match kind {
        DialectKind::MySql => format!("CAST({column} AS BINARY)"),
        _ => column.to_string(),
    }
}

/// Every revision of the chain recorded once and applied, each mark once, the lock
/// table's row free.
async fn assert_chain(kind: DialectKind, url: &str, n: usize) {
    let mut expected: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    expected.sort();
    let marks = query(
        kind,
        url,
        &format!(
            "SELECT {} FROM chain_marks ORDER BY rev",
            text_of(kind, "rev")
        ),
    )
    .await
    .unwrap();
    assert_eq!(marks, expected, "each revision ran exactly once");
    let states = query(
        kind,
        url,
        &format!("SELECT {} FROM migrate_version_log", text_of(kind, "state")),
    )
    .await
    .unwrap();
    assert_eq!(states.len(), n);
    assert!(states.iter().all(|s| s == "applied"), "{states:?}");
    let holder = query(
        kind,
        url,
        &format!(
            "SELECT {} FROM migrate_version_lock",
            text_of(kind, "holder")
        ),
    )
    .await
    .unwrap();
    assert_eq!(holder, [""], "the lock table's row is free");
}

const TABLE_LOCK: &str = "\n[runtime]\nlock = \"table\"\nlease_ms = 1500\n";

fn ten_processes(kind: DialectKind) {
    let rt = runtime();
    let Some(db): Option<TestDb> = rt.block_on(throwaway(kind)) else {
        return;
    };
    let p = chain_project(6, 20, TABLE_LOCK);
    let children: Vec<Child> = (0..10)
        .map(|_| spawn(&p, db.url(), &["upgrade", "head"]))
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
    }
    rt.block_on(assert_chain(kind, db.url(), 6));
    rt.block_on(db.cleanup()).unwrap();
}

/// The first process is killed with -9 while it holds the lock table's row, inside
/// a revision; nine started after it wait for the lease, then continue. On MySQL the
/// revision it was in is left dirty: they say which, `cargo migrate resolve` settles
/// it, and the next upgrade continues.
fn holder_killed(kind: DialectKind) {
    let rt = runtime();
    let Some(db): Option<TestDb> = rt.block_on(throwaway(kind)) else {
        return;
    };
    let url = db.url().to_string();
    let n = 8;
    let p = chain_project(n, 400, TABLE_LOCK);
    let mut first = spawn(&p, &url, &["upgrade", "head"]);
    let holder_sql = format!(
        "SELECT {} FROM migrate_version_lock",
        text_of(kind, "holder")
    );
    let start = Instant::now();
    loop {
        let held = rt
            .block_on(query(kind, &url, &holder_sql))
            .unwrap_or_default();
        if held.first().is_some_and(|h| !h.is_empty()) {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "nobody took the lock"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // About three revisions in.
    std::thread::sleep(Duration::from_millis(1300));
    let status = Command::new("kill")
        .args(["-9", &first.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let _ = first.wait();

    let children: Vec<Child> = (0..9)
        .map(|_| spawn(&p, &url, &["upgrade", "head"]))
        .collect();
    let outs: Vec<Output> = children
        .into_iter()
        .map(|c| c.wait_with_output().unwrap())
        .collect();
    if outs.iter().all(|o| o.status.success()) {
        rt.block_on(assert_chain(kind, &url, n));
    } else {
        let failed: Vec<String> = outs
            .iter()
            .filter(|o| !o.status.success())
            .map(text)
            .collect();
        assert_eq!(kind, DialectKind::MySql, "{}", failed.join("\n----\n"));
        let dirty = rt
            .block_on(query(
                kind,
                &url,
                "SELECT CAST(revision AS BINARY) FROM migrate_version_log WHERE state = 'dirty'",
            ))
            .unwrap();
        assert_eq!(dirty.len(), 1, "{dirty:?}");
        let dirty = &dirty[0];
        for out in &outs {
            assert_eq!(out.status.code(), Some(3), "{}", text(out));
            let all = text(out);
            assert!(
                all.contains(dirty.as_str()) && all.contains("resolve"),
                "{all}"
            );
        }
        // The operator looks: the server ran the revision whole, or none of it.
        let i = usize::from_str_radix(&dirty[4..], 16).unwrap();
        let ran = rt
            .block_on(query(kind, &url, &format!("SELECT 'x' FROM chain_{i}")))
            .is_ok();
        let flag = if ran { "--applied" } else { "--not-applied" };
        let out = spawn(&p, &url, &["resolve", dirty, flag])
            .wait_with_output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let out = spawn(&p, &url, &["upgrade", "head"])
            .wait_with_output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out));
        rt.block_on(assert_chain(kind, &url, n));
    }
    rt.block_on(db.cleanup()).unwrap();
}

macro_rules! on_three {
    ($name:ident) => {
        mod $name {
            use super::*;

            #[test]
            fn sqlite() {
                super::$name(DialectKind::Sqlite)
            }

            #[test]
            fn postgres() {
                super::$name(DialectKind::Postgres)
            }

            #[test]
            fn mysql() {
                super::$name(DialectKind::MySql)
            }
        }
    };
}

on_three!(ten_processes);
on_three!(holder_killed);

/// The report, as a new user would run it: 30 pending revisions, nine
/// `cargo migrate upgrade head` spread over the three Galera nodes, no lock setting.
/// Before the lock table, two ran the first revision at once and all nine exited 3.
#[test]
fn galera_nine_processes_over_three_nodes() {
    let rt = runtime();
    let Some(cluster) = rt.block_on(migrate_testkit::throwaway_galera()) else {
        return;
    };
    let p = chain_project(30, 0, "");
    let children: Vec<Child> = (0..9)
        .map(|i| {
            spawn(
                &p,
                &cluster.urls[i % cluster.urls.len()],
                &["upgrade", "head"],
            )
        })
        .collect();
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
    }
    for url in &cluster.urls {
        rt.block_on(assert_chain(DialectKind::MySql, url, 30));
    }
    rt.block_on(cluster.cleanup()).unwrap();
}

/// `cargo migrate current` (text and JSON) on a Galera node that is behind the
/// cluster (paused by `FLUSH TABLES WITH READ LOCK` while another node applied a
/// revision) wait for it to catch up and show the revision, never the older state.
#[test]
fn galera_current_on_a_node_behind_shows_what_the_cluster_committed() {
    let rt = runtime();
    let Some(cluster) = rt.block_on(migrate_testkit::throwaway_galera()) else {
        return;
    };
    let p = chain_project(2, 0, "");
    let (first, behind) = (&cluster.urls[0], &cluster.urls[1]);
    let out = spawn(&p, first, &["upgrade", &id(0)])
        .wait_with_output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    for url in &cluster.urls {
        rt.block_on(assert_chain(DialectKind::MySql, url, 1));
    }
    let mut paused = rt.block_on(async {
        let mut c = sqlx::MySqlConnection::connect(behind).await.unwrap();
        sqlx::raw_sql("FLUSH TABLES WITH READ LOCK")
            .execute(&mut c)
            .await
            .unwrap();
        c
    });
    let out = spawn(&p, first, &["upgrade", "head"])
        .wait_with_output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out));
    let mut readers = [
        spawn(&p, behind, &["current"]),
        spawn(&p, behind, &["current", "--format", "json"]),
    ];
    std::thread::sleep(Duration::from_millis(1500));
    let waited = readers.iter_mut().all(|c| c.try_wait().unwrap().is_none());
    rt.block_on(async {
        sqlx::raw_sql("UNLOCK TABLES")
            .execute(&mut paused)
            .await
            .unwrap();
        paused.close().await.unwrap();
    });
    for reader in readers {
        let out = reader.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
        assert!(
            text(&out).contains(&id(1)),
            "the node answered with its older state:\n{}",
            text(&out)
        );
    }
    assert!(waited, "the reads answered before the node caught up");
    rt.block_on(cluster.cleanup()).unwrap();
}

/// A bad lock mode in `migrate.toml` is an error naming the file, the line and the
/// accepted values.
#[test]
fn unknown_lock_mode_is_explained() {
    let p = chain_project(1, 0, "\n[runtime]\nlock = \"mutex\"\n");
    let err = p.fails(&["upgrade", "head", "--database-url", "sqlite://x.db"], 2);
    assert!(err.contains("migrate.toml:5"), "{err}");
    assert!(err.contains("unknown lock mode `mutex`"), "{err}");
    assert!(err.contains("`auto`, `advisory` or `table`"), "{err}");
}

/// A fleet on the Galera cluster: three databases, and six processes of `upgrade
/// --fleet` at once, each reaching every database through another node (as replicas
/// behind a load balancer would), no lock setting (the lock table is chosen on
/// Galera by itself). Each process exits 0 and every revision of every database is
/// applied exactly once, as each node sees it.
#[test]
fn galera_fleet_six_processes_over_three_nodes() {
    let rt = runtime();
    let mut clusters = Vec::new();
    for _ in 0..3 {
        let Some(cluster) = rt.block_on(migrate_testkit::throwaway_galera()) else {
            return;
        };
        clusters.push(cluster);
    }
    let n = 15;
    let p = chain_project(n, 0, "");
    let nodes = clusters[0].urls.len();
    let children: Vec<Child> = (0..6)
        .map(|k| {
            let list: Vec<&str> = clusters
                .iter()
                .enumerate()
                .map(|(j, c)| c.urls[(k + j) % nodes].as_str())
                .collect();
            let file = format!("tenants{k}.txt");
            p.write(&file, &list.join("\n"));
            Command::new(CLI)
                .current_dir(p.path())
                .env_remove("DATABASE_URL")
                .env("NO_COLOR", "1")
                .args([
                    "migrate", "upgrade", "head", "--jobs", "3", "--format", "json",
                ])
                .arg("--fleet")
                .arg(format!("file:{file}"))
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", text(&out));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["succeeded"], true, "{report}");
        for t in report["targets"].as_array().unwrap() {
            applied += t["revisions"].as_array().unwrap().len();
        }
    }
    // The reports add up to each revision once per database.
    assert_eq!(applied, n * clusters.len());
    for cluster in clusters {
        for url in &cluster.urls {
            rt.block_on(assert_chain(DialectKind::MySql, url, n));
        }
        rt.block_on(cluster.cleanup()).unwrap();
    }
}
