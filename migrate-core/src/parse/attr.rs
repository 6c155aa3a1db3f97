//! `#[model(...)]` attributes turned into typed values.
//!
//! Each value keeps the tokens it came from, so a later rule can point at the exact
//! attribute. Errors here are about one attribute on its own: unknown names,
//! duplicates, values of the wrong kind, unparsable types or actions. Rules that
//! involve several fields or the field's type are in `check.rs` and `types.rs`.

use proc_macro2::{Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{Attribute, Ident, Lit, LitInt, LitStr, Token};

use super::ctxt::Ctxt;
use super::symbol::{self, Symbol, *};
use crate::schema::FkAction;
use crate::types::ColumnType;

/// A value with the tokens it was written as (for error spans).
#[derive(Clone, Debug)]
pub struct Spanned<T> {
    /// The parsed value.
    pub value: T,
    /// Where it was written.
    pub span: Span,
}

impl<T> Spanned<T> {
    fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

/// One column of a struct-level key, constraint or index, as written.
#[derive(Clone, Debug)]
pub struct ColumnRef {
    /// The field (or column) name.
    pub ident: Ident,
    /// Descending order (indexes only).
    pub desc: bool,
}

/// `primary_key(a, b)`, `unique(...)` or `index(...)` on the struct.
#[derive(Clone, Debug)]
pub struct KeyAttr {
    /// `name = "..."`, if given.
    pub name: Option<LitStr>,
    /// The columns, in order.
    pub columns: Vec<ColumnRef>,
    /// `unique` flag (indexes only).
    pub unique: bool,
    /// The attribute keyword, for errors about the whole list.
    pub span: Span,
}

/// `check(name = "...", expr = "...")` on the struct.
#[derive(Clone, Debug)]
pub struct CheckAttr {
    /// Constraint name.
    pub name: LitStr,
    /// SQL boolean expression.
    pub expr: LitStr,
}

/// The target of `references = ...`.
#[derive(Clone, Debug)]
pub enum Reference {
    /// `references = "users(id)"`.
    Table {
        /// Referenced table.
        table: String,
        /// Referenced column.
        columns: Vec<String>,
        /// The string literal.
        lit: LitStr,
    },
    /// `references = User` or `references = User(id)`.
    Model {
        /// The model type.
        path: syn::Path,
        /// Referenced columns; `None` means the target's primary key.
        columns: Option<Vec<Ident>>,
    },
}

impl Reference {
    /// Where the reference was written.
    pub fn span(&self) -> Span {
        match self {
            Reference::Table { lit, .. } => lit.span(),
            Reference::Model { path, .. } => path
                .segments
                .last()
                .map(|s| s.ident.span())
                .unwrap_or_else(Span::call_site),
        }
    }
}

/// Everything `#[model(...)]` can say about a struct.
#[derive(Default)]
pub struct ContainerAttrs {
    /// `table = "..."`.
    pub table: Option<LitStr>,
    /// `primary_key(a, b)`.
    pub primary_key: Option<KeyAttr>,
    /// `unique(...)`, repeatable.
    pub uniques: Vec<KeyAttr>,
    /// `index(...)`, repeatable.
    pub indexes: Vec<KeyAttr>,
    /// `check(name = "...", expr = "...")`, repeatable.
    pub checks: Vec<CheckAttr>,
    /// `comment = "..."`.
    pub comment: Option<LitStr>,
    /// `renamed_from = "..."`.
    pub renamed_from: Option<LitStr>,
    /// `crate = "..."`.
    pub krate: Option<syn::Path>,
}

/// Everything `#[model(...)]` can say about a field.
#[derive(Default)]
pub struct FieldAttrs {
    /// `skip`.
    pub skip: Option<Span>,
    /// `column = "..."`.
    pub column: Option<LitStr>,
    /// `primary_key`.
    pub primary_key: Option<Span>,
    /// `autoincrement`.
    pub autoincrement: Option<Span>,
    /// `unique`.
    pub unique: Option<Span>,
    /// `index`.
    pub index: Option<Span>,
    /// `references = ...`.
    pub references: Option<Reference>,
    /// `on_delete = "..."`.
    pub on_delete: Option<Spanned<FkAction>>,
    /// `on_update = "..."`.
    pub on_update: Option<Spanned<FkAction>>,
    /// `check = "..."`.
    pub check: Option<LitStr>,
    /// `default = "..."`.
    pub default: Option<LitStr>,
    /// `sql_type = "..."`, already parsed.
    pub sql_type: Option<Spanned<ColumnType>>,
    /// `max_len = N`.
    pub max_len: Option<Spanned<u32>>,
    /// `precision = N`.
    pub precision: Option<Spanned<u8>>,
    /// `scale = N`.
    pub scale: Option<Spanned<u8>>,
    /// `comment = "..."`.
    pub comment: Option<LitStr>,
    /// `renamed_from = "..."`.
    pub renamed_from: Option<LitStr>,
    /// Every attribute name written, with its span (for the `skip` rule).
    pub written: Vec<(Symbol, Span)>,
}

/// Stores `value` in `slot`, or reports a duplicate at `span`.
fn set_once<T>(cx: &Ctxt, slot: &mut Option<T>, name: Symbol, span: Span, value: T) {
    if slot.is_some() {
        cx.error_at(
            span,
            format!("duplicate attribute `{name}`: write it once, e.g. keep only the first"),
        );
    } else {
        *slot = Some(value);
    }
}

/// Reads `= "string"`.
fn string_value(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    name: Symbol,
    example: &str,
) -> syn::Result<Option<LitStr>> {
    let lit = literal_value(meta, name, example)?;
    match lit {
        Lit::Str(s) => Ok(Some(s)),
        other => {
            cx.error_spanned_by(
                &other,
                format!("`{name}` takes a string: write `{name} = {example}`"),
            );
            Ok(None)
        }
    }
}

/// Reads `= <integer>` as a number of type `N`.
fn int_value<N>(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    name: Symbol,
    example: &str,
) -> syn::Result<Option<Spanned<N>>>
where
    N: std::str::FromStr,
    N::Err: std::fmt::Display,
{
    let lit = literal_value(meta, name, example)?;
    match lit {
        Lit::Int(i) => parse_int(cx, &i, name, example),
        other => {
            cx.error_spanned_by(
                &other,
                format!("`{name}` takes a whole number without quotes: write `{name} = {example}`"),
            );
            Ok(None)
        }
    }
}

fn parse_int<N>(
    cx: &Ctxt,
    lit: &LitInt,
    name: Symbol,
    example: &str,
) -> syn::Result<Option<Spanned<N>>>
where
    N: std::str::FromStr,
    N::Err: std::fmt::Display,
{
    match lit.base10_parse::<N>() {
        Ok(n) => Ok(Some(Spanned::new(n, lit.span()))),
        Err(e) => {
            cx.error_spanned_by(
                lit,
                format!("invalid `{name}`: {e}; write e.g. `{name} = {example}`"),
            );
            Ok(None)
        }
    }
}

/// Reads `= <literal>`, failing with a hint when the `=` or the literal is missing.
fn literal_value(meta: &ParseNestedMeta, name: Symbol, example: &str) -> syn::Result<Lit> {
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!(
            "`{name}` needs a value: write `{name} = {example}`"
        )));
    }
    let stream = meta.value()?;
    if stream.peek(Lit) {
        stream.parse()
    } else {
        let bad: TokenStream = take_value_tokens(stream)?;
        Err(syn::Error::new_spanned(
            bad,
            format!("`{name}` takes a literal: write `{name} = {example}`"),
        ))
    }
}

