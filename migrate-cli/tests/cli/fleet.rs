//! `--fleet` through the binary: one `file:` list over four PostgreSQL databases
//! (their URLs carry a password, which must never be printed), three MariaDB
//! databases and six SQLite files, one PostgreSQL and one MariaDB database made to
//! fail at a known revision and step (the MariaDB one left dirty); the JSON report
//! parsed, the exit code, the rerun that touches only the failed ones once fixed;
//! the same at the size over fifty PostgreSQL databases;
//! ten processes of one fleet command at once (advisory lock and lock table);
//! `current` and `downgrade` over a `glob:`; PostgreSQL schemas of one database by
//! `schemas:`; `run_embedded` from an async main; a bad list named by file and line.

use migrate_core::dialect::DialectKind;
use migrate_testkit::{throwaway, TestDb};
use serde_json::Value;
use sqlx::Connection;

use crate::util::Project;

const R1: &str = "fee100000001";
const R2: &str = "fee100000002";
const R3: &str = "fee100000003";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Three revisions; the second has two statements, so a database that already has
/// `invoices` fails at its step 2.
fn project() -> Project {
    let p = Project::new();
    p.write(
        "migrate.toml",
        "migrations_dir = \"migrations\"\nmodels = [\"src\"]\n",
    );
    let revs = [
        (
            R1,
            "",
            vec!["CREATE TABLE accounts (id INTEGER PRIMARY KEY)"],
            "DROP TABLE accounts",
        ),
        (
            R2,
            R1,
            vec![
                "CREATE TABLE orders (id INTEGER PRIMARY KEY)",
                "CREATE TABLE invoices (id INTEGER PRIMARY KEY)",
            ],
            "DROP TABLE invoices",
        ),
        (
            R3,
            R2,
            vec!["CREATE TABLE notes (id INTEGER PRIMARY KEY)"],
            "DROP TABLE notes",
        ),
    ];
    for (id, parent, ups, down) in revs {
        let parents = if parent.is_empty() {
            String::new()
        } else {
            format!("\"{parent}\"")
        };
        let mut text = format!(
            "id = \"{id}\"\nparents = [{parents}]\nmessage = \"fleet {id}\"\n\
             created = \"2026-01-01T00:00:00Z\"\n\n"
        );
        for up in ups {
            text += &format!("[[upgrade]]\nop = \"sql\"\nsql = \"{up}\"\n\n");
        }
        text += &format!("[[downgrade]]\nop = \"sql\"\nsql = \"{down}\"\n\n");
        if id == R2 {
            text += "[[downgrade]]\nop = \"sql\"\nsql = \"DROP TABLE orders\"\n\n";
        }
        p.write(&format!("migrations/{id}_fleet.toml",), &text);
    }
    p
}

async fn exec(url: &str, sql: &str) {
    match migrate_core::url::kind_of(url) {
        Some(DialectKind::Postgres) => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            c.close().await.unwrap();
        }
        Some(DialectKind::MySql) => {
            let mut c = sqlx::MySqlConnection::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            c.close().await.unwrap();
        }
        _ => {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            c.close().await.unwrap();
        }
    }
}

/// `url` with a password added (PostgreSQL trusts the test connections, so the
/// password is sent and ignored: enough to check it is never printed).
fn with_password(url: &str) -> String {
    let mut u = url::Url::parse(url).unwrap();
    u.set_password(Some("fleet-s3cret")).unwrap();
    u.to_string()
}

/// Runs the command; returns (exit code, parsed JSON stdout, stderr).
/// Throwaway databases of `kinds`, or `None` (the test is skipped, visibly) when a
/// server is not configured.
fn databases(rt: &tokio::runtime::Runtime, kinds: &[DialectKind]) -> Option<Vec<TestDb>> {
    kinds
        .iter()
        .map(|&kind| rt.block_on(throwaway(kind)))
        .collect()
}

/// The URLs of `dbs`, PostgreSQL ones with a password (which no report may print).
fn server_urls(dbs: &[TestDb]) -> Vec<String> {
    dbs.iter()
        .map(|d| match d.kind() {
            DialectKind::Postgres => with_password(d.url()),
            _ => d.url().to_string(),
        })
        .collect()
}

/// `count` empty SQLite files under the project's `tenants/`, as URLs.
fn sqlite_tenants(p: &Project, count: usize) -> Vec<String> {
    (0..count)
        .map(|i| {
            let file = p.join(&format!("tenants/t{i}.db"));
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, b"").unwrap();
            format!("sqlite://{}", file.display())
        })
        .collect()
}

