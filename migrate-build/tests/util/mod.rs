//! A temporary crate that uses migrate the way a user's crate does, built with the
//! real `cargo build`.
//!
//! Every temporary crate shares one target directory under the workspace's
//! `target/`, so the dependencies compile once for the whole test run, and cargo
//! invocations are serialised so they never wait on each other's lock (or race on
//! the shared directory).

#![allow(dead_code)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, MutexGuard};

static CARGO: Mutex<()> = Mutex::new(());

/// Takes the cargo lock (a panicking test must not poison the others).
fn cargo_lock() -> MutexGuard<'static, ()> {
    CARGO.lock().unwrap_or_else(|e| e.into_inner())
}

/// The workspace root (the facade crate `migrate`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("migrate-build sits in the workspace")
        .to_path_buf()
}

/// The target directory all temporary crates share: under `$CARGO_TARGET_DIR` when
/// it is set, else under the workspace's `target/`.
pub fn shared_target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
        .join("migrate-build-tests")
}

/// The `build.rs` of every temporary crate: the one-line build script, then a probe
/// that records each run in `build-runs.log` at the crate root (a file no directive
/// watches), so a test can tell whether cargo reran the script.
const BUILD_RS: &str = r#"fn main() {
    migrate_build::run();
    let log = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("build-runs.log");
    let mut runs = std::fs::read_to_string(&log).unwrap_or_default();
    runs.push_str("run\n");
    std::fs::write(&log, runs).unwrap();
}
"#;

/// The binary prints every embedded revision: `id checksum file parents`.
const MAIN_RS: &str = r#"mod models;

fn main() {
    for r in migrate::embedded!().revisions {
        println!("{} {} {} [{}]", r.id, r.checksum, r.file, r.parents.join(","));
    }
}
"#;

/// What one `cargo build` did.
#[derive(Debug)]
pub struct Build {
    /// Whether cargo exited with success.
    pub success: bool,
    /// Everything cargo printed on stderr (where build-script failures go).
    pub stderr: String,
}

/// One embedded revision as the temporary crate's binary prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Embedded {
    pub id: String,
    pub checksum: String,
    pub file: String,
    pub parents: String,
}

/// A temporary crate with a `src/models.rs`, a `migrations/` directory and the
/// one-line build script.
pub struct TempCrate {
    dir: tempfile::TempDir,
    name: String,
}

impl TempCrate {
    /// A crate called `name` (unique per test: binaries share the target directory)
    /// whose `src/models.rs` is `models`.
    pub fn new(name: &str, models: &str) -> TempCrate {
        let dir = tempfile::Builder::new()
            .prefix(&format!("{name}-"))
            .tempdir()
            .expect("temp dir");
        let root = workspace_root();
        let manifest = format!(
            r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
publish = false

[dependencies]
migrate = {{ path = {root:?}, default-features = false }}

[build-dependencies]
migrate-build = {{ path = {build:?} }}

[workspace]
"#,
            root = root.display().to_string(),
            build = root.join("migrate-build").display().to_string(),
        );
        let krate = TempCrate {
            dir,
            name: name.to_string(),
        };
        krate.write("Cargo.toml", &manifest);
        // The workspace's lock file pins the same versions, so the shared target
        // directory reuses the artifacts and `--offline` finds everything.
        fs::copy(root.join("Cargo.lock"), krate.path().join("Cargo.lock")).expect("Cargo.lock");
        krate.write("build.rs", BUILD_RS);
        krate.write("src/main.rs", MAIN_RS);
        krate.write("src/models.rs", models);
        fs::create_dir_all(krate.path().join("migrations")).unwrap();
        krate
    }

