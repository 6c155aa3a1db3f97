//! The column shapes that differ per database: `sql_type(postgres = "...", ...)`,
//! `collation(postgres = "...", ...)` and `generated = "..."` /
//! `generated(expr = "...", virtual, mysql = "...")`.

use syn::meta::ParseNestedMeta;
use syn::{Ident, LitStr, Token};

use super::super::ctxt::Ctxt;
use super::super::symbol::*;
use super::value::{set_once, SpanOfIdent};
use super::Spanned;
use migrate_core::column_extras::{Generated, PerDatabase};
use migrate_core::dialect::DialectKind;

/// The database a key names (`postgres`, `mysql`, `sqlite`).
fn database(ident: &Ident) -> Option<DialectKind> {
    match ident.to_string().as_str() {
        "postgres" => Some(DialectKind::Postgres),
        "mysql" => Some(DialectKind::MySql),
        "sqlite" => Some(DialectKind::Sqlite),
        _ => None,
    }
}

/// Reads `KEY = "text"` inside a list, with the error for a missing or non-string
/// value naming `example`.
fn text_value(content: syn::parse::ParseStream, key: &Ident, example: &str) -> syn::Result<LitStr> {
    if !content.peek(Token![=]) {
        return Err(syn::Error::new(
            key.span(),
            format!("`{key}` takes a string: write `{example}`"),
        ));
    }
    content.parse::<Token![=]>()?;
    content.parse::<LitStr>().map_err(|e| {
        syn::Error::new(
            e.span(),
            format!("`{key}` takes a string: write `{example}`"),
        )
    })
}

/// Stores `lit` as the text for `kind` in `out`, refusing an empty text and a
/// database given twice.
fn put(
    cx: &Ctxt,
    out: &mut PerDatabase,
    kind: DialectKind,
    key: &Ident,
    lit: &LitStr,
    what: Symbol,
) {
    let text = lit.value();
    if text.trim().is_empty() {
        cx.error_spanned_by(
            lit,
            format!("`{key}` in `{what}(...)` is empty: write the SQL for {kind}"),
        );
    } else if out.get(kind).is_some() {
        cx.error_at(
            key.span(),
            format!("`{key}` is given twice in `{what}(...)`: keep one"),
        );
    } else {
        *out.slot(kind) = Some(text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
}

/// Parses `(postgres = "...", mysql = "...", sqlite = "...")` after `what`
/// (`sql_type` or `collation`); at least one database.
pub(super) fn parse_per_database(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    what: Symbol,
    example: &str,
) -> syn::Result<Option<Spanned<PerDatabase>>> {
    let span = meta.path.span_of_ident();
    let content;
    syn::parenthesized!(content in meta.input);
    let mut out = PerDatabase::default();
    while !content.is_empty() {
        let key: Ident = content.call(syn::ext::IdentExt::parse_any)?;
        let Some(kind) = database(&key) else {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "unknown database `{key}` in `{what}(...)`: use `postgres`, `mysql` or \
                     `sqlite`, e.g. `{example}`"
                ),
            ));
        };
        let lit = text_value(&content, &key, example)?;
        put(cx, &mut out, kind, &key, &lit, what);
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    if out.is_empty() {
        cx.error_at(
            span,
            format!("`{what}(...)` names no database: write `{example}`"),
        );
        return Ok(None);
    }
    Ok(Some(Spanned::new(out, span)))
}

/// Parses `generated = "expr"` (stored) or `generated(expr = "...", virtual,
/// postgres = "...", mysql = "...", sqlite = "...")`.
pub(super) fn parse_generated(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
) -> syn::Result<Option<Spanned<Generated>>> {
    const EXAMPLE: &str =
        "generated = \"price * qty\"` or `generated(expr = \"price * qty\", virtual)";
    let span = meta.path.span_of_ident();
    if meta.input.peek(Token![=]) {
        let Some(lit) = super::value::string_value(cx, meta, GENERATED, "\"price * qty\"")? else {
            return Ok(None);
        };
        if lit.value().trim().is_empty() {
            cx.error_spanned_by(
                &lit,
                format!("`generated` needs an SQL expression: write `{EXAMPLE}`"),
            );
            return Ok(None);
        }
        return Ok(Some(Spanned::new(
            Generated::stored(lit.value().trim()),
            span,
        )));
    }
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!(
            "`generated` takes an SQL expression: write `{EXAMPLE}`"
        )));
    }
    let content;
    syn::parenthesized!(content in meta.input);
    let mut expr: Option<LitStr> = None;
    let mut kind_word: Option<bool> = None;
    let mut per_database = PerDatabase::default();
    while !content.is_empty() {
        let key: Ident = content.call(syn::ext::IdentExt::parse_any)?;
        if key == EXPR {
            let lit = text_value(&content, &key, EXAMPLE)?;
            set_once(cx, &mut expr, EXPR, key.span(), lit);
        } else if key == "stored" || key == "virtual" {
            if kind_word.is_some() {
                cx.error_at(
                    key.span(),
                    "`stored` and `virtual` exclude each other: keep one",
                );
            } else {
                kind_word = Some(key == "stored");
            }
        } else if let Some(kind) = database(&key) {
            let lit = text_value(&content, &key, EXAMPLE)?;
            put(cx, &mut per_database, kind, &key, &lit, GENERATED);
        } else {
            return Err(syn::Error::new(
                key.span(),
                format!(
                    "unknown key `{key}` in `generated(...)`: use `expr`, `stored`, `virtual`, \
                     `postgres`, `mysql` or `sqlite`"
                ),
            ));
        }
        if content.is_empty() {
            break;
        }
        content.parse::<Token![,]>()?;
    }
    let Some(expr) = expr else {
        cx.error_at(
            span,
            format!("`generated(...)` needs `expr = \"...\"`: write `{EXAMPLE}`"),
        );
        return Ok(None);
    };
    if expr.value().trim().is_empty() {
        cx.error_spanned_by(
            &expr,
            format!("`expr` needs an SQL expression: write `{EXAMPLE}`"),
        );
        return Ok(None);
    }
    Ok(Some(Spanned::new(
        Generated {
            expr: expr.value().trim().to_string(),
            stored: kind_word.unwrap_or(true),
            per_database,
        },
        span,
    )))
}
