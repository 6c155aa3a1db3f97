//! Helpers shared by the CLI tests: temporary projects and the command under test.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use migrate_core::dialect::DialectKind;
use tempfile::TempDir;

/// A temporary project directory.
pub struct Project {
    /// Keeps the directory alive.
    pub dir: TempDir,
}

impl Project {
    /// An empty crate (`Cargo.toml` and `src/main.rs`).
    pub fn new() -> Project {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join("Cargo.toml"),
            "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n# keep me\n[dependencies]\nserde = \"1\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/main.rs"), "fn main() {}\n").unwrap();
        Project { dir }
    }

    /// The project's root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the project.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The revision file under `migrations/` whose name contains `part` (an id or
    /// the slug of its message).
    pub fn revision_file(&self, part: &str) -> PathBuf {
        std::fs::read_dir(self.join("migrations"))
            .expect("migrations/")
            .map(|e| e.unwrap().path())
            .find(|f| f.to_string_lossy().contains(part))
            .unwrap_or_else(|| panic!("no revision file for {part}"))
    }

    /// `cargo migrate check` against `url` exits 0: the live schema is the one the
    /// revisions replay to. `context` names the moment in the failure message.
    pub fn check_clean(&self, url: &str, context: &str) {
        let out = self
            .cmd(&["check", "--database-url", url])
            .output()
            .expect("run cargo migrate check");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{context}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Reads a file of the project.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Writes a file of the project.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// `cargo migrate <args>` run in the project, as cargo runs it, with a clean
    /// environment for the variables the CLI reads.
    pub fn cmd(&self, args: &[&str]) -> Command {
        let mut cmd = Command::cargo_bin("cargo-migrate").expect("binary built");
        cmd.current_dir(self.path())
            .env_remove("DATABASE_URL")
            .env_remove("CLICOLOR_FORCE")
            .env("NO_COLOR", "1")
            .arg("migrate")
            .args(args);
        cmd
    }

    /// Runs the command, asserts it succeeded, returns its stdout.
    pub fn ok(&self, args: &[&str]) -> String {
        String::from_utf8(self.succeeds(args).stdout).unwrap()
    }

    /// Runs the command, asserts it succeeded, returns its stdout then its stderr
    /// (status and progress lines).
    pub fn ok_all(&self, args: &[&str]) -> String {
        let output = self.succeeds(args);
        String::from_utf8(output.stdout).unwrap() + &String::from_utf8(output.stderr).unwrap()
    }

    /// Runs the command and asserts it succeeded, showing both outputs if not.
    fn succeeds(&self, args: &[&str]) -> std::process::Output {
        let output = self.cmd(args).output().unwrap();
        assert!(
            output.status.success(),
            "`cargo migrate {}` failed ({:?}):\n{}{}",
            args.join(" "),
            output.status.code(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// Runs the command, asserts it exited with `code`, returns its stderr.
    pub fn fails(&self, args: &[&str], code: i32) -> String {
        let output = self.cmd(args).output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(code),
            "`cargo migrate {}`:\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stderr).unwrap()
    }
}

#[allow(dead_code)] // used once the database commands are wired
/// Asserts an error output is one `error:` line followed by one `fix:` line.
pub fn assert_error_with_fix(stderr: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "expected error + fix, got:\n{stderr}");
    assert!(lines[0].starts_with("error: "), "{stderr}");
    assert!(lines[1].starts_with("  fix: "), "{stderr}");
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// The start of an end-to-end flow: a project after `init`, and a throwaway
/// database of `kind` beside it with its URL. `None` when the server is not
/// configured (outside CI).
pub struct Flow {
    pub rt: tokio::runtime::Runtime,
    pub db: migrate_testkit::TestDb,
    pub url: String,
    pub p: Project,
}

impl Flow {
    pub fn start(kind: DialectKind) -> Option<Flow> {
        let rt = runtime();
        let db = rt.block_on(migrate_testkit::throwaway(kind))?;
        let url = db.url().to_string();
        let p = Project::new();
        p.ok(&["init"]);
        Some(Flow { rt, db, url, p })
    }
}

/// Runs `sql` outside migrate; the first column of the first row as text (when
/// it returns one), or the error.
pub fn sql(kind: DialectKind, url: &str, sql: &str) -> Result<Option<String>, String> {
    use sqlx::{Connection, Row};
    runtime().block_on(async {
        macro_rules! run {
            ($conn:ty) => {{
                let mut c = <$conn>::connect(url).await.unwrap();
                sqlx::query(sql)
                    .fetch_optional(&mut c)
                    .await
                    .map(|row| row.map(|r| r.get::<String, _>(0)))
            }};
        }
        let result = match kind {
            DialectKind::Sqlite => run!(sqlx::SqliteConnection),
            DialectKind::Postgres => run!(sqlx::PgConnection),
            DialectKind::MySql => run!(sqlx::MySqlConnection),
        };
        result.map_err(|e| e.to_string())
    })
}

/// `check` without a database: the drift between the models and the head (what
/// the build script reports), asserting there is some.
pub fn models_drift(p: &Project) -> String {
    let out = p.cmd(&["check"]).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{text}");
    text
}

/// `column` cast to text on `kind`.
pub fn text(kind: DialectKind, column: &str) -> String {
    match kind {
        DialectKind::MySql => format!("CAST({column} AS CHAR)"),
        _ => format!("CAST({column} AS TEXT)"),
    }
}

/// Builds the workspace's fixture binaries `packages` in one `cargo build` (with
/// `envs` set for their build scripts) and returns their executables, in order.
pub fn build_fixtures(packages: &[&str], envs: &[(&str, &std::ffi::OsStr)]) -> Vec<PathBuf> {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut cargo = std::process::Command::new(env!("CARGO"));
    cargo.args([
        "build",
        "--offline",
        "--message-format=json-render-diagnostics",
    ]);
    for package in packages {
        cargo.args(["-p", package]);
    }
    for (key, value) in envs {
        cargo.env(key, value);
    }
    let out = cargo
        .current_dir(workspace)
        .env_remove("MIGRATE_AUTOGENERATE")
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "building the fixtures {packages:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Each binary's path, from cargo's `compiler-artifact` message.
    let stdout = String::from_utf8(out.stdout).unwrap();
    let key = "\"executable\":\"";
    packages
        .iter()
        .map(|name| {
            let path = stdout
                .lines()
                .filter(|l| l.contains(&format!("\"name\":\"{name}\"")))
                .find_map(|l| {
                    let start = l.find(key)? + key.len();
                    let end = start + l[start..].find('"')?;
                    Some(PathBuf::from(&l[start..end]))
                })
                .unwrap_or_else(|| panic!("cargo reports the {name} executable"));
            assert!(path.is_file(), "{}", path.display());
            path
        })
        .collect()
}