/// Consumes tokens up to the next top-level comma.
fn take_value_tokens(input: ParseStream) -> syn::Result<TokenStream> {
    let mut out = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        out.extend([input.parse::<TokenTree>()?]);
    }
    Ok(out)
}

/// Skips whatever follows an unknown attribute name (`= value` or `(...)`).
fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.input.parse::<Token![=]>()?;
    }
    take_value_tokens(meta.input).map(|_| ())
}

/// Reports a flag written with a value (`unique = true`), and skips the value.
fn flag(cx: &Ctxt, meta: &ParseNestedMeta, name: Symbol) -> syn::Result<()> {
    if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
        let start = meta.input.span();
        skip_value(meta)?;
        cx.error_at(
            start,
            format!("`{name}` is a flag and takes no value: write just `{name}`"),
        );
    }
    Ok(())
}

/// The name of the attribute path, for error messages.
fn path_name(meta: &ParseNestedMeta) -> String {
    meta.path.to_token_stream().to_string().replace(' ', "")
}

/// Calls `f` for each item of every `#[model(...)]` among `attrs`.
fn for_each_model_meta(
    cx: &Ctxt,
    attrs: &[Attribute],
    mut f: impl FnMut(&ParseNestedMeta) -> syn::Result<()>,
) {
    for attr in attrs {
        if attr.path() != MODEL {
            continue;
        }
        if let syn::Meta::Path(_) = attr.meta {
            cx.error_spanned_by(
                attr,
                "empty `#[model]`: write the options inside, e.g. `#[model(table = \"users\")]`",
            );
            continue;
        }
        if let Err(e) = attr.parse_nested_meta(|meta| f(&meta)) {
            cx.syn_error(e);
        }
    }
}

