//! The struct-level lists (`primary_key(a, b)`, `unique(...)`, `index(...)`,
//! `check(...)`, `foreign_key(...)`), the field-level `primary_key(name = "...")`
//! and the target of `references = ...`.

use syn::meta::ParseNestedMeta;
use syn::parse::ParseStream;
use syn::punctuated::Punctuated;
use syn::{Ident, Lit, LitStr, Token};

use super::super::ctxt::Ctxt;
use super::super::symbol::*;
use super::value::{set_once, skip_value, string_value, take_value_tokens, SpanOfIdent};
use super::{
    deferrable, fk_action, CheckAttr, ColumnRef, ForeignKeyAttr, KeyAttr, KeyOption, KeyTarget,
    Reference, Spanned,
};
use migrate_core::schema::IndexMethod;

/// Parses `(a, b desc)`, `(name = "...", columns(a, b), unique)` after a struct-level
/// `primary_key`, `unique` or `index`.
pub(super) fn parse_key_list(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    kind: Symbol,
) -> syn::Result<KeyAttr> {
    let span = meta.path.span_of_ident();
    let example = match kind {
        PRIMARY_KEY => {
            "primary_key(tenant_id, id)` or `primary_key(name = \"users_pkey\", columns(id))"
        }
        UNIQUE => "unique(a, b)` or `unique(name = \"uq_x\", columns(a, b))",
        _ => {
            "index(a, b desc)` or `index(name = \"ix_x\", columns(a, \"lower(b)\" desc), \
             unique, where = \"deleted_at IS NULL\", method = \"gin\", include(c))"
        }
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
        expressions: Vec::new(),
        predicate: None,
        method: None,
        include: Vec::new(),
        key_options: Vec::new(),
        span,
    };
    let mut listed_inline = false;
    while !content.is_empty() {
        if kind == INDEX && content.peek(LitStr) {
            // An expression key written inline: `index("lower(email)")`.
            parse_expression_key(cx, &content, &mut key)?;
            listed_inline = true;
            if content.is_empty() {
                break;
            }
            content.parse::<Token![,]>()?;
            continue;
        }
        let ident: Ident = content.call(syn::ext::IdentExt::parse_any)?;
        if kind == INDEX && ident == WHERE && content.peek(Token![=]) {
            content.parse::<Token![=]>()?;
            let lit: LitStr = content.parse().map_err(|e| {
                syn::Error::new(
                    e.span(),
                    "`where` takes the SQL predicate as a string, e.g. `where = \"deleted_at IS NULL\"`",
                )
            })?;
            if lit.value().trim().is_empty() {
                cx.error_spanned_by(
                    &lit,
                    "`where` needs an SQL predicate, e.g. `where = \"deleted_at IS NULL\"`",
                );
            }
            set_once(cx, &mut key.predicate, WHERE, ident.span(), lit);
        } else if kind == INDEX && ident == METHOD && content.peek(Token![=]) {
            content.parse::<Token![=]>()?;
            let lit: LitStr = content.parse().map_err(|e| {
                syn::Error::new(e.span(), "`method` takes a string, e.g. `method = \"gin\"`")
            })?;
            match lit.value().parse::<IndexMethod>() {
                Ok(m) => set_once(
                    cx,
                    &mut key.method,
                    METHOD,
                    ident.span(),
                    Spanned::new(m, lit.span()),
                ),
                Err(e) => cx.error_spanned_by(&lit, e.to_string()),
            }
        } else if kind == INDEX && ident == INCLUDE && content.peek(syn::token::Paren) {
            let inner;
            syn::parenthesized!(inner in content);
            if !key.include.is_empty() {
                cx.error_at(ident.span(), "`include` is listed twice: write it once");
            }
            key.include = parse_column_refs(&inner, false)?;
            if key.include.is_empty() {
                cx.error_at(
                    ident.span(),
                    "`include(...)` needs at least one column, e.g. `include(email)`",
                );
            }
        } else if kind == INDEX
            && (ident == OPCLASS || ident == COLLATION)
            && content.peek(syn::token::Paren)
        {
            let what = if ident == OPCLASS { OPCLASS } else { COLLATION };
            let inner;
            syn::parenthesized!(inner in content);
            parse_key_options(cx, &inner, what, ident.span(), &mut key)?;
        } else if [WHERE, METHOD, INCLUDE, OPCLASS, COLLATION]
            .iter()
            .any(|w| ident == *w)
            && (content.peek(Token![=]) || content.peek(syn::token::Paren))
        {
            // Rule: partial, method and included columns are shapes of an index;
            // a primary key or unique constraint has none of them.
            return Err(syn::Error::new(
                ident.span(),
                format!(
                    "`{ident}` belongs to `index(...)`, not `{kind}`: write \
                     `index(name = \"uq_x\", columns(a), unique, {ident} ...)` for a unique \
                     index with this shape"
                ),
            ));
        } else if ident == NAME && content.peek(Token![=]) {
            content.parse::<Token![=]>()?;
            let lit: LitStr = content.parse().map_err(|e| {
                syn::Error::new(e.span(), format!("`name` takes a string, e.g. `{example}`"))
            })?;
            set_once(cx, &mut key.name, NAME, ident.span(), lit);
        } else if ident == COLUMNS && content.peek(syn::token::Paren) {
            let inner;
            syn::parenthesized!(inner in content);
            if !key.columns.is_empty() {
                cx.error_at(
                    ident.span(),
                    format!("columns are listed twice in `{kind}`: write them once"),
                );
            }
            if kind == INDEX {
                parse_index_keys(cx, &inner, &mut key)?;
            } else {
                key.columns = parse_column_refs(&inner, false)?;
            }
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
    if listed_inline && key.name.is_some() {
        // Mixing `name = ...` with bare columns reads ambiguously; the named form has
        // its own `columns(...)` list.
        cx.error_at(
            span,
            format!("a named `{kind}` lists its columns in `columns(...)`: write `{example}`"),
        );
    }
    if key.columns.is_empty() && key.expressions.is_empty() {
        cx.error_at(
            span,
            format!("`{kind}` needs at least one column: write `{example}`"),
        );
    }
    // Rule: a name made from the columns would leave the expressions out and could
    // clash, so an index with an expression key is named by the user.
    if let (Some((_, lit, _)), None) = (key.expressions.first(), &key.name) {
        cx.error_spanned_by(
            lit,
            "an index with an expression key needs a name: add `name = \"ix_...\"` to this `index(...)`",
        );
    }
    Ok(key)
}

/// Parses `a, "lower(b)" desc` inside an index's `columns(...)`: fields, and SQL
/// expressions as strings.
fn parse_index_keys(cx: &Ctxt, input: ParseStream, key: &mut KeyAttr) -> syn::Result<()> {
    while !input.is_empty() {
        if input.peek(LitStr) {
            parse_expression_key(cx, input, key)?;
        } else {
            let ident: Ident = input.call(syn::ext::IdentExt::parse_any)?;
            let desc = parse_order(input, true)?;
            key.columns.push(ColumnRef { ident, desc });
        }
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(())
}

/// Parses `a = "text_pattern_ops", b = "..."` inside an index's `opclass(...)` or
/// `collation(...)`.
fn parse_key_options(
    cx: &Ctxt,
    input: ParseStream,
    what: Symbol,
    span: proc_macro2::Span,
    key: &mut KeyAttr,
) -> syn::Result<()> {
    let example = if what == OPCLASS {
        "opclass(email = \"text_pattern_ops\")"
    } else {
        "collation(email = \"C\")"
    };
    if input.is_empty() {
        cx.error_at(
            span,
            format!("`{what}(...)` names no key: write `{example}`"),
        );
    }
    while !input.is_empty() {
        let target = if input.peek(LitStr) {
            KeyTarget::Expression(input.parse()?)
        } else {
            KeyTarget::Field(input.call(syn::ext::IdentExt::parse_any)?)
        };
        input.parse::<Token![=]>().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("`{what}(...)` gives each key a name as a string: write `{example}`"),
            )
        })?;
        let value: LitStr = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                format!("`{what}(...)` takes the name as a string: write `{example}`"),
            )
        })?;
        key.key_options.push(KeyOption {
            what,
            key: target,
            value,
        });
        if input.is_empty() {
            break;
        }
        input.parse::<Token![,]>()?;
    }
    Ok(())
}

