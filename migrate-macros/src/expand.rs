//! Code generation: the `impl Model` (and the hidden primary-key impl) for a parsed
//! model, plus `compile_error!`s for every error found.

use std::path::Path;

use migrate_core::parse::{check_against_head, parse_model_lenient, ModelDef};
use migrate_core::Schema;
use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
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
    let Ok(out_dir) = std::env::var("OUT_DIR") else {
        return Vec::new();
    };
    let path = Path::new(&out_dir).join(HEAD_SCHEMA_FILE);
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
    let resolves = def.model_refs.iter().map(|r| {
        let target = &r.target;
        let index = r.foreign_key;
        let columns = match &r.ref_columns {
            Some(cols) => quote!(::core::option::Option::Some(&[#(#cols),*])),
            None => quote!(::core::option::Option::None),
        };
        // Spanned on the target, so a target that is not a model is reported there.
        quote_spanned! {r.span=>
            #krate::core::parse::__resolve_model_ref(
                &mut table,
                #index,
                <#target as #krate::Model>::TABLE_NAME,
                <#target as #krate::core::parse::__PrimaryKey>::COLUMNS,
                #columns,
            );
        }
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics #krate::Model for #ident #ty_generics #where_clause {
            const TABLE_NAME: &'static str = #table_name;

            fn table() -> #krate::core::Table {
                #[allow(unused_mut)]
                let mut table = #krate::core::parse::__table_from_toml(#toml_text);
                #(#resolves)*
                table
            }
        }

        #[automatically_derived]
        #[doc(hidden)]
        impl #impl_generics #krate::core::parse::__PrimaryKey for #ident #ty_generics #where_clause {
            const COLUMNS: &'static [&'static str] = &[#(#pk),*];
        }
    }
}