impl ContainerAttrs {
    /// Reads the struct's `#[model(...)]` attributes.
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = ContainerAttrs::default();
        for_each_model_meta(cx, attrs, |meta| {
            let span = meta.path.span_of_ident();
            let p = &meta.path;
            if p == TABLE {
                if let Some(v) = string_value(cx, meta, TABLE, "\"users\"")? {
                    set_once(cx, &mut out.table, TABLE, span, v);
                }
            } else if p == PRIMARY_KEY {
                let key = parse_key_list(cx, meta, PRIMARY_KEY)?;
                set_once(cx, &mut out.primary_key, PRIMARY_KEY, span, key);
            } else if p == UNIQUE {
                out.uniques.push(parse_key_list(cx, meta, UNIQUE)?);
            } else if p == INDEX {
                out.indexes.push(parse_key_list(cx, meta, INDEX)?);
            } else if p == CHECK {
                if let Some(check) = parse_check(cx, meta)? {
                    out.checks.push(check);
                }
            } else if p == COMMENT {
                if let Some(v) = string_value(cx, meta, COMMENT, "\"what the table holds\"")? {
                    set_once(cx, &mut out.comment, COMMENT, span, v);
                }
            } else if p == RENAMED_FROM {
                if let Some(v) = string_value(cx, meta, RENAMED_FROM, "\"old_table\"")? {
                    set_once(cx, &mut out.renamed_from, RENAMED_FROM, span, v);
                }
            } else if p == CRATE {
                if let Some(v) = string_value(cx, meta, CRATE, "\"::migrate\"")? {
                    match v.parse_with(syn::Path::parse_mod_style) {
                        Ok(path) => set_once(cx, &mut out.krate, CRATE, span, path),
                        Err(_) => cx.error_spanned_by(
                            &v,
                            "`crate` takes a path to the migrate facade, e.g. `crate = \"::migrate\"`",
                        ),
                    }
                }
            } else if FIELD_ATTRS.iter().any(|s| p == *s) {
                cx.error_at(
                    span,
                    format!(
                        "`{}` belongs on a field, not on the struct; struct attributes are {}",
                        path_name(meta),
                        symbol::list(CONTAINER_ATTRS)
                    ),
                );
                skip_value(meta)?;
            } else {
                cx.error_spanned_by(
                    p,
                    format!(
                        "unknown model attribute `{}` on a struct: use one of {}",
                        path_name(meta),
                        symbol::list(CONTAINER_ATTRS)
                    ),
                );
                skip_value(meta)?;
            }
            Ok(())
        });
        out
    }
}

