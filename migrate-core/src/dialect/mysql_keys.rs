//! MySQL's rules about the indexes behind keys, which the SQL of the other
//! operations must respect so that what runs is what the revision says:
//!
//! - InnoDB needs an index whose leading columns are a foreign key's columns. It
//!   makes one (named after the key) when nothing covers the key, drops it when a
//!   covering index comes, and refuses to drop the last index covering a key.
//! - Index names ignore case.
//! - A check cannot use a column a foreign key's action writes, nor an
//!   `AUTO_INCREMENT` column.

use super::common::{ident, ident_list};
use super::mysql::{MySql, KIND};
use super::RenderError;
use crate::index_shape::IndexMethod;
use crate::schema::Table;

/// The named indexes of `t` other than InnoDB's own: unique constraints and
/// indexes, with their columns in order (the primary key is `PRIMARY`).
pub(super) fn key_columns(t: &Table) -> Vec<(&str, Vec<&String>)> {
    let mut out: Vec<(&str, Vec<&String>)> = Vec::new();
    for u in &t.uniques {
        out.push((&u.name, u.columns.iter().collect()));
    }
    // Rule: a FULLTEXT or SPATIAL index cannot check a foreign key.
    for i in t.indexes.iter().filter(|i| IndexMethod::is_btree(i.method)) {
        out.push((&i.name, i.columns.iter().map(|c| &c.name).collect()));
    }
    out
}

/// Whether an index on `columns` starts with the foreign key's `fk` columns, in
/// order: InnoDB can then check the key with it.
fn leads(columns: &[&String], fk: &[String]) -> bool {
    !columns.is_empty() && columns.len() >= fk.len() && columns.iter().zip(fk).all(|(a, b)| *a == b)
}

/// Whether the primary key or a declared index or unique constraint of `t` (other
/// than `except`) can check a foreign key over `fk`. When none can, InnoDB keeps an
/// index of its own for the key, named after the constraint.
pub(super) fn has_declared_index(t: &Table, fk: &[String], except: Option<&str>) -> bool {
    let pk = t
        .primary_key
        .as_ref()
        .is_some_and(|pk| leads(&pk.columns.iter().collect::<Vec<_>>(), fk));
    pk || key_columns(t)
        .into_iter()
        .any(|(name, columns)| Some(name) != except && leads(&columns, fk))
}

/// Fails when a check of `t` uses a column that a foreign key's action writes to
/// (`ON DELETE SET NULL`, `ON UPDATE CASCADE` or `SET NULL`) or that is
/// `AUTO_INCREMENT`: MariaDB and MySQL refuse both (error 1901, "cannot be used in
/// the CHECK clause"), and on MySQL the statement would fail after others of the
/// revision already committed.
pub(super) fn check_columns_allowed(t: &Table) -> Result<(), RenderError> {
    use crate::schema::FkAction;
    for ck in &t.checks {
        for used in crate::dialect::tokens::referenced_columns(&ck.expr) {
            let same = |c: &String| c.eq_ignore_ascii_case(&used);
            // The actions that write to the key's columns (tried on MariaDB 10.11:
            // `ON DELETE CASCADE` and `ON DELETE SET DEFAULT` are accepted).
            let fk = t.foreign_keys.iter().find(|fk| {
                fk.columns.iter().any(same)
                    && (fk.on_delete == FkAction::SetNull
                        || matches!(fk.on_update, FkAction::Cascade | FkAction::SetNull))
            });
            let auto = t.columns.iter().any(|c| c.autoincrement && same(&c.name));
            let why = match (fk, auto) {
                (Some(fk), _) => format!(
                    "foreign key '{}' has an ON DELETE/ON UPDATE action on it",
                    fk.name
                ),
                (None, true) => "it is AUTO_INCREMENT".to_string(),
                (None, false) => continue,
            };
            return Err(RenderError::Unsupported {
                dialect: KIND,
                table: t.name.clone(),
                what: format!("have check '{}' on column '{used}'", ck.name),
                how_to_fix: format!(
                    "MySQL and MariaDB refuse a check on a column when {why}; \
                     drop the check or the action"
                ),
            });
        }
    }
    Ok(())
}

impl MySql {
    /// `, DROP INDEX fk` clauses for the foreign keys of `t` that have their own
    /// index and that a new index on `columns` covers.
    ///
    /// Rule: a foreign key has its own index only while nothing else covers it.
    /// InnoDB drops the index it made when a covering index comes, but not one
    /// that was added by name (as [`Self::keep_foreign_key_indexes`] does), so the
    /// new index's statement drops it either way.
    pub(super) fn drop_own_indexes<S: AsRef<str>>(
        &self,
        t: &Table,
        columns: &[S],
    ) -> Result<String, RenderError> {
        let columns: Vec<String> = columns.iter().map(|c| c.as_ref().to_string()).collect();
        let columns: Vec<&String> = columns.iter().collect();
        let mut clauses = String::new();
        for fk in &t.foreign_keys {
            if leads(&columns, &fk.columns) && !has_declared_index(t, &fk.columns, None) {
                clauses.push_str(&format!(", DROP INDEX {}", ident(self, &fk.name)?));
            }
        }
        Ok(clauses)
    }

    /// `ADD INDEX ...,` clauses that keep the foreign keys of `t` that the index (or
    /// unique constraint) `dropping` covers indexed once it is gone.
    ///
    /// InnoDB needs an index whose leading columns are a foreign key's columns; it
    /// makes one for a key that has none, and silently drops it again when a later
    /// index covers the key. Dropping that later index then fails (error 1553,
    /// "needed in a foreign key constraint"), so the key gets its own index, named
    /// after the constraint as InnoDB itself would name it, in the same statement.
    pub(super) fn keep_foreign_key_indexes(
        &self,
        t: &Table,
        dropping: &str,
    ) -> Result<String, RenderError> {
        let dropped = key_columns(t)
            .into_iter()
            .find(|(name, _)| *name == dropping)
            .map(|(_, columns)| columns)
            .unwrap_or_default();
        let mut clauses = String::new();
        for fk in &t.foreign_keys {
            // Only a key this index covered can have lost InnoDB's own index to it.
            if leads(&dropped, &fk.columns) && !has_declared_index(t, &fk.columns, Some(dropping)) {
                clauses.push_str(&format!(
                    "ADD INDEX {} {}, ",
                    ident(self, &fk.name)?,
                    ident_list(self, &fk.columns)?
                ));
            }
        }
        Ok(clauses)
    }

    /// Fails when `name` would be a second index of `t` whose name differs from an
    /// existing one only in case: MySQL index names ignore case (error 1061), and
    /// the revision would stop half-way with its DDL already committed.
    pub(super) fn check_index_name(
        &self,
        t: &Table,
        name: &str,
        what: &str,
    ) -> Result<(), RenderError> {
        let mut taken: Vec<&str> = key_columns(t).into_iter().map(|(n, _)| n).collect();
        // Keys InnoDB indexes itself carry their constraint's name.
        taken.extend(
            t.foreign_keys
                .iter()
                .filter(|fk| !has_declared_index(t, &fk.columns, None))
                .map(|fk| fk.name.as_str()),
        );
        match taken.iter().find(|n| n.eq_ignore_ascii_case(name)) {
            Some(existing) => Err(RenderError::Unsupported {
                dialect: KIND,
                table: t.name.clone(),
                what: format!("add {what} '{name}'"),
                how_to_fix: format!(
                    "MySQL index names ignore case and the table already has an index \
                     named '{existing}'; give the new one another name"
                ),
            }),
            None => Ok(()),
        }
    }
}
