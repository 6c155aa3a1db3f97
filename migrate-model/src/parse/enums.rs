//! `#[derive(migrate::Enum)]`: a fieldless Rust enum to an enum type, and model
//! fields whose type is such an enum.
//!
//! The labels follow the attributes sqlx reads for `#[derive(sqlx::Type)]`, so the
//! schema holds exactly the strings sqlx writes: `#[sqlx(type_name = "mood")]` names
//! the type (without it, the enum's name, as sqlx does), `#[sqlx(rename_all = "...")]`
//! turns each variant's name into its label with sqlx's rules, and `#[sqlx(rename =
//! "...")]` on a variant gives its label. A variant whose label changed declares the
//! old one with `#[model(renamed_from = "old")]`, so autogenerate renames the label
//! (and keeps the rows) instead of removing one and adding another.

use heck::{ToKebabCase, ToLowerCamelCase, ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::Span;
use quote::ToTokens;
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{Data, DeriveInput, Fields, LitStr, Type};

use super::check;
use super::ctxt::{combine, Ctxt};
use super::symbol::{MODEL, RENAMED_FROM, SQLX_TYPE};
use super::types::MappedType;

/// A `rename_all` conversion of a variant's name to its label.
pub(crate) type Convert = fn(&str) -> String;

/// The `rename_all` rules sqlx knows, with the conversion each makes.
pub(crate) const RENAME_ALL: [(&str, Convert); 7] = [
    ("lowercase", |s| s.to_lowercase()),
    ("UPPERCASE", |s| s.to_uppercase()),
    ("snake_case", |s| s.to_snake_case()),
    ("SCREAMING_SNAKE_CASE", |s| s.to_shouty_snake_case()),
    ("kebab-case", |s| s.to_kebab_case()),
    ("camelCase", |s| s.to_lower_camel_case()),
    ("PascalCase", |s| s.to_upper_camel_case()),
];

/// A Rust enum deriving `migrate::Enum`, parsed.
#[derive(Clone, Debug)]
pub struct EnumDef {
    /// The Rust enum's name.
    pub rust_name: String,
    /// The enum type's name.
    pub type_name: String,
    /// The labels, in variant order.
    pub labels: Vec<String>,
    /// `(new label, old label)` for every variant with `renamed_from`.
    pub label_renames: Vec<(String, String)>,
    /// `#[model(sqlx_type)]`: the derive implements sqlx's `Type`, `Encode` and
    /// `Decode` itself.
    pub sqlx_type: bool,
    /// `#[sqlx(no_pg_array)]`: no `PgHasArrayType` (with `sqlx_type`).
    pub no_pg_array: bool,
}

/// A model field whose type is a Rust enum (any plain path type the model does not
/// know), resolved once the enum is: by the compiler through [`crate::parse`]'s
/// generated code, or by the source scan by name.
#[derive(Clone, Debug)]
pub struct EnumRef {
    /// The column.
    pub column: String,
    /// The field's type without `Option`, as written.
    pub target: syn::Path,
    /// The last segment of the path (the enum's name).
    pub target_name: String,
    /// The span of the field's type.
    pub span: Span,
}

/// Parses an enum deriving `migrate::Enum`; every error of it is combined into the
/// one returned.
pub fn parse_enum(input: &DeriveInput) -> Result<EnumDef, syn::Error> {
    let (def, errors) = parse_enum_lenient(input);
    match combine(errors) {
        Some(e) => Err(e),
        None => Ok(def),
    }
}

/// Parses an enum, returning what could be understood even with errors (the derive
/// still emits its impl, so no follow-on errors appear).
pub fn parse_enum_lenient(input: &DeriveInput) -> (EnumDef, Vec<syn::Error>) {
    let cx = Ctxt::new();
    let def = build(&cx, input);
    (def, cx.into_errors())
}

fn build(cx: &Ctxt, input: &DeriveInput) -> EnumDef {
    let rust_name = input.ident.unraw().to_string();
    let container = container_attrs(cx, input);
    let (type_name, rename_all) = (container.type_name, container.rename_all);
    let type_name = match type_name {
        Some(lit) => {
            let name = lit.value();
            check::identifier(cx, "enum type name", &name, lit.span());
            name
        }
        None => rust_name.clone(),
    };
    let mut def = EnumDef {
        rust_name,
        type_name,
        labels: Vec::new(),
        label_renames: Vec::new(),
        sqlx_type: container.sqlx_type.is_some(),
        no_pg_array: container.no_pg_array,
    };
    let mut foreign = container.foreign;
    // Rule: a generic enum has no one set of labels for the type.
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "`#[derive(migrate::Enum)]` does not support generic enums: an enum type has one \
             fixed set of labels; remove the type parameters",
        );
    }
    let data = match &input.data {
        Data::Enum(data) => data,
        Data::Struct(s) => {
            cx.error_spanned_by(
                s.struct_token,
                "`#[derive(migrate::Enum)]` is for fieldless enums (each variant one label of \
                 an enum type); a struct is a table: derive `Model` on it",
            );
            return def;
        }
        Data::Union(u) => {
            cx.error_spanned_by(
                u.union_token,
                "`#[derive(migrate::Enum)]` is for fieldless enums: write an `enum` whose \
                 variants have no fields",
            );
            return def;
        }
    };
    // Rule: an integer-backed enum (`#[repr(i32)]` is what sqlx stores as its number)
    // is not an enum type.
    if let Some(repr) = input.attrs.iter().find(|a| a.path().is_ident("repr")) {
        cx.error_spanned_by(
            repr,
            "sqlx stores an enum with `#[repr(...)]` as its integer, not as an enum type: \
             remove `#[repr(...)]` to store labels, or use the integer type as the field's \
             type and drop `migrate::Enum`",
        );
    }
    if data.variants.is_empty() {
        cx.error_spanned_by(
            &input.ident,
            "an enum type needs at least one label: add a variant",
        );
    }
    let mut seen: Vec<(String, String)> = Vec::new();
    for v in &data.variants {
        // Rule: every variant is one label, so none carries data.
        if !matches!(v.fields, Fields::Unit) {
            cx.error_spanned_by(
                &v.fields,
                format!(
                    "variant `{}` has fields, but an enum type's values are labels only: \
                     remove the fields (a value with data is a column of another type, or a \
                     table)",
                    v.ident
                ),
            );
        }
        if let Some((_, d)) = &v.discriminant {
            cx.error_spanned_by(
                d,
                "an enum type's values are labels, not numbers: remove the discriminant",
            );
        }
        let variant = v.ident.unraw().to_string();
        let (rename, renamed_from) = variant_attrs(cx, &v.attrs, &mut foreign);
        let (label, span) = match &rename {
            Some(lit) => (lit.value(), lit.span()),
            None => (
                match &rename_all {
                    Some((_, convert)) => convert(&variant),
                    None => variant.clone(),
                },
                v.ident.span(),
            ),
        };
        if label.is_empty() {
            cx.error_at(span, "an enum label cannot be empty: write a label");
        }
        // Rule: labels are unique within the type (the database refuses duplicates,
        // and two variants with one label could not be told apart when read).
        if let Some((other, _)) = seen.iter().find(|(_, l)| *l == label) {
            cx.error_at(
                span,
                format!(
                    "variant `{variant}` has the label '{label}', like variant `{other}`: \
                     labels of one enum type are unique; give one of them \
                     `#[sqlx(rename = \"...\")]`"
                ),
            );
        }
        seen.push((variant.clone(), label.clone()));
        if let Some(old) = renamed_from {
            if old.value() == label {
                cx.error_spanned_by(
                    &old,
                    format!("`renamed_from` names the label '{label}' itself: remove it"),
                );
            } else {
                def.label_renames.push((label.clone(), old.value()));
            }
        }
        def.labels.push(label);
    }
    // Rule: with `sqlx_type` the derive is sqlx's, so an sqlx key it does not
    // implement would be dropped without a word: each is an error instead.
    if def.sqlx_type {
        for key in foreign {
            cx.error_spanned_by(
                &key,
                format!(
                    "`#[sqlx({})]` is not supported with `#[model(sqlx_type)]`, which \
                     implements sqlx's traits for an enum type from `type_name`, `rename_all`, \
                     `no_pg_array` and `rename` on variants: remove it, or remove \
                     `#[model(sqlx_type)]` and derive `sqlx::Type`",
                    key.to_token_stream().to_string().replace(' ', "")
                ),
            );
        }
    }
    def
}

