//! The rules for `generated`, `collation` and `on_update_current_timestamp` on a
//! field, given its column type.

use migrate_core::column_extras::{Generated, PerDatabase};
use migrate_core::ColumnType;

use super::ast::Field;
use super::ctxt::Ctxt;
use super::types::RustKind;

/// What a field's generation, `ON UPDATE` and collation attributes give its
/// column, after checking them against `ty`; an invalid attribute is reported and
/// left out.
pub fn column_extras(
    cx: &Ctxt,
    field: &Field,
    ty: &ColumnType,
) -> (Option<Generated>, Option<String>, PerDatabase) {
    let a = &field.attrs;
    // Rule: a generated column's value is its expression; a default or an
    // autoincrement would be a second source for it.
    let generated = a.generated.as_ref().and_then(|g| {
        let other = [
            (a.default.as_ref().map(|d| d.span()), "default"),
            (a.autoincrement, "autoincrement"),
        ];
        match other.into_iter().find_map(|(s, n)| s.map(|s| (s, n))) {
            Some((span, name)) => {
                cx.error_at(
                    span,
                    format!(
                        "`{name}` conflicts with `generated`: a generated column takes its value \
                         from its expression only; remove `{name}`"
                    ),
                );
                None
            }
            None => Some(g.value.clone()),
        }
    });
    // Rule: `ON UPDATE CURRENT_TIMESTAMP` sets a timestamp; on any other type
    // MySQL refuses it.
    let on_update = a.on_update_current_timestamp.and_then(|span| {
        let timestamp = matches!(ty, ColumnType::Timestamp | ColumnType::TimestampTz)
            || matches!(ty, ColumnType::Raw(_) | ColumnType::PerDatabase(_));
        if timestamp {
            Some("CURRENT_TIMESTAMP".to_string())
        } else {
            cx.error_at(
                span,
                format!(
                    "`on_update_current_timestamp` sets a timestamp, but this column is {ty}: \
                     use it on a `NaiveDateTime` or `DateTime<Utc>` field"
                ),
            );
            None
        }
    });
    // Rule: only text has a collation.
    let collation = match &a.collation {
        Some(c) => {
            let text = ty.is_text()
                || matches!(
                    ty,
                    ColumnType::Raw(_) | ColumnType::PerDatabase(_) | ColumnType::Enum { .. }
                );
            if text {
                c.value.clone()
            } else {
                cx.error_at(
                    c.span,
                    format!(
                        "`collation` orders and compares text, but this column is {ty}: \
                         use it on a `String` field"
                    ),
                );
                PerDatabase::default()
            }
        }
        None => PerDatabase::default(),
    };
    (generated, on_update, collation)
}

/// Rule: `Vec<T>` is a PostgreSQL array of `T`'s type, and only that: MySQL and
/// SQLite have no arrays, so a model used there names its type per database
/// (`sql_type(postgres = "text[]", mysql = "json", sqlite = "text")`), and
/// rendering it for them says so. `None` for an element with no array type.
pub fn array_type(element: &RustKind) -> Option<ColumnType> {
    let pg = match element {
        RustKind::I16 => "smallint[]",
        RustKind::I32 => "integer[]",
        RustKind::I64 => "bigint[]",
        RustKind::F32 => "real[]",
        RustKind::F64 => "double precision[]",
        RustKind::Bool => "boolean[]",
        RustKind::String => "text[]",
        RustKind::Date => "date[]",
        RustKind::Time => "time[]",
        RustKind::Timestamp => "timestamp[]",
        RustKind::TimestampTz => "timestamptz[]",
        RustKind::Uuid => "uuid[]",
        RustKind::Json => "jsonb[]",
        RustKind::Bytes => "bytea[]",
        RustKind::Unsigned(_) | RustKind::Decimal => return None,
    };
    Some(ColumnType::PerDatabase(
        PerDatabase::default().with(migrate_core::dialect::DialectKind::Postgres, pg),
    ))
}
