//! The scenario matrix: each scenario runs through the three ways revisions reach a
//! database, on each database, and the three must end with the same outcome of every
//! command and the same database.
//!
//! - **deployed**: a separately built binary, `tests/matrix-app`, whose build script
//!   embedded the revisions, running `Migrator` (`upgrade`, `downgrade`,
//!   `resolve_dirty`) as an application's `main` does at start-up;
//! - **cli**: the `cargo migrate` binary on the revision files;
//! - **embedded**: the same binary's `migrate` command, `migrate_cli::run_embedded`
//!   called from its `#[tokio::main] async fn main`.
//!
//! The binary is built once per test run: every revision set of every scenario
//! (each database, each version of the files) is written under the test target's
//! temporary directory, and its build script embeds them all.
//!
//! Scenarios: upgrade; downgrade with and across a merge; an empty revision after
//! others; a failing revision (and one with a syntax error) after others; an edited
//! applied revision; dirty then resolve; steps outside a transaction; a revision in
//! the log that the binary does not have; a heads table edited by hand.
//!
//! Each path gets a database of its own; the comparison is the exit status of each
//! command (0, 3 database, 4 revision files) and a snapshot of the database: its
//! tables, the `marks` rows the revisions wrote, the heads and the log's rows with
//! their state and failed step.

use std::path::{Path as FsPath, PathBuf};
use std::sync::OnceLock;

use migrate_core::dialect::DialectKind;
use migrate_testkit::{throwaway, TestDb};
use sqlx::Connection;

use crate::util::{build_fixtures, Project};

/// One revision file.
#[derive(Clone)]
pub(super) struct File {
    pub(super) id: &'static str,
    pub(super) text: String,
}

pub(super) fn rev(id: &'static str, parents: &[&str], message: &str, body: &str) -> File {
    let parents: Vec<String> = parents.iter().map(|p| format!("{p:?}")).collect();
    File {
        id,
        text: format!(
            "id = {id:?}\nparents = [{}]\nmessage = {message:?}\ncreated = \"2026-01-01T00:00:00Z\"\n\n{body}",
            parents.join(", ")
        ),
    }
}

/// A raw SQL step; `no_transaction` for one that must run outside a transaction.
pub(super) fn step(section: &str, sql: &str, no_transaction: bool) -> String {
    let flag = if no_transaction {
        "no_transaction = true\n"
    } else {
        ""
    };
    format!("[[{section}]]\nop = \"sql\"\nsql = {sql:?}\n{flag}\n")
}

/// A revision that inserts `mark` into `marks` (and deletes it when undone).
fn marking(id: &'static str, parents: &[&str], mark: &str) -> File {
    rev(
        id,
        parents,
        &format!("mark {mark}"),
        &(step(
            "upgrade",
            &format!("INSERT INTO marks (rev) VALUES ('{mark}')"),
            false,
        ) + &step(
            "downgrade",
            &format!("DELETE FROM marks WHERE rev = '{mark}'"),
            false,
        )),
    )
}

pub(super) const A: &str = "a1a1a1a1a1a1";
pub(super) const B: &str = "b2b2b2b2b2b2";
pub(super) const C: &str = "c3c3c3c3c3c3";
const M: &str = "d4d4d4d4d4d4";
const F: &str = "f0f0f0f0f0f0";

/// The first revision: the `marks` table and its first row.
fn first() -> File {
    rev(
        A,
        &[],
        "create marks",
        &(step(
            "upgrade",
            "CREATE TABLE marks (rev VARCHAR(20) NOT NULL)",
            false,
        ) + &step("upgrade", "INSERT INTO marks (rev) VALUES ('a')", false)
            + &step("downgrade", "DROP TABLE marks", false)),
    )
}

/// A revision whose second step fails; its first commits on its own (MySQL DDL, or
/// flagged `no_transaction` when `committed`).
fn failing(kind: DialectKind, committed: bool) -> File {
    let outside = committed && kind != DialectKind::MySql;
    rev(
        F,
        &[A],
        "failing",
        &(step("upgrade", "CREATE TABLE partial (x INTEGER)", outside)
            + &step("upgrade", "INSERT INTO no_such_table VALUES (1)", false)
            + &step("downgrade", "DROP TABLE partial", false)),
    )
}

