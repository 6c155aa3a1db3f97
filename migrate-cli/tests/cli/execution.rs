//! `upgrade`/`downgrade` run through the runtime in one call, planned by the one
//! planner: revisions only the database's log knows are undone from the CLI binary
//! and from `run_embedded`, `-N` across a merge undoes exactly N, and ambiguous
//! targets are usage errors that name the files.

use migrate_cli::{run_embedded, Status};
use migrate_core::dialect::DialectKind;
use migrate_core::revision::{file_name, Revision};
use migrate_core::{Operation, SqlStep};

use crate::embedded::embed;
use crate::fixtures::{tutorial_project, tutorial_revisions, ADD_COLUMN, CREATE_ACCOUNT};
use crate::util::Project;

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// A newer checkout added a column to a table the older one knows; the older CLI and
/// an older application binary (`run_embedded`) both undo it with the downgrade the
/// log recorded, and the database then matches the older head exactly.
fn unknown_revisions_are_undone(kind: DialectKind) {
    let rt = runtime();
    let p = tutorial_project();
    let (url, server) = match kind {
        DialectKind::Sqlite => (
            format!("sqlite://{}?mode=rwc", p.join("app.db").display()),
            None,
        ),
        _ => {
            let Some(db) = rt.block_on(migrate_testkit::throwaway(kind)) else {
                return;
            };
            (db.url().to_string(), Some(db))
        }
    };
    let with_url = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", &url]);
        all.iter().map(|s| s.to_string()).collect::<Vec<String>>()
    };
    let run = |args: &[&str]| {
        let all = with_url(args);
        p.ok(&all.iter().map(String::as_str).collect::<Vec<_>>())
    };
    run(&["upgrade", "head"]);
    // The older checkout: the newer revision's file is not there.
    let newer = &tutorial_revisions()[1];
    std::fs::remove_file(p.join(&format!("migrations/{}", file_name(newer)))).unwrap();
    // Upgrading past it is refused, with the command that undoes it.
    let all = with_url(&["upgrade", "head"]);
    let err = p.fails(&all.iter().map(String::as_str).collect::<Vec<_>>(), 3);
    assert!(err.contains(ADD_COLUMN), "{err}");
    assert!(err.contains("cargo migrate downgrade -1"), "{err}");
    assert!(!err.contains("Config::"), "{err}");
    let all = with_url(&["downgrade", "-1"]);
    let out = p.ok_all(&all.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(
        out.contains(&format!("{ADD_COLUMN} -> {CREATE_ACCOUNT}")),
        "{out}"
    );
    assert!(run(&["current"]).contains(CREATE_ACCOUNT));
    let code = p
        .cmd(
            &with_url(&["check"])
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        )
        .output()
        .unwrap()
        .status
        .code();
    assert_eq!(
        code,
        Some(0),
        "the column is gone: the database is at the older head"
    );

    // An older application binary undoes the newer revision the same way.
    run(&["downgrade", "base"]);
    let full = tutorial_project();
    let args = |a: &[&str]| {
        let mut all = vec!["--database-url".to_string(), url.clone()];
        all.extend(a.iter().map(|s| s.to_string()));
        all
    };
    full.ok(&args(&["upgrade", "head"])
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>());
    let older = embed(vec![tutorial_revisions().remove(0)]);
    let mut argv = vec!["migrate".to_string(), "-q".to_string()];
    argv.extend(args(&["downgrade", CREATE_ACCOUNT]));
    assert_eq!(run_embedded(argv, older), Status::Ok);
    assert!(run(&["current"]).contains(CREATE_ACCOUNT));
    let mut argv = vec!["migrate".to_string(), "-q".to_string()];
    argv.extend(args(&["downgrade", "base"]));
    assert_eq!(run_embedded(argv, older), Status::Ok);
    assert!(run(&["current"]).contains("<base>"));
    if let Some(db) = server {
        rt.block_on(db.cleanup()).unwrap();
    }
}

#[test]
fn unknown_revisions_are_undone_on_sqlite() {
    unknown_revisions_are_undone(DialectKind::Sqlite);
}

#[test]
fn unknown_revisions_are_undone_on_postgres() {
    unknown_revisions_are_undone(DialectKind::Postgres);
}

#[test]
fn unknown_revisions_are_undone_on_mysql() {
    unknown_revisions_are_undone(DialectKind::MySql);
}

/// A revision with a raw SQL upgrade and downgrade that record it in `marks`.
fn marked(id: &str, parents: &[&str]) -> Revision {
    Revision {
        id: id.to_string(),
        parents: parents.iter().map(|p| p.to_string()).collect(),
        replaces: Vec::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: format!("step {id}"),
        created: "2026-01-02T03:04:05Z".to_string(),
        upgrade: vec![Operation::Sql(SqlStep::new(format!(
            "INSERT INTO marks (rev) VALUES ('{id}')"
        )))],
        downgrade: vec![Operation::Sql(SqlStep::new(format!(
            "DELETE FROM marks WHERE rev = '{id}'"
        )))],
    }
}

