//! What `#[derive(Model)]` emits for a parsed model: the impls as text, and the
//! few items that must carry the span of a user's token.
//!
//! Shared by the derive (which emits it) and the build script (which writes it to
//! `OUT_DIR` for each model it scanned, so that the derive can emit it without
//! parsing the struct again; see [`crate::derive_store`]). One function writes the
//! output for both, so the two cannot disagree.

use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned, ToTokens};
use syn::DeriveInput;

use crate::parse::ModelDef;

/// What the derive emits, in two parts: the items whose tokens carry the span of
/// one of the user's tokens (the checks of references to model and enum types,
/// reported there when they fail), and the rest as text.
///
/// Why text: building the impls token by token with `quote!` costs one call into
/// the compiler per token from the unoptimised proc-macro, and proc-macro2's own
/// lexer (which its `from_str` runs first, also unoptimised) costs more still; the
/// derive hands the text to rustc's lexer once.
pub struct Expansion {
    /// Each item with the span it is reported at (the reference's or the field
    /// type's). The tokens of a referenced type path keep their own spans.
    pub spanned: Vec<(Span, TokenStream)>,
    /// The impls and the unused-struct guard, whose tokens take the derive's span.
    pub text: String,
}

impl Expansion {
    /// The whole output without errors, for tests outside a proc-macro (the derive
    /// puts the same pieces together with `proc_macro`'s lexer).
    pub fn into_tokens(self) -> TokenStream {
        let spanned = self.spanned.into_iter().map(|(_, tokens)| tokens);
        let body: TokenStream = self.text.parse().expect("the derive's text lexes");
        quote!(const _: () = { #(#spanned)* #body };)
    }
}

/// The output of `#[derive(Model)]` for `input`, parsed as `def` (errors aside).
pub fn expansion(input: &DeriveInput, def: &ModelDef) -> Expansion {
    let krate = match &def.krate {
        Some(path) => quote!(#path),
        None => quote!(::migrate),
    };
    // One constant per model-type reference: the target's table name and key. A
    // target that is not a model is reported once, on the target's path; so is a
    // reference to a model's primary key when that key has several columns (the
    // constant's evaluation fails, at the reference). One constant does both: a
    // second constant for the key's check, and the import it was called through,
    // cost rustc a quarter more per model.
    let mut spanned: Vec<(Span, TokenStream)> = def
        .model_refs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let target = &r.target;
            // The call, crate path included, carries the reference's span only: rustc
            // reports a failed evaluation at the call, which is then the attribute.
            let krate = respanned(&krate, r.span);
            let name = format_ident!("__MIGRATE_TARGET_{}", i);
            let item = match r.ref_columns {
                Some(_) => quote_spanned! {r.span=>
                    const #name: (&str, &[&str]) =
                        #krate::core::generated::__model_target::<#target>();
                },
                None => {
                    let message = format!(
                        "`references = {0}` needs `{0}` to have a single-column primary key; name \
                         the referenced column instead: `references = {0}(column)`",
                        r.target_name
                    );
                    quote_spanned! {r.span=>
                        const #name: (&str, &[&str]) =
                            #krate::core::generated::__model_key_target::<#target>(#message);
                    }
                }
            };
            (r.span, item)
        })
        .collect();
    spanned.extend(enum_consts(&krate, def));
    Expansion {
        spanned,
        text: call_site_items(input, def, &krate.to_string()),
    }
}

/// `tokens` with every token (groups included, recursively) set to `span`.
fn respanned(tokens: &TokenStream, span: Span) -> TokenStream {
    tokens
        .clone()
        .into_iter()
        .map(|mut tree| {
            if let proc_macro2::TokenTree::Group(g) = &tree {
                let mut group =
                    proc_macro2::Group::new(g.delimiter(), respanned(&g.stream(), span));
                group.set_span(span);
                tree = proc_macro2::TokenTree::Group(group);
            } else {
                tree.set_span(span);
            }
            tree
        })
        .collect()
}

/// The impl of `Model` and the unused-struct guard: code whose tokens all carry the derive's
/// own span. `table()` is `#[inline]`, so the model's crate does not compile it
/// unless it calls it (the crate that calls it does): without that, a build in which
/// the derive's output changed took a fifth longer at 300 models.
fn call_site_items(input: &DeriveInput, def: &ModelDef, krate: &str) -> String {
    use std::fmt::Write as _;
    let ident = input.ident.to_string();
    let (impl_generics, ty_generics, where_clause) =
        if input.generics.params.is_empty() && input.generics.where_clause.is_none() {
            (String::new(), String::new(), String::new())
        } else {
            let (i, t, w) = input.generics.split_for_impl();
            (
                i.to_token_stream().to_string(),
                t.to_token_stream().to_string(),
                w.to_token_stream().to_string(),
            )
        };
    // JSON, not TOML: serde_json writes it in a fraction of toml's time in the
    // unoptimised proc-macro, which runs once per model on every build.
    let table_json =
        serde_json::to_string(&embedded_table(def)).expect("a table serialises to JSON");
    let mut resolves = String::new();
    for (i, r) in def.model_refs.iter().enumerate() {
        let columns = match &r.ref_columns {
            Some(cols) => format!("::core::option::Option::Some(&{cols:?})"),
            None => "::core::option::Option::None".to_string(),
        };
        let _ = write!(
            resolves,
            "{krate}::core::generated::__resolve_model_ref(&mut table, {}, __MIGRATE_TARGET_{i}, {columns});",
            r.foreign_key
        );
    }
    for (i, r) in def.enum_refs.iter().enumerate() {
        let _ = write!(
            resolves,
            "{krate}::core::generated::__resolve_enum(&mut table, {:?}, __MIGRATE_ENUM_{i});",
            r.column
        );
    }
    let pk: Vec<&str> = def
        .table
        .primary_key
        .as_ref()
        .map(|pk| pk.columns.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let mutable = if resolves.is_empty() { "" } else { "mut " };
    let mut text = format!(
        "#[automatically_derived] \
         impl {impl_generics} {krate}::Model for {ident} {ty_generics} {where_clause} {{ \
             const TABLE_NAME: &'static str = {table:?}; \
             #[doc(hidden)] \
             const __PRIMARY_KEY: &'static [&'static str] = &{pk:?}; \
             #[inline] \
             fn table() -> {krate}::core::Table {{ \
                 let {mutable}table = {krate}::core::generated::__table_from_json({table_json:?}); \
                 {resolves} \
                 table \
             }} \
         }} ",
        table = def.table.name,
    );
    if impl_generics.is_empty() {
        text.push_str(&uses(input, &ident));
    }
    text
}

/// The table to embed: a column whose type is a Rust enum is written as text
/// until `table()` puts the enum's type in (its labels are the compiler's to find).
fn embedded_table(def: &ModelDef) -> std::borrow::Cow<'_, migrate_core::Table> {
    if def.enum_refs.is_empty() {
        return std::borrow::Cow::Borrowed(&def.table);
    }
    let mut table = def.table.clone();
    for c in &mut table.columns {
        if crate::parse::is_unresolved_enum(&c.ty) {
            c.ty = migrate_core::ColumnType::Text;
        }
    }
    std::borrow::Cow::Owned(table)
}

/// For each column whose type is a Rust enum: a constant with the enum's type name
/// and labels, spanned at the field's type, so a type that is not an enum is
/// reported there (`table()` puts them in the table).
fn enum_consts(krate: &TokenStream, def: &ModelDef) -> Vec<(Span, TokenStream)> {
    def.enum_refs
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let name = format_ident!("__MIGRATE_ENUM_{}", i);
            let target = &r.target;
            let item = quote_spanned! {r.span=>
                const #name: (&str, &[&str]) = #krate::core::generated::__enum_type::<#target>();
            };
            (r.span, item)
        })
        .collect()
}

