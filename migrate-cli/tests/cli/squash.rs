//! `cargo migrate squash`: databases at the start, in the middle and at the end of the
//! squashed range, and a fresh one, all upgrade to the head and then `check` clean;
//! with the replaced files deleted, databases past the range go on (and downgrade,
//! leaving no log row behind) while one still inside it is refused with the fix.
//! Through the CLI binary on SQLite, PostgreSQL and MySQL/MariaDB.

use migrate_core::dialect::DialectKind;
use migrate_core::revision::{file_name, Revision};
use migrate_core::{Column, ColumnType, Operation};
use migrate_testkit::TestDb;

use crate::fixtures::{tutorial_project, ADD_COLUMN, CREATE_ACCOUNT};
use crate::util::{runtime, sql, Project};

/// The third revision of the range.
const ADD_EMAIL: &str = "c0ffee000003";
/// The revision after the range.
const ADD_NOTE: &str = "d00d00000004";

fn add_column(id: &str, parent: &str, column: Column) -> Revision {
    let op = Operation::AddColumn {
        table: "account".to_string(),
        column,
    };
    Revision {
        id: id.to_string(),
        parents: vec![parent.to_string()],
        replaces: Vec::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: format!("add {id}"),
        created: "2026-01-02T03:06:07Z".to_string(),
        downgrade: vec![op.inverse().unwrap()],
        upgrade: vec![op],
    }
}

/// The tutorial's two revisions, then `email`, then `note`.
fn project() -> Project {
    let p = tutorial_project();
    for r in [
        add_column(
            ADD_EMAIL,
            ADD_COLUMN,
            Column::new("email", ColumnType::Varchar(100)).nullable(),
        ),
        add_column(
            ADD_NOTE,
            ADD_EMAIL,
            Column::new("note", ColumnType::Text).nullable(),
        ),
    ] {
        p.write(&format!("migrations/{}", file_name(&r)), &r.to_toml());
    }
    p
}