impl FieldAttrs {
    /// Reads a field's `#[model(...)]` attributes.
    pub fn from_attrs(cx: &Ctxt, attrs: &[Attribute]) -> Self {
        let mut out = FieldAttrs::default();
        for_each_model_meta(cx, attrs, |meta| {
            let span = meta.path.span_of_ident();
            let p = &meta.path;
            if let Some(sym) = FIELD_ATTRS.iter().find(|s| p == **s) {
                out.written.push((*sym, span));
            }
            if p == SKIP {
                flag(cx, meta, SKIP)?;
                set_once(cx, &mut out.skip, SKIP, span, span);
            } else if p == COLUMN {
                if let Some(v) = string_value(cx, meta, COLUMN, "\"user_name\"")? {
                    set_once(cx, &mut out.column, COLUMN, span, v);
                }
            } else if p == PRIMARY_KEY {
                flag(cx, meta, PRIMARY_KEY)?;
                set_once(cx, &mut out.primary_key, PRIMARY_KEY, span, span);
            } else if p == AUTOINCREMENT {
                flag(cx, meta, AUTOINCREMENT)?;
                set_once(cx, &mut out.autoincrement, AUTOINCREMENT, span, span);
            } else if p == UNIQUE {
                flag(cx, meta, UNIQUE)?;
                set_once(cx, &mut out.unique, UNIQUE, span, span);
            } else if p == INDEX {
                flag(cx, meta, INDEX)?;
                set_once(cx, &mut out.index, INDEX, span, span);
            } else if p == REFERENCES {
                let r = parse_reference(cx, meta)?;
                if let Some(r) = r {
                    set_once(cx, &mut out.references, REFERENCES, span, r);
                }
            } else if p == ON_DELETE || p == ON_UPDATE {
                let name = if p == ON_DELETE { ON_DELETE } else { ON_UPDATE };
                if let Some(v) = string_value(cx, meta, name, "\"cascade\"")? {
                    match v.value().parse::<FkAction>() {
                        Ok(action) => {
                            let slot = if name == ON_DELETE {
                                &mut out.on_delete
                            } else {
                                &mut out.on_update
                            };
                            set_once(cx, slot, name, span, Spanned::new(action, v.span()));
                        }
                        Err(e) => {
                            cx.error_spanned_by(&v, format!("{e}, e.g. `{name} = \"cascade\"`"))
                        }
                    }
                }
            } else if p == CHECK {
                if let Some(v) = string_value(cx, meta, CHECK, "\"age >= 0\"")? {
                    set_once(cx, &mut out.check, CHECK, span, v);
                }
            } else if p == DEFAULT {
                if let Some(v) = string_value(cx, meta, DEFAULT, "\"0\"")? {
                    if v.value().trim().is_empty() {
                        cx.error_spanned_by(&v, "`default` needs an SQL expression, e.g. `default = \"0\"` or `default = \"'draft'\"`");
                    } else {
                        set_once(cx, &mut out.default, DEFAULT, span, v);
                    }
                }
            } else if p == SQL_TYPE {
                if let Some(v) = string_value(cx, meta, SQL_TYPE, "\"varchar(20)\"")? {
                    match v.value().parse::<ColumnType>() {
                        Ok(ty) => set_once(
                            cx,
                            &mut out.sql_type,
                            SQL_TYPE,
                            span,
                            Spanned::new(ty, v.span()),
                        ),
                        Err(e) => cx.error_spanned_by(&v, format!("invalid `sql_type`: {e}")),
                    }
                }
            } else if p == MAX_LEN {
                if let Some(v) = int_value::<u32>(cx, meta, MAX_LEN, "255")? {
                    if v.value == 0 {
                        cx.error_at(v.span, "`max_len` must be at least 1, e.g. `max_len = 255`");
                    } else {
                        set_once(cx, &mut out.max_len, MAX_LEN, span, v);
                    }
                }
            } else if p == PRECISION {
                if let Some(v) = int_value::<u8>(cx, meta, PRECISION, "10")? {
                    set_once(cx, &mut out.precision, PRECISION, span, v);
                }
            } else if p == SCALE {
                if let Some(v) = int_value::<u8>(cx, meta, SCALE, "2")? {
                    set_once(cx, &mut out.scale, SCALE, span, v);
                }
            } else if p == COMMENT {
                if let Some(v) = string_value(cx, meta, COMMENT, "\"what the column holds\"")? {
                    set_once(cx, &mut out.comment, COMMENT, span, v);
                }
            } else if p == RENAMED_FROM {
                if let Some(v) = string_value(cx, meta, RENAMED_FROM, "\"old_column\"")? {
                    set_once(cx, &mut out.renamed_from, RENAMED_FROM, span, v);
                }
            } else if CONTAINER_ATTRS.iter().any(|s| p == *s) {
                cx.error_at(
                    span,
                    format!(
                        "`{}` belongs on the struct, not on a field; field attributes are {}",
                        path_name(meta),
                        symbol::list(FIELD_ATTRS)
                    ),
                );
                skip_value(meta)?;
            } else {
                cx.error_spanned_by(
                    p,
                    format!(
                        "unknown model attribute `{}` on a field: use one of {}",
                        path_name(meta),
                        symbol::list(FIELD_ATTRS)
                    ),
                );
                skip_value(meta)?;
            }
            Ok(())
        });
        out
    }
}

trait SpanOfIdent {
    fn span_of_ident(&self) -> Span;
}

impl SpanOfIdent for syn::Path {
    fn span_of_ident(&self) -> Span {
        self.segments
            .last()
            .map(|s| s.ident.span())
            .unwrap_or_else(Span::call_site)
    }
}

