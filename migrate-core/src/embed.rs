//! Revisions embedded in a binary by the build script.
//!
//! The build script generates a `&'static [EmbeddedRevision]` with one entry per
//! revision file; the runtime reads ids, parents and checksums without parsing, and
//! reads the operations only of the revisions it has to apply or undo. The build
//! script has already read and checked every file, so it embeds the operations a
//! second time in a form that is quick to read back ([`EmbeddedOps`], JSON), and the
//! downgrade as the version log records it: a binary applying many revisions at once
//! spends its time in the database, not in parsing TOML.

use serde::{Deserialize, Serialize};

use crate::revision::write::operations_to_toml;
use crate::Operation;

/// One revision file, embedded at compile time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmbeddedRevision {
    /// Revision id.
    pub id: &'static str,
    /// Parent ids (none for a base, several for a merge).
    pub parents: &'static [&'static str],
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
    /// The operations as JSON, for [`EmbeddedRevision::ops_json`].
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("operations serialize to JSON")
    }

    /// Reads back what [`EmbeddedOps::to_json`] wrote.
    pub fn from_json(text: &str) -> Result<EmbeddedOps, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The downgrade as the version log stores it, for
    /// [`EmbeddedRevision::downgrade_log`]: `[[downgrade]]` tables, read back by
    /// [`crate::revision::read::parse_operations`].
    pub fn downgrade_log(&self) -> String {
        operations_to_toml("downgrade", &self.downgrade)
    }
}