/// What an enum's own attributes say.
struct Container {
    type_name: Option<LitStr>,
    rename_all: Option<(String, Convert)>,
    sqlx_type: Option<Span>,
    no_pg_array: bool,
    /// The `#[sqlx(...)]` keys this parser does not read (sqlx's own).
    foreign: Vec<syn::Path>,
}

/// `crate` and `sqlx_type` from the enum's `#[model(...)]`, `type_name` and
/// `rename_all` from its `#[sqlx(...)]` attributes; the other sqlx keys are sqlx's
/// business and are collected for the rule on `sqlx_type`.
fn container_attrs(cx: &Ctxt, input: &DeriveInput) -> Container {
    let mut type_name = None;
    let mut rename_all = None;
    let mut sqlx_type: Option<Span> = None;
    let mut no_pg_array = false;
    let mut foreign = Vec::new();
    // Rule: the `#[model(...)]` keys of an enum are `crate`, like on a model, and the
    // flag `sqlx_type`.
    for attr in input.attrs.iter().filter(|a| a.path() == MODEL) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("crate") {
                meta.value()?.parse::<LitStr>()?;
                Ok(())
            } else if meta.path == SQLX_TYPE {
                if !meta.input.is_empty() && !meta.input.peek(syn::Token![,]) {
                    return Err(meta.error(
                        "`sqlx_type` is a flag and takes no value: write `#[model(sqlx_type)]`",
                    ));
                }
                if sqlx_type.is_some() {
                    return Err(meta.error("duplicate `sqlx_type`: write it once"));
                }
                sqlx_type = Some(meta.path.span());
                Ok(())
            } else {
                Err(meta.error(
                    "unknown attribute on an enum: an enum takes `#[model(crate = \"...\")]` \
                     and `#[model(sqlx_type)]`; its type name and labels come from \
                     `#[sqlx(type_name = \"...\", rename_all = \"...\")]` and \
                     `#[sqlx(rename = \"...\")]` on variants",
                ))
            }
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("sqlx")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("type_name") {
                type_name = Some(meta.value()?.parse::<LitStr>()?);
            } else if meta.path.is_ident("rename_all") {
                let lit: LitStr = meta.value()?.parse()?;
                let rule = lit.value();
                match RENAME_ALL.iter().find(|(name, _)| *name == rule) {
                    Some((name, convert)) => rename_all = Some((name.to_string(), *convert)),
                    None => {
                        let known: Vec<String> =
                            RENAME_ALL.iter().map(|(n, _)| format!("\"{n}\"")).collect();
                        cx.error_spanned_by(
                            &lit,
                            format!(
                                "unknown `rename_all` rule \"{rule}\": sqlx knows {}",
                                known.join(", ")
                            ),
                        );
                    }
                }
            } else if meta.path.is_ident("no_pg_array") {
                no_pg_array = true;
            } else {
                foreign.push(meta.path.clone());
                skip_value(&meta)?;
            }
            Ok(())
        });
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    Container {
        type_name,
        rename_all,
        sqlx_type,
        no_pg_array,
        foreign,
    }
}