/// `cargo migrate ARGS --database-url URL`: (exit code, stdout and stderr).
fn run(p: &Project, url: &str, args: &[&str]) -> (Option<i32>, String) {
    let mut all = args.to_vec();
    all.extend(["--database-url", url]);
    let out = p.cmd(&all).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

fn ok(p: &Project, url: &str, args: &[&str]) -> String {
    let (code, text) = run(p, url, args);
    assert_eq!(code, Some(0), "{args:?}:\n{text}");
    text
}

/// The ids the version log holds, sorted, comma-separated.
fn log_rows(kind: DialectKind, url: &str) -> String {
    let list = match kind {
        DialectKind::Postgres => "string_agg(revision, ',')",
        DialectKind::MySql => "CAST(GROUP_CONCAT(revision) AS CHAR)",
        DialectKind::Sqlite => "group_concat(revision, ',')",
    };
    let text = sql(
        kind,
        url,
        &format!("SELECT COALESCE({list}, '') FROM migrate_version_log"),
    )
    .unwrap()
    .unwrap_or_default();
    let mut ids: Vec<&str> = text.split(',').filter(|s| !s.is_empty()).collect();
    ids.sort();
    ids.join(",")
}

fn squash_range(kind: DialectKind) {
    let rt = runtime();
    let mut dbs: Vec<TestDb> = Vec::new();
    for _ in 0..5 {
        match rt.block_on(migrate_testkit::throwaway(kind)) {
            Some(db) => dbs.push(db),
            None => return,
        }
    }
    let urls: Vec<String> = dbs.iter().map(|d| d.url().to_string()).collect();
    let [fresh, start, middle, end, left_inside] = [0, 1, 2, 3, 4].map(|i| urls[i].as_str());
    let p = project();
    ok(&p, start, &["upgrade", CREATE_ACCOUNT]);
    ok(&p, middle, &["upgrade", ADD_COLUMN]);
    ok(&p, end, &["upgrade", ADD_EMAIL]);
    ok(&p, left_inside, &["upgrade", ADD_COLUMN]);

    let out = p.ok_all(&[
        "squash",
        &CREATE_ACCOUNT[..6],
        ADD_EMAIL,
        "-m",
        "account so far",
    ]);
    assert!(out.contains("it replaces 3 revisions"), "{out}");
    let squash_id = out.lines().next().unwrap().trim().to_string();
    let squash = p.read(&format!("migrations/{squash_id}_account_so_far.toml"));
    assert!(
        squash.contains(&format!(
            "replaces = [\"{CREATE_ACCOUNT}\", \"{ADD_COLUMN}\", \"{ADD_EMAIL}\"]"
        )),
        "{squash}"
    );
    assert_eq!(p.ok(&["heads", "-q"]), format!("{ADD_NOTE}\n"));

    // A fresh database applies the squash, not the range.
    let out = ok(&p, fresh, &["upgrade", "head"]);
    assert!(
        out.contains(&squash_id) && !out.contains(ADD_COLUMN),
        "{out}"
    );
    // Inside the range, the rest of the range; at its end, what follows.
    let out = ok(&p, start, &["upgrade", "head"]);
    assert!(
        out.contains(ADD_COLUMN)
            && out.contains(ADD_EMAIL)
            && out.contains(ADD_NOTE)
            && !out.contains(&squash_id),
        "{out}"
    );
    let out = ok(&p, middle, &["upgrade", "head"]);
    assert!(
        out.contains(ADD_EMAIL) && out.contains(ADD_NOTE) && !out.contains(&squash_id),
        "{out}"
    );
    let out = ok(&p, end, &["upgrade", "head"]);
    assert!(out.contains(ADD_NOTE) && !out.contains(&squash_id), "{out}");
    for url in [fresh, start, middle, end] {
        let (code, text) = run(&p, url, &["check"]);
        assert_eq!(code, Some(0), "check on {url}:\n{text}");
        assert_eq!(ok(&p, url, &["current", "-q"]).trim(), ADD_NOTE);
    }
    let mut expected = [ADD_NOTE, squash_id.as_str()];
    expected.sort();
    assert_eq!(log_rows(kind, fresh), expected.join(","));

    // The replaced files go: the databases past the range carry on.
    for r in [CREATE_ACCOUNT, ADD_COLUMN, ADD_EMAIL] {
        let name = std::fs::read_dir(p.join("migrations"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|path| path.file_name().unwrap().to_string_lossy().starts_with(r))
            .unwrap();
        std::fs::remove_file(name).unwrap();
    }
    for url in [fresh, start, end] {
        assert!(ok(&p, url, &["upgrade", "head"]).contains("already at"));
        let (code, text) = run(&p, url, &["check"]);
        assert_eq!(code, Some(0), "check on {url}:\n{text}");
    }
    // A database that ran the range one by one undoes it as the squash, and its
    // log keeps no row of the replaced revisions.
    ok(&p, start, &["downgrade", "base"]);
    assert_eq!(log_rows(kind, start), "");
    ok(&p, start, &["upgrade", "head"]);
    assert_eq!(run(&p, start, &["check"]).0, Some(0));
    // One left in the middle is refused, and told how to get past the range.
    let (code, err) = run(&p, left_inside, &["upgrade", "head"]);
    assert_ne!(code, Some(0), "{err}");
    assert!(
        err.contains(&format!(
            "the database is at revision `{ADD_COLUMN}`, in the middle of the revisions \
             squash `{squash_id}` replaced (up to `{ADD_EMAIL}`)"
        )),
        "{err}"
    );
    for db in dbs {
        rt.block_on(db.cleanup()).unwrap();
    }
}

#[test]
fn squash_on_sqlite() {
    squash_range(DialectKind::Sqlite);
}

#[test]
fn squash_on_postgres() {
    squash_range(DialectKind::Postgres);
}

#[test]
fn squash_on_mysql() {
    squash_range(DialectKind::MySql);
}
