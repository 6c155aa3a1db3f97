//! Output for scripts and CI, and the messages a newcomer reads: plain ids with
//! `-q`, `--format json` on every reading command (and on the plan of
//! `upgrade`/`downgrade --dry-run`), `check` saying which side has what, `check`
//! with `init`'s placeholder URL, downgrades across a merge naming what they undid.
//! Everything through the CLI binary, on SQLite, PostgreSQL and MySQL/MariaDB.

use migrate_core::dialect::DialectKind;
use serde_json::Value;
use sqlx::Connection;

use crate::fixtures::{tutorial_project, ADD_COLUMN, CREATE_ACCOUNT};
use crate::graph::{project, revision};
use crate::util::Project;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}):\n{text}"))
}

/// The ids of a JSON list of revisions.
fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

/// Runs one statement on the database, as someone altering it by hand would.
pub async fn execute(kind: DialectKind, url: &str, sql: &str) {
    match kind {
        DialectKind::Postgres => {
            let mut conn = sqlx::PgConnection::connect(url).await.unwrap();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        DialectKind::MySql => {
            let mut conn = sqlx::MySqlConnection::connect(url).await.unwrap();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
        DialectKind::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(url).await.unwrap();
            sqlx::query(sql).execute(&mut conn).await.unwrap();
        }
    }
}

#[test]
fn quiet_prints_plain_ids() {
    let p = tutorial_project();
    assert_eq!(p.ok(&["heads", "-q"]), format!("{ADD_COLUMN}\n"));
    assert_eq!(
        p.ok(&["history", "-q"]),
        format!("{ADD_COLUMN}\n{CREATE_ACCOUNT}\n")
    );
    assert_eq!(p.ok(&["branches", "-q"]), "");

    // A branch: `branches -q` names the branch point, `heads -q` both heads.
    let p = project();
    let a = revision(&p, "a", None);
    let b1 = revision(&p, "b1", Some(&a));
    let b2 = revision(&p, "b2", Some(&a));
    assert_eq!(p.ok(&["branches", "-q"]), format!("{a}\n"));
    let mut heads: Vec<String> = p.ok(&["heads", "-q"]).lines().map(String::from).collect();
    heads.sort();
    let mut expected = vec![b1, b2];
    expected.sort();
    assert_eq!(heads, expected);
}

#[test]
fn file_commands_print_json_documents() {
    let p = tutorial_project();
    let heads = json(&p.ok(&["heads", "--format", "json"]));
    assert_eq!(ids(&heads["heads"]), vec![ADD_COLUMN]);
    assert_eq!(heads["heads"][0]["parents"][0], CREATE_ACCOUNT);
    assert_eq!(heads["heads"][0]["markers"][0], "head");
    assert_eq!(heads["heads"][0]["message"], "add last transaction date");
    assert!(heads["heads"][0]["checksum"]
        .as_str()
        .unwrap()
        .starts_with("sha256:"));

    let history = json(&p.ok(&["history", "--format", "json"]));
    assert_eq!(ids(&history["revisions"]), vec![ADD_COLUMN, CREATE_ACCOUNT]);
    assert_eq!(history["revisions"][1]["children"][0], ADD_COLUMN);
    let ranged = json(&p.ok(&["history", "-r", ":1975", "--format", "json"]));
    assert_eq!(ids(&ranged["revisions"]), vec![CREATE_ACCOUNT]);

    let branches = json(&p.ok(&["branches", "--format", "json"]));
    assert_eq!(ids(&branches["branchpoints"]), Vec::<String>::new());

    let show = json(&p.ok(&["show", "ae10", "--format", "json"]));
    assert_eq!(show["id"], ADD_COLUMN);
    assert_eq!(
        show["upgrade"][0],
        "added column 'account.last_transaction_date'"
    );
    assert_eq!(
        show["downgrade"][0],
        "removed column 'account.last_transaction_date'"
    );
    // A bad value is a usage error naming the choices.
    let err = p.fails(&["heads", "--format", "yaml"], 2);
    assert!(err.contains("text") && err.contains("json"), "{err}");
}

/// `current`, the plan of `--dry-run` and `check`, as text and JSON, on one database.
fn database_documents(kind: DialectKind) {
    let rt = runtime();
    let Some(db) = rt.block_on(migrate_testkit::throwaway(kind)) else {
        return;
    };
    // PostgreSQL here trusts local connections: a password in the URL is accepted
    // and must never be printed.
    let url = match kind {
        DialectKind::Postgres => db.url().replacen("postgres@", "postgres:pw5ecret@", 1),
        _ => db.url().to_string(),
    };
    let p = tutorial_project();
    let args = |a: &[&str]| {
        let mut all: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        all.extend(["--database-url".to_string(), url.clone()]);
        all
    };
    let run = |a: &[&str]| {
        let out = p.ok(&args(a).iter().map(String::as_str).collect::<Vec<_>>());
        assert!(!out.contains("pw5ecret"), "{out}");
        out
    };
    let check = |a: &[&str]| {
        let out = p
            .cmd(&args(a).iter().map(String::as_str).collect::<Vec<_>>())
            .output()
            .unwrap();
        let stdout = String::from_utf8(out.stdout).unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(!stdout.contains("pw5ecret") && !stderr.contains("pw5ecret"));
        (out.status.code(), stdout, stderr)
    };

    assert_eq!(run(&["current", "-q"]), "", "nothing applied: no id");
    let current = json(&run(&["current", "--format", "json"]));
    assert_eq!(ids(&current["current"]), Vec::<String>::new());
    assert!(current["database"].as_str().unwrap().contains("***") || kind != DialectKind::Postgres);

    // The plan, without running it.
    let plan = json(&run(&["upgrade", "head", "--dry-run", "--format", "json"]));
    assert_eq!(plan["direction"], "upgrade");
    assert_eq!(plan["target"], "head");
    assert_eq!(ids(&plan["revisions"]), vec![CREATE_ACCOUNT, ADD_COLUMN]);
    let first = plan["revisions"][0]["statements"][0]["sql"]
        .as_str()
        .unwrap();
    assert!(first.to_uppercase().contains("CREATE TABLE"), "{first}");
    assert_eq!(run(&["current", "-q"]), "", "a dry run changes nothing");
    let text = run(&["upgrade", "--dry-run"]);
    assert!(
        text.contains(&format!(
            "-- upgrade {CREATE_ACCOUNT}: create account table"
        )),
        "{text}"
    );
    // --format json without --dry-run would run the upgrade: refused.
    let (code, _, stderr) = check(&["upgrade", "--format", "json"]);
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("--dry-run"), "{stderr}");

    run(&["upgrade", "head"]);
    assert_eq!(run(&["current", "-q"]), format!("{ADD_COLUMN}\n"));
    let current = json(&run(&["current", "--format", "json"]));
    assert_eq!(ids(&current["current"]), vec![ADD_COLUMN]);
    assert_eq!(current["current"][0]["markers"][0], "current");

    let (code, stdout, _) = check(&["check", "--format", "json"]);
    assert_eq!(code, Some(0), "{stdout}");
    let doc = json(&stdout);
    assert_eq!(doc["ok"], true);
    assert_eq!(doc["head"], ADD_COLUMN);
    assert_eq!(doc["database"]["checked"], true);
    assert_eq!(doc["database"]["version"]["current"][0], ADD_COLUMN);
    assert_eq!(doc["models"]["checked"], false);

    let plan = json(&run(&["downgrade", "-1", "--dry-run", "--format", "json"]));
    assert_eq!(ids(&plan["revisions"]), vec![ADD_COLUMN]);
    assert_eq!(run(&["current", "-q"]), format!("{ADD_COLUMN}\n"));

    // Someone adds a column by hand: the database has it, the revisions do not.
    rt.block_on(execute(
        kind,
        db.url(),
        "ALTER TABLE account ADD COLUMN x INTEGER",
    ));
    let (code, stdout, _) = check(&["check"]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(
        stdout.contains("the database has column 'account.x', which the revisions do not create"),
        "{stdout}"
    );
    assert!(!stdout.contains("removed column"), "{stdout}");
    let doc = json(&check(&["check", "--format", "json"]).1);
    assert_eq!(doc["ok"], false);
    assert_eq!(
        doc["database"]["differences"][0],
        "the database has column 'account.x', which the revisions do not create"
    );

    // And the reverse: a column the revisions add that the database lacks, with
    // the version table one revision behind.
    rt.block_on(execute(kind, db.url(), "ALTER TABLE account DROP COLUMN x"));
    run(&["downgrade", "-1"]);
    let (code, stdout, stderr) = check(&["check"]);
    assert_eq!(code, Some(1));
    assert!(
        stdout.contains(
            "the database lacks column 'account.last_transaction_date', which the revisions create"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "the version table records {CREATE_ACCOUNT}, the head is {ADD_COLUMN}"
        )),
        "{stdout}"
    );
    assert!(stderr.contains("cargo migrate upgrade head"), "{stderr}");
}

