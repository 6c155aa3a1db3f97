//! The parts of `CREATE INDEX` every dialect shares: the key list (columns and
//! expressions), the `INCLUDE` and `WHERE` tails, and the refusal of a shape the
//! database cannot store ([`crate::index_shape::index_unsupported`]).

use super::common::ident;
use super::{Dialect, DialectKind, RenderError};
use crate::index_shape::{deferrable_unsupported, index_unsupported};
use crate::schema::{ForeignKey, Index};

/// Refuses an index the dialect cannot store, naming the index, the table and
/// what to do instead.
pub(super) fn check_index(d: &dyn Dialect, table: &str, index: &Index) -> Result<(), RenderError> {
    match index_unsupported(d.kind(), index) {
        Some((what, how_to_fix)) => Err(RenderError::Unsupported {
            dialect: d.kind(),
            table: table.to_string(),
            what,
            how_to_fix,
        }),
        None => Ok(()),
    }
}

/// Refuses a deferrable foreign key on a dialect that checks keys at once.
pub(super) fn check_foreign_key(
    d: &dyn Dialect,
    table: &str,
    fk: &ForeignKey,
) -> Result<(), RenderError> {
    match deferrable_unsupported(d.kind(), fk) {
        Some((what, how_to_fix)) => Err(RenderError::Unsupported {
            dialect: d.kind(),
            table: table.to_string(),
            what,
            how_to_fix,
        }),
        None => Ok(()),
    }
}

/// `a DESC, (lower(email)), b COLLATE "C" text_pattern_ops`: quoted columns, and
/// expressions in parentheses (which PostgreSQL requires around anything but a
/// function call, and SQLite accepts), each with its collation and operator class
/// ([`check_index`] has refused these where the database lacks them).
pub(super) fn index_keys(d: &dyn Dialect, index: &Index) -> Result<String, RenderError> {
    let keys = index
        .columns
        .iter()
        .map(|c| {
            let mut key = if c.expression {
                format!("({})", c.name.trim())
            } else {
                ident(d, &c.name)?
            };
            if let Some(collation) = &c.collation {
                key.push_str(&format!(" COLLATE {}", collation_name(d, collation)?));
            }
            if let Some(opclass) = &c.opclass {
                key.push_str(&format!(" {opclass}"));
            }
            Ok(format!("{key}{}", if c.desc { " DESC" } else { "" }))
        })
        .collect::<Result<Vec<_>, RenderError>>()?;
    Ok(keys.join(", "))
}

/// A collation's name as the database reads it: quoted on PostgreSQL, which folds
/// unquoted names to lower case and whose names may hold dots (`"C"`,
/// `"en_US.utf8"`); as written on SQLite when it is a plain word (`NOCASE`).
fn collation_name(d: &dyn Dialect, name: &str) -> Result<String, RenderError> {
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if d.kind() == DialectKind::Sqlite && plain {
        return Ok(name.to_string());
    }
    ident(d, name)
}

/// What follows the key list: ` INCLUDE (...)` (PostgreSQL) and ` WHERE ...`.
/// [`check_index`] has refused these where the database lacks them.
pub(super) fn index_tail(d: &dyn Dialect, index: &Index) -> Result<String, RenderError> {
    let mut tail = String::new();
    if !index.include.is_empty() && d.kind() == DialectKind::Postgres {
        let cols = index
            .include
            .iter()
            .map(|c| ident(d, c))
            .collect::<Result<Vec<_>, _>>()?;
        tail.push_str(&format!(" INCLUDE ({})", cols.join(", ")));
    }
    if let Some(predicate) = &index.predicate {
        tail.push_str(&format!(" WHERE {}", predicate.trim()));
    }
    Ok(tail)
}
