//! The revisions a migrator knows: embedded by the build script, or loaded from disk.
//!
//! Embedded revisions are kept as text and parsed only when one has to be applied or
//! undone, so start-up on an up-to-date database parses nothing.

use std::path::Path;
use std::sync::OnceLock;

use migrate_core::embed::EmbeddedRevision;
use migrate_core::revision::read::parse_operations;
use migrate_core::revision::write::operations_to_toml;
use migrate_core::revision::{Revision, RevisionFile};
use migrate_core::Operation;

use crate::error::Error;

/// A revision given as values rather than embedded text (e.g. read from disk by the CLI).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionDef {
    /// Revision id.
    pub id: String,
    /// Parent ids (none for a base, several for a merge).
    pub parents: Vec<String>,
    /// The revision's message.
    pub message: String,
    /// Checksum of the revision file, as `algorithm:hex`.
    pub checksum: String,
    /// Operations that apply the revision.
    pub upgrade: Vec<Operation>,
    /// Operations that undo it.
    pub downgrade: Vec<Operation>,
}

/// How the downgrade list is stored in the version log: `[[downgrade]]` tables in the
/// revision-file layout (`migrate_core::revision::write::operations_to_toml`).
pub(crate) struct StoredDowngrade;

impl StoredDowngrade {
    pub(crate) fn to_toml(ops: &[Operation]) -> String {
        operations_to_toml("downgrade", ops)
    }

    pub(crate) fn from_toml(revision: &str, text: &str) -> Result<Vec<Operation>, Error> {
        let path = Path::new("<version log>");
        parse_operations(text, "downgrade", path).map_err(|e| Error::NoDowngrade {
            revision: revision.to_string(),
            reason: format!("the downgrade recorded in the version log is unreadable: {e}"),
        })
    }
}

/// Operations of a revision, once parsed.
#[derive(Debug)]
pub(crate) struct Ops {
    pub upgrade: Vec<Operation>,
    pub downgrade: Vec<Operation>,
}

/// One revision known to the migrator.
#[derive(Debug)]
pub(crate) struct Known {
    pub id: String,
    pub parents: Vec<String>,
    pub message: String,
    pub checksum: String,
    file: String,
    source: Option<&'static str>,
    ops: OnceLock<Ops>,
}

impl Known {
    pub(crate) fn from_embedded(e: &'static EmbeddedRevision) -> Known {
        Known {
            id: e.id.to_string(),
            parents: e.parents.iter().map(|p| p.to_string()).collect(),
            message: e.message.to_string(),
            checksum: e.checksum.to_string(),
            file: e.file.to_string(),
            source: Some(e.source),
            ops: OnceLock::new(),
        }
    }

    pub(crate) fn from_def(d: RevisionDef) -> Known {
        let ops = OnceLock::new();
        let _ = ops.set(Ops {
            upgrade: d.upgrade,
            downgrade: d.downgrade,
        });
        Known {
            file: format!("{}.toml", d.id),
            id: d.id,
            parents: d.parents,
            message: d.message,
            checksum: d.checksum,
            source: None,
            ops,
        }
    }

    pub(crate) fn from_file(f: RevisionFile) -> Known {
        let file = f
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut known = Known::from_def(RevisionDef {
            id: f.revision.id,
            parents: f.revision.parents,
            message: f.revision.message,
            checksum: f.checksum.to_string(),
            upgrade: f.revision.upgrade,
            downgrade: f.revision.downgrade,
        });
        known.file = file;
        known
    }

    /// The revision's operations, parsing the embedded file on first use.
    pub(crate) fn ops(&self) -> Result<&Ops, Error> {
        if let Some(ops) = self.ops.get() {
            return Ok(ops);
        }
        let text = self.source.unwrap_or_default();
        let body =
            Revision::parse(text, Path::new(&self.file)).map_err(|e| Error::InvalidRevision {
                revision: self.id.clone(),
                file: self.file.clone(),
                message: e.to_string(),
            })?;
        let _ = self.ops.set(Ops {
            upgrade: body.upgrade,
            downgrade: body.downgrade,
        });
        Ok(self.ops.get().expect("just set"))
    }
}
