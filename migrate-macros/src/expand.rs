//! Code generation: the `impl Model` (and the hidden primary-key impl) for a parsed
//! model, plus `compile_error!`s for every error found.

use std::path::Path;

use migrate_core::Schema;
use migrate_model::parse::{check_against_head, parse_model_lenient, ModelDef};
use proc_macro2::TokenStream;
use quote::{format_ident, quote, quote_spanned};
use syn::DeriveInput;

/// The file the build script writes with the schema the revisions leave.
const HEAD_SCHEMA_FILE: &str = "migrate_head_schema.toml";

/// Expands `#[derive(Model)]` on `input`: always an impl, plus the errors.
pub fn expand(input: &DeriveInput) -> TokenStream {
    let (def, mut errors) = parse_model_lenient(input);
    if errors.is_empty() {
        errors.extend(head_drift(&def));
    }
    let impls = impls(input, &def);
    let errors = errors.iter().map(syn::Error::to_compile_error);
    quote! {
        #(#errors)*
        #impls
    }
}

/// Drift between the model and the head schema, when the build script has written
/// it (`$OUT_DIR/migrate_head_schema.toml`).
fn head_drift(def: &ModelDef) -> Vec<syn::Error> {
    match std::env::var("OUT_DIR") {
        Ok(out_dir) => head_drift_in(def, Path::new(&out_dir)),
        Err(_) => Vec::new(),
    }
}

/// Drift against `out_dir/migrate_head_schema.toml`, if that file exists.
fn head_drift_in(def: &ModelDef, out_dir: &Path) -> Vec<syn::Error> {
    let path = out_dir.join(HEAD_SCHEMA_FILE);
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Vec::new();
    };
    match toml::from_str::<Schema>(&text) {
        Ok(head) => check_against_head(def, &head),
        Err(e) => vec![syn::Error::new(
            def.struct_span,
            format!(
                "cannot read the head schema `{}` written by the build script: {e}; \
                 rebuild so the build script rewrites it",
                path.display()
            ),
        )],
    }
}

fn impls(input: &DeriveInput, def: &ModelDef) -> TokenStream {
    let krate = match &def.krate {
        Some(path) => quote!(#path),
        None => quote!(::migrate),
    };
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    let table_name = &def.table.name;
    let toml_text = toml::to_string(&def.table).expect("a table serialises to TOML");
    let pk: Vec<&str> = def
        .table
        .primary_key
        .as_ref()
        .map(|pk| pk.columns.iter().map(String::as_str).collect())
        .unwrap_or_default();
    // One constant per model-type reference: the target's table name and key. A
    // target that is not a model is reported once, on the target's path.
    let targets = def.model_refs.iter().enumerate().map(|(i, r)| {
        let target = &r.target;
        let name = format_ident!("__MIGRATE_TARGET_{}", i);
        quote_spanned! {r.span=>
            const #name: (&str, &[&str]) =
                #krate::core::generated::__model_target::<#target>();
        }
    });
    // A reference to a model's primary key needs that key to have one column;
    // checked at compile time, where the target's key is known.
    let key_asserts = def
        .model_refs
        .iter()
        .enumerate()
        .filter(|(_, r)| r.ref_columns.is_none())
        .map(|(i, r)| {
            let name = format_ident!("__MIGRATE_TARGET_{}", i);
            let message = format!(
                "`references = {0}` needs `{0}` to have a single-column primary key; name the \
             referenced column instead: `references = {0}(column)`",
                r.target_name
            );
            quote_spanned! {r.span=>
                const _: () = ::core::assert!(#name.1.len() == 1, #message);
            }
        });
    let resolves = def.model_refs.iter().enumerate().map(|(i, r)| {
        let name = format_ident!("__MIGRATE_TARGET_{}", i);
        let index = r.foreign_key;
        let columns = match &r.ref_columns {
            Some(cols) => quote!(::core::option::Option::Some(&[#(#cols),*])),
            None => quote!(::core::option::Option::None),
        };
        quote! {
            #krate::core::generated::__resolve_model_ref(&mut table, #index, #name, #columns);
        }
    });
    // Wrapped in an anonymous constant, so the helper constants stay private to it.
    quote! {
        const _: () = {
        #(#targets)*
        #(#key_asserts)*

        #[automatically_derived]
        impl #impl_generics #krate::Model for #ident #ty_generics #where_clause {
            const TABLE_NAME: &'static str = #table_name;

            fn table() -> #krate::core::Table {
                #[allow(unused_mut)]
                let mut table = #krate::core::generated::__table_from_toml(#toml_text);
                #(#resolves)*
                table
            }
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #impl_generics #krate::core::generated::__PrimaryKey for #ident #ty_generics #where_clause {
            const COLUMNS: &'static [&'static str] = &[#(#pk),*];
        }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn drift_is_checked_only_when_the_build_script_wrote_the_head() {
        let (_, def) = user();
        let dir = tempfile::tempdir().unwrap();
        assert!(head_drift_in(&def, dir.path()).is_empty());

        let mut head = Schema::from_tables([def.table.clone()]);
        std::fs::write(
            dir.path().join(HEAD_SCHEMA_FILE),
            toml::to_string(&head).unwrap(),
        )
        .unwrap();
        assert!(head_drift_in(&def, dir.path()).is_empty());

        head.tables.get_mut("users").unwrap().columns.pop();
        std::fs::write(
            dir.path().join(HEAD_SCHEMA_FILE),
            toml::to_string(&head).unwrap(),
        )
        .unwrap();
        let errors = head_drift_in(&def, dir.path());
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0]
                .to_string()
                .contains("column `users.email` is new"),
            "{}",
            errors[0]
        );

        std::fs::write(dir.path().join(HEAD_SCHEMA_FILE), "not = [toml").unwrap();
        let errors = head_drift_in(&def, dir.path());
        assert!(
            errors[0]
                .to_string()
                .contains("cannot read the head schema"),
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
        let out = expand(&input).to_string();
        assert!(out.contains("compile_error"), "{out}");
        assert!(out.contains("impl :: migrate :: Model for Broken"), "{out}");
        assert!(out.contains("\"brokens\""), "{out}");
    }

    #[test]
    fn the_embedded_table_round_trips() {
        let (input, def) = user();
        let out = impls(&input, &def).to_string();
        let text = toml::to_string(&def.table).unwrap();
        assert_eq!(migrate_core::generated::__table_from_toml(&text), def.table);
        assert!(out.contains("__table_from_toml"), "{out}");
    }
}