/// Parses `(a, b desc)`, `(name = "...", columns(a, b), unique)` after a struct-level
/// `primary_key`, `unique` or `index`.
fn parse_key_list(cx: &Ctxt, meta: &ParseNestedMeta, kind: Symbol) -> syn::Result<KeyAttr> {
    let span = meta.path.span_of_ident();
    let example = match kind {
        PRIMARY_KEY => "primary_key(tenant_id, id)",
        UNIQUE => "unique(a, b)` or `unique(name = \"uq_x\", columns(a, b))",
        _ => "index(a, b desc)` or `index(name = \"ix_x\", columns(a, b desc), unique)",
    };
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!(
            "`{kind}` on a struct lists columns: write `{example}` (or put `{kind}` on the field)"
        )));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let mut key = KeyAttr {
        name: None,
        columns: Vec::new(),
        unique: false,
        span,
    };
    let mut listed_inline = false;
    while !content.is_empty() {
        let ident: Ident = content.call(syn::ext::IdentExt::parse_any)?;
        if ident == NAME && content.peek(Token![=]) && kind != PRIMARY_KEY {
            content.parse::<Token![=]>()?;
            let lit: LitStr = content.parse().map_err(|e| {
                syn::Error::new(e.span(), format!("`name` takes a string, e.g. `{example}`"))
            })?;
            set_once(cx, &mut key.name, NAME, ident.span(), lit);
        } else if ident == COLUMNS && content.peek(syn::token::Paren) && kind != PRIMARY_KEY {
            let inner;
            syn::parenthesized!(inner in content);
            if !key.columns.is_empty() {
                cx.error_at(
                    ident.span(),
                    format!("columns are listed twice in `{kind}`: write them once"),
                );
            }
            key.columns = parse_column_refs(&inner, kind == INDEX)?;
        } else if ident == UNIQUE
            && kind == INDEX
            && (content.is_empty() || content.peek(Token![,]))
        {
            key.unique = true;
        } else {
            let desc = parse_order(&content, kind == INDEX)?;
            key.columns.push(ColumnRef { ident, desc });
            listed_inline = true;
        }
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    if listed_inline && key.name.is_some() && kind != PRIMARY_KEY {
        // Mixing `name = ...` with bare columns reads ambiguously; the named form has
        // its own `columns(...)` list.
        cx.error_at(
            span,
            format!("a named `{kind}` lists its columns in `columns(...)`: write `{example}`"),
        );
    }
    if key.columns.is_empty() {
        cx.error_at(
            span,
            format!("`{kind}` needs at least one column: write `{example}`"),
        );
    }
    Ok(key)
}

/// Parses `a, b desc` inside `columns(...)`.
fn parse_column_refs(input: ParseStream, ordered: bool) -> syn::Result<Vec<ColumnRef>> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let ident: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        let desc = parse_order(input, ordered)?;
        out.push(ColumnRef { ident, desc });
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(out)
}

/// Parses an optional `asc` / `desc` after an index column.
fn parse_order(input: ParseStream, ordered: bool) -> syn::Result<bool> {
    if input.is_empty() || input.peek(Token![,]) {
        return Ok(false);
    }
    let word: Ident = input.parse()?;
    if ordered && word == DESC {
        Ok(true)
    } else if ordered && word == ASC {
        Ok(false)
    } else if ordered {
        Err(syn::Error::new(
            word.span(),
            "expected `asc`, `desc` or `,` after an index column",
        ))
    } else {
        Err(syn::Error::new(
            word.span(),
            "only index columns take an order (`asc`/`desc`); expected `,` here",
        ))
    }
}

