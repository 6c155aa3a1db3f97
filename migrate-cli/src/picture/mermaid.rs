//! The schema as a Mermaid `erDiagram`, for Markdown (GitHub, GitLab and most wikis
//! draw it in place).
//!
//! Mermaid's attribute types and entity names accept only letters, digits, `_`, `-`,
//! `(`, `)`, `[` and `]`: a type such as `decimal(10,2)` or `raw(DOUBLE PRECISION)`
//! is written up to its first other character (`decimal`), and the whole type goes
//! into the attribute's comment, so nothing is lost; a table name with other
//! characters is quoted. Tables are written in name order, then one relationship per
//! foreign key, so the text diffs well.

use migrate_core::schema::{ForeignKey, Schema, Table};

use super::{column_marks, is_unique};

/// The `erDiagram` text of `schema`; `title` becomes a `%%` comment line.
pub fn render(schema: &Schema, title: &str) -> String {
    let mut out = String::new();
    out.push_str(&format!("%% {}\n", title.replace('\n', " ")));
    out.push_str("erDiagram\n");
    for table in schema.tables.values() {
        out.push_str(&format!("    {} {{\n", entity(&table.name)));
        for column in &table.columns {
            let full = column.ty.to_string();
            let ty = attribute_word(&full);
            let keys: Vec<&str> = column_marks(table, &column.name)
                .into_iter()
                .filter(|m| matches!(*m, "PK" | "FK" | "UQ"))
                .map(|m| if m == "UQ" { "UK" } else { m })
                .collect();
            let mut comment = Vec::new();
            if ty != full {
                comment.push(full.clone());
            }
            if column.nullable {
                comment.push("null".to_string());
            }
            let mut line = format!("        {ty} {}", attribute_word(&column.name));
            if !keys.is_empty() {
                line.push(' ');
                line.push_str(&keys.join(","));
            }
            if !comment.is_empty() || attribute_word(&column.name) != column.name {
                if attribute_word(&column.name) != column.name {
                    comment.insert(0, format!("column {}", column.name));
                }
                line.push_str(&format!(" \"{}\"", comment.join(", ").replace('"', "'")));
            }
            out.push_str(&line);
            out.push('\n');
        }
        out.push_str("    }\n");
    }
    for table in schema.tables.values() {
        for fk in &table.foreign_keys {
            if schema.tables.contains_key(&fk.ref_table) {
                out.push_str(&relationship(table, fk));
            }
        }
    }
    out
}

/// `parent ||--o{ child : "fk columns"`: the parent side is `|o` when the key's
/// columns may be NULL (a child may have no parent), the child side `o|` when they
/// are unique (at most one child per parent).
fn relationship(table: &Table, fk: &ForeignKey) -> String {
    let optional = fk
        .columns
        .iter()
        .any(|c| table.column(c).is_some_and(|c| c.nullable));
    let parent_side = if optional { "|o" } else { "||" };
    let child_side = if is_unique(table, &fk.columns) {
        "o|"
    } else {
        "o{"
    };
    format!(
        "    {} {parent_side}--{child_side} {} : \"{}\"\n",
        entity(&fk.ref_table),
        entity(&table.name),
        fk.columns.join(", ").replace('"', "'")
    )
}

fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '(' | ')' | '[' | ']')
}

/// A table name as a Mermaid entity: as written when Mermaid accepts it, else quoted.
fn entity(name: &str) -> String {
    let plain = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        name.to_string()
    } else {
        format!("\"{}\"", name.replace('"', "'"))
    }
}

/// The longest prefix of `text` Mermaid accepts as an attribute word, with
/// parentheses balanced (`decimal(10,2)` gives `decimal`).
fn attribute_word(text: &str) -> String {
    let prefix: String = text.chars().take_while(|c| is_word_char(*c)).collect();
    let prefix = if prefix.len() < text.len() {
        prefix.split('(').next().unwrap_or("").to_string()
    } else {
        prefix
    };
    if prefix.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        prefix
    } else {
        format!("_{prefix}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_mermaid_cannot_read_are_cut_and_kept_in_the_comment() {
        assert_eq!(attribute_word("varchar(50)"), "varchar(50)");
        assert_eq!(attribute_word("decimal(10,2)"), "decimal");
        assert_eq!(attribute_word("raw(DOUBLE PRECISION)"), "raw");
        assert_eq!(attribute_word("raw(CHAR(5))"), "raw(CHAR(5))");
        assert_eq!(attribute_word("1st"), "_1st");
        assert_eq!(entity("users"), "users");
        assert_eq!(entity("order items"), "\"order items\"");
    }
}
