//! `revision --autogenerate --expand`: a change that breaks the release still
//! running is written as an expand revision, deployed with the new release, and a
//! contract revision that waits in `migrations/next/` until a later one moves it
//! into `migrations/`. On each database, with rows present: after the expand step
//! the previous release's SQL (inserts and selects of the old shape) keeps working
//! and `check` is clean; the expand step downgrades; once the contract is moved
//! in, it runs, the data is whole, `check` is clean, and it downgrades too. The
//! written files are compared with golden files under `tests/golden/expand/`
//! (regenerate with `UPDATE_GOLDEN=1`).

use std::path::{Path, PathBuf};

use migrate_core::dialect::DialectKind;

use crate::util::{sql, text, Flow, Project};

/// One change between release N and release N+1 of a small application.
struct Scenario {
    /// Golden file stem and message.
    name: &'static str,
    /// Release N's models.
    before: &'static str,
    /// Release N+1's models.
    after: &'static str,
    /// Release N's statements, run with rows present after the expand step.
    release_n: &'static [&'static str],
    /// Release N+1's statements while both shapes exist (after the expand step).
    release_n1: &'static [&'static str],
    /// Statements that must work once the contract ran.
    after_contract: &'static [&'static str],
    /// Queries whose single value must be "0" once the contract ran.
    zero_after_contract: &'static [&'static str],
    /// The contract drops a column (needs --allow-destructive).
    destructive: bool,
}

const RENAME: Scenario = Scenario {
    name: "rename_nick",
    before: r#"use migrate::Model;

#[derive(Model)]
#[model(table = "accounts")]
pub struct Account {
    #[model(primary_key, autoincrement)]
    pub id: i64,
    #[model(max_len = 50)]
    pub nick: String,
}
"#,
    after: r#"use migrate::Model;

#[derive(Model)]
#[model(table = "accounts")]
pub struct Account {
    #[model(primary_key, autoincrement)]
    pub id: i64,
    #[model(max_len = 50, renamed_from = "nick")]
    pub handle: String,
}
"#,
    release_n: &[
        "INSERT INTO accounts (nick) VALUES ('written by N')",
        "SELECT nick FROM accounts WHERE nick = 'written by N'",
    ],
    // Release N+1 writes both and reads the new column, falling back to the old.
    release_n1: &[
        "INSERT INTO accounts (nick, handle) VALUES ('by N+1', 'by N+1')",
        "SELECT COALESCE(handle, nick) FROM accounts WHERE nick = 'written by N'",
    ],
    after_contract: &["INSERT INTO accounts (handle) VALUES ('after')"],
    // Every row has its handle, the rows release N wrote after the backfill too.
    zero_after_contract: &["SELECT COUNT(*) FROM accounts WHERE handle IS NULL OR handle = ''"],
    destructive: true,
};

const REQUIRED: Scenario = Scenario {
    name: "add_email",
    before: r#"use migrate::Model;

#[derive(Model)]
#[model(table = "accounts")]
pub struct Account {
    #[model(primary_key, autoincrement)]
    pub id: i64,
    #[model(max_len = 50)]
    pub nick: String,
}
"#,
    after: r#"use migrate::Model;

#[derive(Model)]
#[model(table = "accounts")]
pub struct Account {
    #[model(primary_key, autoincrement)]
    pub id: i64,
    #[model(max_len = 50)]
    pub nick: String,
    #[model(max_len = 100)]
    pub email: String,
}
"#,
    release_n: &[
        "INSERT INTO accounts (nick) VALUES ('written by N')",
        "SELECT nick FROM accounts WHERE nick = 'written by N'",
    ],
    // Release N+1 writes the column, and the rows before it get a value (the step
    // the notes ask for, written by the test into the contract as a user would).
    release_n1: &["INSERT INTO accounts (nick, email) VALUES ('by N+1', 'a@b')"],
    after_contract: &["INSERT INTO accounts (nick, email) VALUES ('after', 'c@d')"],
    zero_after_contract: &["SELECT COUNT(*) FROM accounts WHERE email IS NULL"],
    destructive: false,
};

const DROP: Scenario = Scenario {
    name: "drop_legacy",
    before: r#"use migrate::Model;

#[derive(Model)]
#[model(table = "accounts")]
pub struct Account {
    #[model(primary_key, autoincrement)]
    pub id: i64,
    #[model(max_len = 50)]
    pub nick: String,
    #[model(max_len = 50)]
    pub legacy: String,
}
"#,
    after: r#"use migrate::Model;

#[derive(Model)]
#[model(table = "accounts")]
pub struct Account {
    #[model(primary_key, autoincrement)]
    pub id: i64,
    #[model(max_len = 50)]
    pub nick: String,
}
"#,
    release_n: &[
        "INSERT INTO accounts (nick, legacy) VALUES ('written by N', 'old')",
        "SELECT legacy FROM accounts WHERE nick = 'written by N'",
    ],
    // Release N+1 no longer writes the column: the expand step let it take NULL.
    release_n1: &["INSERT INTO accounts (nick) VALUES ('by N+1')"],
    after_contract: &["INSERT INTO accounts (nick) VALUES ('after')"],
    zero_after_contract: &[],
    destructive: true,
};

