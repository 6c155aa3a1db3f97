//! The command transcripts of the documentation (```console blocks), run against
//! the real binary with trycmd, so the docs cannot drift from the CLI.
//!
//! Each document runs in a sandbox: a copy of its fixture crate under
//! `tests/transcripts/` (the README's holds the model of its tutorial). `cargo
//! migrate ...` in a transcript runs `cargo-migrate migrate ...`, as cargo does.
//! `TRYCMD=overwrite cargo test -p migrate-cli --test cli transcripts` rewrites the
//! transcripts from what the binary prints.

use std::path::{Path, PathBuf};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_path_buf()
}

/// Runs the transcripts of `doc` (relative to the workspace root) in a copy of
/// the fixture crate `fixture` (under `tests/transcripts/`).
fn run_transcripts(doc: &str, fixture: &str) {
    run_transcripts_with(doc, fixture, "");
}

/// [`run_transcripts`] with `DATABASE_URL` set to `database_url`.
fn run_transcripts_with(doc: &str, fixture: &str, database_url: &str) {
    // trycmd takes the sandbox's template from `<doc>.in` next to the document:
    // link the document and its fixture into a temporary directory rather than
    // keep fixture directories beside README.md.
    let dir = tempfile::tempdir().unwrap();
    let name = Path::new(doc).file_name().unwrap();
    let case = dir.path().join(name);
    std::os::unix::fs::symlink(workspace().join(doc), &case).unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/transcripts")
        .join(fixture);
    if fixture.join("app.sql").exists() {
        // A fixture with a database: a copy of it, with app.db built from app.sql by
        // the sqlite3 client (a .db file is not kept in git).
        let copy = case.with_extension("in");
        copy_dir(&fixture, &copy);
        let sql = std::fs::File::open(fixture.join("app.sql")).unwrap();
        let status = std::process::Command::new("sqlite3")
            .arg(copy.join("app.db"))
            .stdin(sql)
            .status()
            .expect("the sqlite3 client (apt-get install sqlite3; .ci/run installs it)");
        assert!(
            status.success(),
            "sqlite3 could not build app.db from app.sql"
        );
    } else {
        std::os::unix::fs::symlink(fixture, case.with_extension("in")).unwrap();
    }
    // An `.out` directory turns the sandbox on (nothing in it to compare).
    std::fs::create_dir(case.with_extension("out")).unwrap();
    trycmd::TestCases::new()
        .register_bin("cargo", Path::new(env!("CARGO_BIN_EXE_cargo-migrate")))
        .env("NO_COLOR", "1")
        .env("DATABASE_URL", database_url)
        .case(&case)
        .run();
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn readme_tutorial_transcripts() {
    run_transcripts("README.md", "readme");
}

/// The model the README shows in step 2 is the one its transcripts run with.
#[test]
fn readme_model_is_the_fixtures_model() {
    let readme = std::fs::read_to_string(workspace().join("README.md")).unwrap();
    let model = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts/readme/src/models.rs"),
    )
    .unwrap();
    assert!(
        readme.contains(&format!("```rust\n{model}```")),
        "README.md step 2 must show tests/transcripts/readme/src/models.rs as it is"
    );
}

/// docs/cli.md's transcript: `adopt` on an existing SQLite database (the fixture's
/// `app.db`, built from its `app.sql`: a `users` and a `posts` table).
#[test]
fn cli_doc_transcripts() {
    run_transcripts("docs/cli.md", "cli");
}

/// docs/servers.md's transcript, on a fresh database of each server (skipped with a
/// visible note without the server variables; a failure under CI=true).
fn servers_doc_transcripts(kind: migrate_core::dialect::DialectKind) {
    let rt = crate::util::runtime();
    let Some(db) = rt.block_on(migrate_testkit::throwaway(kind)) else {
        return;
    };
    // The transcript creates the database itself.
    let url = db.url().to_string();
    rt.block_on(db.cleanup()).unwrap();
    run_transcripts_with("docs/servers.md", "readme", &url);
}

#[test]
fn servers_doc_transcripts_on_postgres() {
    servers_doc_transcripts(migrate_core::dialect::DialectKind::Postgres);
}

#[test]
fn servers_doc_transcripts_on_mysql() {
    servers_doc_transcripts(migrate_core::dialect::DialectKind::MySql);
}
