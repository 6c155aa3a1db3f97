//! The revisions a migrator knows: embedded by the build script, or loaded from disk.
//!
//! Embedded revisions are kept as text and parsed only when one has to be applied or
//! undone, so start-up on an up-to-date database parses nothing.

use std::borrow::Cow;
use std::path::Path;
use std::sync::OnceLock;

use migrate_core::embed::{EmbeddedOps, EmbeddedRevision};
use migrate_core::online::{Policy, SafetyTable};
use migrate_core::revision::lazy::RevisionText;
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

/// The parents of a known revision.
#[derive(Debug)]
pub(crate) enum Parents {
    Embedded(&'static [&'static str]),
    Owned(Vec<String>),
}

impl Parents {
    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        let (embedded, owned) = match self {
            Parents::Embedded(p) => (Some(p.iter().copied()), None),
            Parents::Owned(p) => (None, Some(p.iter().map(String::as_str))),
        };
        embedded
            .into_iter()
            .flatten()
            .chain(owned.into_iter().flatten())
    }

    pub(crate) fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }
}

/// One revision known to the migrator. Embedded revisions borrow their text from the
/// binary, so building a migrator allocates next to nothing (a start-up on an
/// up-to-date database does little else).
#[derive(Debug)]
pub(crate) struct Known {
    pub id: Cow<'static, str>,
    pub parents: Parents,
    /// The ids it replaces, when it is a squash.
    pub replaces: Parents,
    /// Its branch labels.
    pub branch_labels: Parents,
    /// The revisions of other branches it depends on.
    pub depends_on: Parents,
    pub message: Cow<'static, str>,
    pub checksum: Cow<'static, str>,
    file: Cow<'static, str>,
    /// The file's text, parsed for the operations when they are first needed.
    source: Option<Cow<'static, str>>,
    /// The operations as the build script embedded them (`EmbeddedOps` JSON), if it did.
    ops_json: Option<&'static str>,
    /// The downgrade as the log stores it, if the build script wrote it.
    downgrade_log: Option<&'static str>,
    ops: OnceLock<Ops>,
}

