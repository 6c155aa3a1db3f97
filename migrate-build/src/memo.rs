//! The build script's memory of its last clean run, so a rerun whose inputs are
//! unchanged does no parsing at all.
//!
//! Cargo reruns the script whenever a watched file's modification time changes:
//! after `touch`, a save without edits, or a switch of branches and back. The
//! expensive parts of a run (parsing every model with syn and every revision file,
//! compiled unoptimised like the rest of a debug build) then give the same answer
//! as last time. So after a run that found no drift, the script stores a key of its
//! inputs in `OUT_DIR`: every scanned source file's code (its text without comments
//! and with whitespace collapsed, see [`crate::fingerprint`]; doc comments count),
//! each revision file's name, size and modification time, the settings (with
//! `migrate.toml`'s text), and this crate's version. When the next run computes the
//! same key (after `touch`, or an edit of a comment), it only repeats its `cargo:`
//! lines.
//!
//! A second key keeps, of each file's code, only the top-level items that mention
//! a model (`Model` or `model`: the structs with their attributes, the inline
//! modules holding them, the `use` lines; see [`crate::fingerprint::items`]):
//! after an edit that leaves every such item as it was (a function added, another
//! struct changed), the script parses nothing and reads no revision, even when the
//! edit is in the models' own file.
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
use crate::fingerprint::{code_text, items};
use crate::Config;

/// Name of the file in `OUT_DIR` holding the key of the last clean run.
pub const MEMO_FILE: &str = "migrate_clean_run.key";

/// The key of one run's inputs, and the source files it read.
#[derive(Debug)]
pub struct Inputs {
    /// The key of those and every source file's code.
    pub key: String,
    /// The key of the revision files, the settings, this crate's version and the
    /// items of every source file that mention a model.
    pub models_key: String,
    /// Every `.rs` file under the source directories (for `rerun-if-changed`).
    pub files: Vec<PathBuf>,
}

