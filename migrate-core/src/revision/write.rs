//! Writing a revision as TOML, laid out for review in a pull request.
//!
//! The layout is fixed, so the same revision always gives the same bytes:
//!
//! - a comment block first when an upgrade operation is destructive, naming each one
//!   and why;
//! - `id`, `parents`, `message`, `created`;
//! - one `[[upgrade]]` table per operation, then one `[[downgrade]]` table per
//!   operation, each starting with `op = "..."`, the other keys in the order the
//!   operation declares them;
//! - a nested table (a column, a key, a check) is an inline table on one line; one
//!   that holds a list of tables (the `table` of `create_table`, an index) is written
//!   with dotted keys (`table.name = ...`) when its line would be wider than
//!   [`MAX_INLINE_WIDTH`], and its lists of tables (the columns) then hold one inline
//!   table per line;
//! - a string with a line break is a multi-line string, `'''` when it needs no
//!   escapes (raw SQL reads as written), else `"""`;
//! - an empty revision carries a commented template of a raw SQL step.
//!
//! Operations are turned into a small tree of TOML values by serde
//! ([`super::tree`], keys in the order the operation declares them); strings and
//! keys are encoded by `toml_writer`.

use std::fmt::Write as _;

use toml_writer::{ToTomlKey, ToTomlValue, TomlStringBuilder};

use crate::ops::Operation;
use crate::revision::tree::{to_node, Node};
use crate::revision::Revision;

/// Widest `key = { ... }` line written for a nested table; a wider one is written
/// with dotted keys (`table.name = ...`, `table.columns = [...]`).
pub const MAX_INLINE_WIDTH: usize = 100;

/// Indentation of one inline table inside a multi-line list.
const INDENT: &str = "    ";

/// The comment an empty revision carries, showing how to write a raw SQL step.
pub const SQL_TEMPLATE: &str = "\
# This revision has no operations yet. To run hand-written SQL (a data migration,
# say), remove the leading `# ` from the lines below and fill them in.
#
# [[upgrade]]
# op = \"sql\"
# sql = '''
# UPDATE users SET status = 'active' WHERE status IS NULL;
# '''
# # Optional: a variant for one database, run there instead of `sql`.
# # postgres = '''...'''
# # mysql = '''...'''
# # sqlite = '''...'''
# # Optional: run outside the revision's transaction (CREATE INDEX CONCURRENTLY).
# # no_transaction = true
#
# [[downgrade]]
# op = \"sql\"
# sql = '''
# UPDATE users SET status = NULL WHERE status = 'active';
# '''
";

impl Revision {
    /// The revision as TOML text, in the fixed layout described in this module.
    /// [`Revision::parse`] reads it back to an equal revision.
    pub fn to_toml(&self) -> String {
        let mut out = String::new();
        let destructive = self.destructive_upgrades();
        if !destructive.is_empty() {
            out.push_str("# DESTRUCTIVE: the upgrade of this revision can lose data:\n");
            for (i, op, reason) in &destructive {
                let reason = reason.replace(['\r', '\n'], " ");
                let name = op_name(op);
                let _ = writeln!(out, "#   - upgrade step {} ({name}): {reason}", i + 1);
            }
            out.push_str("# Check that this is intended before applying it to a database.\n\n");
        }
        write_str_entry(&mut out, "id", &self.id);
        write_str_list(&mut out, "parents", &self.parents);
        for (key, list) in [
            ("branch_labels", &self.branch_labels),
            ("depends_on", &self.depends_on),
        ] {
            if !list.is_empty() {
                write_str_list(&mut out, key, list);
            }
        }
        if !self.replaces.is_empty() {
            write_str_list(&mut out, "replaces", &self.replaces);
        }
        write_str_entry(&mut out, "message", &self.message);
        write_str_entry(&mut out, "created", &self.created);
        if self.upgrade.is_empty() && self.downgrade.is_empty() {
            out.push('\n');
            out.push_str(SQL_TEMPLATE);
        }
        write_ops(&mut out, "upgrade", &self.upgrade);
        write_ops(&mut out, "downgrade", &self.downgrade);
        out
    }
}

/// A list of operations alone, as `[[key]]` tables in the revision layout (the
/// runtime stores a revision's `downgrade` this way, so an older binary can undo it).
/// [`crate::revision::read::parse_operations`] reads it back.
pub fn operations_to_toml(key: &str, ops: &[Operation]) -> String {
    let mut out = String::new();
    write_ops(&mut out, &key_repr(key), ops);
    out.trim_start().to_string()
}

fn write_ops(out: &mut String, header: &str, ops: &[Operation]) {
    for op in ops {
        let _ = writeln!(out, "\n[[{header}]]");
        write_op(out, op);
    }
}

/// The `op = "..."` name of an operation.
pub fn op_name(op: &Operation) -> String {
    match to_node(op).ok().as_ref().and_then(|n| n.get("op")) {
        Some(Node::Str(name)) => name.clone(),
        _ => String::new(),
    }
}

