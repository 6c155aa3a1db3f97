//! The baseline revision for an adopted database.
//!
//! Adopting a database that was built without migrate: introspect it, write models
//! for it (`migrate_model::codegen::models_source`), and write one base revision
//! whose head is exactly the introspected schema, then `stamp` the database as
//! being at that revision, so later revisions start from what is really there.

use migrate_core::diff::{diff, downgrade_for};
use migrate_core::revision::{now_utc, Revision};
use migrate_core::{Operation, Schema};

/// The steps that build `schema` from nothing: the core's diff from an empty
/// schema (tables in foreign-key order, keys of a cycle added afterwards). Enum
/// types no table of `schema` uses are left out (the models cannot declare them).
pub fn baseline_ops(schema: &Schema) -> Vec<Operation> {
    let mut schema = schema.clone();
    schema.retain_used_enums();
    diff(&Schema::new(), &schema)
}

/// A base revision (no parents) whose upgrade builds `schema` and whose downgrade
/// drops it again; created now. Replaying it gives exactly `schema` (less the
/// enum types none of its tables uses).
pub fn baseline_revision(schema: &Schema, message: &str) -> Revision {
    let upgrade = baseline_ops(schema);
    let downgrade = downgrade_for(&upgrade);
    Revision::new(message, Vec::new(), now_utc(), upgrade, downgrade)
}
