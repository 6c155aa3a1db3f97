//! A rolling deploy with real binaries: release N (`tests/rolling-n`) and release
//! N+1 (`tests/rolling-n1`) of a small application, built by `cargo build` in one
//! invocation (sharing the target directory). Release N applies its revision with
//! its own binary and then keeps inserting and reading its accounts in a loop;
//! release N+1's binary applies its four revisions one at a time (`run_embedded`).
//! The revisions on which N's statements start failing are exactly those that
//! `cargo migrate check` on release N+1's project flags as breaking the release
//! before, and the report names N's struct and field.
//!
//! The same on PostgreSQL, MariaDB and SQLite (one file that both processes open).
//! What differs between them is asserted where the test can see it:
//! - each database words the missing column its own way;
//! - SQLite has one writer: N's statements wait (sqlx's busy timeout) while an
//!   upgrade holds the write lock, and never fail for it, so on every database N's
//!   only errors name the columns the check flagged.
//!
//! MariaDB commits each DDL statement on its own, so there N sees a change when its
//! statement commits, before the revision's log row is marked applied rather than
//! with it; that moves when N starts failing by a few milliseconds, not on which
//! revision, and the test cannot see it.

use std::collections::BTreeSet;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use migrate_core::dialect::DialectKind;
use migrate_testkit::throwaway;

use crate::util::{build_fixtures, runtime};

/// Release N+1's revisions, in order: add a nullable column, rename a column, add
/// an index, drop a column.
const REVISIONS: [&str; 4] = [
    "4c83f85cb84f",
    "190344e09229",
    "8ed1250b8f19",
    "7c5d3b0c403b",
];

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(name)
}

/// The two release binaries, built once for the test run.
fn binaries() -> &'static (PathBuf, PathBuf) {
    static BINARIES: OnceLock<(PathBuf, PathBuf)> = OnceLock::new();
    BINARIES.get_or_init(|| {
        let mut built = build_fixtures(&["rolling-n", "rolling-n1"], &[]);
        let n1 = built.pop().unwrap();
        (built.pop().unwrap(), n1)
    })
}

/// Runs a release binary's `migrate` command set in an empty directory.
fn migrate(binary: &Path, args: &[&str]) {
    let cwd = tempfile::tempdir().unwrap();
    let out = Command::new(binary)
        .arg("migrate")
        .args(args)
        .current_dir(cwd.path())
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{} migrate {args:?}:\n{}{}",
        binary.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The statements of release N failing in its lines since `from` (the last word
/// on each statement wins).
fn failing(lines: &[String], from: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in &lines[from..] {
        if let Some(rest) = line.strip_prefix("error ") {
            out.insert(rest.split(':').next().unwrap().to_string());
        } else if let Some(name) = line.strip_prefix("ok ") {
            out.remove(name);
        }
    }
    out
}

/// How each database says that release N names a column that is gone (the
/// rename's `nick`).
fn missing_column(kind: DialectKind) -> &'static [&'static str] {
    match kind {
        // The INSERT and the SELECT put it differently (not on MariaDB).
        DialectKind::Postgres => &[
            "column \"nick\" of relation \"accounts\" does not exist",
            "column \"nick\" does not exist",
        ],
        DialectKind::MySql => &["Unknown column 'nick'"],
        DialectKind::Sqlite => &["has no column named nick", "no such column: nick"],
    }
}

fn release_n_breaks_on_exactly_the_revisions_the_check_flagged(kind: DialectKind) {
    let rt = runtime();
    let Some(db) = rt.block_on(throwaway(kind)) else {
        return;
    };
    let url = db.url().to_string();
    let (n, n1) = binaries();

    // What the check flags on release N+1's project, before anything runs.
    let out = assert_cmd::Command::cargo_bin("cargo-migrate")
        .unwrap()
        .args(["migrate", "check", "--models-only"])
        .current_dir(fixture("rolling-n1"))
        .env_remove("DATABASE_URL")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let rolling = [
        "MG101", "MG103", "MG104", "MG105", "MG106", "MG131", "MG132", "MG133",
    ];
    let flagged: BTreeSet<String> = report
        .lines()
        .filter(|l| rolling.iter().any(|code| l.contains(&format!("[{code} "))))
        .filter_map(|l| l.split("(revision ").nth(1))
        .map(|rest| rest.split(' ').next().unwrap().to_string())
        .collect();
    assert!(
        report.contains("breaks: `Account::nick` (src/models.rs:11) in the release before"),
        "{report}"
    );

    // Release N is deployed: its own binary applies its revision, then serves.
    migrate(n, &["upgrade", "head", "--database-url", &url]);
    let mut server = Command::new(n)
        .args(["serve", &url])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let reader = {
        let lines = lines.clone();
        let stdout = server.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                lines.lock().unwrap().push(line.unwrap());
            }
        })
    };
    // Waits until release N has run every statement at least `rounds` more times.
    let settle = |rounds: usize| -> usize {
        let from = lines.lock().unwrap().len();
        let deadline = Instant::now() + Duration::from_secs(20);
        while lines.lock().unwrap().len() < from + 3 * rounds {
            assert!(Instant::now() < deadline, "release N stopped serving");
            std::thread::sleep(Duration::from_millis(20));
        }
        from
    };
    let start = settle(3);
    assert!(
        failing(&lines.lock().unwrap(), start).is_empty(),
        "release N works on its own schema: {:?}",
        lines.lock().unwrap()
    );

    // Release N+1's binary applies its revisions one at a time while N runs.
    let mut broke = BTreeSet::new();
    let mut before = BTreeSet::new();
    let mut rename_errors = Vec::new();
    for id in REVISIONS {
        migrate(n1, &["upgrade", id, "--database-url", &url]);
        // Lines from the rounds that started after the revision committed.
        let from = settle(1);
        settle(3);
        let lines = lines.lock().unwrap();
        let now = failing(&lines, from);
        if !now.is_subset(&before) {
            broke.insert(id.to_string());
        }
        if id == REVISIONS[1] {
            rename_errors.extend(
                lines[from..]
                    .iter()
                    .filter(|l| l.starts_with("error "))
                    .cloned(),
            );
        }
        before = now;
    }
    drop(server.stdin.take());
    assert!(server.wait().unwrap().success());
    reader.join().unwrap();

    let expected: BTreeSet<String> = [REVISIONS[1].to_string(), REVISIONS[3].to_string()].into();
    assert_eq!(
        broke, expected,
        "{kind}: the rename and the drop break release N"
    );
    assert_eq!(flagged, expected, "{report}");
    // Release N never failed for another reason (a lock, a busy database).
    for line in lines.lock().unwrap().iter() {
        if line.starts_with("error ") {
            assert!(
                line.contains("nick") || line.contains("legacy"),
                "{kind}: {line}"
            );
        }
    }
    // After the rename, release N fails only for the column the check named, in
    // the database's own words.
    assert!(!rename_errors.is_empty(), "{kind}");
    for line in &rename_errors {
        assert!(
            missing_column(kind).iter().any(|m| line.contains(m)),
            "{kind}: {line}"
        );
    }
    rt.block_on(db.cleanup()).unwrap();
}

