//! upgrade/downgrade/current/history/stamp/check on PostgreSQL and MariaDB/MySQL, each
//! in a throwaway database of the testkit (`MIGRATE_TEST_POSTGRES_URL`,
//! `MIGRATE_TEST_MYSQL_URL`; a visible skip without them, a failure under CI=true).

use migrate_core::dialect::DialectKind;
use migrate_testkit::{throwaway, TestDb};

use crate::fixtures::{tutorial_project, ADD_COLUMN, CREATE_ACCOUNT};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn workflow(kind: DialectKind) {
    let rt = runtime();
    let Some(db): Option<TestDb> = rt.block_on(throwaway(kind)) else {
        return;
    };
    let url = db.url().to_string();
    let p = tutorial_project();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", &url]);
        p.ok(&all)
    };
    let code = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", &url]);
        p.cmd(&all).output().unwrap().status.code()
    };

    assert!(run(&["current"]).contains("<base>"));
    run(&["upgrade", "head"]);
    let current = run(&["current"]);
    assert!(
        current.contains(ADD_COLUMN) && current.contains("(current)"),
        "{current}"
    );
    assert_eq!(code(&["check"]), Some(0), "database at head matches");
    assert!(run(&["history"]).contains(CREATE_ACCOUNT));

    run(&["downgrade", "-1"]);
    assert!(run(&["current"]).contains(CREATE_ACCOUNT));
    // The column is gone from the database: the database no longer matches the head.
    assert_eq!(code(&["check"]), Some(1));

    // stamp records without running: still drift in the schema.
    run(&["stamp", "head"]);
    assert!(run(&["current"]).contains(ADD_COLUMN));
    assert_eq!(code(&["check"]), Some(1));

    // Back to the truth, then forward for real.
    run(&["stamp", &CREATE_ACCOUNT[..6]]);
    assert!(run(&["current"]).contains(CREATE_ACCOUNT));
    run(&["upgrade", "+1"]);
    assert_eq!(code(&["check"]), Some(0));
    run(&["downgrade", &CREATE_ACCOUNT[..6]]);
    assert!(run(&["current"]).contains(CREATE_ACCOUNT));
    run(&["downgrade", "base"]);
    assert!(run(&["current"]).contains("<base>"));
    assert_eq!(code(&["check"]), Some(1), "the head's tables are missing");

    // A real server's refusal: bad credentials, the password never shown.
    let mut bad = url::Url::parse(&url).unwrap();
    bad.set_username("migrate_no_such_user").unwrap();
    bad.set_password(Some("hunter2secret")).unwrap();
    let out = p
        .cmd(&["current", "--database-url", bad.as_str()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("hunter2secret"), "{all}");
    assert!(all.contains("migrate_no_such_user:***@"), "{all}");

    rt.block_on(db.cleanup()).unwrap();
}

#[test]
fn workflow_on_postgres() {
    workflow(DialectKind::Postgres);
}

#[test]
fn workflow_on_mysql() {
    workflow(DialectKind::MySql);
}