fn run_json(p: &Project, args: &[&str]) -> (i32, Value, String) {
    let out = p.cmd(args).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stdout.contains("fleet-s3cret") && !stderr.contains("fleet-s3cret"));
    let json: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: stdout:\n{stdout}\nstderr:\n{stderr}"));
    (out.status.code().unwrap(), json, stderr)
}

/// Each database's status in a report, by label.
fn statuses(json: &Value) -> Vec<(String, String, Vec<String>)> {
    json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            let revs = t["revisions"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect();
            (
                t["database"].as_str().unwrap().to_string(),
                t["status"].as_str().unwrap().to_string(),
                revs,
            )
        })
        .collect()
}

#[test]
fn upgrade_fleet_over_the_three_servers_reports_the_failure_and_reruns_only_it() {
    let rt = runtime();
    let Some(dbs) = databases(
        &rt,
        &[
            DialectKind::Postgres,
            DialectKind::Postgres,
            DialectKind::Postgres,
            DialectKind::Postgres,
            DialectKind::MySql,
            DialectKind::MySql,
            DialectKind::MySql,
        ],
    ) else {
        return;
    };
    let p = project();
    let mut urls = server_urls(&dbs);
    urls.extend(sqlite_tenants(&p, 6));
    // A PostgreSQL database fails at R2's step 2 and rolls back; a MariaDB one fails
    // there too, after step 1 committed: it is left dirty.
    let bad_url = urls[1].clone();
    let dirty_url = urls[4].clone();
    rt.block_on(exec(&bad_url, "CREATE TABLE invoices (id INTEGER)"));
    rt.block_on(exec(
        &dirty_url,
        "CREATE TABLE invoices (id INTEGER PRIMARY KEY)",
    ));
    p.write(
        "tenants.txt",
        &format!("# every tenant\n\n{}\n", urls.join("\n")),
    );

    let args = [
        "upgrade",
        "--fleet",
        "file:tenants.txt",
        "--jobs",
        "4",
        "--format",
        "json",
    ];
    let (code, json, stderr) = run_json(&p, &args);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(json["succeeded"], false);
    assert_eq!(json["total"], 13);
    assert_eq!(json["failed"], 2);
    let bad: Vec<&Value> = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["status"] == "failed")
        .collect();
    assert_eq!(bad.len(), 2, "{json}");
    for t in &bad {
        assert_eq!(t["failed_revision"], R2, "{t}");
        assert_eq!(t["failed_step"], 2, "{t}");
        let mysql = t["database"].as_str().unwrap().starts_with("mysql:");
        assert_eq!(t["dirty"], mysql, "{t}");
    }
    let pg_bad = bad.iter().find(|t| t["dirty"] == false).unwrap();
    assert!(
        pg_bad["database"].as_str().unwrap().contains(":***@"),
        "{json}"
    );
    let bad_labels: Vec<String> = bad
        .iter()
        .map(|t| t["database"].as_str().unwrap().to_string())
        .collect();
    for (label, status, revs) in statuses(&json) {
        if !bad_labels.contains(&label) {
            assert_eq!(status, "applied", "{label}");
            assert_eq!(revs, [R1, R2, R3], "{label}");
        }
    }
    // One progress line per database, on stderr, and how to settle a dirty one.
    assert_eq!(stderr.matches("/13] ").count(), 13, "{stderr}");
    assert!(stderr.contains("resolve REVISION --applied"), "{stderr}");

    // Text: the summary table; the failed databases are still reported (the dirty
    // one as dirty), nothing else runs.
    let out = p
        .cmd(&["upgrade", "--fleet", "file:tenants.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(!table.contains("fleet-s3cret"));
    assert!(table.starts_with("DATABASE"), "{table}");
    assert_eq!(table.matches("unchanged").count(), 11, "{table}");
    let failed: Vec<&str> = table.lines().filter(|l| l.contains(" failed ")).collect();
    assert_eq!(failed.len(), 2, "{table}");
    assert!(
        failed
            .iter()
            .any(|l| l.contains(&format!("revision {R2} (fleet {R2}) failed at step 2"))),
        "{table}"
    );
    assert!(
        failed.iter().any(|l| l.contains(&format!(
            "the database is dirty: revision {R2} failed at step 2"
        ))),
        "{table}"
    );

    // Fixed: PostgreSQL by dropping the table; MariaDB by undoing step 1 by hand and
    // resolving the revision as not applied.
    rt.block_on(exec(&bad_url, "DROP TABLE invoices"));
    rt.block_on(exec(&dirty_url, "DROP TABLE invoices; DROP TABLE orders"));
    p.ok(&["resolve", R2, "--not-applied", "--database-url", &dirty_url]);
    let (code, json, stderr) = run_json(&p, &args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json["succeeded"], true);
    for (label, status, revs) in statuses(&json) {
        if bad_labels.contains(&label) {
            assert_eq!(
                (status.as_str(), revs),
                ("applied", vec![R2.to_string(), R3.to_string()])
            );
        } else {
            assert_eq!(status, "unchanged", "{label}");
        }
    }

    // current: every database at head.
    let (code, json, _) = run_json(
        &p,
        &["current", "--fleet", "file:tenants.txt", "--format", "json"],
    );
    assert_eq!(code, 0);
    for t in json["targets"].as_array().unwrap() {
        assert_eq!(t["heads"], serde_json::json!([R3]), "{t}");
        assert_eq!(t["pending"], serde_json::json!([]), "{t}");
    }

    // downgrade over the SQLite files only, by glob.
    let (code, json, stderr) = run_json(
        &p,
        &[
            "downgrade",
            "base",
            "--fleet",
            "glob:tenants/*.db",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json["total"], 6);
    for (label, status, revs) in statuses(&json) {
        assert_eq!(status, "downgraded", "{label}");
        assert_eq!(revs, [R3, R2, R1], "{label}");
    }
    for db in dbs {
        rt.block_on(db.cleanup()).unwrap();
    }
}

/// The size for databases on one server: fifty PostgreSQL databases in a
/// `file:` list (with a password in each URL), eight at a time, one made to fail at
/// R2's step 2. The JSON report names it with its revision and step, every other
/// database is at head, the exit code is 3; once fixed, the rerun applies only its
/// two missing revisions and leaves the other 49 unchanged.
#[test]
fn fifty_postgres_databases_one_failing_then_fixed() {
    let rt = runtime();
    let Some(dbs) = rt.block_on(migrate_testkit::throwaway_many(DialectKind::Postgres, 50)) else {
        return;
    };
    let p = project();
    let urls = server_urls(&dbs);
    let bad_name = dbs[17].name().to_string();
    rt.block_on(exec(&urls[17], "CREATE TABLE invoices (id INTEGER)"));
    p.write("tenants.txt", &urls.join("\n"));
    let args = [
        "upgrade",
        "--fleet",
        "file:tenants.txt",
        "--jobs",
        "8",
        "--format",
        "json",
    ];
    let is_bad = |label: &str| label.ends_with(&format!("/{bad_name}"));

    let (code, json, stderr) = run_json(&p, &args);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(
        (&json["succeeded"], &json["total"], &json["failed"]),
        (&Value::Bool(false), &Value::from(50), &Value::from(1)),
        "{json}"
    );
    let targets = json["targets"].as_array().unwrap();
    let bad = targets
        .iter()
        .find(|t| is_bad(t["database"].as_str().unwrap()))
        .unwrap();
    assert_eq!(bad["status"], "failed", "{bad}");
    assert_eq!(bad["failed_revision"], R2, "{bad}");
    assert_eq!(bad["failed_step"], 2, "{bad}");
    assert_eq!(bad["dirty"], false, "{bad}");
    assert!(bad["error"].as_str().unwrap().contains("invoices"), "{bad}");
    let all: Vec<String> = [R1, R2, R3].map(String::from).to_vec();
    let mut at_head = 0;
    for (label, status, revs) in statuses(&json) {
        assert!(label.contains(":***@"), "{label}");
        if !is_bad(&label) {
            assert_eq!((status.as_str(), revs), ("applied", all.clone()), "{label}");
            at_head += 1;
        }
    }
    assert_eq!(at_head, 49);

    rt.block_on(exec(&urls[17], "DROP TABLE invoices"));
    let (code, json, stderr) = run_json(&p, &args);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json["succeeded"], true);
    for (label, status, revs) in statuses(&json) {
        if is_bad(&label) {
            assert_eq!(
                (status.as_str(), revs),
                ("applied", vec![R2.to_string(), R3.to_string()])
            );
        } else {
            assert_eq!((status.as_str(), revs.len()), ("unchanged", 0), "{label}");
        }
    }
    rt.block_on(migrate_testkit::cleanup_all(dbs)).unwrap();
}

#[test]
fn upgrade_fleet_of_postgres_schemas() {
    let rt = runtime();
    let Some(db) = rt.block_on(throwaway(DialectKind::Postgres)) else {
        return;
    };
    for i in 0..5 {
        rt.block_on(exec(db.url(), &format!("CREATE SCHEMA tenant_{i}")));
    }
    rt.block_on(exec(
        db.url(),
        "CREATE TABLE tenant_2.invoices (id INTEGER)",
    ));
    let p = project();
    let spec = format!("schemas:{}#tenant_%", with_password(db.url()));
    let args = [
        "upgrade",
        "--fleet",
        spec.as_str(),
        "--jobs",
        "5",
        "--format",
        "json",
    ];
    let (code, json, _) = run_json(&p, &args);
    assert_eq!(code, 3);
    for (label, status, _) in statuses(&json) {
        let want = if label.ends_with("schema tenant_2") {
            "failed"
        } else {
            "applied"
        };
        assert_eq!(status, want, "{label}");
    }
    rt.block_on(exec(db.url(), "DROP TABLE tenant_2.invoices"));
    let (code, json, _) = run_json(&p, &args);
    assert_eq!(code, 0);
    for (label, status, _) in statuses(&json) {
        let want = if label.ends_with("schema tenant_2") {
            "applied"
        } else {
            "unchanged"
        };
        assert_eq!(status, want, "{label}");
    }
    rt.block_on(db.cleanup()).unwrap();
}

#[test]
fn a_bad_fleet_list_is_named_by_file_and_line() {
    let p = project();
    p.write("tenants.txt", "# tenants\nsqlite://a.db\nredis://cache\n");
    let stderr = p.fails(&["upgrade", "--fleet", "file:tenants.txt"], 2);
    assert!(
        stderr.contains("tenants.txt") && stderr.contains("line 3"),
        "{stderr}"
    );
    assert!(stderr.contains("fix:"), "{stderr}");
    let stderr = p.fails(&["upgrade", "--jobs", "3"], 2);
    assert!(stderr.contains("--fleet"), "{stderr}");
}

/// How many rows a table has.
async fn count(url: &str, table: &str) -> i64 {
    let sql = format!("SELECT COUNT(*) FROM {table}");
    match migrate_core::url::kind_of(url) {
        Some(DialectKind::Postgres) => {
            let mut c = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query_scalar(&sql).fetch_one(&mut c).await.unwrap()
        }
        Some(DialectKind::MySql) => {
            let mut c = sqlx::MySqlConnection::connect(url).await.unwrap();
            sqlx::query_scalar(&sql).fetch_one(&mut c).await.unwrap()
        }
        _ => {
            let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query_scalar(&sql).fetch_one(&mut c).await.unwrap()
        }
    }
}

#[test]
fn ten_processes_of_one_fleet_command_apply_each_revision_once() {
    ten_processes("");
}

#[test]
fn ten_processes_of_one_fleet_command_with_the_lock_table() {
    ten_processes("[runtime]\nlock = \"table\"\n");
}

/// Ten processes of `upgrade --fleet` at once over eight databases, with `runtime`
/// as the `[runtime]` section of migrate.toml (the lock mode).
fn ten_processes(runtime_section: &str) {
    let rt = runtime();
    let Some(dbs) = databases(
        &rt,
        &[
            DialectKind::Postgres,
            DialectKind::Postgres,
            DialectKind::MySql,
            DialectKind::MySql,
        ],
    ) else {
        return;
    };
    let p = project();
    p.write(
        "migrate.toml",
        &format!("migrations_dir = \"migrations\"\nmodels = [\"src\"]\n{runtime_section}"),
    );
    let mut urls: Vec<String> = dbs.iter().map(|d| d.url().to_string()).collect();
    urls.extend(sqlite_tenants(&p, 4));
    p.write("tenants.txt", &urls.join("\n"));
    let children: Vec<std::process::Child> = (0..10)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_cargo-migrate"))
                .current_dir(p.path())
                .env_remove("DATABASE_URL")
                .env("NO_COLOR", "1")
                .args([
                    "migrate",
                    "upgrade",
                    "--fleet",
                    "file:tenants.txt",
                    "--jobs",
                    "4",
                ])
                .args(["--format", "json"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut applied = std::collections::BTreeMap::<String, usize>::new();
    for child in children {
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let json: Value = serde_json::from_str(&stdout).unwrap();
        for (label, _, revs) in statuses(&json) {
            *applied.entry(label).or_default() += revs.len();
        }
    }
    // Across the ten processes, each database got each of the three revisions once.
    assert_eq!(applied.len(), 8);
    for (label, n) in &applied {
        assert_eq!(*n, 3, "{label}");
    }
    for url in &urls {
        assert_eq!(rt.block_on(count(url, "migrate_version_log")), 3, "{url}");
        if !runtime_section.is_empty() {
            // The runs took the lock table's lock.
            assert_eq!(rt.block_on(count(url, "migrate_version_lock")), 1, "{url}");
        }
    }
    for db in dbs {
        rt.block_on(db.cleanup()).unwrap();
    }
}

/// `run_embedded` (an application's own binary) from an async main: the same fleet
/// commands on the revisions compiled in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn run_embedded_fleet_from_an_async_main() {
    use migrate_cli::{run_embedded, Status};
    let revs = crate::embedded::embed(crate::fixtures::tutorial_revisions());
    let Some(pg) = throwaway(DialectKind::Postgres).await else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let mut urls = vec![pg.url().to_string()];
    for i in 0..3 {
        let file = dir.path().join(format!("t{i}.db"));
        std::fs::write(&file, b"").unwrap();
        urls.push(format!("sqlite://{}", file.display()));
    }
    let list = dir.path().join("tenants.txt");
    std::fs::write(&list, urls.join("\n")).unwrap();
    let spec = format!("file:{}", list.display());
    let run = |args: &[&str]| {
        let mut all = vec!["migrate", "-q"];
        all.extend_from_slice(args);
        run_embedded(all, revs)
    };
    assert_eq!(
        run(&["upgrade", "--fleet", &spec, "--jobs", "2"]),
        Status::Ok
    );
    assert_eq!(run(&["upgrade", "--fleet", &spec]), Status::Ok);
    assert_eq!(run(&["current", "--fleet", &spec]), Status::Ok);
    for url in &urls {
        assert_eq!(
            count(url, "migrate_version_log").await as usize,
            revs.len(),
            "{url}"
        );
    }
    pg.cleanup().await.unwrap();
}

/// `check --fleet`: every database against the head revision (schema and version
/// table), exit 0 when all match, 1 when some differ (each named with its
/// differences), while `current --fleet` stays a report that exits 0 whenever every
/// database could be read, as `current` does for one database.
#[test]
fn check_fleet_names_the_databases_that_differ_and_exits_1() {
    use crate::fixtures::{tutorial_project, ADD_COLUMN, CREATE_ACCOUNT};
    let rt = runtime();
    let Some(dbs) = databases(
        &rt,
        &[
            DialectKind::Postgres,
            DialectKind::Postgres,
            DialectKind::MySql,
        ],
    ) else {
        return;
    };
    let p = tutorial_project();
    let mut urls = server_urls(&dbs);
    urls.extend(sqlite_tenants(&p, 2));
    p.write("tenants.txt", &urls.join("\n"));
    let fleet = ["--fleet", "file:tenants.txt", "--format", "json"];
    let (code, _, stderr) = run_json(&p, &[&["upgrade"][..], &fleet[..]].concat());
    assert_eq!(code, 0, "{stderr}");
    let (code, json, stderr) = run_json(&p, &[&["check"][..], &fleet[..]].concat());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        (json["differ"].as_u64(), json["failed"].as_u64()),
        (Some(0), Some(0))
    );
    for (label, status, _) in statuses(&json) {
        assert_eq!(status, "matches", "{label}: {json}");
    }

    // A column added by hand on the second PostgreSQL database; the last SQLite file
    // one revision behind.
    rt.block_on(exec(
        &urls[1],
        "ALTER TABLE account ADD COLUMN extra integer",
    ));
    let behind = urls[4].clone();
    p.ok(&["downgrade", "-1", "--database-url", &behind]);
    let (code, json, stderr) = run_json(&p, &[&["check"][..], &fleet[..]].concat());
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        (json["differ"].as_u64(), json["failed"].as_u64()),
        (Some(2), Some(0))
    );
    assert_eq!(json["succeeded"], false);
    for t in json["targets"].as_array().unwrap() {
        let label = t["database"].as_str().unwrap();
        let differences = t["differences"].to_string();
        if label.contains(":***@") && urls[1].ends_with(&label[label.rfind('/').unwrap()..]) {
            assert_eq!(t["status"], "differs", "{t}");
            assert!(differences.contains("'account.extra'"), "{t}");
            assert_eq!(t["pending"], serde_json::json!([]), "{t}");
        } else if behind.ends_with(label.trim_start_matches("sqlite://")) {
            assert_eq!(t["status"], "differs", "{t}");
            assert!(differences.contains("the version table records"), "{t}");
            assert!(differences.contains("last_transaction_date"), "{t}");
            assert_eq!(t["heads"], serde_json::json!([CREATE_ACCOUNT]), "{t}");
            assert_eq!(t["pending"], serde_json::json!([ADD_COLUMN]), "{t}");
        } else {
            assert_eq!(t["status"], "matches", "{t}");
        }
    }
    // Text: the table names them; a summary line and the fix.
    let out = p
        .cmd(&["check", "--fleet", "file:tenants.txt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let table = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!table.contains("fleet-s3cret") && !stderr.contains("fleet-s3cret"));
    assert_eq!(table.matches(" differs ").count(), 2, "{table}");
    assert_eq!(
        table.matches("matches the head revision").count(),
        3,
        "{table}"
    );
    assert!(stderr.contains("2 of 5 databases differ"), "{stderr}");
    assert!(stderr.contains("upgrade head --fleet"), "{stderr}");

    // `current --fleet` reports where each database is and exits 0, as `current`
    // does for one database; the one behind lists its pending revision.
    let (code, json, _) = run_json(&p, &[&["current"][..], &fleet[..]].concat());
    assert_eq!(code, 0);
    let behind_row = json["targets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| {
            behind.ends_with(
                t["database"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches("sqlite://"),
            )
        })
        .unwrap();
    assert_eq!(behind_row["pending"], serde_json::json!([ADD_COLUMN]));

    // A database that cannot be read: exit 3, whatever the others say.
    p.write(
        "tenants.txt",
        &format!(
            "{}\nsqlite://{}",
            urls.join("\n"),
            p.join("missing/nope.db").display()
        ),
    );
    let (code, json, _) = run_json(&p, &[&["check"][..], &fleet[..]].concat());
    assert_eq!(code, 3);
    assert_eq!(json["failed"].as_u64(), Some(1));
    for db in dbs {
        rt.block_on(db.cleanup()).unwrap();
    }
}

/// Runs `cargo migrate <args>` in the project on a terminal (a pseudo-terminal made
/// by util-linux's `script`); returns what the terminal showed.
fn on_a_terminal(p: &Project, args: &[&str]) -> String {
    let bin = assert_cmd::cargo::cargo_bin("cargo-migrate");
    let mut line = format!("'{}' migrate", bin.display());
    for a in args {
        line += &format!(" '{a}'");
    }
    let out = std::process::Command::new("script")
        .args(["-qec", &line, "/dev/null"])
        .current_dir(p.path())
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env_remove("DATABASE_URL")
        .output()
        .expect("`script` (util-linux) runs the command on a pseudo-terminal");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A long run on a terminal shows a bar: for a fleet, the whole fleet's bar and a
/// line per database while it runs; for one database, the revisions' bar under
/// their lines. The same commands without a terminal print plain lines only (no
/// cursor movement), as the other tests read them.
#[test]
fn a_terminal_gets_a_live_bar_plain_output_does_not() {
    let p = project();
    for i in 0..6 {
        p.write(&format!("t/{i}.db"), "");
    }
    let shown = on_a_terminal(&p, &["upgrade", "--fleet", "glob:t/*.db", "--jobs", "2"]);
    assert!(shown.contains("/6 databases"), "{shown}");
    assert!(shown.contains("[6/6] sqlite://t/"), "{shown}");
    // The line of a database being worked on: a spinner and its name.
    assert!(
        shown.lines().any(|l| l.contains("⠁ sqlite://t/")),
        "{shown}"
    );
    assert!(
        shown.contains("\u{1b}[2K"),
        "the display redraws its lines: {shown}"
    );

    let url = format!("sqlite://{}", p.join("one.db").display());
    p.write("one.db", "");
    let shown = on_a_terminal(&p, &["--database-url", &url, "upgrade", "head"]);
    assert!(shown.contains("/3 revisions"), "{shown}");
    assert!(shown.contains(&format!("-> {R3}")), "{shown}");

    // No terminal: plain lines, no escape sequences.
    for i in 0..6 {
        p.write(&format!("u/{i}.db"), "");
    }
    let out = p
        .cmd(&["upgrade", "--fleet", "glob:u/*.db", "--jobs", "2"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr}");
    assert_eq!(stderr.matches("/6] sqlite://u/").count(), 6, "{stderr}");
}
