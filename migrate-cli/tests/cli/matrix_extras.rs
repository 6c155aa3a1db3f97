//! The scenario matrix for column extras: a revision creating a table with types
//! per database (`sql_type(...)`, a PostgreSQL `text[]`), stored and virtual
//! generated columns, a collation and (MySQL) `ON UPDATE CURRENT_TIMESTAMP`, then one
//! changing them (a new expression, another collation, a new generated column, `ON
//! UPDATE` removed), run through the three paths of `matrix.rs` (the deployed
//! binary's `Migrator`, the CLI, `run_embedded`) on each database: upgrade to the
//! first, rows written, upgrade to head with the rows present, downgrade to the
//! first again. After each step the database, introspected, and the rows' values
//! are the same on every path, and `check` is clean against the revision the
//! database is at: the binary's own `migrate check` (run_embedded) with the set
//! whose head that revision is (as the release that wrote it), and the CLI's on a
//! project with those revision files and models.
//!
//! The revisions are the models of `column_extras.rs` diffed by the core, as
//! autogenerate writes them; their sets are embedded in the matrix's binary with
//! the others (`matrix::write_sets` calls [`sets`]).

use migrate_core::dialect::DialectKind;
use migrate_core::diff::{diff, downgrade_for};
use migrate_core::revision::Revision;
use migrate_core::Schema;
use migrate_introspect::{introspect, normalize_schema, IntrospectOptions};

use crate::column_extras::model;
use crate::matrix::{database, matrix_app, set_name, write_files, File, Path};
use crate::util::{runtime, sql, text, Project};

const SCENARIO: &str = "column_extras";
const FIRST: &str = "e1e1e1e1e1e1";
const SECOND: &str = "e2e2e2e2e2e2";

/// The schema of `column_extras`'s models at `version`, as the source scan reads it.
fn models(kind: DialectKind, version: u8) -> Schema {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.rs"), model(kind, version)).unwrap();
    migrate_model::scan::scan_sources(&[dir.path().to_path_buf()])
        .unwrap_or_else(|e| panic!("{kind:?} v{version}: {e}"))
        .schema()
}

/// A revision file from `old` to `new`.
fn revision(id: &'static str, parents: &[&str], message: &str, old: &Schema, new: &Schema) -> File {
    let upgrade = diff(old, new);
    let downgrade = downgrade_for(&upgrade);
    let parents = parents.iter().map(|p| p.to_string()).collect();
    let mut rev = Revision::new(message, parents, "2026-01-01T00:00:00Z", upgrade, downgrade);
    rev.id = id.to_string();
    File {
        id,
        text: rev.to_toml(),
    }
}

fn revisions(kind: DialectKind) -> Vec<File> {
    let (v1, v2) = (models(kind, 1), models(kind, 2));
    vec![
        revision(FIRST, &[], "gadgets", &Schema::new(), &v1),
        revision(SECOND, &[FIRST], "change gadgets", &v1, &v2),
    ]
}

/// The revision sets of this scenario, by set name, for the matrix's binary: both
/// revisions (version 0), and the first alone (version 1, the release before).
pub(super) fn sets() -> Vec<(String, Vec<File>)> {
    DialectKind::ALL
        .into_iter()
        .flat_map(|kind| {
            let all = revisions(kind);
            [
                (set_name(SCENARIO, kind, 0), all.clone()),
                (set_name(SCENARIO, kind, 1), all[..1].to_vec()),
            ]
        })
        .collect()
}

/// A CLI project with the revisions up to `version`'s head and the models there.
fn project(kind: DialectKind, version: usize) -> Project {
    let p = Project::new();
    p.ok(&["init"]);
    let files = revisions(kind);
    let (files, models) = if version == 0 {
        (&files[..], 2)
    } else {
        (&files[..1], 1)
    };
    write_files(&p, files);
    p.write("src/models.rs", &model(kind, models));
    p
}

/// Runs one command (`upgrade FIRST`, `downgrade FIRST`, `check`) through `path`
/// with the revision set `version` (the CLI: in its `project`); its exit status and
/// output.
fn command(
    path: Path,
    kind: DialectKind,
    version: usize,
    project: Option<&Project>,
    url: &str,
    args: &[&str],
) -> (i32, String) {
    let set = set_name(SCENARIO, kind, version);
    let out = match path {
        Path::Deployed if args[0] != "check" => std::process::Command::new(matrix_app())
            .arg(&set)
            .args(args)
            .arg(url)
            .output(),
        // The binary's own `migrate check` (run_embedded) stands for the deployed
        // check too: it reads the revisions the binary embeds.
        Path::Deployed | Path::Embedded => std::process::Command::new(matrix_app())
            .args([set.as_str(), "migrate", "--database-url", url])
            .args(args)
            .env_remove("DATABASE_URL")
            .env("NO_COLOR", "1")
            .output(),
        Path::Cli => {
            let mut all = args.to_vec();
            all.extend(["--database-url", url]);
            project.unwrap().cmd(&all).output()
        }
    }
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code().unwrap_or(-1), text)
}

