//! Recovering from what the runtime refuses, through the `cargo migrate` binary on each
//! database: a dirty revision settled with `resolve` after showing its recorded step and
//! error, and an edited applied revision reported even when nothing is pending, each
//! with a fix an operator can follow (commands, not Rust settings).

use migrate_core::dialect::DialectKind;
use migrate_testkit::{throwaway, TestDb};
use sqlx::Connection;

use crate::fixtures::{tutorial_project, ADD_COLUMN, CREATE_ACCOUNT};
use crate::util::Project;

const BROKEN: &str = "bad0bad0bad0";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A database of `kind` for one test: a SQLite file in the project, or a throwaway
/// server database.
fn database(
    rt: &tokio::runtime::Runtime,
    kind: DialectKind,
    p: &Project,
) -> Option<(String, Option<TestDb>)> {
    if kind == DialectKind::Sqlite {
        let url = format!("sqlite://{}?mode=rwc", p.join("app.db").display());
        return Some((url, None));
    }
    let db = rt.block_on(throwaway(kind))?;
    Some((db.url().to_string(), Some(db)))
}

/// Runs SQL on the database directly (the operator's repair by hand).
fn exec(rt: &tokio::runtime::Runtime, kind: DialectKind, url: &str, sql: &str) {
    rt.block_on(async {
        match kind {
            DialectKind::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(url).await.unwrap();
                sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            }
            DialectKind::Postgres => {
                let mut c = sqlx::PgConnection::connect(url).await.unwrap();
                sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            }
            DialectKind::MySql => {
                let mut c = sqlx::MySqlConnection::connect(url).await.unwrap();
                sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            }
        }
    });
}

/// A revision whose first step commits (MySQL's DDL does on its own; elsewhere it is
/// flagged `no_transaction`) and whose second step fails: it is left dirty.
fn write_broken(p: &Project, kind: DialectKind, second: &str) {
    let flag = if kind == DialectKind::MySql {
        ""
    } else {
        "no_transaction = true\n"
    };
    p.write(
        &format!("migrations/{BROKEN}_broken.toml"),
        &format!(
            "id = \"{BROKEN}\"\nparents = [\"{ADD_COLUMN}\"]\nmessage = \"broken\"\n\
             created = \"2026-01-03T00:00:00Z\"\n\n\
             [[upgrade]]\nop = \"sql\"\nsql = \"CREATE TABLE partial (x INTEGER)\"\n{flag}\n\
             {second}\
             [[downgrade]]\nop = \"sql\"\nsql = \"DROP TABLE partial\"\n"
        ),
    );
}

const FAILING_STEP: &str =
    "[[upgrade]]\nop = \"sql\"\nsql = \"INSERT INTO no_such_table VALUES (1)\"\n\n";

fn output(p: &Project, args: &[&str]) -> (Option<i32>, String, String) {
    let out = p.cmd(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn dirty_then_resolve(kind: DialectKind) {
    let rt = runtime();
    let p = tutorial_project();
    let Some((url, server)) = database(&rt, kind, &p) else {
        return;
    };
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", &url]);
        output(&p, &all)
    };
    write_broken(&p, kind, FAILING_STEP);
    let (code, _, err) = run(&["upgrade", "head"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(err.contains(BROKEN) && err.contains("step 2"), "{err}");

    // Every later run refuses and says which command settles it.
    let (code, _, err) = run(&["upgrade", "head"]);
    assert_eq!(code, Some(3), "{err}");
    assert!(
        err.contains(&format!("cargo migrate resolve {BROKEN} --applied")),
        "{err}"
    );
    assert!(
        !err.contains("Migrator::"),
        "a Rust method is no fix for an operator: {err}"
    );

    // `resolve` alone lists the dirty revision with its recorded step and error.
    let (code, out, err) = run(&["resolve"]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(
        out.contains(BROKEN) && out.contains("step 2") && out.contains("no_such_table"),
        "{out}"
    );
    // Without a choice, nothing changes.
    let (code, out, err) = run(&["resolve", &BROKEN[..6]]);
    assert_eq!(code, Some(2), "{out}{err}");
    assert!(out.contains("step 2"), "{out}");
    assert!(err.contains("--not-applied"), "{err}");

    // Repaired by hand (step 1 undone), then settled as not applied.
    exec(&rt, kind, &url, "DROP TABLE partial");
    let (code, out, err) = run(&["resolve", BROKEN, "--not-applied"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let (_, out, _) = run(&["current"]);
    assert!(out.contains(ADD_COLUMN), "{out}");
    let (code, _, err) = run(&["resolve", BROKEN, "--applied"]);
    assert_eq!(code, Some(2), "not dirty any more: {err}");

    // The revision fixed, the next upgrade applies it.
    write_broken(&p, kind, "");
    let (code, out, err) = run(&["upgrade", "head"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let (_, out, _) = run(&["current"]);
    assert!(out.contains(BROKEN), "{out}");

    // Dirty again, this time finished by hand and settled as applied.
    let (code, _, _) = run(&["downgrade", ADD_COLUMN]);
    assert_eq!(code, Some(0));
    write_broken(&p, kind, FAILING_STEP);
    let (code, _, _) = run(&["upgrade", "head"]);
    assert_eq!(code, Some(3));
    let (code, out, err) = run(&["resolve", BROKEN, "--applied"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let (_, out, _) = run(&["current"]);
    assert!(out.contains(BROKEN), "{out}");

    if let Some(db) = server {
        rt.block_on(db.cleanup()).unwrap();
    }
}

#[test]
fn dirty_then_resolve_on_mysql() {
    dirty_then_resolve(DialectKind::MySql);
}

#[test]
fn dirty_then_resolve_on_postgres() {
    dirty_then_resolve(DialectKind::Postgres);
}

#[test]
fn dirty_then_resolve_on_sqlite() {
    dirty_then_resolve(DialectKind::Sqlite);
}

/// An applied revision's file edited afterwards: `upgrade head` with nothing pending
/// reports it (it said "already at head"), and the fix is something to do in the
/// project, not a Rust setting.
fn edited_applied_revision(kind: DialectKind) {
    let rt = runtime();
    let p = tutorial_project();
    let Some((url, server)) = database(&rt, kind, &p) else {
        return;
    };
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", &url]);
        output(&p, &all)
    };
    let (code, _, err) = run(&["upgrade", "head"]);
    assert_eq!(code, Some(0), "{err}");
    let file = std::fs::read_dir(p.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|path| path.to_string_lossy().contains(CREATE_ACCOUNT))
        .unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replace("create account table", "create the account table"),
    )
    .unwrap();
    let (code, out, err) = run(&["upgrade", "head"]);
    assert_eq!(code, Some(4), "{out}{err}");
    assert!(
        err.contains(CREATE_ACCOUNT) && err.contains("restore"),
        "{err}"
    );
    assert!(!err.contains("Config::"), "{err}");
    if let Some(db) = server {
        rt.block_on(db.cleanup()).unwrap();
    }
}

#[test]
fn edited_applied_revision_on_sqlite() {
    edited_applied_revision(DialectKind::Sqlite);
}

#[test]
fn edited_applied_revision_on_postgres() {
    edited_applied_revision(DialectKind::Postgres);
}

#[test]
fn edited_applied_revision_on_mysql() {
    edited_applied_revision(DialectKind::MySql);
}