#[test]
fn database_documents_on_sqlite() {
    database_documents(DialectKind::Sqlite);
}

#[test]
fn database_documents_on_postgres() {
    database_documents(DialectKind::Postgres);
}

#[test]
fn database_documents_on_mysql() {
    database_documents(DialectKind::MySql);
}

#[test]
fn check_with_the_placeholder_url_says_the_database_was_not_checked() {
    let p = tutorial_project();
    // `init` wrote the placeholder URL into migrate.toml.
    assert!(p.read("migrate.toml").contains("USER:PASSWORD@localhost"));
    let out = p.cmd(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("the database was not checked")
            && stderr.contains("placeholder")
            && stderr.contains("DATABASE_URL"),
        "{stderr}"
    );
    let doc = json(&p.ok(&["check", "--format", "json"]));
    assert_eq!(doc["database"]["checked"], false);
    assert!(doc["database"]["reason"]
        .as_str()
        .unwrap()
        .contains("placeholder"));
}

#[test]
fn a_downgrade_across_a_merge_names_what_it_undid() {
    let p = project();
    let a = revision(&p, "a", None);
    let b1 = revision(&p, "b1", Some(&a));
    let b2 = revision(&p, "b2", Some(&a));
    let m = p.ok(&["merge", "-m", "merge", "heads"]).trim().to_string();
    let url = format!("sqlite://{}?mode=rwc", p.join("app.db").display());
    p.ok(&["upgrade", "head", "--database-url", &url]);
    let out = p.ok_all(&["downgrade", &a, "--database-url", &url]);
    assert!(
        out.contains("downgrading") && out.contains("(3 revisions)"),
        "{out}"
    );
    let done = out
        .lines()
        .find(|l| l.starts_with("done:"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(done.contains("undid 3 revisions"), "{done}");
    for id in [&m, &b1, &b2] {
        assert!(done.contains(id.as_str()), "{done}");
    }
    let out = p.ok_all(&["downgrade", "base", "--database-url", &url]);
    assert!(
        out.contains("(1 revision)") && out.contains("undid 1 revision ("),
        "{out}"
    );
}

#[test]
fn init_points_to_a_model_and_autogenerate() {
    let p = Project::new();
    let out = p.ok_all(&["init"]);
    assert!(
        out.contains("next: write a model") && out.contains("revision --autogenerate"),
        "{out}"
    );
}