/// A `let` with the struct taken apart field by field and nothing assigned, in
/// the block of the anonymous constant around the derive's output: a struct that
/// only declares a table, never built or read by the program, is still the
/// schema's source, so the derive keeps rustc from warning that it or its fields
/// are unused. A pattern that binds every field counts as reading each one and as
/// a use of the struct; the constant's body is checked anyway, so this costs rustc
/// far less than a function of its own (see docs/benchmarks.md, run 8). Not
/// emitted for a generic struct (an error already; the pattern could not name its
/// parameters).
fn uses(input: &DeriveInput, ident: &str) -> String {
    let syn::Data::Struct(syn::DataStruct {
        fields: syn::Fields::Named(fields),
        ..
    }) = &input.data
    else {
        return String::new();
    };
    let bindings: Vec<String> = fields
        .named
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.ident.as_ref().map(|n| format!("{n}: _{i}")))
        .collect();
    format!("let {ident} {{ {} }};", bindings.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_round_trips() {
        let input: DeriveInput = syn::parse_quote! {
            struct User {
                #[model(primary_key)]
                id: i64,
                email: String,
            }
        };
        let def = crate::parse::parse_model(&input).unwrap();
        let out = expansion(&input, &def).into_tokens().to_string();
        let text = serde_json::to_string(&def.table).unwrap();
        assert_eq!(migrate_core::generated::__table_from_json(&text), def.table);
        assert!(out.contains("__table_from_json"), "{out}");
    }
}
