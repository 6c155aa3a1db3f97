//! Enum types in SQL, shared by the dialects.
//!
//! | | PostgreSQL | MySQL/MariaDB | SQLite |
//! |---|---|---|---|
//! | type | `CREATE TYPE "mood" AS ENUM (...)`, before its tables | none | none |
//! | column | `"mood"` | `ENUM('a', 'b')` | `TEXT CONSTRAINT "c_enum" CHECK ("c" IN ('a', 'b'))` |
//! | labels added | `ALTER TYPE ... ADD VALUE`, each outside the transaction | `MODIFY COLUMN` | table rebuild |
//! | removed, reordered | new type, `ALTER COLUMN ... TYPE ... USING c::text::"mood"`, old dropped | `MODIFY COLUMN` | table rebuild |
//! | label renamed | `ALTER TYPE ... RENAME VALUE` | widen, `UPDATE`, narrow | widen, `UPDATE`, narrow |
//!
//! A removed label makes the change fail while a row holds it (PostgreSQL's
//! cast, MySQL's strict mode and SQLite's check all refuse it), so nothing is lost
//! silently; [`crate::ops::Operation::safety`] says so before.

use super::{Dialect, RenderError, Statement};
use crate::apply::apply;
use crate::ops::Operation;
use crate::schema::Schema;

/// The name of the CHECK that holds an enum column's labels on SQLite.
pub fn check_name(column: &str) -> String {
    format!("{column}_enum")
}

/// `"c" IN ('a', 'b')` for `quoted_column` (already quoted).
pub fn in_expr(quoted_column: &str, values: &[String]) -> String {
    format!("{quoted_column} IN ({})", crate::schema::label_list(values))
}

/// The labels `to` adds to `from`, each with the label it goes after (`None`: it
/// goes first, before `from`'s first label), when `to` keeps every label of
/// `from` in the same order; `None` when `to` removes or reorders any.
pub fn added_labels(from: &[String], to: &[String]) -> Option<Vec<(String, Option<String>)>> {
    let kept: Vec<&String> = to.iter().filter(|v| from.contains(v)).collect();
    if kept.len() != from.len() || kept.iter().zip(from).any(|(a, b)| *a != b) {
        return None;
    }
    let mut out = Vec::new();
    for (i, v) in to.iter().enumerate() {
        if !from.contains(v) {
            out.push((v.clone(), i.checked_sub(1).map(|p| to[p].clone())));
        }
    }
    Some(out)
}

/// Renames a label on a database that stores labels in each column: the labels
/// are widened to hold both names, every row is moved to the new one, then the
/// old one is removed, all through the dialect's own [`Operation::AlterEnum`].
pub fn rename_by_widening(
    d: &dyn Dialect,
    before: &Schema,
    name: &str,
    from: &str,
    to: &str,
) -> Result<Vec<Statement>, RenderError> {
    let current = before
        .enums
        .get(name)
        .map(|e| e.values.clone())
        .unwrap_or_default();
    let mut wide = current.clone();
    wide.push(to.to_string());
    let narrow: Vec<String> = current
        .iter()
        .map(|v| if v == from { to.to_string() } else { v.clone() })
        .collect();
    let widen = Operation::AlterEnum {
        name: name.to_string(),
        from: current,
        to: wide.clone(),
    };
    let mut out = d.render(&widen, before)?;
    let mut mid = before.clone();
    apply(&mut mid, &widen).map_err(|source| RenderError::Replay { step: 0, source })?;
    // The narrowing restates each column, with a default on the new label.
    crate::apply::rename_label_defaults(&mut mid, name, from, to);
    for (t, c) in mid.enum_columns(name) {
        out.push(Statement::new(format!(
            "UPDATE {} SET {col} = {} WHERE {col} = {}",
            d.quote_ident(&t.name),
            d.quote_literal(to),
            d.quote_literal(from),
            col = d.quote_ident(&c.name),
        )));
    }
    let narrow = Operation::AlterEnum {
        name: name.to_string(),
        from: wide,
        to: narrow,
    };
    out.extend(d.render(&narrow, &mid)?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn additions_keep_order_and_know_their_neighbour() {
        let added = added_labels(&v(&["b", "d"]), &v(&["a", "b", "c", "d", "e"])).unwrap();
        assert_eq!(
            added,
            vec![
                ("a".into(), None),
                ("c".into(), Some("b".into())),
                ("e".into(), Some("d".into()))
            ]
        );
        assert!(added_labels(&v(&["a", "b"]), &v(&["b", "a"])).is_none());
        assert!(added_labels(&v(&["a", "b"]), &v(&["a", "c"])).is_none());
    }
}