/// Writes the keys of one operation table.
fn write_op(out: &mut String, op: &Operation) {
    let Ok(Node::Table(table)) = to_node(op) else {
        unreachable!("operations serialize to tables")
    };
    for (key, value) in &table {
        let key = key_repr(key);
        match value {
            Node::Table(nested) if holds_table_list(nested) && !fits_on_one_line(&key, nested) => {
                for (inner, v) in nested {
                    write_entry(out, &format!("{key}.{}", key_repr(inner)), v);
                }
            }
            _ => write_entry(out, &key, value),
        }
    }
}

/// The entries of a table.
type Entries = [(std::borrow::Cow<'static, str>, Node)];

/// Whether a nested table holds a non-empty list of tables (a table's columns, an
/// index's columns).
fn holds_table_list(table: &Entries) -> bool {
    table.iter().any(|(_, v)| is_table_list(v))
}

/// Whether `key = { ... }` fits in [`MAX_INLINE_WIDTH`] characters.
fn fits_on_one_line(key: &str, table: &Entries) -> bool {
    let mut line = String::new();
    write_inline_table(&mut line, table);
    key.chars().count() + 3 + line.chars().count() <= MAX_INLINE_WIDTH
}

fn is_table_list(value: &Node) -> bool {
    match value {
        Node::Array(a) => !a.is_empty() && a.iter().all(|v| matches!(v, Node::Table(_))),
        _ => false,
    }
}

/// A key as TOML: bare when it can be, else quoted.
fn key_repr(key: &str) -> String {
    // Letters, digits, `_` and `-` make a bare key, as `to_toml_key` writes it; the
    // check alone is cheaper than the encoder's metrics (most keys are bare).
    let bare = !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare {
        return key.to_owned();
    }
    key.to_toml_key()
}

/// Writes `key = "text"` on its own line (lines, for a multi-line string).
fn write_str_entry(out: &mut String, key: &str, text: &str) {
    let _ = write!(out, "{key} = ");
    out.push_str(&string_repr(text, true));
    out.push('\n');
}

/// Writes `key = ["a", "b"]` on its own line.
fn write_str_list(out: &mut String, key: &str, items: &[String]) {
    let _ = write!(out, "{key} = [");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&string_repr(item, false));
    }
    out.push_str("]\n");
}

/// Writes `key = value` on its own line (or lines, for lists of tables and multi-line
/// strings). `key` is already encoded.
fn write_entry(out: &mut String, key: &str, value: &Node) {
    let _ = write!(out, "{key} = ");
    match value {
        Node::Str(s) => out.push_str(&string_repr(s, true)),
        Node::Array(items) if is_table_list(value) => {
            out.push_str("[\n");
            for item in items {
                out.push_str(INDENT);
                write_inline(out, item);
                out.push_str(",\n");
            }
            out.push(']');
        }
        _ => write_inline(out, value),
    }
    out.push('\n');
}

/// Writes a value on one line.
fn write_inline(out: &mut String, value: &Node) {
    match value {
        Node::Str(s) => out.push_str(&string_repr(s, false)),
        Node::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Node::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Node::Float(f) => out.push_str(&f.to_toml_value()),
        Node::Datetime(d) => out.push_str(d),
        Node::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_inline(out, item);
            }
            out.push(']');
        }
        Node::Table(table) => write_inline_table(out, table),
    }
}

/// Writes an inline table on one line.
fn write_inline_table(out: &mut String, table: &Entries) {
    if table.is_empty() {
        out.push_str("{}");
        return;
    }
    out.push_str("{ ");
    for (i, (key, v)) in table.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{} = ", key_repr(key));
        write_inline(out, v);
    }
    out.push_str(" }");
}

/// A string as TOML. With `multi_line`, a string holding a line break is written as
/// a multi-line string: literal (`'''`) when it needs no escapes, else basic (`"""`).
/// Otherwise a basic string without escapes, a literal string, or an escaped basic
/// string, in that order of preference.
fn string_repr(s: &str, multi_line: bool) -> String {
    // Printable ASCII without `"` or `\` is a basic string as written, which is what
    // the encoder chooses for it; most names and types are such strings.
    if s.bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\')
    {
        let mut quoted = String::with_capacity(s.len() + 2);
        quoted.push('"');
        quoted.push_str(s);
        quoted.push('"');
        return quoted;
    }
    let builder = TomlStringBuilder::new(s);
    let encoded = if multi_line && s.contains('\n') {
        builder
            .as_ml_literal()
            .or_else(|| builder.as_ml_basic_pretty())
            .unwrap_or_else(|| builder.as_ml_basic())
    } else {
        builder
            .as_basic_pretty()
            .or_else(|| builder.as_literal())
            .unwrap_or_else(|| builder.as_basic())
    };
    encoded.to_toml_value()
}
