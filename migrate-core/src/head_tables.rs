//! The head schema as one small file per table, for `#[derive(Model)]`'s field-level
//! drift errors.
//!
//! The build script writes these files only when field-level drift is on
//! (`migrate_build::Config::drift_on_fields`) and the models differ from the head, and
//! then tells the derive where they are through the compile-time environment variable
//! [`HEAD_TABLES_ENV`]. Without that variable the derive reads nothing: a build with
//! no drift costs no file I/O per model. With it, each derive reads only its own
//! table (and the table it is renamed from), so the cost stays linear in the number
//! of models.
//!
//! A file is named after the table in lowercase hex ([`table_file_name`]), so any
//! table name makes a valid, distinct file name, even on a case-insensitive disk.

use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::schema::{Schema, Table};

/// The compile-time environment variable (set by the build script with
/// `cargo:rustc-env`) holding the directory of the per-table head files; unset when
/// the derive has nothing to check.
pub const HEAD_TABLES_ENV: &str = "MIGRATE_HEAD_TABLES";

/// The directory under `OUT_DIR` that holds the per-table head files.
pub const HEAD_TABLES_DIR: &str = "migrate_head_tables";

/// The file name of table `name`'s head file: `t_<hex of the name>.toml`.
pub fn table_file_name(name: &str) -> String {
    let mut out = String::with_capacity(2 + name.len() * 2 + 5);
    out.push_str("t_");
    for byte in name.bytes() {
        let _ = write!(out, "{byte:02x}");
    }
    out.push_str(".toml");
    out
}

/// Writes one file per table of `schema` into `dir` (emptied first, so a table
/// dropped from the head leaves no stale file).
pub fn write_head_tables(dir: &Path, schema: &Schema) -> io::Result<()> {
    if dir.exists() {
        fs::remove_dir_all(dir)?;
    }
    fs::create_dir_all(dir)?;
    for table in schema.tables.values() {
        let text = toml::to_string(table).map_err(io::Error::other)?;
        fs::write(dir.join(table_file_name(&table.name)), text)?;
    }
    Ok(())
}

/// Why a head file could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the head table file `{}`: {message}; rebuild so the build script writes it again", path.display())]
pub struct HeadTableError {
    /// The file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// The head's table `name` from `dir`, or `None` when the head has no such table.
pub fn read_head_table(dir: &Path, name: &str) -> Result<Option<Table>, HeadTableError> {
    let path = dir.join(table_file_name(name));
    let text = match fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(HeadTableError {
                path,
                message: e.to_string(),
            })
        }
    };
    toml::from_str(&text).map(Some).map_err(|e| HeadTableError {
        path,
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Column, ColumnType};

    #[test]
    fn file_names_are_distinct_and_safe() {
        assert_eq!(table_file_name("users"), "t_7573657273.toml");
        assert_ne!(table_file_name("Users"), table_file_name("users"));
        assert!(!table_file_name("a/../b").contains('/'));
    }

    #[test]
    fn each_table_reads_back_alone_and_stale_files_go() {
        let dir = tempfile::tempdir().unwrap();
        let heads = dir.path().join(HEAD_TABLES_DIR);
        let mut users = Table::new("users");
        users.columns.push(Column::new("id", ColumnType::BigInt));
        let posts = Table::new("Posts \"x\"");
        write_head_tables(&heads, &Schema::from_tables([users.clone(), posts.clone()])).unwrap();
        assert_eq!(read_head_table(&heads, "users").unwrap(), Some(users));
        assert_eq!(read_head_table(&heads, "Posts \"x\"").unwrap(), Some(posts));
        assert_eq!(read_head_table(&heads, "nope").unwrap(), None);

        write_head_tables(&heads, &Schema::new()).unwrap();
        assert_eq!(read_head_table(&heads, "users").unwrap(), None);

        fs::write(heads.join(table_file_name("bad")), "not = [toml").unwrap();
        let err = read_head_table(&heads, "bad").unwrap_err().to_string();
        assert!(err.contains("rebuild"), "{err}");
    }
}