/// Parses `check(name = "...", expr = "...")`.
fn parse_check(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<CheckAttr>> {
    const EXAMPLE: &str = "check(name = \"ck_users_adult\", expr = \"age >= 18\")";
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!(
            "a check on the struct is named: write `{EXAMPLE}` (or `check = \"...\"` on a field)"
        )));
    }
    let mut name = None;
    let mut expr = None;
    let span = meta.path.span_of_ident();
    meta.parse_nested_meta(|inner| {
        let s = inner.path.span_of_ident();
        if inner.path == NAME {
            if let Some(v) = string_value(cx, &inner, NAME, "\"ck_users_adult\"")? {
                set_once(cx, &mut name, NAME, s, v);
            }
        } else if inner.path == EXPR {
            if let Some(v) = string_value(cx, &inner, EXPR, "\"age >= 18\"")? {
                set_once(cx, &mut expr, EXPR, s, v);
            }
        } else {
            cx.error_spanned_by(
                &inner.path,
                format!("unknown key in `check(...)`: write `{EXAMPLE}`"),
            );
            skip_value(&inner)?;
        }
        Ok(())
    })?;
    match (name, expr) {
        (Some(name), Some(expr)) => Ok(Some(CheckAttr { name, expr })),
        (None, _) => {
            cx.error_at(
                span,
                format!("`check` on a struct needs a `name`: write `{EXAMPLE}`"),
            );
            Ok(None)
        }
        (_, None) => {
            cx.error_at(span, format!("`check` needs an `expr`: write `{EXAMPLE}`"));
            Ok(None)
        }
    }
}

/// Parses the value of `references`: `"table(col)"`, `Model` or `Model(col)`.
fn parse_reference(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Reference>> {
    const HOW: &str =
        "write `references = \"users(id)\"`, `references = User` or `references = User(id)`";
    if !meta.input.peek(Token![=]) {
        return Err(meta.error(format!("`references` needs a target: {HOW}")));
    }
    let input = meta.value()?;
    if input.peek(LitStr) {
        let lit: LitStr = input.parse()?;
        return Ok(match parse_table_ref(&lit.value()) {
            Some((table, columns)) => Some(Reference::Table {
                table,
                columns,
                lit,
            }),
            None => {
                cx.error_spanned_by(
                    &lit,
                    format!(
                        "malformed foreign-key target `{}`: expected `table(column)`; {HOW}",
                        lit.value()
                    ),
                );
                None
            }
        });
    }
    if input.peek(Lit) {
        let lit: Lit = input.parse()?;
        cx.error_spanned_by(&lit, format!("malformed foreign-key target: {HOW}"));
        return Ok(None);
    }
    let path = match input.call(syn::Path::parse_mod_style) {
        Ok(p) => p,
        Err(_) => {
            let bad = take_value_tokens(input)?;
            cx.error_spanned_by(bad, format!("malformed foreign-key target: {HOW}"));
            return Ok(None);
        }
    };
    let columns = if input.peek(syn::token::Paren) {
        let content;
        syn::parenthesized!(content in input);
        let cols = Punctuated::<Ident, Token![,]>::parse_terminated_with(
            &content,
            syn::ext::IdentExt::parse_any,
        )
        .map_err(|e| syn::Error::new(e.span(), format!("malformed foreign-key columns: {HOW}")))?;
        if cols.is_empty() {
            cx.error_spanned_by(
                &path,
                format!("empty column list in foreign-key target: {HOW}"),
            );
            return Ok(None);
        }
        Some(cols.into_iter().collect())
    } else {
        None
    };
    if !input.is_empty() && !input.peek(Token![,]) {
        let bad = take_value_tokens(input)?;
        cx.error_spanned_by(
            bad,
            format!("unexpected tokens after the foreign-key target: {HOW}"),
        );
        return Ok(None);
    }
    Ok(Some(Reference::Model { path, columns }))
}

/// Splits `users(id)` / `users(a, b)` into the table and its columns.
pub fn parse_table_ref(text: &str) -> Option<(String, Vec<String>)> {
    let text = text.trim();
    let open = text.find('(')?;
    let inner = text[open + 1..].strip_suffix(')')?;
    let table = text[..open].trim();
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.')
            && !s.starts_with(|c: char| c.is_ascii_digit())
    };
    if !ident(table) {
        return None;
    }
    let columns: Vec<String> = inner.split(',').map(|c| c.trim().to_string()).collect();
    if columns.iter().all(|c| ident(c) && !c.contains('.')) {
        Some((table.to_string(), columns))
    } else {
        None
    }
}

/// The text of the `///` doc comments among `attrs`, one line each, trimmed; `None`
/// when there is none.
pub fn doc_comment(attrs: &[Attribute]) -> Option<String> {
    let mut lines = Vec::new();
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta {
            if let syn::Expr::Lit(syn::ExprLit {
                lit: Lit::Str(s), ..
            }) = &nv.value
            {
                let v = s.value();
                lines.push(v.strip_prefix(' ').unwrap_or(&v).trim_end().to_string());
            }
        }
    }
    let text = lines.join("\n").trim().to_string();
    (!text.is_empty()).then_some(text)
}
