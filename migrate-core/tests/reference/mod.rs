//! The writer's bytes against the writer it replaced, built on `toml_edit`'s value
//! serializer: the version log keeps a revision's downgrade as text, and a deployed
//! binary (whose build script wrote it) and the CLI (which writes it at run time)
//! must record the same bytes, also against logs written before the change.

use std::fmt::Write as _;

use migrate_core::revision::write::operations_to_toml;
use migrate_core::revision::Revision;
use migrate_core::Operation;
use proptest::prelude::*;
use serde::Serialize;
use toml_edit_0_22::{InlineTable, Value};
use toml_write_0_1::{ToTomlKey, ToTomlValue, TomlStringBuilder};

const MAX_INLINE_WIDTH: usize = migrate_core::revision::write::MAX_INLINE_WIDTH;
const INDENT: &str = "    ";

/// `operations_to_toml` as it was written with `toml_edit`.
fn reference(key: &str, ops: &[Operation]) -> String {
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

fn to_value(op: &Operation) -> Value {
    op.serialize(toml_edit_0_22::ser::ValueSerializer::new())
        .expect("every operation serializes to a TOML table")
}

/// Writes the keys of one operation table.
fn write_op(out: &mut String, op: &Operation) {
    let Value::InlineTable(table) = to_value(op) else {
        unreachable!("operations serialize to tables")
    };
    for (key, value) in table.iter() {
        let key = key_repr(key);
        match value {
            Value::InlineTable(nested)
                if holds_table_list(nested) && !fits_on_one_line(&key, nested) =>
            {
                for (inner, v) in nested.iter() {
                    write_entry(out, &format!("{key}.{}", key_repr(inner)), v);
                }
            }
            _ => write_entry(out, &key, value),
        }
    }
}

/// Whether a nested table holds a non-empty list of tables (a table's columns, an
/// index's columns).
fn holds_table_list(table: &InlineTable) -> bool {
    table.iter().any(|(_, v)| is_table_list(v))
}

/// Whether `key = { ... }` fits in [`MAX_INLINE_WIDTH`] characters.
fn fits_on_one_line(key: &str, table: &InlineTable) -> bool {
    let mut line = String::new();
    write_inline_table(&mut line, table);
    key.chars().count() + 3 + line.chars().count() <= MAX_INLINE_WIDTH
}

fn is_table_list(value: &Value) -> bool {
    match value {
        Value::Array(a) => !a.is_empty() && a.iter().all(|v| v.is_inline_table()),
        _ => false,
    }
}

fn key_repr(key: &str) -> String {
    key.to_toml_key()
}

/// Writes `key = value` on its own line (or lines, for lists of tables and multi-line
/// strings). `key` is already encoded.
fn write_entry(out: &mut String, key: &str, value: &Value) {
    let _ = write!(out, "{key} = ");
    match value {
        Value::String(s) => out.push_str(&string_repr(s.value(), true)),
        Value::Array(items) if is_table_list(value) => {
            out.push_str("[\n");
            for item in items.iter() {
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
fn write_inline(out: &mut String, value: &Value) {
    match value {
        Value::String(s) => out.push_str(&string_repr(s.value(), false)),
        Value::Boolean(b) => out.push_str(if *b.value() { "true" } else { "false" }),
        Value::Integer(i) => {
            let _ = write!(out, "{}", i.value());
        }
        Value::Float(f) => out.push_str(&f.value().to_toml_value()),
        Value::Datetime(d) => {
            let _ = write!(out, "{}", d.value());
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_inline(out, item);
            }
            out.push(']');
        }
        Value::InlineTable(table) => write_inline_table(out, table),
    }
}

/// Writes an inline table on one line.
fn write_inline_table(out: &mut String, table: &InlineTable) {
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

/// One operation of each kind and its inverse, and every operation of the revision
/// files under `tests/golden`, the CLI's fixtures and the examples.
fn sample_ops() -> Vec<Operation> {
    let mut ops = super::every_kind();
    ops.extend(ops.clone().iter().rev().filter_map(Operation::inverse));
    for dir in ["tests/golden", "../migrate-cli/tests", "../examples"] {
        let pattern = format!("{}/{dir}/**/*.toml", env!("CARGO_MANIFEST_DIR"));
        for path in glob::glob(&pattern).unwrap().flatten() {
            let text = std::fs::read_to_string(&path).unwrap();
            if let Ok(r) = Revision::parse(&text, &path) {
                ops.extend(r.upgrade);
                ops.extend(r.downgrade);
            }
        }
    }
    ops
}

#[test]
fn the_log_text_of_every_sample_operation_is_the_former_writers() {
    let ops = sample_ops();
    assert!(ops.len() > 50, "found {} operations", ops.len());
    for op in &ops {
        let one = std::slice::from_ref(op);
        assert_eq!(
            operations_to_toml("downgrade", one),
            reference("downgrade", one)
        );
    }
    assert_eq!(
        operations_to_toml("downgrade", &ops),
        reference("downgrade", &ops)
    );
    assert_eq!(
        operations_to_toml("upgrade", &ops),
        reference("upgrade", &ops)
    );
}

proptest! {
    #[test]
    fn odd_strings_are_written_as_before(name in any::<String>(), sql in any::<String>(), expr in any::<String>()) {
        let mut step = migrate_core::ops::SqlStep::new(sql.clone());
        step.postgres = Some(expr.clone());
        let table = migrate_core::schema::Table::new(name.clone());
        let ops = vec![
            Operation::Sql(step),
            Operation::RenameTable { from: name.clone(), to: expr.clone() },
            Operation::CreateTable { table },
        ];
        prop_assert_eq!(operations_to_toml("downgrade", &ops), reference("downgrade", &ops));
    }

    #[test]
    fn printable_ascii_is_written_as_before(name in "[ -~]{0,12}", key in "[ -~]{0,8}", sql in "[ -~\n]{0,16}") {
        let mut step = migrate_core::ops::SqlStep::new(sql);
        step.mysql = Some(name.clone());
        let mut table = migrate_core::schema::Table::new(name.clone());
        table.comment = Some(key.clone());
        let ops = vec![
            Operation::Sql(step),
            Operation::CreateTable { table },
        ];
        prop_assert_eq!(operations_to_toml(&key, &ops), reference(&key, &ops));
    }
}