/// The enum scenario's revisions: an enum type and a table of it (B), then a label
/// added and used in the same revision (C): on PostgreSQL the `ALTER TYPE ... ADD
/// VALUE` runs outside the revision's transaction, so the steps after it may use
/// the label; the mark `calm` is written only if the row with the new label is
/// there.
fn enum_revisions() -> Vec<File> {
    let table = "table.name = \"moods\"\ntable.columns = [{ name = \"m\", type = \"enum mood('happy', 'sad')\", nullable = false }]\n";
    let b = rev(
        B,
        &[A],
        "moods",
        &format!(
            "[[upgrade]]\nop = \"create_enum\"\nenum_type = {{ name = \"mood\", values = [\"happy\", \"sad\"] }}\n\n\
             [[upgrade]]\nop = \"create_table\"\n{table}\n\
             [[downgrade]]\nop = \"drop_table\"\n{table}\n\
             [[downgrade]]\nop = \"drop_enum\"\nenum_type = {{ name = \"mood\", values = [\"happy\", \"sad\"] }}\n\n"
        ),
    );
    let c = rev(
        C,
        &[B],
        "calm",
        &("[[upgrade]]\nop = \"alter_enum\"\nname = \"mood\"\nfrom = [\"happy\", \"sad\"]\nto = [\"happy\", \"sad\", \"calm\"]\n\n".to_string()
            + &step("upgrade", "INSERT INTO moods (m) VALUES ('calm')", false)
            + &step(
                "upgrade",
                "INSERT INTO marks (rev) SELECT 'calm' FROM moods WHERE m = 'calm'",
                false,
            )
            + &step("downgrade", "DELETE FROM marks WHERE rev = 'calm'", false)
            + &step("downgrade", "DELETE FROM moods", false)
            + "[[downgrade]]\nop = \"alter_enum\"\nname = \"mood\"\nfrom = [\"happy\", \"sad\", \"calm\"]\nto = [\"happy\", \"sad\"]\n\n"),
    );
    vec![first(), b, c]
}