/// Parses one expression key, `"lower(email)"` with an optional order.
fn parse_expression_key(cx: &Ctxt, input: ParseStream, key: &mut KeyAttr) -> syn::Result<()> {
    let lit: LitStr = input.parse()?;
    if lit.value().trim().is_empty() {
        cx.error_spanned_by(
            &lit,
            "an index expression needs SQL, e.g. `columns(\"lower(email)\")`",
        );
    }
    let desc = parse_order(input, true)?;
    let position = key.columns.len() + key.expressions.len();
    key.expressions.push((position, lit, desc));
    Ok(())
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

/// Parses the `(name = "...")` of a field-level `primary_key(name = "...")`.
pub(super) fn parse_pk_name(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<LitStr>> {
    const EXAMPLE: &str = "primary_key(name = \"users_pkey\")";
    let mut name = None;
    let mut unknown = false;
    let span = meta.path.span_of_ident();
    let group: proc_macro2::Group = meta.input.fork().parse()?;
    if group.stream().is_empty() {
        meta.input.parse::<proc_macro2::Group>()?;
        cx.error_at(
            span,
            format!("empty `primary_key()`: write `{EXAMPLE}` or just `primary_key`"),
        );
        return Ok(None);
    }
    meta.parse_nested_meta(|inner| {
        if inner.path == NAME {
            if let Some(v) = string_value(cx, &inner, NAME, "\"users_pkey\"")? {
                set_once(cx, &mut name, NAME, inner.path.span_of_ident(), v);
            }
        } else {
            cx.error_spanned_by(
                &inner.path,
                format!(
                    "unknown key in a field's `primary_key(...)`: only `name` goes here, \
                     e.g. `{EXAMPLE}`; a composite key is listed on the struct"
                ),
            );
            unknown = true;
            skip_value(&inner)?;
        }
        Ok(())
    })?;
    // After an unknown key, a missing name would only be a follow-on error.
    if name.is_none() && !unknown {
        cx.error_at(
            span,
            format!("`primary_key(...)` on a field needs a `name`: write `{EXAMPLE}` or just `primary_key`"),
        );
    }
    Ok(name)
}

/// A referenced table and its columns.
type TableRef = (String, Vec<String>);

/// Parses `foreign_key(columns(a, b), references = "t(x, y)", name = "...",
/// on_delete = "...", on_update = "...")` on the struct.
pub(super) fn parse_foreign_key(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
) -> syn::Result<Option<ForeignKeyAttr>> {
    const EXAMPLE: &str =
        "foreign_key(columns(tenant_id, user_id), references = \"users(tenant_id, id)\")";
    let span = meta.path.span_of_ident();
    if !meta.input.peek(syn::token::Paren) {
        return Err(meta.error(format!(
            "`foreign_key` on a struct lists its columns and target: write `{EXAMPLE}` (for \
             one column, put `references = ...` on the field)"
        )));
    }
    let mut columns: Option<Vec<ColumnRef>> = None;
    // The `references` string and, when it parsed, its table and columns.
    let mut target: Option<(LitStr, Option<TableRef>)> = None;
    let mut name = None;
    let mut on_delete = None;
    let mut on_update = None;
    let mut deferred = None;
    meta.parse_nested_meta(|inner| {
        let s = inner.path.span_of_ident();
        if inner.path == COLUMNS {
            if !inner.input.peek(syn::token::Paren) {
                return Err(inner.error(format!("`columns` lists fields: write `{EXAMPLE}`")));
            }
            let list;
            syn::parenthesized!(list in inner.input);
            let cols = parse_column_refs(&list, false)?;
            set_once(cx, &mut columns, COLUMNS, s, cols);
        } else if inner.path == REFERENCES {
            if let Some(v) = string_value(cx, &inner, REFERENCES, "\"users(tenant_id, id)\"")? {
                let parsed = parse_table_ref(&v.value());
                if parsed.is_none() {
                    cx.error_spanned_by(
                        &v,
                        format!(
                            "malformed foreign-key target `{}`: expected `table(column, ...)`, \
                             e.g. `{EXAMPLE}`",
                            v.value()
                        ),
                    );
                }
                set_once(cx, &mut target, REFERENCES, s, (v, parsed));
            }
        } else if inner.path == NAME {
            if let Some(v) = string_value(cx, &inner, NAME, "\"fk_orders_user\"")? {
                set_once(cx, &mut name, NAME, s, v);
            }
        } else if inner.path == ON_DELETE {
            if let Some(a) = fk_action(cx, &inner, ON_DELETE)? {
                set_once(cx, &mut on_delete, ON_DELETE, s, a);
            }
        } else if inner.path == ON_UPDATE {
            if let Some(a) = fk_action(cx, &inner, ON_UPDATE)? {
                set_once(cx, &mut on_update, ON_UPDATE, s, a);
            }
        } else if inner.path == DEFERRABLE {
            if let Some(d) = deferrable(cx, &inner)? {
                set_once(cx, &mut deferred, DEFERRABLE, s, d);
            }
        } else {
            cx.error_spanned_by(
                &inner.path,
                format!(
                    "unknown key in `foreign_key(...)`: use `columns`, `references`, `name`, \
                     `on_delete`, `on_update` or `deferrable`, e.g. `{EXAMPLE}`"
                ),
            );
            skip_value(&inner)?;
        }
        Ok(())
    })?;
    let Some(columns) = columns.filter(|c| !c.is_empty()) else {
        cx.error_at(
            span,
            format!("`foreign_key` needs its columns: write `{EXAMPLE}`"),
        );
        return Ok(None);
    };
    let Some((references, parsed)) = target else {
        cx.error_at(
            span,
            format!("`foreign_key` needs a `references` target: write `{EXAMPLE}`"),
        );
        return Ok(None);
    };
    let Some((ref_table, ref_columns)) = parsed else {
        return Ok(None);
    };
    Ok(Some(ForeignKeyAttr {
        columns,
        ref_table,
        ref_columns,
        references,
        name,
        on_delete,
        on_update,
        deferrable: deferred,
        span,
    }))
}

/// Parses `check(name = "...", expr = "...")`.
pub(super) fn parse_check(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<CheckAttr>> {
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
pub(super) fn parse_reference(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Reference>> {
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
