//! [`Enum`]: a fieldless Rust enum stored as an enum type, implemented by
//! `#[derive(migrate::Enum)]` next to `#[derive(sqlx::Type)]`.
//!
//! The derive reads the same attributes sqlx reads (`#[sqlx(type_name = "...",
//! rename_all = "...")]` on the enum, `#[sqlx(rename = "...")]` on a variant), so the
//! labels the schema holds are the strings sqlx writes and reads.

/// A fieldless Rust enum whose values are the labels of an enum type.
///
/// A model field of such a type is a column of the enum type
/// ([`crate::ColumnType::Enum`]); see `docs/models.md`.
#[diagnostic::on_unimplemented(
    message = "no column type is known for the Rust type `{Self}`",
    label = "no column type for this field",
    note = "a fieldless enum stored as an enum type derives it: `#[derive(sqlx::Type, migrate::Enum)]`",
    note = "any other type needs `#[model(sql_type = \"...\")]` with the column type (e.g. `sql_type = \"json\"`), or `#[model(skip)]` if it is not a column"
)]
pub trait Enum {
    /// The enum type's name (sqlx's `type_name`; the PostgreSQL type).
    const TYPE_NAME: &'static str;
    /// The labels, in the order of the variants (the sort order on PostgreSQL and
    /// MySQL).
    const LABELS: &'static [&'static str];
}
