//! `stamp --purge`: forget everything the version table and its log record, then
//! stamp; through the CLI binary on SQLite, PostgreSQL and MySQL/MariaDB.

use migrate_core::dialect::DialectKind;
use migrate_core::revision::file_name;

use crate::fixtures::{tutorial_project, tutorial_revisions, ADD_COLUMN, CREATE_ACCOUNT};

/// An applied revision's file was edited: every run refuses (its recorded checksum
/// differs). Once the schema is known to match, `stamp --purge head` records the
/// files as they are now, and runs go on.
fn purge_then_stamp(kind: DialectKind) {
    let rt = crate::util::runtime();
    let Some(db) = rt.block_on(migrate_testkit::throwaway(kind)) else {
        return;
    };
    let url = db.url().to_string();
    let p = tutorial_project();
    let with = |a: &[&str]| {
        let mut all: Vec<String> = a.iter().map(|s| s.to_string()).collect();
        all.extend(["--database-url".to_string(), url.clone()]);
        all
    };
    let ok = |a: &[&str]| p.ok_all(&with(a).iter().map(String::as_str).collect::<Vec<_>>());
    let fails = |a: &[&str], code| {
        p.fails(
            &with(a).iter().map(String::as_str).collect::<Vec<_>>(),
            code,
        )
    };

    ok(&["upgrade", "head"]);
    let newer = format!("migrations/{}", file_name(&tutorial_revisions()[1]));
    let text = p.read(&newer);
    p.write(&newer, &format!("# reviewed after it was applied\n{text}"));
    let err = fails(&["upgrade", "head"], 4);
    assert!(err.contains("must not be edited"), "{err}");

    let out = ok(&["stamp", "--purge", "head"]);
    assert!(
        out.contains("purged") && out.contains(CREATE_ACCOUNT) && out.contains(ADD_COLUMN),
        "{out}"
    );
    assert_eq!(
        p.ok(&with(&["current", "-q"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()),
        format!("{ADD_COLUMN}\n")
    );
    assert!(ok(&["upgrade", "head"]).contains("already at head"));
    assert_eq!(
        p.cmd(
            &with(&["check"])
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>()
        )
        .output()
        .unwrap()
        .status
        .code(),
        Some(0)
    );

    // Purging an empty record says so; `stamp --purge base` forgets everything.
    let out = ok(&["stamp", "--purge", "base"]);
    assert!(out.contains("purged"), "{out}");
    assert_eq!(
        p.ok(&with(&["current", "-q"])
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()),
        ""
    );
    let out = ok(&["stamp", "--purge", "base"]);
    assert!(out.contains("nothing (no revision was recorded)"), "{out}");
}

#[test]
fn purge_then_stamp_on_sqlite() {
    purge_then_stamp(DialectKind::Sqlite);
}

#[test]
fn purge_then_stamp_on_postgres() {
    purge_then_stamp(DialectKind::Postgres);
}

#[test]
fn purge_then_stamp_on_mysql() {
    purge_then_stamp(DialectKind::MySql);
}
