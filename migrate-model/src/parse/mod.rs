//! The model parser: a `#[derive(Model)]` struct to a [`migrate_core::Table`].
//!
//! Shared by the derive macro (which reports errors with spans) and the source scan
//! of the build script (which reports them with file and line). Laid out like
//! serde_derive's internals, one stage per module:
//!
//! - `symbol`: every attribute name, once;
//! - `attr`: `#[model(...)]` to typed values, one attribute at a time;
//! - `ast`: the struct and its fields, keeping syn nodes for spans;
//! - `types`: Rust types to column types;
//! - `check`: rules across attributes and fields;
//! - `ctxt`: the error collector, so every error of a struct shows in one build;
//! - `def`: the resulting [`ModelDef`];
//! - `enums`: `#[derive(migrate::Enum)]` enums ([`EnumDef`]) and model fields of them;
//! - `fk`: foreign keys, and resolving those to other model types;
//! - `head`: comparing a model with the head schema ([`check_against_head`]).
//!
//! The helpers the generated code calls are in `migrate_core::generated`, since
//! they run in the user's program, which does not depend on this crate.

mod ast;
mod attr;
mod check;
mod column_extras;
mod ctxt;
mod def;
mod enums;
mod fk;
mod head;
mod index_rules;
pub mod symbol;
mod types;

#[cfg(test)]
mod tests;

pub use ast::{default_table_name, pluralize, snake_case};
pub use attr::parse_table_ref;
pub use def::{parse_model, parse_model_lenient, ModelDef, ModelRef, UNRESOLVED};
pub use enums::{
    is_unresolved_enum, parse_enum, parse_enum_lenient, unresolved_enum, EnumDef, EnumRef,
};
pub(crate) use enums::{Convert, RENAME_ALL};
pub use fk::resolve_model_ref;
pub use head::check_against_head;
pub use types::{map_type, MappedType, RustKind};
