//! `#[model(...)]` attributes turned into typed values.
//!
//! Each value keeps the tokens it came from, so a later rule can point at the exact
//! attribute. Errors here are about one attribute on its own: unknown names,
//! duplicates, values of the wrong kind, unparsable types or actions. Rules that
//! involve several fields or the field's type are in `check.rs` and `types.rs`.

mod column_extras;
mod list;
mod value;

use proc_macro2::Span;
use quote::ToTokens;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, Ident, LitStr};

pub use list::parse_table_ref;
use list::{parse_check, parse_foreign_key, parse_key_list, parse_pk_name, parse_reference};
pub use value::doc_comment;
use value::{flag, int_value, set_once, skip_value, string_value, SpanOfIdent};

use super::ctxt::Ctxt;
use super::symbol::{self, Symbol, *};
use migrate_core::column_extras::{Generated, PerDatabase};
use migrate_core::schema::{Deferrable, FkAction, IndexMethod};
use migrate_core::types::ColumnType;

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
    /// SQL expressions among the keys (indexes only): the position in the key list
    /// (counting columns and expressions), the literal and its order.
    pub expressions: Vec<(usize, LitStr, bool)>,
    /// `where = "..."` (indexes only).
    pub predicate: Option<LitStr>,
    /// `method = "..."` (indexes only).
    pub method: Option<Spanned<IndexMethod>>,
    /// `include(a, b)` (indexes only).
    pub include: Vec<ColumnRef>,
    /// `opclass(a = "...")` and `collation(a = "...")` (indexes only), in order.
    pub key_options: Vec<KeyOption>,
    /// The attribute keyword, for errors about the whole list.
    pub span: Span,
}

/// The key an `opclass`/`collation` entry is for.
#[derive(Clone, Debug)]
pub enum KeyTarget {
    /// `email = "..."`: a field.
    Field(Ident),
    /// `"lower(email)" = "..."`: an expression key.
    Expression(LitStr),
}

/// One key's `opclass(key = "...")` or `collation(key = "...")` in an `index(...)`.
#[derive(Clone, Debug)]
pub struct KeyOption {
    /// `OPCLASS` or `COLLATION`.
    pub what: Symbol,
    /// The key: a field of the index's key list, or an expression key's SQL as
    /// written there.
    pub key: KeyTarget,
    /// The operator class or collation name.
    pub value: LitStr,
}

/// `check(name = "...", expr = "...")` on the struct.
#[derive(Clone, Debug)]
pub struct CheckAttr {
    /// Constraint name.
    pub name: LitStr,
    /// SQL boolean expression.
    pub expr: LitStr,
}

