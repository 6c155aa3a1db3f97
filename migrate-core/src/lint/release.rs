//! The models of the release before a revision: which Rust struct mapped each table
//! and which field each column, so that a rolling-deploy finding names what breaks
//! (`Account::nick` at `src/models.rs:8`), not only the table and column.
//!
//! Where it comes from: the release before a revision is the one built from the
//! schema at the revision's parent, and its source is gone by the time the revision
//! is checked (the models were edited since). So autogenerate records, in the
//! `[models]` table of each revision file it writes, the struct and fields that
//! produced every table that revision touches, as the sources said then. The models
//! at a revision are those of its ancestors' records, replayed in graph order: each
//! revision's renames and drops move or remove entries, then its own record replaces
//! the entries of the tables it touched. A table last touched by a revision written
//! without a record is named by its table alone, as before.
//!
//! ```toml
//! [models.accounts]
//! struct = "Account"
//! at = "src/models.rs:4"
//! fields = { id = "id:6", nick = "nick:8" }
//! ```
//!
//! Rule: the record is read only to word findings; it never changes what a revision
//! does, and a record that does not read is ignored rather than failing a build.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{rules, Finding};
use crate::ops::Operation;

/// The struct that mapped one table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelOrigin {
    /// The struct's name.
    #[serde(rename = "struct")]
    pub struct_name: String,
    /// `file:line` of the struct, relative to the project root.
    pub at: String,
    /// Each column's field, as `field:line`.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

impl ModelOrigin {
    /// `Account::nick (src/models.rs:8)` for `column`, or the struct when it has no
    /// such field.
    fn field(&self, column: &str) -> String {
        match self.fields.get(column).and_then(|f| f.rsplit_once(':')) {
            Some((field, line)) => {
                let file = self.at.rsplit_once(':').map_or(&*self.at, |(f, _)| f);
                format!("`{}::{field}` ({file}:{line})", self.struct_name)
            }
            None => self.whole(),
        }
    }

    /// `Account (src/models.rs:4)`.
    fn whole(&self) -> String {
        format!("`{}` ({})", self.struct_name, self.at)
    }
}

/// The models of one release: table name to struct.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReleaseModels {
    /// By table name.
    #[serde(flatten)]
    pub tables: BTreeMap<String, ModelOrigin>,
}

impl ReleaseModels {
    /// The `[models]` record of a revision file's text; empty without one, or when
    /// it does not read.
    pub fn from_revision_text(text: &str) -> ReleaseModels {
        #[derive(Deserialize)]
        struct File {
            #[serde(default)]
            models: ReleaseModels,
        }
        if !text.contains("\n[models") {
            return ReleaseModels::default();
        }
        toml::from_str::<File>(text)
            .map(|f| f.models)
            .unwrap_or_default()
    }