#[test]
fn release_n_breaks_on_exactly_the_revisions_the_check_flagged_on_postgres() {
    release_n_breaks_on_exactly_the_revisions_the_check_flagged(DialectKind::Postgres);
}

#[test]
fn release_n_breaks_on_exactly_the_revisions_the_check_flagged_on_mariadb() {
    release_n_breaks_on_exactly_the_revisions_the_check_flagged(DialectKind::MySql);
}

#[test]
fn release_n_breaks_on_exactly_the_revisions_the_check_flagged_on_sqlite() {
    release_n_breaks_on_exactly_the_revisions_the_check_flagged(DialectKind::Sqlite);
}

/// The two releases build without a warning: the findings release N+1 carries on
/// purpose are this file's subject, read from `check`, not repeated in every
/// workspace build. Each build script also runs afresh (an empty `OUT_DIR`, so
/// without its memo of the last clean run), as on a first build, whose warnings
/// cargo shows again on later builds.
#[test]
fn the_releases_build_without_warnings() {
    binaries();
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let out = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--message-format=json"])
        .args(["-p", "rolling-n", "-p", "rolling-n1"])
        .current_dir(workspace)
        .env_remove("MIGRATE_AUTOGENERATE")
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let messages = String::from_utf8(out.stdout).unwrap();
    assert!(!messages.contains("\"level\":\"warning\""), "{messages}");
    for name in ["rolling-n", "rolling-n1"] {
        // The build script's executable, from cargo's `compiler-artifact` message.
        let key = "\"filenames\":[\"";
        let script = messages
            .lines()
            .filter(|l| l.contains(&format!("/{name}#")) && l.contains("\"custom-build\""))
            .find_map(|l| {
                let start = l.find(key)? + key.len();
                Some(PathBuf::from(&l[start..start + l[start..].find('"')?]))
            })
            .unwrap_or_else(|| panic!("cargo reports the build script of {name}"));
        let out_dir = tempfile::tempdir().unwrap();
        let run = Command::new(&script)
            .current_dir(fixture(name))
            .env("OUT_DIR", out_dir.path())
            .env("CARGO_MANIFEST_DIR", fixture(name))
            .env_remove("MIGRATE_AUTOGENERATE")
            .output()
            .unwrap();
        let said = String::from_utf8_lossy(&run.stdout);
        assert!(run.status.success(), "{name}: {said}");
        assert!(said.contains("cargo:rerun-if-changed="), "{name}: {said}");
        assert!(
            !said.contains("cargo:warning") && !said.contains("cargo::error"),
            "{name}: {said}"
        );
    }
}
