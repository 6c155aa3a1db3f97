//! Rust enums for the enum types of an adopted schema: one `#[derive(migrate::Enum)]`
//! enum with `#[model(sqlx_type)]` per type its tables use (so it decodes rows on
//! every database, MySQL's `ENUM ... NOT NULL` columns too, which sqlx 0.8's own
//! derive refuses), with the labels spelled the way the model parser reads them
//! back (`rename_all` when one of sqlx's rules gives most labels, `#[sqlx(rename =
//! "...")]` on the others).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use heck::ToUpperCamelCase;
use migrate_core::schema::Table;
use migrate_core::types::ColumnType;

use crate::parse::{Convert, RENAME_ALL};

/// The Rust name of each enum type the tables use, by type name: the type name in
/// UpperCamelCase, with `Enum` added when a model struct has that name already.
pub(super) fn enum_names(tables: &[&Table]) -> BTreeMap<String, String> {
    let mut taken: BTreeSet<String> = tables.iter().map(|t| super::struct_name(&t.name)).collect();
    let mut out = BTreeMap::new();
    for t in tables {
        for c in &t.columns {
            if let ColumnType::Enum { name, .. } = &c.ty {
                if out.contains_key(name) {
                    continue;
                }
                let mut rust = super::struct_name(name);
                while taken.contains(&rust) {
                    rust.push_str("Enum");
                }
                taken.insert(rust.clone());
                out.insert(name.clone(), rust);
            }
        }
    }
    out
}

/// A variant name for each label: UpperCamelCase, unique, a valid identifier.
fn variant_names(labels: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    labels
        .iter()
        .map(|label| {
            let mut name: String = label
                .to_upper_camel_case()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
                name.insert(0, 'V');
            }
            if name == "Self" {
                name.push('_');
            }
            let base = name.clone();
            let mut n = 2;
            while !seen.insert(name.clone()) {
                name = format!("{base}{n}");
                n += 1;
            }
            name
        })
        .collect()
}

/// Writes the Rust enum `rust` for the enum type `name` with `labels`.
pub(super) fn write_enum(out: &mut String, name: &str, rust: &str, labels: &[String]) {
    let variants = variant_names(labels);
    // The rule that spells the most labels (none: the variant's own name).
    let rules: Vec<(Option<&str>, Convert)> = std::iter::once((None, same as Convert))
        .chain(RENAME_ALL.iter().map(|(n, f)| (Some(*n), *f)))
        .collect();
    let misses = |f: &Convert| {
        variants
            .iter()
            .zip(labels)
            .filter(|(v, l)| f(v) != **l)
            .count()
    };
    let (rule, convert) = rules
        .iter()
        .min_by_key(|(_, f)| misses(f))
        .copied()
        .expect("the rule list is not empty");
    let _ = writeln!(out, "/// The enum type `{name}`.");
    let _ = writeln!(
        out,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, migrate::Enum)]\n#[model(sqlx_type)]"
    );
    match rule {
        Some(rule) => {
            let _ = writeln!(
                out,
                "#[sqlx(type_name = {:?}, rename_all = {rule:?})]",
                name
            );
        }
        None => {
            let _ = writeln!(out, "#[sqlx(type_name = {name:?})]");
        }
    }
    let _ = writeln!(out, "pub enum {rust} {{");
    for (variant, label) in variants.iter().zip(labels) {
        if convert(variant) != *label {
            let _ = writeln!(out, "    #[sqlx(rename = {label:?})]");
        }
        let _ = writeln!(out, "    {variant},");
    }
    let _ = writeln!(out, "}}");
}

fn same(s: &str) -> String {
    s.to_string()
}