/// `#[sqlx(rename = "...")]` and `#[model(renamed_from = "...")]` of a variant.
fn variant_attrs(
    cx: &Ctxt,
    attrs: &[syn::Attribute],
    foreign: &mut Vec<syn::Path>,
) -> (Option<LitStr>, Option<LitStr>) {
    let mut rename = None;
    let mut renamed_from = None;
    for attr in attrs {
        let parsed = if attr.path().is_ident("sqlx") {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    rename = Some(meta.value()?.parse::<LitStr>()?);
                } else {
                    foreign.push(meta.path.clone());
                    skip_value(&meta)?;
                }
                Ok(())
            })
        } else if attr.path() == MODEL {
            attr.parse_nested_meta(|meta| {
                if meta.path == RENAMED_FROM {
                    renamed_from = Some(meta.value()?.parse::<LitStr>()?);
                    Ok(())
                } else {
                    Err(meta.error(
                        "unknown attribute on an enum variant: the one `#[model(...)]` \
                         attribute of a variant is `renamed_from = \"old_label\"`",
                    ))
                }
            })
        } else {
            Ok(())
        };
        if let Err(e) = parsed {
            cx.syn_error(e);
        }
    }
    (rename, renamed_from)
}

/// Passes over a `key`, `key = value` or `key(...)` that is not ours.
fn skip_value(meta: &syn::meta::ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(syn::Token![=]) {
        meta.value()?.parse::<syn::Expr>()?;
    } else if meta.input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in meta.input);
        content.parse::<proc_macro2::TokenStream>()?;
    }
    Ok(())
}