/// What a scenario does, in order.
#[derive(Clone)]
enum Act {
    Upgrade(&'static str),
    Downgrade(&'static str),
    /// Settle a dirty revision: applied (`true`) or not.
    Resolve(&'static str, bool),
    /// The operator's repair by hand.
    Sql(&'static str),
    /// Replace the revision files (an edit, between two commands).
    Files(Vec<File>),
}

struct Scenario {
    files: Vec<File>,
    acts: Vec<Act>,
    /// The status each command must end with (the same on every path).
    expect: Vec<u8>,
}

fn scenario(name: &str, kind: DialectKind) -> Scenario {
    use Act::*;
    let (files, acts, expect) = match name {
        "upgrade" => (
            vec![first(), marking(B, &[A], "b"), marking(C, &[B], "c")],
            vec![Upgrade("head")],
            vec![0],
        ),
        "merges" => (
            vec![
                first(),
                marking(B, &[A], "b1"),
                marking("b3b3b3b3b3b3", &[A], "b2"),
                rev(M, &[B, "b3b3b3b3b3b3"], "merge", ""),
                marking(C, &[M], "c"),
            ],
            vec![
                Upgrade("head"),
                Downgrade(M),
                Downgrade(A),
                Upgrade("head"),
                Downgrade("base"),
            ],
            vec![0; 5],
        ),
        "empty_after_others" => (
            vec![first(), rev(M, &[A], "nothing yet", "")],
            vec![Upgrade("head"), Downgrade("base"), Upgrade("head")],
            vec![0; 3],
        ),
        "failing_after_others" => (
            vec![first(), failing(kind, false)],
            vec![Upgrade("head")],
            vec![3],
        ),
        "syntax_error_after_others" => (
            vec![
                first(),
                rev(
                    F,
                    &[A],
                    "broken syntax",
                    &(step("upgrade", "INSERT INTO marks (rev) VALUES ('f')", false)
                        + &step("upgrade", "CREATE TABLE (", false)),
                ),
            ],
            vec![Upgrade("head")],
            vec![3],
        ),
        "checksum_edit" => {
            let files = vec![first(), marking(B, &[A], "b")];
            let mut edited = files.clone();
            edited[0].text = edited[0].text.replace("create marks", "create the marks");
            (
                files,
                vec![
                    Upgrade("head"),
                    Files(edited),
                    Upgrade("head"),
                    Downgrade("base"),
                ],
                // The edit is refused in both directions.
                vec![0, 4, 4],
            )
        }
        "dirty_then_resolve" => (
            vec![first(), failing(kind, true)],
            vec![
                Upgrade("head"),
                Upgrade("head"),
                Sql("DROP TABLE partial"),
                Resolve(F, false),
                Upgrade("head"),
            ],
            // Fails, refuses while dirty, settles, fails again the same way.
            vec![3, 3, 0, 3],
        ),
        "no_transaction" => {
            let outside = match kind {
                DialectKind::Postgres => "CREATE INDEX CONCURRENTLY ix_marks ON marks (rev)",
                DialectKind::Sqlite => "VACUUM",
                DialectKind::MySql => "CREATE INDEX ix_marks ON marks (rev)",
            };
            (
                vec![
                    first(),
                    rev(
                        B,
                        &[A],
                        "outside",
                        &(step("upgrade", "INSERT INTO marks (rev) VALUES ('b')", false)
                            + &step("upgrade", outside, true)),
                    ),
                    marking(C, &[B], "c"),
                ],
                vec![Upgrade("head")],
                vec![0],
            )
        }
        "unknown_revision" => (
            // A newer build applied B; this one (an older build, or a checkout
            // without B's file) does not have it: it refuses to upgrade past a
            // revision it does not know, undoes it with the downgrade the log
            // recorded, and then finds nothing to do.
            vec![first(), marking(B, &[A], "b")],
            vec![
                Upgrade("head"),
                Files(vec![first()]),
                Upgrade("head"),
                Downgrade("-1"),
                Upgrade("head"),
            ],
            vec![0, 3, 0, 0],
        ),
        "heads_edited" => (
            // The heads table loses its row by hand: every path stops before B with
            // the log untouched (a run used to apply B and C and leave the table
            // empty), and the repair the message gives lets the next run go on.
            vec![first(), marking(B, &[A], "b"), marking(C, &[B], "c")],
            vec![
                Upgrade(A),
                Sql("DELETE FROM migrate_version"),
                Upgrade("head"),
                Sql("INSERT INTO migrate_version (version_num) VALUES ('a1a1a1a1a1a1')"),
                Upgrade("head"),
            ],
            vec![0, 3, 0],
        ),
        "enum_add_value" => (
            enum_revisions(),
            vec![Upgrade("head"), Downgrade(B), Upgrade("head")],
            vec![0; 3],
        ),
        other => panic!("no scenario {other}"),
    };
    Scenario {
        files,
        acts,
        expect,
    }
}

/// Every scenario, for writing the revision sets the deployed binary embeds.
const SCENARIOS: &[&str] = &[
    "upgrade",
    "merges",
    "empty_after_others",
    "failing_after_others",
    "syntax_error_after_others",
    "checksum_edit",
    "dirty_then_resolve",
    "no_transaction",
    "unknown_revision",
    "heads_edited",
    "enum_add_value",
];

/// The name of a scenario's revision set: its database and the version of its files
/// (0 at the start, one more after each `Files` act).
pub(super) fn set_name(scenario: &str, kind: DialectKind, version: usize) -> String {
    format!("{scenario}-{kind}-{version}")
}

/// Writes every revision set, this module's and those of the scenario modules
/// beside it (unchanged files are left alone, so the build script reruns only when
/// a scenario changed); returns their directory.
fn write_sets() -> PathBuf {
    let root = FsPath::new(env!("CARGO_TARGET_TMPDIR")).join("matrix-sets");
    for name in SCENARIOS {
        for kind in DialectKind::ALL {
            let scenario = scenario(name, kind);
            let mut versions = vec![scenario.files.clone()];
            for act in &scenario.acts {
                if let Act::Files(files) = act {
                    versions.push(files.clone());
                }
            }
            for (version, files) in versions.iter().enumerate() {
                write_set(&root, &set_name(name, kind, version), files);
            }
        }
    }
    // The scenarios of other modules that run through this binary.
    for (set, files) in crate::matrix_extras::sets()
        .into_iter()
        .chain(crate::matrix_objects::sets())
    {
        write_set(&root, &set, &files);
    }
    root
}

/// Writes one revision set under `root`, leaving unchanged files alone.
fn write_set(root: &FsPath, set: &str, files: &[File]) {
    let dir = root.join(set).join("migrations");
    std::fs::create_dir_all(&dir).unwrap();
    let wanted: Vec<(String, &str)> = files
        .iter()
        .map(|f| (format!("{}_matrix.toml", f.id), f.text.as_str()))
        .collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let entry = entry.unwrap();
        let file = entry.file_name().to_string_lossy().into_owned();
        if !wanted.iter().any(|(w, _)| *w == file) {
            std::fs::remove_file(entry.path()).unwrap();
        }
    }
    for (file, text) in wanted {
        let path = dir.join(file);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            std::fs::write(&path, text).unwrap();
        }
    }
}

/// The deployed binary with every revision set embedded, built once per test run.
pub(super) fn matrix_app() -> &'static FsPath {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let sets = write_sets();
        build_fixtures(
            &["matrix-app"],
            &[("MIGRATE_MATRIX_SETS", sets.as_os_str())],
        )
        .remove(0)
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Path {
    Deployed,
    Cli,
    Embedded,
}

/// A database for one path.
pub(super) struct Db {
    pub(super) kind: DialectKind,
    pub(super) url: String,
    pub(super) server: Option<TestDb>,
    _dir: Option<tempfile::TempDir>,
}

pub(super) async fn database(kind: DialectKind) -> Option<Db> {
    if kind == DialectKind::Sqlite {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("app.db").display());
        return Some(Db {
            kind,
            url,
            server: None,
            _dir: Some(dir),
        });
    }
    let server = throwaway(kind).await?;
    Some(Db {
        kind,
        url: server.url().to_string(),
        server: Some(server),
        _dir: None,
    })
}

impl Db {
    /// Runs SQL; returns the first column of each row as text.
    pub(super) async fn rows(&self, sql: &str) -> Vec<String> {
        match self.kind {
            DialectKind::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
                let rows = sqlx::query_scalar::<_, String>(sql).fetch_all(&mut c).await;
                c.close().await.unwrap();
                rows.unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
            DialectKind::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                let rows = sqlx::query_scalar::<_, String>(sql).fetch_all(&mut c).await;
                c.close().await.unwrap();
                rows.unwrap_or_else(|e| panic!("{sql}: {e}"))
            }
            DialectKind::MySql => {
                let mut c = sqlx::MySqlConnection::connect(&self.url).await.unwrap();
                let rows = sqlx::query_scalar::<_, Vec<u8>>(sql)
                    .fetch_all(&mut c)
                    .await;
                c.close().await.unwrap();
                let rows = rows.unwrap_or_else(|e| panic!("{sql}: {e}"));
                rows.into_iter()
                    .map(|b| String::from_utf8(b).unwrap())
                    .collect()
            }
        }
    }

