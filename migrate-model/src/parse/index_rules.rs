//! Rules of one `index(...)` that hold on every database (what a database lacks
//! is refused when rendering for it, see `migrate_core::index_shape`).

use super::attr::KeyAttr;
use super::ctxt::Ctxt;
use migrate_core::schema::IndexMethod;

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
