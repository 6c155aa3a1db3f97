//! Reading one attribute value: strings, whole numbers, flags, doc comments, with
//! the errors for a value of the wrong kind and for duplicates.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::{Attribute, Lit, LitInt, LitStr, Token};

use super::super::ctxt::Ctxt;
use super::super::symbol::Symbol;
use super::Spanned;

/// Stores `value` in `slot`, or reports a duplicate at `span`.
pub(super) fn set_once<T>(cx: &Ctxt, slot: &mut Option<T>, name: Symbol, span: Span, value: T) {
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
pub(super) fn string_value(
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
pub(super) fn int_value<N>(
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
pub(super) fn take_value_tokens(input: ParseStream) -> syn::Result<TokenStream> {
    let mut out = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        out.extend([input.parse::<TokenTree>()?]);
    }
    Ok(out)
}

/// Skips whatever follows an unknown attribute name (`= value` or `(...)`).
pub(super) fn skip_value(meta: &ParseNestedMeta) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        meta.input.parse::<Token![=]>()?;
    }
    take_value_tokens(meta.input).map(|_| ())
}

/// Reports a flag written with a value (`unique = true`), and skips the value.
pub(super) fn flag(cx: &Ctxt, meta: &ParseNestedMeta, name: Symbol) -> syn::Result<()> {
    if !meta.input.is_empty() && !meta.input.peek(Token![,]) {
        let value = take_value_tokens(meta.input)?;
        cx.error_spanned_by(
            value,
            format!("`{name}` is a flag and takes no value: write just `{name}`"),
        );
    }
    Ok(())
}

pub(super) trait SpanOfIdent {
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