fn write(p: &Project, r: &Revision) {
    p.write(&format!("migrations/{}", file_name(r)), &r.to_toml());
}

/// a -> (b1, b2) -> merge m -> c. Two heads before the merge is written: `upgrade
/// head` is a usage error naming both files. After it, `downgrade -2` undoes exactly
/// c and m, and `downgrade -1` with both branches applied is a usage error.
#[test]
fn relative_downgrades_across_a_merge() {
    let p = Project::new();
    p.ok(&["init"]);
    let url = format!("sqlite://{}?mode=rwc", p.join("app.db").display());
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", &url]);
        p.ok_all(&all)
    };
    let fails = |args: &[&str], code| {
        let mut all = args.to_vec();
        all.extend(["--database-url", &url]);
        p.fails(&all, code)
    };
    let mut a = marked("aaaa00000001", &[]);
    a.upgrade.insert(
        0,
        Operation::Sql(SqlStep::new("CREATE TABLE marks (rev VARCHAR(20))")),
    );
    a.downgrade = vec![Operation::Sql(SqlStep::new("DROP TABLE marks"))];
    let b1 = marked("bbbb00000001", &["aaaa00000001"]);
    let b2 = marked("bbbb00000002", &["aaaa00000001"]);
    for r in [&a, &b1, &b2] {
        write(&p, r);
    }
    let err = fails(&["upgrade", "head"], 2);
    assert!(
        err.contains(&format!("migrations/{}", file_name(&b1)))
            && err.contains(&format!("migrations/{}", file_name(&b2))),
        "{err}"
    );
    // The offline script says the same.
    let err = p.fails(&["upgrade", "head", "--sql", "--dialect", "sqlite"], 2);
    assert!(
        err.contains(&format!("migrations/{}", file_name(&b1))),
        "{err}"
    );
    let m = marked("cccc00000001", &["bbbb00000001", "bbbb00000002"]);
    let c = marked("dddd00000001", &["cccc00000001"]);
    write(&p, &m);
    write(&p, &c);
    let out = run(&["upgrade", "head"]);
    assert!(out.contains("dddd00000001"), "{out}");

    let out = run(&["downgrade", "-2"]);
    assert!(
        out.contains("dddd00000001") && out.contains("cccc00000001"),
        "{out}"
    );
    let current = run(&["current"]);
    assert!(
        current.contains("bbbb00000001") && current.contains("bbbb00000002"),
        "exactly two undone, both branches still applied: {current}"
    );
    let err = fails(&["downgrade", "-1"], 2);
    assert!(err.contains("branches applied"), "{err}");
    // `REV+N` and `head-N` mean the same to the planner whichever path runs them.
    run(&["upgrade", "cccc+1"]);
    assert!(run(&["current"]).contains("dddd00000001"));
    run(&["downgrade", "head-1"]);
    assert!(run(&["current"]).contains("cccc00000001"));
}

/// `upgrade` reads only the headers of the revision files up front; a broken
/// operation in a pending revision is still reported with its file and step, and
/// nothing runs.
#[test]
fn a_broken_pending_revision_names_its_file_and_step() {
    let p = tutorial_project();
    let url = format!("sqlite://{}?mode=rwc", p.join("app.db").display());
    let newer = &tutorial_revisions()[1];
    let path = format!("migrations/{}", file_name(newer));
    let text = p
        .read(&path)
        .replace("op = \"add_column\"", "op = \"add_colum\"");
    p.write(&path, &text);
    let err = p.fails(&["upgrade", "head", "--database-url", &url], 4);
    assert!(
        err.contains(&file_name(newer)) && err.contains("upgrade step 1"),
        "{err}"
    );
    let tables = std::process::Command::new("sqlite3")
        .arg(p.join("app.db"))
        .arg("SELECT name FROM sqlite_master WHERE name = 'account'")
        .output()
        .unwrap();
    assert!(
        tables.stdout.is_empty(),
        "the first revision did not run either"
    );
}

/// `upgrade` on a SQLite file that does not exist yet creates it, as a deployed
/// binary does (no `?mode=rwc` needed); a read-only command on a missing file says
/// the file is missing instead of creating an empty one.
#[test]
fn sqlite_upgrade_creates_a_missing_file_and_reads_do_not() {
    let p = tutorial_project();
    let path = p.join("data/new.db");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let url = format!("sqlite://{}", path.display());
    let err = p.fails(&["current", "--database-url", &url], 3);
    assert!(err.contains("does not exist"), "{err}");
    assert!(err.contains("`upgrade` creates a missing file"), "{err}");
    assert!(!path.exists(), "a read must not create the file");
    p.ok(&["upgrade", "head", "--database-url", &url]);
    assert!(path.is_file());
    assert!(p
        .ok(&["current", "--database-url", &url])
        .contains(ADD_COLUMN));
}
