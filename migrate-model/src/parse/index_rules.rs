//! Rules of one `index(...)` that hold on every database (what a database lacks
//! is refused when rendering for it, see `migrate_core::index_shape`).

use super::attr::{ColumnRef, KeyAttr, KeyTarget};
use super::check::ColumnLookup;
use super::ctxt::Ctxt;
use super::symbol::OPCLASS;
use migrate_core::schema::{IndexColumn, IndexMethod};

/// Checks the rules of one struct-level `index(...)`.
pub(super) fn check(cx: &Ctxt, index: &KeyAttr) {
    // Rule: only a B-tree enforces uniqueness (PostgreSQL refuses `UNIQUE ... USING
    // gin`, MySQL a unique FULLTEXT index).
    if let Some(method) = &index.method {
        if index.unique && !IndexMethod::is_btree(Some(method.value)) {
            cx.error_at(
                method.span,
                format!(
                    "a `{}` index cannot be `unique`: only B-tree indexes enforce \
                     uniqueness; drop `unique` or `method`",
                    method.value
                ),
            );
        }
    }
}

/// Sets each key's `opclass(key = "...")` and `collation(key = "...")` on `columns`.
///
/// Rules: the key must be a key of this index (a field, or an expression key
/// written the same way), each key gets one of each, an operator
/// class is a name (`text_pattern_ops`, `public.my_ops`) and a collation a name
/// without quotes (`C`, `NOCASE`); which databases have them is checked when
/// rendering for one (`migrate_core::index_shape`).
pub(super) fn key_options(
    cx: &Ctxt,
    lookup: &ColumnLookup,
    index: &KeyAttr,
    columns: &mut [IndexColumn],
) {
    for option in &index.key_options {
        let what = option.what;
        let (found, span, shown) = match &option.key {
            KeyTarget::Field(ident) => {
                let refs = [ColumnRef {
                    ident: ident.clone(),
                    desc: false,
                }];
                let Some(resolved) = lookup.resolve(cx, what, &refs) else {
                    continue;
                };
                let column = &resolved[0].0;
                let at = columns
                    .iter()
                    .position(|c| !c.expression && &c.name == column);
                (at, ident.span(), format!("`{ident}`"))
            }
            KeyTarget::Expression(lit) => {
                let sql = lit.value().trim().to_string();
                let at = columns.iter().position(|c| c.expression && c.name == sql);
                (at, lit.span(), format!("`\"{sql}\"`"))
            }
        };
        let Some(at) = found else {
            cx.error_at(
                span,
                format!(
                    "`{what}(...)` names {shown}, which is not a key of this index: add it to \
                     the index's columns (an expression written the same way), or remove it here"
                ),
            );
            continue;
        };
        let key = &mut columns[at];
        let value = option.value.value().trim().to_string();
        let slot = if what == OPCLASS {
            if !migrate_core::index_shape::is_sql_name(&value) {
                cx.error_spanned_by(
                    &option.value,
                    "an operator class is a name (letters, digits, `_`, and `.` after a \
                     schema), e.g. `opclass(email = \"text_pattern_ops\")`",
                );
                continue;
            }
            &mut key.opclass
        } else {
            if value.is_empty() || value.contains('"') {
                cx.error_spanned_by(
                    &option.value,
                    "a collation is a name without quotes, e.g. `collation(email = \"C\")`",
                );
                continue;
            }
            &mut key.collation
        };
        if slot.is_some() {
            cx.error_at(
                span,
                format!("{shown} has two {what}s in this index: give it one"),
            );
            continue;
        }
        *slot = Some(value);
    }
}