/// The commented backfill step of the contract of [`REQUIRED`], and what a user
/// makes of it.
const EMAIL_BACKFILL: [&str; 2] = [
    "# [[upgrade]]\n# op = \"sql\"\n# sql = \"UPDATE accounts SET email = ... WHERE email IS NULL\"\n",
    "[[upgrade]]\nop = \"sql\"\nsql = \"UPDATE accounts SET email = 'unknown' WHERE email IS NULL\"\n",
];

fn run_sql(kind: DialectKind, url: &str, statements: &[&str], when: &str) {
    for s in statements {
        // What a SELECT reads comes back as text on every database.
        let s = match s
            .strip_prefix("SELECT ")
            .and_then(|r| r.split_once(" FROM "))
        {
            Some((what, rest)) => format!("SELECT {} FROM {rest}", text(kind, what)),
            None => s.to_string(),
        };
        if let Err(e) = sql(kind, url, &s) {
            panic!("{kind} {when}: `{s}` failed: {e}");
        }
    }
}

/// The one file in `migrations/next/`.
fn waiting(p: &Project) -> PathBuf {
    let files: Vec<PathBuf> = std::fs::read_dir(p.join("migrations/next"))
        .expect("migrations/next/")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    files.into_iter().next().unwrap()
}

/// Moves `file` into `dir` of the project; the new path.
fn move_into(p: &Project, file: &Path, dir: &str) -> PathBuf {
    let to = p.join(dir).join(file.file_name().unwrap());
    std::fs::rename(file, &to).unwrap();
    to
}

/// Compares `actual` (ids and times replaced) with `tests/golden/expand/<name>`.
fn golden(name: &str, actual: &str, ids: &[(&str, &str)]) {
    let mut text = actual
        .lines()
        .map(|l| {
            if l.starts_with("created = ") {
                "created = \"<created>\"".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    for (id, placeholder) in ids {
        text = text.replace(id, placeholder);
    }
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/expand")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (run with UPDATE_GOLDEN=1)", path.display()));
    assert_eq!(
        text,
        expected,
        "{} differs (UPDATE_GOLDEN=1 accepts it)",
        path.display()
    );
}

fn flow(kind: DialectKind, s: &Scenario) {
    let Some(f) = Flow::start(kind) else {
        return;
    };
    let (url, p) = (&f.url, &f.p);
    let with_url = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--database-url", url.as_str()]);
        p.ok_all(&all)
    };
    p.write("src/models.rs", s.before);
    let release_n = p.ok(&["revision", "--autogenerate", "-m", "release n"]);
    let release_n = release_n.trim().to_string();
    with_url(&["upgrade", "head"]);
    run_sql(kind, url, &s.release_n[..1], "release N before the change");

    // Without --expand, the lint names the command that writes the pair.
    p.write("src/models.rs", s.after);
    let drift = crate::util::models_drift(p);
    assert!(
        drift.contains("cargo migrate revision --autogenerate --expand -m"),
        "{drift}"
    );

    let mut args = vec!["revision", "--autogenerate", "--expand", "-m", s.name];
    if s.destructive {
        args.push("--allow-destructive");
    }
    let out = p.ok_all(&args);
    let first = out.lines().next().unwrap_or_default().trim().to_string();
    let contract = waiting(p);
    let contract_id = contract.file_name().unwrap().to_string_lossy()[..12].to_string();
    let expand = (first != contract_id).then(|| p.revision_file(&first));
    assert!(out.contains("contract: it waits there"), "{out}");
    if kind == DialectKind::Sqlite {
        let mut ids = vec![(release_n.as_str(), "<release_n>")];
        ids.push((contract_id.as_str(), "<contract>"));
        if let Some(file) = &expand {
            ids.push((first.as_str(), "<expand>"));
            golden(
                &format!("{}.expand.toml", s.name),
                &std::fs::read_to_string(file).unwrap(),
                &ids,
            );
        }
        golden(
            &format!("{}.contract.toml", s.name),
            &std::fs::read_to_string(&contract).unwrap(),
            &ids,
        );
    }
    // The models already say what the contract leaves: the build is clean, and
    // `check` says that the contract waits.
    let checked = p.ok_all(&["check"]);
    assert!(
        checked.contains("followed by the contract revision(s) waiting for a later release"),
        "{checked}"
    );

    // The expand step runs with rows present; release N keeps working.
    with_url(&["upgrade", "head"]);
    run_sql(kind, url, s.release_n, "release N after the expand step");
    p.check_clean(url, &format!("{kind}: after the expand step"));
    if expand.is_some() {
        with_url(&["downgrade", "-1"]);
        run_sql(
            kind,
            url,
            s.release_n,
            "release N after undoing the expand step",
        );
        with_url(&["upgrade", "head"]);
        p.check_clean(url, &format!("{kind}: after the expand step again"));
    }
    run_sql(kind, url, s.release_n1, "release N+1 after the expand step");
    run_sql(kind, url, s.release_n, "release N beside release N+1");

    // A later release moves the contract in; it runs and leaves the models' schema.
    let contract = move_into(p, &contract, "migrations");
    if s.name == REQUIRED.name {
        let text = std::fs::read_to_string(&contract).unwrap();
        assert!(text.contains(EMAIL_BACKFILL[0]), "{text}");
        let text = text.replace(EMAIL_BACKFILL[0], EMAIL_BACKFILL[1]);
        std::fs::write(&contract, text).unwrap();
    }
    with_url(&["upgrade", "head"]);
    p.check_clean(url, &format!("{kind}: after the contract step"));
    run_sql(
        kind,
        url,
        s.after_contract,
        "the new release after the contract",
    );
    for q in s.zero_after_contract {
        let q = q.replace("COUNT(*)", &text(kind, "COUNT(*)"));
        assert_eq!(
            sql(kind, url, &q).unwrap().as_deref(),
            Some("0"),
            "{kind}: {q}"
        );
    }

    // The contract downgrades to the expand step's schema.
    with_url(&["downgrade", "-1"]);
    move_into(p, &contract, "migrations/next");
    p.check_clean(url, &format!("{kind}: after undoing the contract"));
    run_sql(
        kind,
        url,
        &s.release_n[..1],
        "release N after undoing the contract",
    );
}