    /// What the comparison looks at.
    pub(super) async fn snapshot(&self) -> Vec<Vec<String>> {
        let (tables, log) = match self.kind {
            DialectKind::Sqlite => (
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name",
                "SELECT revision || ':' || state || ':' || COALESCE(failed_step, 0) \
                 FROM migrate_version_log ORDER BY revision",
            ),
            DialectKind::Postgres => (
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = 'public' ORDER BY 1",
                "SELECT revision || ':' || state || ':' || COALESCE(failed_step, 0) \
                 FROM migrate_version_log ORDER BY revision",
            ),
            DialectKind::MySql => (
                "SELECT CONVERT(table_name USING utf8mb4) FROM information_schema.tables \
                 WHERE table_schema = DATABASE() ORDER BY 1",
                "SELECT CONVERT(CONCAT(revision, ':', state, ':', COALESCE(failed_step, 0)) \
                 USING utf8mb4) FROM migrate_version_log ORDER BY revision",
            ),
        };
        let tables = self.rows(tables).await;
        let mut snapshot = vec![tables.clone()];
        if tables.iter().any(|t| t == "marks") {
            snapshot.push(self.rows("SELECT rev FROM marks ORDER BY rev").await);
        }
        if tables.iter().any(|t| t == "migrate_version") {
            snapshot.push(
                self.rows("SELECT version_num FROM migrate_version ORDER BY version_num")
                    .await,
            );
            snapshot.push(self.rows(log).await);
        }
        snapshot
    }

    async fn exec(&self, sql: &str) {
        match self.kind {
            DialectKind::Sqlite => {
                let mut c = sqlx::SqliteConnection::connect(&self.url).await.unwrap();
                sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            }
            DialectKind::Postgres => {
                let mut c = sqlx::PgConnection::connect(&self.url).await.unwrap();
                sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            }
            DialectKind::MySql => {
                let mut c = sqlx::MySqlConnection::connect(&self.url).await.unwrap();
                sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
            }
        }
    }
}

/// Writes the revision files of a CLI project.
pub(super) fn write_files(p: &Project, files: &[File]) {
    let dir: PathBuf = p.join("migrations");
    if dir.exists() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "toml") {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
    for f in files {
        p.write(&format!("migrations/{}_matrix.toml", f.id), &f.text);
    }
}