/// `foreign_key(columns(a, b), references = "t(x, y)", ...)` on the struct.
#[derive(Clone, Debug)]
pub struct ForeignKeyAttr {
    /// The local columns, in order.
    pub columns: Vec<ColumnRef>,
    /// The referenced table.
    pub ref_table: String,
    /// The referenced columns, in order.
    pub ref_columns: Vec<String>,
    /// The `references` string, for errors about the target.
    pub references: LitStr,
    /// `name = "..."`, if given.
    pub name: Option<LitStr>,
    /// `on_delete = "..."`.
    pub on_delete: Option<Spanned<FkAction>>,
    /// `on_update = "..."`.
    pub on_update: Option<Spanned<FkAction>>,
    /// `deferrable = "..."`.
    pub deferrable: Option<Spanned<Deferrable>>,
    /// The `foreign_key` keyword.
    pub span: Span,
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
    /// `schema = "..."`: the PostgreSQL schema of the table.
    pub schema: Option<LitStr>,
    /// `primary_key(a, b)` or `primary_key(name = "...", columns(a, b))`.
    pub primary_key: Option<KeyAttr>,
    /// `no_primary_key`.
    pub no_primary_key: Option<Span>,
    /// `unique(...)`, repeatable.
    pub uniques: Vec<KeyAttr>,
    /// `index(...)`, repeatable.
    pub indexes: Vec<KeyAttr>,
    /// `check(name = "...", expr = "...")`, repeatable.
    pub checks: Vec<CheckAttr>,
    /// `foreign_key(columns(...), references = "...")`, repeatable.
    pub foreign_keys: Vec<ForeignKeyAttr>,
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
    /// `primary_key` or `primary_key(name = "...")`.
    pub primary_key: Option<Span>,
    /// The `name` of `primary_key(name = "...")`.
    pub primary_key_name: Option<LitStr>,
    /// `autoincrement`.
    pub autoincrement: Option<Span>,
    /// `nullable_key`: the primary-key column accepts NULL (legacy SQLite).
    pub nullable_key: Option<Span>,
    /// `unique`.
    pub unique: Option<Span>,
    /// `index`.
    pub index: Option<Span>,
    /// `references = ...`.
    pub references: Option<Reference>,
    /// `fk_name = "..."`: the name of the foreign key of `references`.
    pub fk_name: Option<LitStr>,
    /// `on_delete = "..."`.
    pub on_delete: Option<Spanned<FkAction>>,
    /// `on_update = "..."`.
    pub on_update: Option<Spanned<FkAction>>,
    /// `deferrable = "..."`.
    pub deferrable: Option<Spanned<Deferrable>>,
    /// `check = "..."`.
    pub check: Option<LitStr>,
    /// `default = "..."`.
    pub default: Option<LitStr>,
    /// `sql_type = "..."`, already parsed.
    pub sql_type: Option<Spanned<ColumnType>>,
    /// `generated = "..."` or `generated(...)`.
    pub generated: Option<Spanned<Generated>>,
    /// `collation(postgres = "...", ...)`.
    pub collation: Option<Spanned<PerDatabase>>,
    /// `on_update_current_timestamp`.
    pub on_update_current_timestamp: Option<Span>,
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

/// Reads `on_delete = "..."` / `on_update = "..."` as an action.
fn fk_action(
    cx: &Ctxt,
    meta: &ParseNestedMeta,
    name: Symbol,
) -> syn::Result<Option<Spanned<FkAction>>> {
    let Some(v) = string_value(cx, meta, name, "\"cascade\"")? else {
        return Ok(None);
    };
    match v.value().parse::<FkAction>() {
        Ok(action) => Ok(Some(Spanned::new(action, v.span()))),
        Err(e) => {
            cx.error_spanned_by(&v, format!("{e}, e.g. `{name} = \"cascade\"`"));
            Ok(None)
        }
    }
}

/// Reads `deferrable = "immediate"` / `"deferred"`.
fn deferrable(cx: &Ctxt, meta: &ParseNestedMeta) -> syn::Result<Option<Spanned<Deferrable>>> {
    let Some(v) = string_value(cx, meta, DEFERRABLE, "\"deferred\"")? else {
        return Ok(None);
    };
    match v.value().parse::<Deferrable>() {
        Ok(d) => Ok(Some(Spanned::new(d, v.span()))),
        Err(e) => {
            cx.error_spanned_by(&v, format!("{e}, e.g. `deferrable = \"deferred\"`"));
            Ok(None)
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
            } else if p == NO_PRIMARY_KEY {
                flag(cx, meta, NO_PRIMARY_KEY)?;
                set_once(cx, &mut out.no_primary_key, NO_PRIMARY_KEY, span, span);
            } else if p == UNIQUE {
                out.uniques.push(parse_key_list(cx, meta, UNIQUE)?);
            } else if p == INDEX {
                out.indexes.push(parse_key_list(cx, meta, INDEX)?);
            } else if p == FOREIGN_KEY {
                if let Some(fk) = parse_foreign_key(cx, meta)? {
                    out.foreign_keys.push(fk);
                }
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
            } else if p == SCHEMA {
                if let Some(v) = string_value(cx, meta, SCHEMA, "\"billing\"")? {
                    set_once(cx, &mut out.schema, SCHEMA, span, v);
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
                // Recorded first, so a malformed name is not followed by "no primary key".
                set_once(cx, &mut out.primary_key, PRIMARY_KEY, span, span);
                if meta.input.peek(syn::token::Paren) {
                    if let Some(name) = parse_pk_name(cx, meta)? {
                        set_once(cx, &mut out.primary_key_name, NAME, span, name);
                    }
                } else {
                    flag(cx, meta, PRIMARY_KEY)?;
                }
            } else if p == AUTOINCREMENT {
                flag(cx, meta, AUTOINCREMENT)?;
                set_once(cx, &mut out.autoincrement, AUTOINCREMENT, span, span);
            } else if p == NULLABLE_KEY {
                flag(cx, meta, NULLABLE_KEY)?;
                set_once(cx, &mut out.nullable_key, NULLABLE_KEY, span, span);
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
            } else if p == FK_NAME {
                if let Some(v) = string_value(cx, meta, FK_NAME, "\"posts_user_id_fkey\"")? {
                    set_once(cx, &mut out.fk_name, FK_NAME, span, v);
                }
            } else if p == ON_DELETE || p == ON_UPDATE {
                let name = if p == ON_DELETE { ON_DELETE } else { ON_UPDATE };
                if let Some(action) = fk_action(cx, meta, name)? {
                    let slot = if name == ON_DELETE {
                        &mut out.on_delete
                    } else {
                        &mut out.on_update
                    };
                    set_once(cx, slot, name, span, action);
                }
            } else if p == DEFERRABLE {
                if let Some(d) = deferrable(cx, meta)? {
                    set_once(cx, &mut out.deferrable, DEFERRABLE, span, d);
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
            } else if p == SQL_TYPE && meta.input.peek(syn::token::Paren) {
                let example =
                    "sql_type(postgres = \"text[]\", mysql = \"json\", sqlite = \"text\")";
                if let Some(v) = column_extras::parse_per_database(cx, meta, SQL_TYPE, example)? {
                    let ty = Spanned::new(ColumnType::PerDatabase(v.value), v.span);
                    set_once(cx, &mut out.sql_type, SQL_TYPE, span, ty);
                }
            } else if p == COLLATION {
                let example =
                    "collation(postgres = \"C\", mysql = \"utf8mb4_bin\", sqlite = \"NOCASE\")";
                if !meta.input.peek(syn::token::Paren) {
                    return Err(meta.error(format!(
                        "`collation` names a collation per database (their names differ): write `{example}`"
                    )));
                }
                if let Some(v) = column_extras::parse_per_database(cx, meta, COLLATION, example)? {
                    set_once(cx, &mut out.collation, COLLATION, span, v);
                }
            } else if p == GENERATED {
                if let Some(g) = column_extras::parse_generated(cx, meta)? {
                    set_once(cx, &mut out.generated, GENERATED, span, g);
                }
            } else if p == ON_UPDATE_CURRENT_TIMESTAMP {
                flag(cx, meta, ON_UPDATE_CURRENT_TIMESTAMP)?;
                set_once(
                    cx,
                    &mut out.on_update_current_timestamp,
                    ON_UPDATE_CURRENT_TIMESTAMP,
                    span,
                    span,
                );
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
