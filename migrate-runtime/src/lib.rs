//! Applies migrate revisions to a live database: SQLite, PostgreSQL, MySQL/MariaDB,
//! through sqlx.
//!
//! The one call an application's `main` needs:
//!
//! ```no_run
//! # async fn start() -> Result<(), migrate_runtime::Error> {
//! # static REVISIONS: &[migrate_core::embed::EmbeddedRevision] = &[];
//! // REVISIONS is `migrate::embedded!()`: the revision files compiled into the binary.
//! migrate_runtime::Migrator::new(REVISIONS)
//!     .upgrade_to_head("sqlite://app.db")
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Beyond that: [`Migrator::upgrade`] / [`Migrator::downgrade`] to any [`Target`],
//! [`Migrator::current`], [`Migrator::history`], [`Migrator::stamp`],
//! [`Migrator::plan`] and [`Migrator::resolve_dirty`]. Runs are serialised by a lock
//! per database, each revision runs in a transaction where the database allows it, and
//! the version tables record what was applied (see [`version`]).

// Errors carry the revision, step, SQL and driver error so a failure explains itself;
// they are returned once per run, so their size costs nothing that matters.
#![allow(clippy::result_large_err)]

mod apply;
mod backend;
mod config;
mod error;
pub mod fleet;
mod heads;
mod lease;
mod lock;
mod migrator;
mod plan;
mod progress;
mod redact;
mod render;
mod retry;
mod revision;
mod run;
mod script;
mod target;
pub mod version;

pub use backend::{Database, Opened};
pub use config::{ChecksumPolicy, Config, LockMode, TransactionMode};
pub use error::Error;
pub use migrate_core::dialect::DialectKind;
pub use migrate_core::graph::Target;
pub use migrator::{Migrator, Report, Resolution};
pub use plan::{Direction, Plan, PlannedRevision};
pub use progress::{Progress, ProgressRevision};
pub use redact::RedactedUrl;
pub use render::Statement;
pub use revision::RevisionDef;
pub use target::IntoTarget;
pub use version::{AppliedRevision, RowState};
