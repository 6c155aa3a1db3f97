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

    /// This value's label.
    fn label(&self) -> &'static str;

    /// The value whose label is `label`, if the enum declares it.
    fn from_label(label: &str) -> Option<Self>
    where
        Self: Sized;
}

/// The value of `E` whose label is `label`, or an error that names the label, the
/// enum type and the labels it knows: what the sqlx decoders of
/// `#[model(sqlx_type)]` return for a row holding a label the enum lacks.
pub fn decode_label<E: Enum>(label: &str) -> Result<E, UnknownLabel> {
    E::from_label(label).ok_or_else(|| UnknownLabel {
        label: label.to_string(),
        type_name: E::TYPE_NAME,
        rust_name: std::any::type_name::<E>(),
        labels: E::LABELS,
    })
}

/// A label read from the database that the Rust enum does not declare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLabel {
    /// The label read.
    pub label: String,
    /// The enum type's name.
    pub type_name: &'static str,
    /// The Rust enum's path.
    pub rust_name: &'static str,
    /// The labels the Rust enum declares.
    pub labels: &'static [&'static str],
}

impl std::fmt::Display for UnknownLabel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let known: Vec<String> = self.labels.iter().map(|l| format!("'{l}'")).collect();
        write!(
            f,
            "'{}' is not a label of the enum type `{}` (Rust enum `{}`, labels {}): the \
             database holds a value the enum does not declare; add a variant for it (and a \
             revision), or update the rows",
            self.label,
            self.type_name,
            self.rust_name,
            known.join(", ")
        )
    }
}

impl std::error::Error for UnknownLabel {}
