//! Rename hints: the only way a rename reaches the diff.
//!
//! The model parser fills a [`DiffHints`] from `#[model(renamed_from = "...")]` on
//! structs and fields. The hints never enter a [`crate::Table`], so they are not
//! written into revision files nor kept in a replayed schema: once the revision that
//! renames is written, the attribute can be removed.

use std::collections::BTreeMap;

/// Renames declared by the models, for the diff to emit a rename instead of a
/// drop and an add.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DiffHints {
    /// New table name to old table name.
    pub table_renames: BTreeMap<String, String>,
    /// `(table (new name), new column)` to old column name.
    pub column_renames: BTreeMap<(String, String), String>,
    /// `(enum type, new label)` to old label (`#[sqlx(rename)]` changed, with the
    /// old label declared on the variant).
    pub enum_value_renames: BTreeMap<(String, String), String>,
}

impl DiffHints {
    /// No renames.
    pub fn new() -> Self {
        Self::default()
    }

    /// Whether no rename is declared.
    pub fn is_empty(&self) -> bool {
        self.table_renames.is_empty()
            && self.column_renames.is_empty()
            && self.enum_value_renames.is_empty()
    }
}
