//! Pictures of the schema and of the revision history, drawn from data alone (no
//! database, no network): the schema's tables laid out on a grid ([`layout`]) and
//! written as Mermaid `erDiagram` text ([`mermaid`]) or as a self-contained SVG or
//! HTML page ([`svg`]); the revision graph drawn in columns of `*`, `|`, `/` and `\`
//! as `git log --graph` does ([`history_graph`]).
//!
//! Every picture is deterministic: the same schema or history gives the same bytes,
//! so a picture can be committed, reviewed in a diff and compared in a test.

pub mod history_graph;
pub mod layout;
pub mod mermaid;
pub mod svg;

use migrate_core::schema::Table;

/// The key and null markers of a column, as both pictures print them: `PK`, `FK`,
/// `UQ` (a one-column unique constraint or unique index, other than the primary
/// key), then `null` when NULL is
/// allowed.
pub fn column_marks(table: &Table, column: &str) -> Vec<&'static str> {
    let mut marks = Vec::new();
    if table
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.iter().any(|c| c == column))
    {
        marks.push("PK");
    }
    if table
        .foreign_keys
        .iter()
        .any(|fk| fk.columns.iter().any(|c| c == column))
    {
        marks.push("FK");
    }
    let one = [column.to_string()];
    let primary = table
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns == one);
    if !primary && is_unique(table, &one) {
        marks.push("UQ");
    }
    if table.column(column).is_some_and(|c| c.nullable) {
        marks.push("null");
    }
    marks
}

/// Whether exactly these columns are unique in `table` (its primary key, a unique
/// constraint or a unique index on them).
pub fn is_unique(table: &Table, columns: &[String]) -> bool {
    let same = |other: &[String]| {
        other.len() == columns.len() && other.iter().all(|c| columns.contains(c))
    };
    table
        .primary_key
        .as_ref()
        .is_some_and(|pk| same(&pk.columns))
        || table.uniques.iter().any(|u| same(&u.columns))
        || table.indexes.iter().any(|i| {
            i.unique && same(&i.columns.iter().map(|c| c.name.clone()).collect::<Vec<_>>())
        })
}