/// What is compared after each step: the introspected schema and the row's values.
fn state(kind: DialectKind, url: &str, columns: &[&str]) -> String {
    let live = runtime()
        .block_on(introspect(url, &IntrospectOptions::default()))
        .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    let values: Vec<Option<String>> = columns
        .iter()
        .map(|c| {
            sql(
                kind,
                url,
                &format!("SELECT {} FROM gadgets ORDER BY id", text(kind, c)),
            )
            .unwrap()
        })
        .collect();
    let live = normalize_schema(&live);
    // The same schema with each table's columns by name: PostgreSQL can change a
    // generated expression only by dropping and adding the column, so the undone
    // revision leaves it last.
    let mut by_name = live.clone();
    for table in by_name.tables.values_mut() {
        table.columns.sort_by(|a, b| a.name.cmp(&b.name));
    }
    format!("{live:#?}\n{ORDER}\n{by_name:#?}\n{values:?}")
}

/// Where the column order stops mattering in a [`state`].
const ORDER: &str = "-- by column name:";

fn extras_matrix(kind: DialectKind) {
    let rt = runtime();
    let mut results: Vec<(Path, Vec<String>)> = Vec::new();
    for path in [Path::Deployed, Path::Cli, Path::Embedded] {
        let Some(db) = rt.block_on(database(kind)) else {
            return;
        };
        let url = db.url.clone();
        let projects = (path == Path::Cli).then(|| [project(kind, 0), project(kind, 1)]);
        let at = |version: usize, args: &[&str]| {
            let p = projects.as_ref().map(|p| &p[version]);
            let (status, out) = command(path, kind, version, p, &url, args);
            assert_eq!(status, 0, "{kind:?} {path:?} {args:?}:\n{out}");
        };
        let run = |args: &[&str]| at(0, args);
        let mut states = Vec::new();
        run(&["upgrade", FIRST]);
        let tags = match kind {
            DialectKind::Postgres => "'{a,b}'",
            DialectKind::MySql => "'[\"a\", \"b\"]'",
            DialectKind::Sqlite => "'a,b'",
        };
        for (price, label) in [(3, "Ab"), (5, "cd")] {
            sql(
                kind,
                &url,
                &format!(
                    "INSERT INTO gadgets (price, qty, label, tags) VALUES ({price}, 4, '{label}', {tags})"
                ),
            )
            .unwrap();
        }
        let first = ["id", "total", "half", "label", "tags"];
        states.push(state(kind, &url, &first));
        at(1, &["check"]);
        run(&["upgrade", "head"]);
        states.push(state(kind, &url, &[&first[..], &["fewer"]].concat()));
        run(&["check"]);
        run(&["downgrade", FIRST]);
        states.push(state(kind, &url, &first));
        at(1, &["check"]);
        if let Some(server) = db.server {
            rt.block_on(server.cleanup()).unwrap();
        }
        results.push((path, states));
    }
    let (_, expected) = &results[0];
    // The values the database computed: 3 * 4 at the first revision, 3 * 4 + 1 at
    // the second, back to 3 * 4 after the downgrade.
    let values = |state: &str| state.lines().last().unwrap().to_string();
    assert!(
        values(&expected[0]).contains("Some(\"12\"), Some(\"2\"), Some(\"Ab\")"),
        "{kind:?}: {}",
        expected[0]
    );
    assert!(
        values(&expected[1]).contains("Some(\"13\")")
            && values(&expected[1]).ends_with("Some(\"3\")]"),
        "{kind:?}: {}",
        expected[1]
    );
    let unordered = |state: &str| state.split(ORDER).nth(1).unwrap().to_string();
    assert_eq!(
        unordered(&expected[2]),
        unordered(&expected[0]),
        "{kind:?}: the downgrade gives back the first revision's database"
    );
    for (path, states) in &results[1..] {
        for (step, (got, want)) in states.iter().zip(expected).enumerate() {
            assert_eq!(
                got, want,
                "{kind:?}: {path:?} differs from the deployed binary after step {step}"
            );
        }
    }
}

#[test]
fn column_extras_through_every_path_on_sqlite() {
    extras_matrix(DialectKind::Sqlite);
}

#[test]
fn column_extras_through_every_path_on_postgres() {
    extras_matrix(DialectKind::Postgres);
}

#[test]
fn column_extras_through_every_path_on_mysql() {
    extras_matrix(DialectKind::MySql);
}
