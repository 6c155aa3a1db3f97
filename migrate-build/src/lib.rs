//! What a crate's `build.rs` calls: the drift check, autogenerate and embedding.
//!
//! ```no_run
//! // build.rs
//! fn main() {
//!     migrate_build::run();
//! }
//! ```
//!
//! On every build where the models or the revisions changed, the script scans the
//! crate's sources for `#[derive(Model)]` structs, replays the revision files to the
//! head schema and compares the two. No difference: the build goes on silently, with
//! every revision embedded for `migrate::embedded!()`. A difference: the build fails
//! with a report naming each table, column, file and line, and the command that
//! writes the revision (`MIGRATE_AUTOGENERATE="describe the change" cargo build`).

// The examples show a whole `build.rs`, whose `fn main` is the point.
#![allow(clippy::needless_doctest_main)]

pub mod autogen;
pub mod check;
pub mod codegen;
pub mod config;
mod dialect_support;
pub mod directives;
pub mod embed_dirs;
pub mod error;
pub mod fingerprint;
pub mod lint;
pub mod memo;
pub mod pending;
pub mod report;
mod run;

pub use autogen::{autogenerate, autogenerate_expand, Outcome, WrittenRevision};
pub use check::{check, check_leaving_invalid_models, check_scanned, Checked};
pub use config::Config;
pub use error::BuildError;
pub use report::DriftReport;
pub use run::run;