/// Runs a scenario through one path: the status of each command, and the database.
async fn run_path(
    path: Path,
    name: &str,
    kind: DialectKind,
    scenario: &Scenario,
) -> Option<(Vec<u8>, Vec<Vec<String>>)> {
    let db = database(kind).await?;
    let url = db.url.clone();
    let project = (path == Path::Cli).then(|| {
        let p = Project::new();
        p.ok(&["init"]);
        write_files(&p, &scenario.files);
        p
    });
    let mut version = 0;
    let mut statuses = Vec::new();
    for act in &scenario.acts {
        let (args, call): (Vec<String>, _) = match act {
            Act::Files(new) => {
                version += 1;
                if let Some(p) = &project {
                    write_files(p, new);
                }
                continue;
            }
            Act::Sql(sql) => {
                db.exec(sql).await;
                continue;
            }
            Act::Upgrade(t) => (vec!["upgrade".into(), t.to_string()], act.clone()),
            Act::Downgrade(t) => (vec!["downgrade".into(), t.to_string()], act.clone()),
            Act::Resolve(id, applied) => {
                let flag = if *applied {
                    "--applied"
                } else {
                    "--not-applied"
                };
                (
                    vec!["resolve".into(), id.to_string(), flag.into()],
                    act.clone(),
                )
            }
        };
        let set = set_name(name, kind, version);
        let status = match path {
            Path::Deployed => {
                let mut all = vec![set];
                match call {
                    Act::Upgrade(t) => all.extend(["upgrade".into(), t.into()]),
                    Act::Downgrade(t) => all.extend(["downgrade".into(), t.into()]),
                    Act::Resolve(id, applied) => {
                        let how = if applied { "applied" } else { "not-applied" };
                        all.extend(["resolve".into(), id.into(), how.into()]);
                    }
                    _ => unreachable!(),
                }
                all.push(url.clone());
                let out = std::process::Command::new(matrix_app())
                    .args(&all)
                    .output()
                    .unwrap();
                out.status.code().unwrap_or(-1) as u8
            }
            Path::Embedded => {
                let mut all = vec![set, "migrate".into(), "-q".into(), "--database-url".into()];
                all.push(url.clone());
                all.extend(args);
                let out = std::process::Command::new(matrix_app())
                    .args(&all)
                    .env_remove("DATABASE_URL")
                    .env("NO_COLOR", "1")
                    .output()
                    .unwrap();
                out.status.code().unwrap_or(-1) as u8
            }
            Path::Cli => {
                let p = project.as_ref().unwrap();
                let mut all: Vec<&str> = args.iter().map(String::as_str).collect();
                all.extend(["-q", "--database-url", &url]);
                let out = p.cmd(&all).output().unwrap();
                out.status.code().unwrap_or(-1) as u8
            }
        };
        statuses.push(status);
    }
    let snapshot = db.snapshot().await;
    if let Some(server) = db.server {
        server.cleanup().await.unwrap();
    }
    Some((statuses, snapshot))
}

/// Runs a scenario through the three paths and compares them.
async fn matrix(name: &str, kind: DialectKind) {
    let scenario = scenario(name, kind);
    let mut results = Vec::new();
    for path in [Path::Deployed, Path::Cli, Path::Embedded] {
        let Some(result) = run_path(path, name, kind, &scenario).await else {
            return;
        };
        results.push((path, result));
    }
    let (_, expected) = &results[0];
    assert_eq!(
        expected.0, scenario.expect,
        "{name} on {kind:?}: the statuses of the commands (database: {:?})",
        expected.1
    );
    for (path, result) in &results[1..] {
        assert_eq!(
            result, expected,
            "{name} on {kind:?}: {path:?} differs from the deployed binary"
        );
    }
    if name == "enum_add_value" {
        // The row with the label added in the same revision is there.
        assert!(
            expected.1.iter().any(|rows| rows == &["a", "calm"]),
            "{kind:?}: {:?}",
            expected.1
        );
    }
}

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                use super::*;

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    matrix(stringify!($name), DialectKind::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    matrix(stringify!($name), DialectKind::Postgres).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn mysql() {
                    matrix(stringify!($name), DialectKind::MySql).await
                }
            }
        )*
    };
}

scenarios!(
    upgrade,
    merges,
    empty_after_others,
    failing_after_others,
    syntax_error_after_others,
    checksum_edit,
    dirty_then_resolve,
    no_transaction,
    unknown_revision,
    heads_edited,
    enum_add_value,
);
