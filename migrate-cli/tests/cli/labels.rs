//! Several bases, branch labels and `depends_on` through the CLI binary: `revision
//! --head base --branch-label`, `--depends-on`, and upgrades and downgrades by label
//! on SQLite, PostgreSQL and MySQL/MariaDB.

use migrate_core::dialect::DialectKind;
use migrate_core::revision::{file_name, Revision};
use migrate_core::{Column, ColumnType, Operation, Table};

use crate::util::{runtime, sql, Project};

fn table(name: &str) -> Table {
    let mut t = Table::new(name);
    t.columns.push(Column::new("id", ColumnType::BigInt));
    t
}

fn revision(id: &str, parents: &[&str], upgrade: Operation) -> Revision {
    Revision {
        id: id.to_string(),
        parents: parents.iter().map(|p| p.to_string()).collect(),
        replaces: Vec::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: format!("revision {id}"),
        created: "2026-01-02T03:04:05Z".to_string(),
        downgrade: vec![upgrade.inverse().unwrap()],
        upgrade: vec![upgrade],
    }
}

/// app: `aa0000000001` creates `app_users` (label `app`), `aa0000000002` adds a column
/// and depends on net's first revision; net: `bb0000000001` creates `net_hosts` (label
/// `net`), `bb0000000002` creates `net_links`.
fn project() -> Project {
    let p = Project::new();
    p.ok(&["init"]);
    let mut a1 = revision(
        "aa0000000001",
        &[],
        Operation::CreateTable {
            table: table("app_users"),
        },
    );
    a1.branch_labels = vec!["app".into()];
    let mut a2 = revision(
        "aa0000000002",
        &["aa0000000001"],
        Operation::AddColumn {
            table: "app_users".into(),
            column: Column::new("host", ColumnType::BigInt).nullable(),
        },
    );
    a2.depends_on = vec!["bb0000000001".into()];
    let mut n1 = revision(
        "bb0000000001",
        &[],
        Operation::CreateTable {
            table: table("net_hosts"),
        },
    );
    n1.branch_labels = vec!["net".into()];
    let n2 = revision(
        "bb0000000002",
        &["bb0000000001"],
        Operation::CreateTable {
            table: table("net_links"),
        },
    );
    for r in [a1, a2, n1, n2] {
        p.write(&format!("migrations/{}", file_name(&r)), &r.to_toml());
    }
    p
}

#[test]
fn revision_starts_a_new_base_with_a_label_and_depends_on_another_branch() {
    let p = Project::new();
    p.ok(&["init"]);
    let first = p.ok(&["-q", "revision", "-m", "app", "--branch-label", "app"]);
    let net = p.ok(&[
        "-q",
        "revision",
        "-m",
        "net",
        "--head",
        "base",
        "--branch-label",
        "net",
    ]);
    let dep = p.ok(&[
        "-q",
        "revision",
        "-m",
        "uses net",
        "--head",
        "app@head",
        "--depends-on",
        "net",
    ]);
    let (first, net, dep) = (first.trim(), net.trim(), dep.trim());
    let text = p.read(&format!("migrations/{net}_net.toml"));
    assert!(
        text.contains("parents = []") && text.contains("branch_labels = [\"net\"]"),
        "{text}"
    );
    let text = p.read(&format!("migrations/{dep}_uses_net.toml"));
    assert!(
        text.contains(&format!("parents = [\"{first}\"]"))
            && text.contains(&format!("depends_on = [\"{net}\"]")),
        "{text}"
    );
    let mut heads: Vec<String> = p.ok(&["heads", "-q"]).lines().map(str::to_string).collect();
    heads.sort();
    let mut expected = vec![dep.to_string(), net.to_string()];
    expected.sort();
    assert_eq!(heads, expected);
    let err = p.fails(
        &[
            "revision",
            "-m",
            "again",
            "--head",
            "base",
            "--branch-label",
            "net",
        ],
        4,
    );
    assert!(err.contains("branch label `net` is on both"), "{err}");
}

fn by_label(kind: DialectKind) {
    let rt = runtime();
    let Some(db) = rt.block_on(migrate_testkit::throwaway(kind)) else {
        return;
    };
    let url = db.url().to_string();
    let p = project();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", &url]);
        p.ok_all(&all)
    };
    let exists = |t: &str| sql(kind, &url, &format!("SELECT 'x' FROM {t} WHERE 1 = 0")).is_ok();
    run(&["upgrade", "net@head"]);
    assert!(exists("net_hosts") && exists("net_links") && !exists("app_users"));
    // app's head depends on net's first revision, already there: only app's two run.
    let out = run(&["upgrade", "app@head"]);
    assert!(
        out.contains("aa0000000001") && out.contains("aa0000000002"),
        "{out}"
    );
    assert!(!out.contains("bb0000000001 "), "{out}");
    let current = run(&["current", "-q"]);
    assert!(
        current.contains("aa0000000002") && current.contains("bb0000000002"),
        "{current}"
    );
    // Down to net's first revision: net_links goes, app (which depends on it) stays.
    run(&["downgrade", "net"]);
    assert!(exists("net_hosts") && !exists("net_links") && exists("app_users"));
    run(&["downgrade", "base"]);
    assert!(!exists("net_hosts") && !exists("app_users"));
    // From nothing, app@head brings the revision it depends on first.
    let out = run(&["upgrade", "app@head"]);
    let at = |id: &str| {
        out.find(id)
            .unwrap_or_else(|| panic!("{id} not run:\n{out}"))
    };
    assert!(at("bb0000000001") < at("aa0000000002"), "{out}");
    assert!(!exists("net_links"));
    rt.block_on(db.cleanup()).unwrap();
}

#[test]
fn labels_on_sqlite() {
    by_label(DialectKind::Sqlite);
}

#[test]
fn labels_on_postgres() {
    by_label(DialectKind::Postgres);
}

#[test]
fn labels_on_mysql() {
    by_label(DialectKind::MySql);
}
