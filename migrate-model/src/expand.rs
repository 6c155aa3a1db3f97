//! What `#[derive(Model)]` emits for a parsed model: one impl with one constant,
//! the unused-struct guard and the reference checks, as text, and the few pieces
//! that must carry the span of a user's token.
//!
//! Shared by the derive (which emits it) and the build script (which writes it to
//! `OUT_DIR` for each model it scanned, so that the derive can emit it without
//! parsing the struct again; see [`crate::derive_store`]). One function writes the
//! output for both, so the two cannot disagree.
//!
//! The output is `const _: () = { impl Model for S { const __MODEL = ...; } let S
//! { .. }; checks };`: every item rustc lowers, resolves and checks on each build
//! costs it work per model, so there is one (the impl, with one constant; `table()`
//! and `TABLE_NAME` are the trait's, read from it; a second constant, `__LINKS`,
//! only for the references and enum columns `table()` resolves through their
//! types). The anonymous constant's body, which rustc evaluates, holds what must
//! be checked on every build: a `let` that takes the struct apart (the
//! unused-struct guard, see [`uses`]) and, for each reference to a model's primary
//! key, a call that fails to evaluate when that key has several columns (the
//! parsed path), or, for each reference the build script resolved, a call that
//! fails when the path names a model of another table or key
//! ([`resolved_expansion`]).

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned, ToTokens};
use syn::DeriveInput;

use crate::parse::ModelDef;

/// The identifier in [`Expansion::text`] that piece `i` of [`Expansion::spanned`]
/// replaces: this prefix and `i`.
pub const PLACEHOLDER: &str = "__migrate_spanned_";

/// What the derive emits, in two parts: the text, and the pieces whose tokens
/// carry the span of one of the user's tokens (the references to model and enum
/// types, reported there when they fail), each standing in the text for the
/// identifier [`PLACEHOLDER`] followed by its index.
///
/// Why text: building the impls token by token with `quote!` costs one call into
/// the compiler per token from the unoptimised proc-macro, and proc-macro2's own
/// lexer (which its `from_str` runs first, also unoptimised) costs more still; the
/// derive hands the text to rustc's lexer once.
pub struct Expansion {
    /// Each piece with the span it is reported at (the reference's or the field
    /// type's). The tokens of a referenced type path keep their own spans.
    pub spanned: Vec<(Span, TokenStream)>,
    /// The block of the anonymous constant, whose tokens take the derive's span.
    pub text: String,
}

