//! Embeds the revisions of `$MIGRATE_BENCH_DATA/revisions` with migrate-build, as an
//! application's build script does, and the SQL files of
//! `$MIGRATE_BENCH_DATA/sqlx-<db>/` the way `sqlx::migrate!()` does (text and SHA-384
//! checksum computed at build time). Without the variable both lists are empty, so the
//! workspace builds without benchmark data.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha384};

fn main() {
    println!("cargo:rerun-if-env-changed=MIGRATE_BENCH_DATA");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let data = std::env::var_os("MIGRATE_BENCH_DATA").map(PathBuf::from);
    let revisions = match &data {
        Some(dir) => dir.join("revisions"),
        None => {
            let empty = out.join("no-revisions");
            std::fs::create_dir_all(&empty).expect("create an empty revisions directory");
            empty
        }
    };
    println!("cargo:rerun-if-changed={}", revisions.display());
    let config = migrate_build::Config::new()
        .migrations_dir(&revisions)
        .source_dir("src");
    // The models are not the point here: the revisions are embedded whatever the drift.
    let checked = migrate_build::check(&config).unwrap_or_else(|e| panic!("{e}"));
    checked
        .write_outputs(&out)
        .unwrap_or_else(|e| panic!("{e}"));

    let mut code = String::new();
    for db in ["sqlite", "postgres", "mysql"] {
        let files = match &data {
            Some(dir) => sql_files(&dir.join(format!("sqlx-{db}"))),
            None => Vec::new(),
        };
        writeln!(
            code,
            "pub static SQLX_{}: &[SqlxFile] = &[",
            db.to_uppercase()
        )
        .unwrap();
        for (version, description, path) in files {
            let text = std::fs::read_to_string(&path).expect("read a sqlx migration");
            let checksum = Sha384::digest(text.as_bytes());
            writeln!(
                code,
                "    ({version}, {description:?}, include_str!({:?}), &{:?}),",
                path.display().to_string(),
                checksum.as_slice()
            )
            .unwrap();
        }
        writeln!(code, "];").unwrap();
    }
    std::fs::write(out.join("sqlx_embedded.rs"), code).expect("write sqlx_embedded.rs");
}

/// `NNNN_description.sql` files of `dir`, by version.
fn sql_files(dir: &Path) -> Vec<(i64, String, PathBuf)> {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<(i64, String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let stem = path.file_stem()?.to_str()?.to_string();
            let (version, description) = stem.split_once('_')?;
            Some((version.parse().ok()?, description.replace('_', " "), path))
        })
        .collect();
    files.sort();
    files
}