impl Inputs {
    /// Reads the inputs of a run with `config`: every source file's code and the
    /// revision files' metadata.
    pub fn read(config: &Config) -> Result<Inputs, BuildError> {
        let mut hasher = DefaultHasher::new();
        env!("CARGO_PKG_VERSION").hash(&mut hasher);
        // The generated file's layout: a script that writes it differently must not
        // take an older file for its own.
        crate::codegen::EMBEDDED_FORMAT.hash(&mut hasher);
        migrate_model::derive_store::FORMAT.hash(&mut hasher);
        format!("{config:?}").hash(&mut hasher);
        // migrate.toml: its `[tables]` filter decides what is compared, and its
        // settings are embedded.
        fs::read(config.config_file()).ok().hash(&mut hasher);
        let migrations = config.resolved_migrations_dir();
        // The contracts waiting in `next/` count too: the models are compared with
        // the head and them.
        for dir in [migrations.clone(), crate::pending::dir(&migrations)] {
            let Ok(entries) = fs::read_dir(&dir) else {
                continue;
            };
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
        // The schema object files: read whole (they are few and small).
        format!(
            "{:?}",
            migrate_core::objects::files::load_dir(&config.resolved_objects_dir())
        )
        .hash(&mut hasher);
        let mut models = hasher.clone();
        let files = source_files(&config.resolved_source_dirs())?;
        for file in &files {
            let text = fs::read(file).map_err(|e| BuildError::io("read", file, e))?;
            let code = code_text(&text);
            file.hash(&mut hasher);
            code.hash(&mut hasher);
            file.hash(&mut models);
            // Trimmed: the space between two items goes with the second one.
            for item in items(&code).into_iter().filter(|i| mentions_a_model(i)) {
                item.trim_ascii().hash(&mut models);
            }
        }
        Ok(Inputs {
            key: format!("{:016x}", hasher.finish()),
            models_key: format!("{:016x}", models.finish()),
            files,
        })
    }

    /// The two keys of the last clean run in `out_dir` (if its generated files are
    /// still there): sources, models.
    fn last_clean_run(out_dir: &Path) -> Option<(String, String)> {
        let store = out_dir.join(migrate_model::derive_store::STORE_FILE);
        if !out_dir.join(EMBEDDED_FILE).is_file() || !store.is_file() {
            return None;
        }
        let text = fs::read_to_string(out_dir.join(MEMO_FILE)).ok()?;
        let (sources, models) = text.split_once('\n')?;
        Some((sources.to_string(), models.trim_end().to_string()))
    }

    /// Whether the last run with an output in `out_dir` was clean with these same
    /// inputs (and its generated file is still there).
    pub fn same_as_last_clean_run(&self, out_dir: &Path) -> bool {
        Self::last_clean_run(out_dir).is_some_and(|(sources, _)| sources == self.key)
    }

    /// Whether the last clean run in `out_dir` had the same revisions, settings and
    /// model items ([`Inputs::models_key`]).
    pub fn same_models_as_last_clean_run(&self, out_dir: &Path) -> bool {
        Self::last_clean_run(out_dir).is_some_and(|(_, models)| models == self.models_key)
    }

    /// Records a clean run with these inputs.
    pub fn record_clean_run(&self, out_dir: &Path) -> Result<(), BuildError> {
        let path = out_dir.join(MEMO_FILE);
        fs::write(&path, format!("{}\n{}\n", self.key, self.models_key))
            .map_err(|e| BuildError::io("write", &path, e))
    }

    /// Forgets the last clean run (this one was not).
    pub fn forget(out_dir: &Path) {
        let _ = fs::remove_file(out_dir.join(MEMO_FILE));
    }
}

/// Whether an item of code text names a model: `Model` in a derive, `model` in an
/// attribute. Rule: any item that may declare a model counts (an item counted
/// without need only makes the key change more often).
fn mentions_a_model(item: &[u8]) -> bool {
    item.windows(5).any(|w| w == b"Model" || w == b"model")
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
    fn the_key_changes_with_the_code_not_with_the_modification_time_or_a_comment() {
        let (dir, config) = crate_dir();
        let first = Inputs::read(&config).unwrap();
        assert_eq!(first.files, [dir.path().join("src/lib.rs")]);
        // Rewriting the same text (as `touch` does to the time) keeps the key.
        fs::write(dir.path().join("src/lib.rs"), "pub struct A;\n").unwrap();
        assert_eq!(Inputs::read(&config).unwrap().key, first.key);
        fs::write(dir.path().join("src/lib.rs"), "// A note.\npub struct A;\n").unwrap();
        assert_eq!(Inputs::read(&config).unwrap().key, first.key);
        fs::write(dir.path().join("src/lib.rs"), "/// A doc.\npub struct A;\n").unwrap();
        assert_ne!(Inputs::read(&config).unwrap().key, first.key);
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
        let other = config.clone().migrations_dir("other");
        assert_ne!(Inputs::read(&other).unwrap().key, with_revision);
        fs::write(dir.path().join("migrate.toml"), "version_table = \"v\"\n").unwrap();
        assert_ne!(Inputs::read(&config).unwrap().key, with_revision);
    }

    #[test]
    fn the_models_key_ignores_other_code_but_not_models() {
        let (dir, config) = crate_dir();
        let lib = dir.path().join("src/lib.rs");
        let model = "/// Users.\n#[derive(migrate::Model)]\npub struct User {\n    #[model(primary_key)]\n    pub id: i64,\n}\n";
        fs::write(&lib, model).unwrap();
        let first = Inputs::read(&config).unwrap();
        // Other code in the same file, before and after the model.
        fs::write(
            &lib,
            format!("fn helper() {{}}\n{model}struct Other {{ a: i32 }}\n"),
        )
        .unwrap();
        let other = Inputs::read(&config).unwrap();
        assert_ne!(other.key, first.key);
        assert_eq!(other.models_key, first.models_key);
        // A field, an attribute or a doc comment of the model is a change.
        for changed in [
            model.replace("pub id: i64,", "pub id: i64,\n    pub name: String,"),
            model.replace("primary_key", "primary_key, autoincrement"),
            model.replace("/// Users.", "/// People."),
        ] {
            fs::write(&lib, changed).unwrap();
            assert_ne!(Inputs::read(&config).unwrap().models_key, first.models_key);
        }
        // So is a revision file.
        fs::write(&lib, model).unwrap();
        fs::write(dir.path().join("migrations/a.toml"), "x").unwrap();
        assert_ne!(Inputs::read(&config).unwrap().models_key, first.models_key);
    }

    #[test]
    fn a_model_moved_to_another_file_changes_the_models_key() {
        let (dir, config) = crate_dir();
        let model = "#[derive(Model)]\npub struct User {\n    pub id: i64,\n}\n";
        fs::write(dir.path().join("src/lib.rs"), model).unwrap();
        let first = Inputs::read(&config).unwrap().models_key;
        fs::write(dir.path().join("src/lib.rs"), "").unwrap();
        fs::write(dir.path().join("src/user.rs"), model).unwrap();
        assert_ne!(Inputs::read(&config).unwrap().models_key, first);
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
        assert!(
            !inputs.same_as_last_clean_run(out.path()),
            "no derive store yet"
        );
        let store = migrate_model::derive_store::STORE_FILE;
        fs::write(out.path().join(store), "").unwrap();
        assert!(inputs.same_as_last_clean_run(out.path()));
        assert!(inputs.same_models_as_last_clean_run(out.path()));
        let other = Inputs {
            models_key: "other".into(),
            ..Inputs::read(&config).unwrap()
        };
        assert!(!other.same_models_as_last_clean_run(out.path()));
        Inputs::forget(out.path());
        assert!(!inputs.same_as_last_clean_run(out.path()));
    }
}