impl Expansion {
    /// The whole output without errors, for tests outside a proc-macro (the derive
    /// puts the same pieces together with `proc_macro`'s lexer, keeping spans).
    pub fn into_tokens(self) -> TokenStream {
        let mut text = self.text;
        // Highest index first, so `_1` does not replace the start of `_10`.
        for (i, (_, piece)) in self.spanned.iter().enumerate().rev() {
            text = text.replace(&format!("{PLACEHOLDER}{i}"), &piece.to_string());
        }
        let body: TokenStream = text.parse().expect("the derive's text lexes");
        quote!(const _: () = { #body };)
    }
}

/// A model type that a reference names, as the build script resolved it by the
/// struct's name among the scanned models: its table name and primary key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// The target's table name.
    pub table: String,
    /// The target's primary-key columns, in order (empty: it has none).
    pub key: Vec<String>,
}

/// The output of `#[derive(Model)]` for `input`, parsed as `def` (errors aside):
/// each reference to a model type is resolved when `table()` is called, through a
/// function of the type the path names.
pub fn expansion(input: &DeriveInput, def: &ModelDef) -> Expansion {
    expansion_with(input, def, None)
}

/// The output for `input`, parsed as `def`, whose references to model types the
/// build script resolved by name: `targets[i]` is the target of
/// `def.model_refs[i]`. The embedded table holds the resolved foreign keys, and
/// each reference is only checked, at its span, to name a model of that table and
/// key (see `migrate_core::generated::__model_is`). `None` when a reference cannot
/// be resolved to its target (the build script reports it) or the lengths differ.
pub fn resolved_expansion(
    input: &DeriveInput,
    def: &ModelDef,
    targets: &[Target],
) -> Option<Expansion> {
    if targets.len() != def.model_refs.len() {
        return None;
    }
    let mut table = def.table.clone();
    for (r, t) in def.model_refs.iter().zip(targets) {
        crate::parse::resolve_model_ref(&mut table, r, &t.table, &t.key).ok()?;
    }
    Some(expansion_with(input, def, Some((&table, targets))))
}

/// [`expansion`], or with `resolved` (the table with its foreign keys resolved,
/// and the targets) [`resolved_expansion`].
fn expansion_with(
    input: &DeriveInput,
    def: &ModelDef,
    resolved: Option<(&migrate_core::Table, &[Target])>,
) -> Expansion {
    let krate = match &def.krate {
        Some(path) => quote!(#path),
        None => quote!(::migrate),
    };
    let mut spanned = Vec::new();
    let mut place = |span: Span, piece: TokenStream| {
        spanned.push((span, piece));
        format!("{PLACEHOLDER}{}", spanned.len() - 1)
    };
    // Each reference to a model type, resolved by the build script: a call that
    // fails to evaluate, at the reference, when the path names a model of another
    // table or key (or no model). Otherwise (the parsed path): the function
    // `table()` calls for the target's table name and key; a reference to its
    // primary key also calls the same function in the constant's body, where its
    // evaluation fails, at the reference, when the key has several columns. The
    // calls, crate path included,
    // carry the reference's span only: rustc reports there, and the two mentions
    // of a target that is not a model (or not a type) give one error, not two.
    let mut references = String::new();
    let mut checks = String::new();
    if let Some((table, targets)) = resolved {
        // Resolved by the build script: a check per reference, nothing in the impl.
        for (r, t) in def.model_refs.iter().zip(targets) {
            let target = &r.target;
            let krate = respanned(&krate, r.span);
            let fk = &table.foreign_keys[r.foreign_key];
            let message = mismatch_message(r, t, &fk.ref_columns);
            let (name, key) = (&t.table, &t.key);
            let call = quote_spanned!(r.span=> #krate::__model_is::<#target>(#name, &[#(#key),*], #message););
            checks.push_str(&place(r.span, call));
            checks.push(' ');
        }
    }
    for r in def.model_refs.iter().filter(|_| resolved.is_none()) {
        let target = &r.target;
        let krate = respanned(&krate, r.span);
        // Empty: the target's primary key (see `__Reference`).
        let columns = match &r.ref_columns {
            Some(cols) => format!("&{cols:?}"),
            None => "&[]".to_string(),
        };
        let function = match r.ref_columns {
            Some(_) => quote_spanned!(r.span=> #krate::core::generated::__model_target::<#target>),
            None => {
                let message = format!(
                    "`references = {0}` needs `{0}` to have a single-column primary key; name \
                     the referenced column instead: `references = {0}(column)`",
                    r.target_name
                );
                let call = quote_spanned!(r.span=> #krate::core::generated::__model_key_target::<#target>(#message););
                checks.push_str(&place(r.span, call));
                checks.push(' ');
                quote_spanned!(r.span=> #krate::core::generated::__model_key_target::<#target>)
            }
        };
        references.push_str(&format!(
            "({}, {}, {columns}), ",
            r.foreign_key,
            place(r.span, function)
        ));
    }
    // Each column of a Rust enum type: the function for the enum's type name and
    // labels, spanned at the field's type, so a type that is not an enum is
    // reported there.
    let mut enums = String::new();
    for r in &def.enum_refs {
        let target = &r.target;
        let function = quote_spanned!(r.span=> #krate::core::generated::__enum_type::<#target>);
        enums.push_str(&format!("({:?}, {}), ", r.column, place(r.span, function)));
    }
    let table = resolved.map_or(&def.table, |(table, _)| table);
    let text = block_text(
        input,
        def,
        table,
        &krate.to_string(),
        &references,
        &enums,
        &checks,
    );
    Expansion { spanned, text }
}

/// The compile error of a resolved reference whose path names another model than
/// the build script found by its name: what the script took it for, and the two
/// ways out.
fn mismatch_message(r: &crate::parse::ModelRef, t: &Target, ref_columns: &[String]) -> String {
    let path = r
        .target
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::");
    let path = match r.target.leading_colon {
        Some(_) => format!("::{path}"),
        None => path,
    };
    let written = match &r.ref_columns {
        Some(cols) => format!("{path}({})", cols.join(", ")),
        None => path,
    };
    format!(
        "`references = {written}` names another model than the build script found by the \
         name `{name}` (table `{table}`, key ({key})): rename one of the structs, or write \
         `references = \"{table}({cols})\"`",
        name = r.target_name,
        table = t.table,
        key = t.key.join(", "),
        cols = ref_columns.join(", "),
    )
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

/// The block of the anonymous constant, placeholders for the spanned pieces
/// included (no `#[automatically_derived]` on the impl: it only changes what
/// lints make of code in the impl that reads the struct, and there is none; it
/// was an attribute per model for rustc to handle on every build): the impl, whose
/// constant holds the table name, the key and `table` as JSON, with a second one
/// for the functions that resolve references and enum types when there are any
/// (`references` and `enums`: the slices' items), the guard, then `checks`.
fn block_text(
    input: &DeriveInput,
    def: &ModelDef,
    table: &migrate_core::Table,
    krate: &str,
    references: &str,
    enums: &str,
    checks: &str,
) -> String {
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
    let table_json = raw_string(
        &serde_json::to_string(&embedded_table(def, table)).expect("a table serialises to JSON"),
    );
    let pk: Vec<&str> = def
        .table
        .primary_key
        .as_ref()
        .map(|pk| pk.columns.iter().map(String::as_str).collect())
        .unwrap_or_default();
    let links = if references.is_empty() && enums.is_empty() {
        String::new()
    } else {
        format!(
            "const __LINKS: {krate}::core::generated::__Links = \
                 {krate}::core::generated::__Links {{ \
                     references: &[{references}], enums: &[{enums}], \
                 }}; "
        )
    };
    let mut text = format!(
        "impl {impl_generics} {krate}::Model for {ident} {ty_generics} {where_clause} {{ \
             const __MODEL: {krate}::__Model = {krate}::__Model {{ \
                 table_name: {name:?}, primary_key: &{pk:?}, json: {table_json}, \
             }}; \
             {links}\
         }} ",
        name = table.name,
    );
    if impl_generics.is_empty() {
        text.push_str(&uses(input, &ident));
    }
    text.push_str(checks);
    text
}

/// `text` as a raw string literal, with enough `#` that it cannot end early: rustc
/// lexes it, and turns it into a string, without going through escapes (a JSON
/// table is full of `\"`), which saves it work on every model.
fn raw_string(text: &str) -> String {
    let mut hashes = String::from("#");
    while text.contains(&format!("\"{hashes}")) {
        hashes.push('#');
    }
    format!("r{hashes}\"{text}\"{hashes}")
}

/// The table to embed: a column whose type is a Rust enum is written as text
/// until `table()` puts the enum's type in (its labels are the compiler's to find).
fn embedded_table<'a>(
    def: &ModelDef,
    table: &'a migrate_core::Table,
) -> std::borrow::Cow<'a, migrate_core::Table> {
    if def.enum_refs.is_empty() {
        return std::borrow::Cow::Borrowed(table);
    }
    let mut table = table.clone();
    for c in &mut table.columns {
        if crate::parse::is_unresolved_enum(&c.ty) {
            c.ty = migrate_core::ColumnType::Text;
        }
    }
    std::borrow::Cow::Owned(table)
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
        assert!(out.contains(&format!("json : r#\"{text}\"#")), "{out}");
    }

    #[test]
    fn a_raw_string_holds_any_text() {
        assert_eq!(raw_string(r#"{"a":"b"}"#), r##"r#"{"a":"b"}"#"##);
        assert_eq!(raw_string(r##"{"a":"#b"}"##), r###"r##"{"a":"#b"}"##"###);
        let text = "x\"##y\\n\"#";
        let lexed: proc_macro2::Literal = raw_string(text).parse().unwrap();
        let value: syn::LitStr = syn::parse_quote!(#lexed);
        assert_eq!(value.value(), text);
    }

    #[test]
    fn each_spanned_piece_replaces_its_placeholder() {
        let input: DeriveInput = syn::parse_quote! {
            struct Post {
                #[model(primary_key)]
                id: i64,
                #[model(references = User)]
                user_id: i64,
                #[model(references = Team(id))]
                team_id: i64,
                mood: Mood,
            }
        };
        let def = crate::parse::parse_model(&input).unwrap();
        let expansion = expansion(&input, &def);
        // The key reference's check and function, the other reference's function,
        // the enum's function.
        assert_eq!(expansion.spanned.len(), 4, "{}", expansion.text);
        for i in 0..4 {
            assert!(
                expansion.text.contains(&format!("{PLACEHOLDER}{i}")),
                "{}",
                expansion.text
            );
        }
        let out = expansion.into_tokens().to_string();
        assert!(!out.contains(PLACEHOLDER), "{out}");
        assert!(out.contains("__model_key_target :: < User > (\""), "{out}");
        assert!(out.contains("__model_target :: < Team >"), "{out}");
        assert!(out.contains("__enum_type :: < Mood >"), "{out}");
        assert!(out.contains("let Post { id : _0"), "{out}");
    }
}
