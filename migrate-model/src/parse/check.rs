//! The rules that look at more than one attribute: a field's type with its
//! attributes, the primary key across fields and struct, column lists that name
//! fields, name lengths and name clashes.
//!
//! Each rule records its error in the [`Ctxt`] and returns what it could still make
//! of the input, so all problems surface in one build.

use std::collections::BTreeMap;

use proc_macro2::Span;

use super::ast::Field;
use super::attr::ColumnRef;
use super::ctxt::Ctxt;
use super::symbol::{Symbol, SKIP};
use super::types::{MappedType, RustKind};
use migrate_core::naming::MAX_IDENTIFIER_LEN;
use migrate_core::types::ColumnType;

/// Rule: `skip` stands alone. A skipped field is not a column, so any other
/// attribute on it would be silently ignored; say so instead.
pub fn skip_alone(cx: &Ctxt, field: &Field) {
    for (sym, span) in &field.attrs.written {
        if *sym != SKIP {
            cx.error_at(
                *span,
                format!(
                    "`{sym}` has no effect on a `skip` field (it is not a column): remove `{sym}` \
                     or remove `skip`"
                ),
            );
        }
    }
}

/// Rule: every name the database sees fits in [`MAX_IDENTIFIER_LEN`] bytes and is
/// not empty; a longer name is cut by PostgreSQL and refused by MySQL.
pub fn identifier(cx: &Ctxt, what: &str, name: &str, span: Span) -> bool {
    if name.trim().is_empty() {
        cx.error_at(span, format!("the {what} is empty: write a name"));
        return false;
    }
    if name.len() > MAX_IDENTIFIER_LEN {
        cx.error_at(
            span,
            format!(
                "the {what} `{name}` is {} bytes long, over the limit of {MAX_IDENTIFIER_LEN} \
                 that every supported database accepts: write a shorter name",
                name.len()
            ),
        );
        return false;
    }
    true
}

/// Rule: `schema = "..."` names one PostgreSQL schema: a plain identifier (no dot,
/// which would read as a schema of a schema). Whether the
/// project's database has schemas at all is the build script's to say: the derive
/// does not know the database.
pub fn schema_name(cx: &Ctxt, lit: &syn::LitStr) -> Option<String> {
    let name = lit.value();
    if !identifier(cx, "schema name", &name, lit.span()) {
        return None;
    }
    if name.contains('.') {
        cx.error_at(
            lit.span(),
            format!("the schema name `{name}` holds a dot: write one schema, e.g. `schema = \"billing\"`"),
        );
        return None;
    }
    Some(name)
}

/// Rule: the column type comes from `sql_type` when given, else from the Rust type,
/// refined by `max_len` (strings) or `precision`/`scale` (decimals). An attribute
/// that does not apply to the type is an error, not a silent no-op.
pub fn column_type(cx: &Ctxt, field: &Field, mapped: &MappedType) -> Option<ColumnType> {
    let a = &field.attrs;
    if let Some(sql) = &a.sql_type {
        let conflicts: [(Option<Span>, &str); 3] = [
            (a.max_len.as_ref().map(|v| v.span), "max_len"),
            (a.precision.as_ref().map(|v| v.span), "precision"),
            (a.scale.as_ref().map(|v| v.span), "scale"),
        ];
        for (span, name) in conflicts {
            if let Some(span) = span {
                cx.error_at(
                    span,
                    format!(
                        "`{name}` conflicts with `sql_type`: put the size in the type, e.g. \
                         `sql_type = \"varchar(20)\"` or `sql_type = \"decimal(10,2)\"`"
                    ),
                );
            }
        }
        return Some(sql.value.clone());
    }
    if let (None, Some(element)) = (&mapped.kind, &mapped.array_of) {
        if let Some(ty) = super::column_extras::array_type(element) {
            return Some(ty);
        }
    }
    let Some(kind) = &mapped.kind else {
        // Rule: `usize`, `isize`, `u128` and `i128` have no portable column type;
        // name the fixed-width type that does.
        let instead = match mapped.written.as_str() {
            "usize" => Some(("its width depends on the machine", "u64 or u32")),
            "isize" => Some(("its width depends on the machine", "i64 or i32")),
            "u128" | "i128" => Some(("no database has 128-bit integers", "u64 or i64")),
            "i8" => Some(("sqlx reads no i8 from PostgreSQL", "i16")),
            _ => None,
        };
        if let Some((why, instead)) = instead {
            cx.error_spanned_by(
                field.ty,
                format!(
                    "`{}` has no column type ({why}): use {instead}",
                    mapped.written
                ),
            );
            return None;
        }
        cx.error_spanned_by(
            field.ty,
            format!(
                "no column type is known for the Rust type `{}`: add \
                 `#[model(sql_type = \"...\")]` with the column type (e.g. `sql_type = \"json\"` \
                 or `sql_type = \"raw(CITEXT)\"`), or `#[model(skip)]` if it is not a column",
                mapped.written
            ),
        );
        return None;
    };
    let ty_name = &mapped.written;
    if let Some(max_len) = &a.max_len {
        if *kind != RustKind::String {
            cx.error_at(
                max_len.span,
                format!(
                    "`max_len` applies to `String` fields (it makes a varchar(n)), but this field \
                     is `{ty_name}`: remove `max_len`"
                ),
            );
        }
    }
    if *kind != RustKind::Decimal {
        for (v, name) in [(&a.precision, "precision"), (&a.scale, "scale")] {
            if let Some(v) = v {
                cx.error_at(
                    v.span,
                    format!(
                        "`{name}` applies to `Decimal` fields, but this field is `{ty_name}`: \
                         remove `{name}`, or use `sql_type = \"decimal(P,S)\"`"
                    ),
                );
            }
        }
    }
    Some(match kind {
        RustKind::I16 => ColumnType::SmallInt,
        RustKind::I32 => ColumnType::Integer,
        RustKind::I64 => ColumnType::BigInt,
        RustKind::Unsigned(bits) => ColumnType::Unsigned(*bits),
        RustKind::F32 => ColumnType::Float,
        RustKind::F64 => ColumnType::Double,
        RustKind::Bool => ColumnType::Boolean,
        RustKind::String => match &a.max_len {
            Some(n) => ColumnType::Varchar(n.value),
            None => ColumnType::Text,
        },
        RustKind::Bytes => ColumnType::Bytes,
        RustKind::Date => ColumnType::Date,
        RustKind::Time => ColumnType::Time,
        RustKind::Timestamp => ColumnType::Timestamp,
        RustKind::TimestampTz => ColumnType::TimestampTz,
        RustKind::Uuid => ColumnType::Uuid,
        RustKind::Json => ColumnType::Json,
        RustKind::Decimal => return decimal(cx, field),
    })
}

