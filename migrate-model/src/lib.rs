//! Model structs as Rust source, read and written.
//!
//! - [`parse`]: one `#[derive(Model)]` struct to a table, shared by the derive
//!   (errors at spans) and the build script (errors at file and line);
//! - [`scan`]: every model struct under a crate's source directories, for the build
//!   script's drift check;
//! - [`expand`]: what `#[derive(Model)]` emits for a parsed model;
//! - [`derive_store`]: that output for every scanned model, written by the build
//!   script for the derive to reuse without parsing;
//! - [`codegen`]: model source for an existing schema, for `cargo migrate adopt`.
//!
//! Only the derive, the build script and the CLI depend on this crate, so the syn
//! stack is never compiled into a program that only runs migrations.

pub mod codegen;
pub mod derive_store;
pub mod expand;
pub mod parse;
pub mod scan;
