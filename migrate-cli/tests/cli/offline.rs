//! `--sql`: scripts printed without a database, compared with golden files under
//! `tests/golden/` (regenerate with `UPDATE_GOLDEN=1 cargo test -p migrate-cli`).

use std::path::PathBuf;

use crate::fixtures::{tutorial_project, ADD_COLUMN, CREATE_ACCOUNT};
use crate::util::{assert_error_with_fix, Project};

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "{} differs (run with UPDATE_GOLDEN=1 to accept the new output)",
        path.display()
    );
}

#[test]
fn upgrade_and_downgrade_scripts_match_golden_files() {
    let p = tutorial_project();
    for dialect in ["postgres", "mysql", "sqlite"] {
        let up = p.ok(&["upgrade", "head", "--sql", "--dialect", dialect]);
        golden(&format!("upgrade_head.{dialect}.sql"), &up);
        let down = p.ok(&["downgrade", "base", "--sql", "--dialect", dialect]);
        golden(&format!("downgrade_base.{dialect}.sql"), &down);
    }
    // A range: only the second revision.
    let range = format!("{}:{}", &CREATE_ACCOUNT[..4], &ADD_COLUMN[..4]);
    let step = p.ok(&["upgrade", &range, "--sql", "--dialect", "postgres"]);
    golden("upgrade_range.postgres.sql", &step);
    assert!(!step.contains("CREATE TABLE \"account\""), "{step}");
}

#[test]
fn dialect_comes_from_the_url_when_not_given() {
    let p = tutorial_project();
    let mut cmd = p.cmd(&["upgrade", "--sql"]);
    cmd.env("DATABASE_URL", "mysql://root:pw@127.0.0.1:1/nowhere");
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = String::from_utf8(out.stdout).unwrap();
    assert_eq!(script, p.ok(&["upgrade", "--sql", "--dialect", "mysql"]));
}

#[test]
fn sql_without_dialect_or_url_says_how_to_give_one() {
    let p: Project = tutorial_project();
    let err = p.fails(&["upgrade", "--sql"], 2);
    assert_error_with_fix(&err);
    assert!(err.contains("--dialect"), "{err}");
}