    /// The crate root.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file (creating its directory), relative to the crate root.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    /// Reads a file relative to the crate root.
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.path().join(rel)).unwrap()
    }

    /// Deletes a file relative to the crate root.
    pub fn remove(&self, rel: &str) {
        fs::remove_file(self.path().join(rel)).unwrap();
    }

    /// `cargo build` with these extra environment variables (the migrate ones are
    /// otherwise removed, so the caller's environment cannot leak in).
    pub fn build(&self, env: &[(&str, &str)]) -> Build {
        let _guard = cargo_lock();
        let mut cmd = Command::new(env!("CARGO"));
        cmd.arg("build")
            .arg("--offline")
            .current_dir(self.path())
            .env("CARGO_TARGET_DIR", shared_target_dir())
            .env_remove("MIGRATE_AUTOGENERATE")
            .env_remove("MIGRATE_ALLOW_DESTRUCTIVE")
            .env("CARGO_TERM_COLOR", "never");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("cargo runs");
        Build {
            success: out.status.success(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// `cargo build` that must succeed.
    pub fn build_ok(&self, env: &[(&str, &str)]) -> Build {
        let b = self.build(env);
        assert!(b.success, "cargo build failed:\n{}", b.stderr);
        b
    }

    /// `cargo build` that must fail.
    pub fn build_err(&self, env: &[(&str, &str)]) -> Build {
        let b = self.build(env);
        assert!(!b.success, "cargo build should have failed:\n{}", b.stderr);
        b
    }

    /// Writes a revision with the build script's autogenerate; returns the new
    /// file's name and text.
    pub fn autogenerate(&self, message: &str, env: &[(&str, &str)]) -> (String, String) {
        let before = self.migration_files();
        let mut all = vec![("MIGRATE_AUTOGENERATE", message)];
        all.extend_from_slice(env);
        self.build_ok(&all);
        let new: Vec<String> = self
            .migration_files()
            .into_iter()
            .filter(|f| !before.contains(f))
            .collect();
        assert_eq!(new.len(), 1, "expected one new revision file, got {new:?}");
        let text = self.read(&format!("migrations/{}", new[0]));
        (new[0].clone(), text)
    }

    /// The revision files' names, sorted.
    pub fn migration_files(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.path().join("migrations"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        names.sort();
        names
    }

    /// How many times the build script has run.
    pub fn build_script_runs(&self) -> usize {
        fs::read_to_string(self.path().join("build-runs.log"))
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }

    /// What the crate's binary (built by the last `build`) prints.
    pub fn run(&self) -> String {
        let bin = shared_target_dir().join("debug").join(&self.name);
        let out = Command::new(&bin).output().expect("binary runs");
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    }

    /// The path of `file` in the build script's `OUT_DIR` (the last one built).
    pub fn out_file(&self, file: &str) -> PathBuf {
        let build = shared_target_dir().join("debug").join("build");
        let prefix = format!("{}-", self.name);
        fs::read_dir(&build)
            .unwrap()
            .map(|e| e.unwrap().path().join("out").join(file))
            .filter(|p| {
                p.is_file()
                    && p.ancestors()
                        .nth(2)
                        .and_then(|d| d.file_name())
                        .is_some_and(|n| n.to_string_lossy().starts_with(&prefix))
            })
            .max_by_key(|p| fs::metadata(p).and_then(|m| m.modified()).ok())
            .unwrap_or_else(|| panic!("no {file} in an OUT_DIR of {}", self.name))
    }

    /// Runs the crate's binary (built by the last `build`) and parses what it prints.
    pub fn embedded(&self) -> Vec<Embedded> {
        let bin = shared_target_dir().join("debug").join(&self.name);
        let out = Command::new(&bin).output().expect("binary runs");
        assert!(out.status.success());
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| {
                let mut parts = l.splitn(4, ' ');
                Embedded {
                    id: parts.next().unwrap().to_string(),
                    checksum: parts.next().unwrap().to_string(),
                    file: parts.next().unwrap().to_string(),
                    parents: parts.next().unwrap().to_string(),
                }
            })
            .collect()
    }
}

/// 1-based line of the first line of `text` containing `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the models"))
        + 1
}
