//! Helpers shared by the CLI tests: temporary projects and the command under test.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
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
