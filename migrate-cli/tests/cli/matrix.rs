//! The scenario matrix: each scenario runs through the three ways revisions reach a
//! database, on each database, and the three must end with the same outcome of every
//! command and the same database.
//!
//! - **deployed**: `Migrator` on embedded revisions, the code a deployed binary runs
//!   at start-up (`upgrade`, `downgrade`, `resolve_dirty`), called from async code;
//! - **cli**: the `cargo migrate` binary on the revision files;
//! - **embedded**: `migrate_cli::run_embedded` from inside a tokio runtime (an async
//!   `main`) on the same revisions embedded.
//!
//! Scenarios: upgrade; downgrade with and across a merge; an empty revision after
//! others; a failing revision (and one with a syntax error) after others; an edited
//! applied revision; dirty then resolve; steps outside a transaction; a revision in
//! the log that the binary does not have.
//!
//! Each path gets a database of its own; the comparison is the exit status of each
//! command (0, 3 database, 4 revision files) and a snapshot of the database: its
//! tables, the `marks` rows the revisions wrote, the heads and the log's rows with
//! their state and failed step.

use std::path::PathBuf;

use migrate_cli::{run_embedded, Status};
use migrate_core::dialect::DialectKind;
use migrate_core::embed::{EmbeddedOps, EmbeddedRevision};
use migrate_core::revision::Revision;
use migrate_runtime::{Error, Migrator, Resolution};
use migrate_testkit::{throwaway, TestDb};
use sqlx::Connection;

use crate::util::Project;

/// One revision file.
#[derive(Clone)]
struct File {
    id: &'static str,
    text: String,
}

fn rev(id: &'static str, parents: &[&str], message: &str, body: &str) -> File {
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
fn step(section: &str, sql: &str, no_transaction: bool) -> String {
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

const A: &str = "a1a1a1a1a1a1";
const B: &str = "b2b2b2b2b2b2";
const C: &str = "c3c3c3c3c3c3";
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
        other => panic!("no scenario {other}"),
    };
    Scenario {
        files,
        acts,
        expect,
    }
}

/// Embeds revision files as the build script does (leaked: tests only).
fn embed(files: &[File]) -> &'static [EmbeddedRevision] {
    let list: Vec<EmbeddedRevision> = files
        .iter()
        .map(|f| {
            let source: &'static str = Box::leak(f.text.clone().into_boxed_str());
            let parsed = Revision::parse(source, std::path::Path::new("matrix.toml")).unwrap();
            let parents: Vec<&'static str> = parsed
                .parents
                .iter()
                .map(|p| &*Box::leak(p.clone().into_boxed_str()))
                .collect();
            let ops = EmbeddedOps {
                upgrade: parsed.upgrade.clone(),
                downgrade: parsed.downgrade.clone(),
            };
            EmbeddedRevision {
                id: f.id,
                parents: Box::leak(parents.into_boxed_slice()),
                message: Box::leak(parsed.message.clone().into_boxed_str()),
                checksum: Box::leak(
                    migrate_core::checksum::checksum(source)
                        .to_string()
                        .into_boxed_str(),
                ),
                file: Box::leak(format!("{}_matrix.toml", f.id).into_boxed_str()),
                source,
                ops_json: Box::leak(ops.to_json().into_boxed_str()),
                downgrade_log: Box::leak(ops.downgrade_log().into_boxed_str()),
            }
        })
        .collect();
    Box::leak(list.into_boxed_slice())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Path {
    Deployed,
    Cli,
    Embedded,
}

/// The exit status a runtime error stands for, as the CLI maps it.
fn status_of(result: Result<(), Error>) -> u8 {
    match result {
        Ok(()) => 0,
        Err(Error::ChecksumMismatch { .. } | Error::Graph(_) | Error::InvalidRevision { .. }) => 4,
        Err(
            Error::UnknownTarget { .. }
            | Error::AmbiguousTarget { .. }
            | Error::InvalidTarget { .. }
            | Error::MultipleHeads { .. }
            | Error::NotDirty { .. },
        ) => 2,
        Err(_) => 3,
    }
}

/// A database for one path.
struct Db {
    kind: DialectKind,
    url: String,
    server: Option<TestDb>,
    _dir: Option<tempfile::TempDir>,
}

async fn database(kind: DialectKind) -> Option<Db> {
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
    async fn rows(&self, sql: &str) -> Vec<String> {
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
    async fn snapshot(&self) -> Vec<Vec<String>> {
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
fn write_files(p: &Project, files: &[File]) {
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
    let mut files = scenario.files.clone();
    let mut statuses = Vec::new();
    for act in &scenario.acts {
        let (args, call): (Vec<String>, _) = match act {
            Act::Files(new) => {
                files = new.clone();
                if let Some(p) = &project {
                    write_files(p, &files);
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
        let status = match path {
            Path::Deployed => {
                let m = Migrator::new(embed(&files));
                let result = match call {
                    Act::Upgrade(t) => m.upgrade(&url, t).await.map(|_| ()),
                    Act::Downgrade(t) => m.downgrade(&url, t).await.map(|_| ()),
                    Act::Resolve(id, applied) => {
                        let how = if applied {
                            Resolution::Applied
                        } else {
                            Resolution::NotApplied
                        };
                        m.resolve_dirty(&url, id, how).await
                    }
                    _ => unreachable!(),
                };
                status_of(result)
            }
            Path::Embedded => {
                let mut all = vec!["migrate".to_string(), "-q".into(), "--database-url".into()];
                all.push(url.clone());
                all.extend(args);
                let status: Status = run_embedded(all, embed(&files));
                status.code()
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
        let Some(result) = run_path(path, kind, &scenario).await else {
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
);
