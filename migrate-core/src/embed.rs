//! Revisions embedded in a binary by the build script.
//!
//! The build script generates a `&'static [EmbeddedRevision]` with one entry per
//! revision file; the runtime reads ids, parents and checksums without parsing, and
//! reads the operations only of the revisions it has to apply or undo. The build
//! script has already read and checked every file, so it embeds the operations a
//! second time in a form that is quick to read back ([`EmbeddedOps`], JSON), and the
//! downgrade as the version log records it: a binary applying many revisions at once
//! spends its time in the database, not in parsing TOML.
//!
//! Beside the revisions it embeds the project's settings from `migrate.toml`
//! ([`EmbeddedSettings`]: the version table, the default dialect, the `[tables]`
//! filter), so a deployed binary uses the same version table and leaves the same
//! tables alone as `cargo migrate` on the files, with no code of the user's.
//! `migrate::embedded!()` evaluates to a `&'static` [`Embedded`].

use serde::{Deserialize, Serialize};

use crate::dialect::version_table::DEFAULT_NAME as DEFAULT_VERSION_TABLE;
use crate::dialect::DialectKind;
use crate::filter::{FilterError, TableFilter};
use crate::generated::same_text;
use crate::project::ProjectSettings;
use crate::revision::value_ref::{from_value, json_to_value};
use crate::revision::write::operations_to_toml;
use crate::Operation;

/// What the build script embeds in a binary: every revision, and the project's
/// settings. Converts from a bare list of revisions too (with the default settings),
/// so every API that takes an `impl Into<Embedded>` takes either.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Embedded {
    /// The revisions, in the order of their files' topological sort.
    pub revisions: &'static [EmbeddedRevision],
    /// The settings of the project's `migrate.toml` when the binary was built.
    pub settings: EmbeddedSettings,
}

/// The directory `path` of a table of embedded migrations directories (what
/// `migrate::embedded!("path")` expands to, at compile time).
///
/// # Panics
///
/// When `path` is not in the table; in the `const` block the macro writes, that is a
/// compile error at the macro.
pub const fn embedded_dir(
    dirs: &'static [(&'static str, &'static Embedded)],
    path: &str,
) -> &'static Embedded {
    let mut i = 0;
    while i < dirs.len() {
        if same_text(dirs[i].0, path) {
            return dirs[i].1;
        }
        i += 1;
    }
    panic!(
        "migrate::embedded!(\"...\"): build.rs does not embed this migrations directory; \
         add .embed_dir(\"...\") with the same path to migrate_build::Config in build.rs"
    )
}

/// The settings of `migrate.toml` as the build script embeds them (static text, so
/// the generated code is a constant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmbeddedSettings {
    /// The version table's name.
    pub version_table: &'static str,
    /// The dialect for offline scripts without a URL (`""`: none).
    pub dialect: &'static str,
    /// `[tables] include` patterns.
    pub tables_include: &'static [&'static str],
    /// `[tables] exclude` patterns.
    pub tables_exclude: &'static [&'static str],
}

impl EmbeddedSettings {
    /// The settings of a project without a `migrate.toml`.
    pub const DEFAULT: EmbeddedSettings = EmbeddedSettings {
        version_table: DEFAULT_VERSION_TABLE,
        dialect: "",
        tables_include: &[],
        tables_exclude: &[],
    };

    /// The table filter (the build script checked the patterns; a list written by
    /// hand may still hold a bad one).
    pub fn table_filter(&self) -> Result<TableFilter, FilterError> {
        TableFilter::new(self.tables_include, self.tables_exclude)
    }

    /// The settings as the CLI reads them from `migrate.toml`.
    pub fn to_project_settings(&self) -> Result<ProjectSettings, FilterError> {
        Ok(ProjectSettings {
            version_table: self.version_table.to_string(),
            dialect: self.dialect.parse::<DialectKind>().ok(),
            tables: self.table_filter()?,
        })
    }
}

impl Default for EmbeddedSettings {
    fn default() -> Self {
        EmbeddedSettings::DEFAULT
    }
}

impl From<&'static Embedded> for Embedded {
    fn from(embedded: &'static Embedded) -> Self {
        *embedded
    }
}

impl From<&'static [EmbeddedRevision]> for Embedded {
    /// Revisions alone, with the default settings.
    fn from(revisions: &'static [EmbeddedRevision]) -> Self {
        Embedded {
            revisions,
            settings: EmbeddedSettings::DEFAULT,
        }
    }
}

impl<const N: usize> From<&'static [EmbeddedRevision; N]> for Embedded {
    /// Revisions alone, with the default settings.
    fn from(revisions: &'static [EmbeddedRevision; N]) -> Self {
        Embedded::from(&revisions[..])
    }
}

/// One revision file, embedded at compile time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmbeddedRevision {
    /// Revision id.
    pub id: &'static str,
    /// Parent ids (none for a base, several for a merge).
    pub parents: &'static [&'static str],
    /// The ids a squash revision replaces (empty for any other).
    pub replaces: &'static [&'static str],
    /// Its branch labels.
    pub branch_labels: &'static [&'static str],
    /// The revisions of other branches it depends on.
    pub depends_on: &'static [&'static str],
    /// The message given when the revision was created.
    pub message: &'static str,
    /// Checksum of the file, as `algorithm:hex`.
    pub checksum: &'static str,
    /// File name within the migrations directory.
    pub file: &'static str,
    /// The whole file text.
    pub source: &'static str,
    /// The file's operations, read and checked by the build script, as
    /// [`EmbeddedOps::to_json`] writes them. Empty: the runtime parses `source`.
    pub ops_json: &'static str,
    /// The downgrade as the version log stores it ([`EmbeddedOps::downgrade_log`]).
    /// Empty: the runtime writes it from the operations.
    pub downgrade_log: &'static str,
}

/// A revision's operations in the form the build script embeds beside the file text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EmbeddedOps {
    /// Operations that apply the revision.
    pub upgrade: Vec<Operation>,
    /// Operations that undo it.
    pub downgrade: Vec<Operation>,
}

impl EmbeddedOps {
    /// The operations as JSON, for [`EmbeddedRevision::ops_json`]: written from
    /// the TOML value the unknown-key check writes too, so neither form adds a
    /// copy of the operations' serializer.
    pub fn to_json(&self) -> String {
        let value = toml::Value::try_from(self).expect("operations are TOML values");
        serde_json::to_string(&value).expect("a TOML value serializes to JSON")
    }

    /// Reads back what [`EmbeddedOps::to_json`] wrote, with the deserializer that
    /// reads revision files.
    pub fn from_json(text: &str) -> Result<EmbeddedOps, serde_json::Error> {
        let value = json_to_value(text)?;
        from_value(&value).map_err(|e| serde::de::Error::custom(e.message().trim()))
    }

    /// The downgrade as the version log stores it, for
    /// [`EmbeddedRevision::downgrade_log`]: `[[downgrade]]` tables, read back by
    /// [`crate::revision::read::parse_operations`].
    pub fn downgrade_log(&self) -> String {
        operations_to_toml("downgrade", &self.downgrade)
    }
}