#[test]
fn a_renamed_column_expands_and_contracts_on_sqlite() {
    flow(DialectKind::Sqlite, &RENAME);
}

#[test]
fn a_renamed_column_expands_and_contracts_on_postgres() {
    flow(DialectKind::Postgres, &RENAME);
}

#[test]
fn a_renamed_column_expands_and_contracts_on_mysql() {
    flow(DialectKind::MySql, &RENAME);
}

#[test]
fn a_required_column_expands_and_contracts_on_sqlite() {
    flow(DialectKind::Sqlite, &REQUIRED);
}

#[test]
fn a_required_column_expands_and_contracts_on_postgres() {
    flow(DialectKind::Postgres, &REQUIRED);
}

#[test]
fn a_required_column_expands_and_contracts_on_mysql() {
    flow(DialectKind::MySql, &REQUIRED);
}

#[test]
fn a_dropped_column_expands_and_contracts_on_sqlite() {
    flow(DialectKind::Sqlite, &DROP);
}

#[test]
fn a_dropped_column_expands_and_contracts_on_postgres() {
    flow(DialectKind::Postgres, &DROP);
}

#[test]
fn a_dropped_column_expands_and_contracts_on_mysql() {
    flow(DialectKind::MySql, &DROP);
}

/// What cannot be split is refused before anything is written, saying why; and a
/// waiting contract keeps autogenerate from writing on top of the head.
#[test]
fn a_narrowed_type_is_refused_and_a_waiting_contract_blocks_autogenerate() {
    let p = Project::new();
    p.write("src/models.rs", DROP.before);
    p.ok(&["revision", "--autogenerate", "-m", "release n"]);
    let narrow = DROP.before.replace(
        "max_len = 50)]\n    pub legacy",
        "max_len = 10)]\n    pub legacy",
    );
    p.write("src/models.rs", &narrow);
    let err = p.fails(
        &[
            "revision",
            "--autogenerate",
            "--expand",
            "--allow-destructive",
            "-m",
            "narrow",
        ],
        2,
    );
    assert!(err.contains("accounts.legacy (MG131)"), "{err}");
    assert!(
        err.contains("cannot be expanded under the same column name"),
        "{err}"
    );
    assert!(!p.join("migrations/next").exists());

    p.write("src/models.rs", DROP.after);
    p.ok(&[
        "revision",
        "--autogenerate",
        "--expand",
        "--allow-destructive",
        "-m",
        "drop legacy",
    ]);
    p.ok(&["check"]);
    p.write(
        "src/models.rs",
        &DROP.after.replace(
            "pub nick: String,",
            "pub nick: String,\n    pub note: Option<String>,",
        ),
    );
    let err = p.fails(&["revision", "--autogenerate", "-m", "add note"], 4);
    assert!(err.contains("a contract revision waits here"), "{err}");
    assert!(err.contains("migrations/next/"), "{err}");
}
