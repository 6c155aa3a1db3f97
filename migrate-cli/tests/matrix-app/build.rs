//! Embeds each revision set under `$MIGRATE_MATRIX_SETS` (one directory per set,
//! each with a `migrations/` directory) with migrate-build, as an application's
//! build script embeds its revisions, and writes the table of sets `main.rs`
//! includes. Without the variable no set is embedded.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-env-changed=MIGRATE_MATRIX_SETS");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let empty = out.join("no-models");
    std::fs::create_dir_all(&empty).expect("create an empty models directory");
    let mut sets: Vec<(String, PathBuf)> = Vec::new();
    if let Some(root) = std::env::var_os("MIGRATE_MATRIX_SETS").map(PathBuf::from) {
        println!("cargo:rerun-if-changed={}", root.display());
        for entry in std::fs::read_dir(&root).expect("read MIGRATE_MATRIX_SETS") {
            let path = entry.expect("a set directory").path();
            if path.is_dir() {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                sets.push((name, path));
            }
        }
    }
    sets.sort();
    let mut table = String::from("&[\n");
    for (name, dir) in &sets {
        let config = migrate_build::Config::new()
            .manifest_dir(dir)
            .source_dir(&empty)
            .migrations_dir("migrations");
        let checked = migrate_build::check(&config).unwrap_or_else(|e| panic!("set {name}: {e}"));
        let set_out = out.join("sets").join(name);
        std::fs::create_dir_all(&set_out).expect("create the set's output directory");
        checked
            .write_outputs(&set_out)
            .unwrap_or_else(|e| panic!("set {name}: {e}"));
        for path in checked.watched_paths(&config) {
            println!("cargo:rerun-if-changed={}", path.display());
        }
        writeln!(
            table,
            "    ({name:?}, include!({:?})),",
            set_out.join("migrate_embedded.rs").display().to_string()
        )
        .unwrap();
    }
    table.push_str("]\n");
    std::fs::write(out.join("matrix_sets.rs"), table).expect("write matrix_sets.rs");
}