impl Known {
    pub(crate) fn from_embedded(e: &'static EmbeddedRevision) -> Known {
        Known {
            id: Cow::Borrowed(e.id),
            parents: Parents::Embedded(e.parents),
            replaces: Parents::Embedded(e.replaces),
            branch_labels: Parents::Embedded(e.branch_labels),
            depends_on: Parents::Embedded(e.depends_on),
            message: Cow::Borrowed(e.message),
            checksum: Cow::Borrowed(e.checksum),
            file: Cow::Borrowed(e.file),
            source: Some(Cow::Borrowed(e.source)),
            ops_json: Some(e.ops_json).filter(|j| !j.is_empty()),
            downgrade_log: Some(e.downgrade_log).filter(|d| !d.is_empty()),
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
            file: Cow::Owned(format!("{}.toml", d.id)),
            id: Cow::Owned(d.id),
            parents: Parents::Owned(d.parents),
            replaces: Parents::Owned(Vec::new()),
            branch_labels: Parents::Owned(Vec::new()),
            depends_on: Parents::Owned(Vec::new()),
            message: Cow::Owned(d.message),
            checksum: Cow::Owned(d.checksum),
            source: None,
            ops_json: None,
            downgrade_log: None,
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
        known.file = Cow::Owned(file);
        known.replaces = Parents::Owned(f.revision.replaces);
        known.branch_labels = Parents::Owned(f.revision.branch_labels);
        known.depends_on = Parents::Owned(f.revision.depends_on);
        known
    }

    /// A revision file read with only its header parsed
    /// (`migrate_core::revision::lazy`): its operations are parsed on first use.
    pub(crate) fn from_text(t: RevisionText) -> Known {
        let file = t
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Known {
            id: Cow::Owned(t.id),
            parents: Parents::Owned(t.parents),
            replaces: Parents::Owned(t.replaces),
            branch_labels: Parents::Owned(t.branch_labels),
            depends_on: Parents::Owned(t.depends_on),
            message: Cow::Owned(t.message),
            checksum: Cow::Owned(t.checksum.to_string()),
            file: Cow::Owned(file),
            source: Some(Cow::Owned(t.text)),
            ops_json: None,
            downgrade_log: None,
            ops: OnceLock::new(),
        }
    }

    /// How the revision runs on a live database: the `[safety]` table of its file
    /// (`migrate_core::online`), or the plain forms for a revision without one or
    /// known only by its operations.
    pub(crate) fn policy(&self) -> Result<Policy, Error> {
        let Some(text) = self.source.as_deref() else {
            return Ok(Policy::default());
        };
        SafetyTable::policy_of_revision_text(text).map_err(|e| Error::InvalidRevision {
            revision: self.id.to_string(),
            file: self.file.to_string(),
            message: e.to_string(),
        })
    }

    /// The revision's file name (as embedded, or read from disk).
    pub(crate) fn file_name(&self) -> &str {
        &self.file
    }

    /// The revision's operations, read on first use from what the build script
    /// embedded (its JSON, or else the file's text).
    pub(crate) fn ops(&self) -> Result<&Ops, Error> {
        if let Some(ops) = self.ops.get() {
            return Ok(ops);
        }
        let invalid = |message: String| Error::InvalidRevision {
            revision: self.id.to_string(),
            file: self.file.to_string(),
            message,
        };
        let ops = match self.ops_json {
            Some(json) => {
                let ops = EmbeddedOps::from_json(json).map_err(|e| {
                    invalid(format!(
                        "the operations embedded by the build script are unreadable ({e}); \
                         rebuild the application with this version of migrate"
                    ))
                })?;
                Ops {
                    upgrade: ops.upgrade,
                    downgrade: ops.downgrade,
                }
            }
            None => {
                let text = self.source.as_deref().unwrap_or_default();
                let body = Revision::parse(text, Path::new(&*self.file))
                    .map_err(|e| invalid(e.to_string()))?;
                Ops {
                    upgrade: body.upgrade,
                    downgrade: body.downgrade,
                }
            }
        };
        let _ = self.ops.set(ops);
        Ok(self.ops.get().expect("just set"))
    }

    /// The downgrade as the version log stores it.
    pub(crate) fn downgrade_log(&self) -> Result<Cow<'static, str>, Error> {
        Ok(match self.downgrade_log {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(StoredDowngrade::to_toml(&self.ops()?.downgrade)),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"id = "a1a1a1a1a1a1"
parents = []
message = "create t"
created = "2026-01-01T00:00:00Z"

[[upgrade]]
op = "sql"
sql = "CREATE TABLE t (x INTEGER)"

[[downgrade]]
op = "sql"
sql = "DROP TABLE t"
"#;

    fn embedded(ops_json: &'static str, downgrade_log: &'static str) -> &'static EmbeddedRevision {
        Box::leak(Box::new(EmbeddedRevision {
            id: "a1a1a1a1a1a1",
            parents: &[],
            replaces: &[],
            branch_labels: &[],
            depends_on: &[],
            message: "create t",
            checksum: "sha256:x",
            file: "a1a1a1a1a1a1_create_t.toml",
            source: SOURCE,
            ops_json,
            downgrade_log,
        }))
    }

    #[test]
    fn embedded_json_and_file_text_give_the_same_operations() {
        let parsed = Revision::parse(SOURCE, Path::new("x.toml")).unwrap();
        let ops = EmbeddedOps {
            upgrade: parsed.upgrade,
            downgrade: parsed.downgrade,
        };
        let json: &'static str = Box::leak(ops.to_json().into_boxed_str());
        let log: &'static str = Box::leak(ops.downgrade_log().into_boxed_str());
        let from_json = Known::from_embedded(embedded(json, log));
        let from_text = Known::from_embedded(embedded("", ""));
        for known in [&from_json, &from_text] {
            let read = known.ops().unwrap();
            assert_eq!(read.upgrade, ops.upgrade);
            assert_eq!(read.downgrade, ops.downgrade);
            assert_eq!(known.downgrade_log().unwrap(), log);
        }
    }

    /// Offline scripts (`upgrade --sql`) used to write the log's downgrade through
    /// toml's serializer, in another layout; databases upgraded by them still hold it,
    /// and a binary that does not know the revision undoes it from that text.
    #[test]
    fn the_log_downgrade_of_older_offline_scripts_is_still_read() {
        let older =
            "[[downgrade]]\nop = \"drop_table\"\n\n[downgrade.table]\nname = \"account\"\n\n\
             [[downgrade.table.columns]]\nname = \"id\"\ntype = \"integer\"\nnullable = false\n\
             autoincrement = true\n\n[[downgrade.table.columns]]\nname = \"name\"\n\
             type = \"varchar(50)\"\nnullable = false\n\n[downgrade.table.primary_key]\n\
             name = \"pk_account\"\ncolumns = [\"id\"]\n";
        let ops = StoredDowngrade::from_toml("1975ea83b712", older).unwrap();
        // The same operations, written today's way, read back the same.
        let today = StoredDowngrade::to_toml(&ops);
        assert_ne!(today, older);
        assert_eq!(
            StoredDowngrade::from_toml("1975ea83b712", &today).unwrap(),
            ops
        );
        match ops.as_slice() {
            [Operation::DropTable { table }] => {
                assert_eq!(table.name, "account");
                assert_eq!(table.columns.len(), 2);
                assert!(table.columns[0].autoincrement);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn unreadable_embedded_json_names_the_revision_and_the_fix() {
        let known = Known::from_embedded(embedded("{\"upgrade\": 1}", ""));
        let e = known.ops().unwrap_err().to_string();
        assert!(e.contains("a1a1a1a1a1a1") && e.contains("rebuild"), "{e}");
    }
}
