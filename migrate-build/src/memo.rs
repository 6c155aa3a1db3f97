//! The build script's memory of its last clean run, so a rerun whose inputs are
//! unchanged does no parsing at all.
//!
//! Cargo reruns the script whenever a watched file's modification time changes:
//! after `touch`, a save without edits, or a switch of branches and back. The
//! expensive parts of a run (parsing every model with syn and every revision file,
//! compiled unoptimised like the rest of a debug build) then give the same answer
//! as last time. So after a run that found no drift, the script stores a key of its
//! inputs in `OUT_DIR`: the text of every scanned source file, each revision file's
//! name, size and modification time, the settings, and this crate's version. When
//! the next run computes the same key, it only repeats its `cargo:` lines.
//!
//! Rule: the key covers everything the verdict depends on; anything not in it (the
//! autogenerate variables) makes the script skip the memo.

use std::collections::hash_map::DefaultHasher;
use std::fs;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

use migrate_model::scan::source_files;

use crate::codegen::EMBEDDED_FILE;
use crate::error::BuildError;
use crate::Config;

/// Name of the file in `OUT_DIR` holding the key of the last clean run.
pub const MEMO_FILE: &str = "migrate_clean_run.key";

/// The key of one run's inputs, and the source files it read.
#[derive(Debug)]
pub struct Inputs {
    /// The key, as stored in [`MEMO_FILE`].
    pub key: String,
    /// Every `.rs` file under the source directories (for `rerun-if-changed`).
    pub files: Vec<PathBuf>,
}

impl Inputs {
    /// Reads the inputs of a run with `config`: every source file's text and the
    /// revision files' metadata.
    pub fn read(config: &Config) -> Result<Inputs, BuildError> {
        let mut hasher = DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        format!("{config:?}").hash(&mut hasher);
        let files = source_files(&config.resolved_source_dirs())?;
        for file in &files {
            let text = fs::read(file).map_err(|e| BuildError::io("read", file, e))?;
            file.hash(&mut hasher);
            text.hash(&mut hasher);
        }
        let migrations = config.resolved_migrations_dir();
        if let Ok(entries) = fs::read_dir(&migrations) {
            let mut stamps = Vec::new();
            for entry in entries.flatten() {
                let meta = entry
                    .metadata()
                    .map_err(|e| BuildError::io("read", entry.path(), e))?;
                let modified = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                stamps.push((entry.file_name(), meta.len(), modified));
            }
            stamps.sort();
            stamps.hash(&mut hasher);
        }
        Ok(Inputs {
            key: format!("{:016x}", hasher.finish()),
            files,
        })
    }

    /// Whether the last run with an output in `out_dir` was clean with these same
    /// inputs (and its generated file is still there).
    pub fn same_as_last_clean_run(&self, out_dir: &Path) -> bool {
        out_dir.join(EMBEDDED_FILE).is_file()
            && fs::read_to_string(out_dir.join(MEMO_FILE)).is_ok_and(|k| k == self.key)
    }

    /// Records a clean run with these inputs.
    pub fn record_clean_run(&self, out_dir: &Path) -> Result<(), BuildError> {
        let path = out_dir.join(MEMO_FILE);
        fs::write(&path, &self.key).map_err(|e| BuildError::io("write", &path, e))
    }

    /// Forgets the last clean run (this one was not).
    pub fn forget(out_dir: &Path) {
        let _ = fs::remove_file(out_dir.join(MEMO_FILE));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_dir() -> (tempfile::TempDir, Config) {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("src")).unwrap();
        fs::create_dir_all(dir.path().join("migrations")).unwrap();
        fs::write(dir.path().join("src/lib.rs"), "pub struct A;\n").unwrap();
        let config = Config::new().manifest_dir(dir.path());
        (dir, config)
    }

    #[test]
    fn the_key_changes_with_the_text_not_with_the_modification_time() {
        let (dir, config) = crate_dir();
        let first = Inputs::read(&config).unwrap();
        assert_eq!(first.files, [dir.path().join("src/lib.rs")]);
        // Rewriting the same text (as `touch` does to the time) keeps the key.
        fs::write(dir.path().join("src/lib.rs"), "pub struct A;\n").unwrap();
        assert_eq!(Inputs::read(&config).unwrap().key, first.key);
        fs::write(dir.path().join("src/lib.rs"), "pub struct B;\n").unwrap();
        assert_ne!(Inputs::read(&config).unwrap().key, first.key);
    }

    #[test]
    fn a_revision_file_or_a_setting_changes_the_key() {
        let (dir, config) = crate_dir();
        let first = Inputs::read(&config).unwrap().key;
        fs::write(dir.path().join("migrations/a.toml"), "x").unwrap();
        let with_revision = Inputs::read(&config).unwrap().key;
        assert_ne!(with_revision, first);
        let other = config.clone().version_table("other");
        assert_ne!(Inputs::read(&other).unwrap().key, with_revision);
    }

    #[test]
    fn only_a_recorded_clean_run_with_its_output_matches() {
        let (_dir, config) = crate_dir();
        let out = tempfile::tempdir().unwrap();
        let inputs = Inputs::read(&config).unwrap();
        assert!(!inputs.same_as_last_clean_run(out.path()));
        inputs.record_clean_run(out.path()).unwrap();
        assert!(
            !inputs.same_as_last_clean_run(out.path()),
            "no embedded file yet"
        );
        fs::write(out.path().join(EMBEDDED_FILE), "&[]").unwrap();
        assert!(inputs.same_as_last_clean_run(out.path()));
        Inputs::forget(out.path());
        assert!(!inputs.same_as_last_clean_run(out.path()));
    }
}
