//! The derive's parsed path: the model parser, the head-schema check when the
//! build script asked for it, and the output of `migrate_model::expand`, with a
//! `compile_error!` for every error found.

use std::path::Path;

use migrate_core::head_tables::{read_head_table, HEAD_TABLES_ENV};
use migrate_core::Schema;
use migrate_model::expand::{expansion, Expansion};
use migrate_model::parse::{check_against_head, parse_model_lenient, ModelDef};
use proc_macro2::TokenStream;
use syn::DeriveInput;

/// Expands `#[derive(Model)]` on `input`: the errors, and always the output (so no
/// follow-on errors appear).
pub fn expand(input: &DeriveInput) -> (TokenStream, Expansion) {
    let (def, mut errors) = parse_model_lenient(input);
    if errors.is_empty() {
        errors.extend(head_drift(&def));
    }
    let errors = errors.iter().map(syn::Error::to_compile_error).collect();
    (errors, expansion(input, &def))
}

/// Drift between the model and the head schema, when the build script asked for
/// it: it sets `MIGRATE_HEAD_TABLES` only when field-level drift is on and the
/// models differ from the head. Otherwise the derive reads no file at all.
fn head_drift(def: &ModelDef) -> Vec<syn::Error> {
    match std::env::var_os(HEAD_TABLES_ENV) {
        Some(dir) => head_drift_in(def, Path::new(&dir)),
        None => Vec::new(),
    }
}

/// Drift against the head tables in `dir`: only the model's own table, and the
/// table it is renamed from, are read.
fn head_drift_in(def: &ModelDef, dir: &Path) -> Vec<syn::Error> {
    let mut tables = Vec::new();
    for name in std::iter::once(&def.table.name).chain(def.renamed_from.as_ref()) {
        match read_head_table(dir, name) {
            Ok(table) => tables.extend(table),
            Err(e) => return vec![syn::Error::new(def.struct_span, e.to_string())],
        }
    }
    check_against_head(def, &Schema::from_tables(tables))
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_core::head_tables::{table_file_name, write_head_tables};

    fn user() -> (DeriveInput, ModelDef) {
        let input: DeriveInput = syn::parse_quote! {
            struct User {
                #[model(primary_key)]
                id: i64,
                email: String,
            }
        };
        let def = migrate_model::parse::parse_model(&input).unwrap();
        (input, def)
    }

    #[test]
    fn drift_is_checked_against_the_models_own_head_table() {
        let (_, def) = user();
        let dir = tempfile::tempdir().unwrap();
        let mut head = Schema::from_tables([def.table.clone()]);
        write_head_tables(dir.path(), &head).unwrap();
        assert!(head_drift_in(&def, dir.path()).is_empty());

        head.tables.get_mut("users").unwrap().columns.pop();
        write_head_tables(dir.path(), &head).unwrap();
        let errors = head_drift_in(&def, dir.path());
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .contains("column `users.email` is new"),
            "{}",
            errors[0]
        );

        std::fs::write(dir.path().join(table_file_name("users")), "not = [toml").unwrap();
        let errors = head_drift_in(&def, dir.path());
        assert!(
            errors[0]
                .to_string()
                .contains("cannot read the head table file"),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn the_impl_is_emitted_even_with_errors() {
        let input: DeriveInput = syn::parse_quote! {
            struct Broken {
                #[model(bogus)]
                id: i64,
            }
        };
        let (errors, expansion) = expand(&input);
        let out = format!("{errors} {}", expansion.into_tokens());
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("impl :: migrate :: Model for Broken"), "{out}");
        assert!(out.contains("\"brokens\""), "{out}");
    }
}
