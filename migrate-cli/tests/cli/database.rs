//! `cargo migrate database create | drop | reset` on SQLite, PostgreSQL and
//! MySQL/MariaDB, through the CLI binary: drop and reset refuse without `-y` when
//! stdin is not a terminal, `upgrade` against a missing database says how to create
//! it, reset leaves exactly the head's schema.

use migrate_core::dialect::DialectKind;

use crate::fixtures::{tutorial_project, ADD_COLUMN};
use crate::scripts::execute;
use crate::util::assert_error_with_fix;

fn database_commands(kind: DialectKind) {
    let rt = crate::util::runtime();
    let Some(db) = rt.block_on(migrate_testkit::throwaway(kind)) else {
        return;
    };
    // Without `?mode=rwc`: a SQLite file that is not there is a missing database.
    let url = db.url().split('?').next().unwrap().to_string();
    let p = tutorial_project();
    let args = |a: &[&str]| {
        let mut all: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        all.extend(["--database-url".to_string(), url.clone()]);
        all
    };
    let ok = |a: &[&str]| p.ok_all(&args(a).iter().map(String::as_str).collect::<Vec<_>>());
    let fails = |a: &[&str], code| {
        p.fails(
            &args(a).iter().map(String::as_str).collect::<Vec<_>>(),
            code,
        )
    };
    let sql = |statement: &str| rt.block_on(execute(kind, &url, statement));

    if kind == DialectKind::Sqlite {
        assert!(ok(&["database", "drop", "-y"]).contains("nothing to drop"));
    } else {
        // The test database exists: drop asks, and with no terminal refuses.
        let err = fails(&["database", "drop"], 2);
        assert_error_with_fix(&err);
        assert!(
            err.contains("not a terminal") && err.contains("-y"),
            "{err}"
        );
        ok(&["current"]);
        assert!(ok(&["database", "drop", "-y"]).contains("dropped: the database"));
    }

    // Missing: upgrade says how to create it. A SQLite file is created by `upgrade`
    // itself (as a deployed binary does), so there a read says it instead.
    let err = if kind == DialectKind::Sqlite {
        fails(&["current"], 3)
    } else {
        fails(&["upgrade", "head"], 3)
    };
    assert_error_with_fix(&err);
    assert!(err.contains("does not exist"), "{err}");
    assert!(err.contains("cargo migrate database create"), "{err}");

    assert!(ok(&["database", "create"]).contains("created: the database"));
    assert!(ok(&["database", "create"]).contains("already exists"));
    ok(&["upgrade", "head"]);
    sql("CREATE TABLE stray (id INTEGER)");
    assert_eq!(
        p.cmd(
            &args(&["check"])
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        )
        .output()
        .unwrap()
        .status
        .code(),
        Some(1),
        "the stray table is drift"
    );

    let err = fails(&["database", "reset"], 2);
    assert!(err.contains("database reset -y"), "{err}");
    let out = ok(&["database", "reset", "-y"]);
    assert!(
        out.contains("dropped:") && out.contains("created:") && out.contains(ADD_COLUMN),
        "{out}"
    );
    // Exactly the head's schema: the stray table is gone, the version table is at head.
    ok(&["check"]);

    ok(&["database", "drop", "-y"]);
    fails(&["current"], 3);
    // Recreated so that the testkit's cleanup finds what it made.
    ok(&["database", "create"]);
    if kind != DialectKind::Sqlite {
        rt.block_on(db.cleanup()).unwrap();
    }
}

#[test]
fn database_commands_on_sqlite() {
    database_commands(DialectKind::Sqlite);
}

#[test]
fn database_commands_on_postgres() {
    database_commands(DialectKind::Postgres);
}

#[test]
fn database_commands_on_mysql() {
    database_commands(DialectKind::MySql);
}

/// Eight `database create` at once on a database that does not exist (CI jobs or
/// deploy hooks started together): every one exits 0, having created it or found it
/// created. They all see it missing; the losers' `CREATE DATABASE` failed with
/// "already exists" (a duplicate key on `pg_database`, or MySQL's 1007).
fn creates_at_once(kind: DialectKind) {
    use std::sync::Barrier;

    let rt = crate::util::runtime();
    let Some(db) = rt.block_on(migrate_testkit::throwaway(kind)) else {
        return;
    };
    let url = db.url().split('?').next().unwrap().to_string();
    let p = tutorial_project();
    let args = ["database", "drop", "-y", "--database-url", &url];
    p.ok_all(&args);
    for round in 0..3 {
        let args = ["database", "create", "--database-url", &url];
        // One thread per process, released together.
        let start = Barrier::new(8);
        let outputs: Vec<_> = std::thread::scope(|scope| {
            let runs: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        p.cmd(&args).output().unwrap()
                    })
                })
                .collect();
            runs.into_iter().map(|r| r.join().unwrap()).collect()
        });
        let mut created = 0;
        for out in outputs {
            let text = String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "round {round}: {text}");
            created += usize::from(text.contains("created: the database"));
        }
        assert_eq!(created, 1, "round {round}: exactly one created it");
        p.ok_all(&["current", "--database-url", &url]);
        if round < 2 {
            p.ok_all(&["database", "drop", "-y", "--database-url", &url]);
        }
    }
    rt.block_on(db.cleanup()).unwrap();
}

#[test]
fn creates_at_once_on_postgres() {
    creates_at_once(DialectKind::Postgres);
}

#[test]
fn creates_at_once_on_mysql() {
    creates_at_once(DialectKind::MySql);
}

/// On a terminal, `drop` asks; anything but `y` keeps the database. The terminal is
/// a pseudo-terminal from util-linux's `script`, so the prompt path really runs.
#[test]
fn drop_asks_on_a_terminal() {
    use std::io::Write;
    use std::process::{Command, Stdio};

    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("app.db");
    let url = format!("sqlite://{}", db.display());
    let bin = env!("CARGO_BIN_EXE_cargo-migrate");
    let answer = |text: &str| {
        let mut child = Command::new("script")
            .args([
                "-qec",
                &format!("{bin} migrate database drop --database-url {url}"),
                "/dev/null",
            ])
            .env("NO_COLOR", "1")
            .env_remove("DATABASE_URL")
            .current_dir(dir.path())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("util-linux's `script`");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "{out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let p = crate::util::Project::new();
    p.ok(&["database", "create", "--database-url", &url]);
    let out = answer("n\n");
    assert!(out.contains("[y/N]") && out.contains("unchanged"), "{out}");
    assert!(db.exists());
    let out = answer("y\n");
    assert!(out.contains("dropped: the database"), "{out}");
    assert!(!db.exists());
}