/// Rule: a `Decimal` column states both precision and scale (databases disagree on
/// the defaults), with `0 < precision` and `scale <= precision`.
fn decimal(cx: &Ctxt, field: &Field) -> Option<ColumnType> {
    const HOW: &str = "write `#[model(precision = 10, scale = 2)]` (10 digits, 2 after the point)";
    let a = &field.attrs;
    match (&a.precision, &a.scale) {
        (Some(p), Some(s)) => {
            if p.value == 0 {
                cx.error_at(p.span, format!("`precision` must be at least 1: {HOW}"));
                None
            } else if s.value > p.value {
                cx.error_at(
                    s.span,
                    format!(
                        "`scale` ({}) is larger than `precision` ({}): the scale counts digits \
                         after the point among the precision's; {HOW}",
                        s.value, p.value
                    ),
                );
                None
            } else {
                Some(ColumnType::Decimal {
                    precision: p.value,
                    scale: s.value,
                })
            }
        }
        (Some(p), None) => {
            cx.error_at(p.span, format!("`precision` without `scale`: {HOW}"));
            None
        }
        (None, Some(s)) => {
            cx.error_at(s.span, format!("`scale` without `precision`: {HOW}"));
            None
        }
        (None, None) => {
            cx.error_spanned_by(
                field.ty,
                format!("a `Decimal` column needs a precision and a scale: {HOW}"),
            );
            None
        }
    }
}

/// Rule: `autoincrement` only on integer columns (identity, serial and
/// AUTO_INCREMENT are integer features in every database).
pub fn autoincrement(cx: &Ctxt, span: Span, ty: &ColumnType) -> bool {
    if ty.is_integer() {
        true
    } else {
        cx.error_at(
            span,
            format!(
                "`autoincrement` needs an integer column (i16, i32, i64 or u8..u64), but this column is \
                 {ty}: remove `autoincrement`"
            ),
        );
        false
    }
}

/// The fields a struct-level list can name: field name (or column name) to column.
pub struct ColumnLookup {
    by_name: BTreeMap<String, String>,
    skipped: Vec<String>,
}

impl ColumnLookup {
    /// An empty lookup.
    pub fn new() -> Self {
        ColumnLookup {
            by_name: BTreeMap::new(),
            skipped: Vec::new(),
        }
    }

    /// Records a field and its column.
    pub fn add(&mut self, field: &str, column: &str) {
        self.by_name.insert(field.to_string(), column.to_string());
        self.by_name
            .entry(column.to_string())
            .or_insert_with(|| column.to_string());
    }

    /// Records a skipped field (named in an error if a list mentions it).
    pub fn add_skipped(&mut self, field: &str) {
        self.skipped.push(field.to_string());
    }

    /// Rule: every column of a struct-level `primary_key(...)`, `unique(...)` or
    /// `index(...)` names a field that is a column, at most once.
    pub fn resolve(
        &self,
        cx: &Ctxt,
        kind: Symbol,
        refs: &[ColumnRef],
    ) -> Option<Vec<(String, bool)>> {
        let mut out: Vec<(String, bool)> = Vec::new();
        let mut ok = true;
        for r in refs {
            let name = syn::ext::IdentExt::unraw(&r.ident).to_string();
            match self.by_name.get(&name) {
                Some(col) if out.iter().any(|(c, _)| c == col) => {
                    cx.error_at(
                        r.ident.span(),
                        format!("`{name}` is listed twice in `{kind}(...)`"),
                    );
                    ok = false;
                }
                Some(col) => out.push((col.clone(), r.desc)),
                None if self.skipped.contains(&name) => {
                    cx.error_at(
                        r.ident.span(),
                        format!(
                            "`{kind}(...)` names `{name}`, which is `skip`ped and so not a column"
                        ),
                    );
                    ok = false;
                }
                None => {
                    let known: Vec<&str> = self.by_name.keys().map(String::as_str).collect();
                    cx.error_at(
                        r.ident.span(),
                        format!(
                            "`{kind}(...)` names `{name}`, which is not a field of this struct; \
                             the fields are: {}",
                            known.join(", ")
                        ),
                    );
                    ok = false;
                }
            }
        }
        ok.then_some(out)
    }
}

impl Default for ColumnLookup {
    fn default() -> Self {
        Self::new()
    }
}

/// Rule: constraint and index names are unique within the table (the databases
/// share one namespace for them per table or per schema).
pub fn unique_names(cx: &Ctxt, names: &[(String, Span)]) {
    let mut seen: BTreeMap<&str, ()> = BTreeMap::new();
    for (name, span) in names {
        if seen.insert(name.as_str(), ()).is_some() {
            cx.error_at(
                *span,
                format!("the constraint or index name `{name}` is used twice in this table: give one of them another `name`"),
            );
        }
    }
}