    /// The record as written at the end of a revision file (nothing when empty).
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        for (table, m) in &self.tables {
            if out.is_empty() {
                out.push_str(
                    "\n# The models that wrote this revision, as the sources said then: the\n\
                     # rolling-deploy check names them when a later revision breaks them.\n",
                );
            }
            let fields: Vec<String> = m
                .fields
                .iter()
                .map(|(c, f)| format!("{} = {}", key(c), quoted(f)))
                .collect();
            out.push_str(&format!(
                "[models.{}]\nstruct = {}\nat = {}\nfields = {{ {} }}\n",
                key(table),
                quoted(&m.struct_name),
                quoted(&m.at),
                fields.join(", ")
            ));
        }
        out
    }

    /// The models after a revision whose upgrade is `ops` and whose record is
    /// `recorded`: renames move entries, drops remove them, then the record
    /// replaces the entries of the tables it names.
    pub fn advance(&mut self, ops: &[Operation], recorded: &ReleaseModels) {
        for op in ops {
            match op {
                Operation::RenameTable { from, to } => {
                    if let Some(m) = self.tables.remove(from) {
                        self.tables.insert(to.clone(), m);
                    }
                }
                Operation::DropTable { table } => {
                    self.tables.remove(&table.name);
                }
                Operation::RenameColumn { table, from, to } => {
                    if let Some(m) = self.tables.get_mut(table) {
                        if let Some(f) = m.fields.remove(from) {
                            m.fields.insert(to.clone(), f);
                        }
                    }
                }
                Operation::DropColumn { table, column } => {
                    if let Some(m) = self.tables.get_mut(table) {
                        m.fields.remove(&column.name);
                    }
                }
                _ => {}
            }
        }
        for (table, m) in &recorded.tables {
            self.tables.insert(table.clone(), m.clone());
        }
    }

    /// What a rolling-deploy finding breaks in this release (the one before the
    /// revision), naming its struct and field; `None` for other rules, or a table
    /// this release has no record of.
    pub fn breaks(&self, f: &Finding) -> Option<String> {
        let (table, column) = match f.target.split_once('.') {
            Some((t, c)) => (t, Some(c)),
            None => (f.target.as_str(), None),
        };
        let m = self.tables.get(table)?;
        let field = || m.field(column.unwrap_or_default());
        let target = &f.target;
        let text = match f.rule.code {
            c if c == rules::RENAMING_COLUMN.code => format!(
                "{} in the release before still reads and writes column `{target}`, \
                 which this revision renames",
                field()
            ),
            c if c == rules::DROPPING_COLUMN.code => format!(
                "{} in the release before still reads column `{target}`, which this \
                 revision drops",
                field()
            ),
            c if c == rules::RENAMING_TABLE.code => format!(
                "{} in the release before still maps table `{table}`, which this \
                 revision renames",
                m.whole()
            ),
            c if c == rules::DROPPING_TABLE.code => format!(
                "{} in the release before still maps table `{table}`, which this \
                 revision drops",
                m.whole()
            ),
            c if c == rules::ADDING_REQUIRED_FIELD.code => format!(
                "{} in the release before inserts into `{table}` without column \
                 `{}`, which this revision adds NOT NULL without a default",
                m.whole(),
                column.unwrap_or_default()
            ),
            c if c == rules::NOT_NULL_UNWRITTEN.code => format!(
                "{} in the release before may write NULL to `{target}`, which this \
                 revision makes NOT NULL",
                field()
            ),
            c if c == rules::NARROWING_TYPE.code => format!(
                "{} in the release before still writes values of the old type to \
                 `{target}`, which this revision narrows",
                field()
            ),
            c if c == rules::TIGHTENING_CHECK.code => format!(
                "{} in the release before may write rows to `{table}` that the new \
                 check refuses",
                m.whole()
            ),
            _ => return None,
        };
        Some(text)
    }
}

/// A TOML key: bare when it can be.
fn key(k: &str) -> String {
    if !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        k.to_string()
    } else {
        quoted(k)
    }
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    toml_edit::Value::from(s).to_string().trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lint::rules::finding;
    use crate::schema::Column;
    use crate::types::ColumnType;

    fn accounts() -> ReleaseModels {
        let text = "id = \"a\"\n\n[safety]\nforms = \"online\"\n\n[models.accounts]\nstruct = \"Account\"\nat = \"src/models.rs:4\"\nfields = { id = \"id:6\", nick = \"nick:8\", legacy = \"legacy:9\" }\n";
        ReleaseModels::from_revision_text(text)
    }

    #[test]
    fn the_record_reads_back_and_names_struct_and_field() {
        let models = accounts();
        assert_eq!(ReleaseModels::from_revision_text(&models.to_toml()), models);
        let rename = finding(
            rules::RENAMING_COLUMN,
            "accounts.nick".into(),
            String::new(),
            "",
            "",
        );
        assert_eq!(
            models.breaks(&rename).unwrap(),
            "`Account::nick` (src/models.rs:8) in the release before still reads and \
             writes column `accounts.nick`, which this revision renames"
        );
        let other = finding(
            rules::RENAMING_COLUMN,
            "teams.x".into(),
            String::new(),
            "",
            "",
        );
        assert_eq!(models.breaks(&other), None);
    }

    #[test]
    fn renames_and_drops_move_the_entries_and_a_record_replaces_them() {
        let mut models = accounts();
        let legacy = Column::new("legacy", ColumnType::Text);
        models.advance(
            &[
                Operation::RenameColumn {
                    table: "accounts".into(),
                    from: "nick".into(),
                    to: "handle".into(),
                },
                Operation::DropColumn {
                    table: "accounts".into(),
                    column: legacy,
                },
                Operation::RenameTable {
                    from: "accounts".into(),
                    to: "users".into(),
                },
            ],
            &ReleaseModels::default(),
        );
        let users = &models.tables["users"];
        assert_eq!(
            users.fields.get("handle").map(String::as_str),
            Some("nick:8")
        );
        assert!(!users.fields.contains_key("legacy"));
        let mut record = ReleaseModels::default();
        record.tables.insert(
            "users".into(),
            ModelOrigin {
                struct_name: "User".into(),
                at: "src/user.rs:3".into(),
                fields: BTreeMap::new(),
            },
        );
        models.advance(&[], &record);
        assert_eq!(models.tables["users"].struct_name, "User");
    }
}
