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

/// No command prints a password, whether the URL gives it as `user:secret@` or as a
/// `?password=` parameter: not in progress lines, data, `--verbose` details or
/// errors (the server trusts local connections, so every command really runs).
#[test]
fn no_command_prints_a_password_on_postgres() {
    let rt = runtime();
    let Some(db): Option<TestDb> = rt.block_on(throwaway(DialectKind::Postgres)) else {
        return;
    };
    let base = url::Url::parse(db.url()).unwrap();
    let mut in_authority = base.clone();
    in_authority.set_password(Some("hunter2authority")).unwrap();
    let mut in_query = base.clone();
    in_query
        .query_pairs_mut()
        .append_pair("password", "hunter2query");
    let p = tutorial_project();
    for (url, secret) in [
        (in_authority.to_string(), "hunter2authority"),
        (in_query.to_string(), "hunter2query"),
    ] {
        for args in [
            &["upgrade", "head"][..],
            &["current"],
            &["history"],
            &["check"],
            &["stamp", "head"],
            &["downgrade", "-1"],
            &["upgrade", "nosuchrevision"],
            &["downgrade", "base"],
            &["upgrade", "head", "--sql"],
        ] {
            let mut all = vec!["--verbose", "--database-url", url.as_str()];
            all.extend(args);
            let out = p.cmd(&all).output().unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert!(
                !text.contains(secret),
                "{args:?} printed the password:\n{text}"
            );
        }
    }
    rt.block_on(db.cleanup()).unwrap();
}