/// The path of a field type the model does not know, when it could be a Rust enum:
/// a plain path without generic arguments (inside any `Option`). Other unknown
/// types keep the model's own error.
pub(super) fn enum_path(ty: &Type, mapped: &MappedType) -> Option<syn::Path> {
    if mapped.kind.is_some() {
        return None;
    }
    let mut ty = ty;
    loop {
        ty = match ty {
            Type::Group(g) => &g.elem,
            Type::Paren(p) => &p.elem,
            Type::Path(p) if p.qself.is_none() => {
                let last = p.path.segments.last()?;
                match &last.arguments {
                    syn::PathArguments::None => {
                        // The primitives without a column type have their own errors.
                        let name = last.ident.to_string();
                        let primitive = ["usize", "isize", "u128", "i128", "i8", "char", "str"];
                        return (!primitive.contains(&name.as_str())).then(|| p.path.clone());
                    }
                    syn::PathArguments::AngleBracketed(args)
                        if last.ident == "Option" && args.args.len() == 1 =>
                    {
                        match &args.args[0] {
                            syn::GenericArgument::Type(inner) => inner,
                            _ => return None,
                        }
                    }
                    _ => return None,
                }
            }
            _ => return None,
        };
    }
}

/// The column type of a field whose type is a Rust enum, until resolved: the
/// enum's name is unknown (empty) and it has no labels.
pub fn unresolved_enum() -> migrate_core::ColumnType {
    migrate_core::ColumnType::Enum {
        name: String::new(),
        values: Vec::new(),
    }
}

/// Whether `ty` is the placeholder of [`unresolved_enum`].
pub fn is_unresolved_enum(ty: &migrate_core::ColumnType) -> bool {
    matches!(ty, migrate_core::ColumnType::Enum { name, .. } if name.is_empty())
}

/// Rule: an enum field takes none of the attributes that size or generate a column.
pub(super) fn enum_field_attrs(cx: &Ctxt, field: &super::ast::Field, written: &str) {
    let a = &field.attrs;
    let spans: [(Option<Span>, &str); 4] = [
        (a.max_len.as_ref().map(|v| v.span), "max_len"),
        (a.precision.as_ref().map(|v| v.span), "precision"),
        (a.scale.as_ref().map(|v| v.span), "scale"),
        (a.autoincrement, "autoincrement"),
    ];
    for (span, name) in spans {
        if let Some(span) = span {
            cx.error_at(
                span,
                format!(
                    "`{name}` does not apply to `{written}`, a column of an enum type (its \
                     labels come from `#[derive(migrate::Enum)]`): remove `{name}`"
                ),
            );
        }
    }
}
