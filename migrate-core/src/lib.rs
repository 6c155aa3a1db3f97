//! The database-free core of migrate.
//!
//! Everything the migration system knows without a connection lives here, shared by
//! the derive macro, the build script helper, the runtime and the CLI:
//!
//! - [`types`] and [`schema`]: the dialect-neutral schema model, and [`naming`], the
//!   one naming convention for constraints and indexes;
//! - [`ops`]: operations as data, each with its inverse and its risk;
//! - [`apply`]: replaying operations onto a schema in memory;
//! - [`diff`]: the operations that turn one schema into another;
//! - [`revision`], [`graph`] and [`checksum`]: revision files and their graph;
//! - [`generated`]: what the code of `#[derive(Model)]` calls (reading Rust source is
//!   in the `migrate-model` crate, so programs that only run migrations carry no parser);
//! - [`head_tables`]: the head schema one file per table, for the derive's field-level
//!   drift errors;
//! - [`filter`]: which tables migrate manages (`[tables]` of `migrate.toml`), and
//!   [`project`]: `migrate.toml` itself, the one source of the project's settings;
//! - [`dialect`]: SQL text per database, plus capability flags, and the version tables;
//! - [`objects`]: views, triggers, functions, sequences and other objects beyond
//!   tables, declared in SQL files;
//! - [`offline`]: a whole upgrade or downgrade as one SQL script, with no connection.

pub mod apply;
pub mod checksum;
pub mod column_extras;
pub mod dialect;
pub mod diff;
pub mod embed;
pub mod expand;
pub mod filter;
pub mod generated;
pub mod graph;
pub mod head_tables;
pub mod hints;
pub mod index_shape;
pub mod lint;
pub mod naming;
pub mod objects;
pub mod offline;
pub mod online;
pub mod ops;
pub mod project;
pub mod qualified;
pub mod revision;
mod rust_enum;
pub mod schema;
pub mod types;
pub mod url;

pub use apply::{apply, apply_all, ApplyError};
pub use hints::DiffHints;
pub use index_shape::{Deferrable, IndexMethod};
pub use ops::{Operation, Safety, SqlStep};
pub use rust_enum::{decode_label, Enum, UnknownLabel};
pub use schema::{
    Check, Column, ColumnState, EnumType, FkAction, ForeignKey, Index, IndexColumn, NamedObject,
    PrimaryKey, Schema, Table, Unique,
};
pub use types::{ColumnType, UnsignedBits};

/// A Rust struct that describes a table; implemented by `#[derive(Model)]` (its
/// hidden constant is the derive's to write).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a model",
    label = "not a `#[derive(Model)]` struct",
    note = "derive `Model` on `{Self}`; a foreign key to a table without a model names it: `references = \"table(column)\"`"
)]
pub trait Model {
    /// The table's name.
    const TABLE_NAME: &'static str = Self::__MODEL.table_name;

    /// What the derive wrote for the model, read by the provided items. One
    /// constant, rather than an item each, because every item of every model costs
    /// rustc work on each build of the model's crate. Not a public API.
    #[doc(hidden)]
    const __MODEL: generated::__Model;

    /// The foreign keys and enum columns that `table()` resolves through their
    /// Rust types; the derive writes it only for a model that has any (every
    /// field of `__MODEL` is rustc's work per model on each build, even an empty
    /// one). Not a public API.
    #[doc(hidden)]
    const __LINKS: generated::__Links = generated::__Links::NONE;

    /// The table this struct describes, as a schema-model value.
    fn table() -> Table {
        generated::__table(&Self::__MODEL, &Self::__LINKS)
    }
}
