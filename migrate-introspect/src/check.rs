//! Live drift check: what separates a database from the head schema.

use migrate_core::{Operation, Schema};

use crate::error::IntrospectError;
use crate::normalize::normalize_schema;
use crate::{introspect_backend, Database, IntrospectOptions};

/// Reads the live schema of `db` and returns the operations that would turn it into
/// `head`; an empty list means no drift. Both sides are normalised first
/// ([`normalize_schema`]), so spelling differences of defaults and checks and the
/// order of constraints are not drift, and neither is what the database cannot
/// store ([`crate::Backend::storable`]). Tables outside `options.tables` and the
/// version tables are not looked at.
pub async fn check<'a>(
    db: impl Into<Database<'a>>,
    head: &Schema,
    options: &IntrospectOptions,
) -> Result<Vec<Operation>, IntrospectError> {
    let (live, backend) = introspect_backend(db.into(), options).await?;
    let mut head = backend.storable(head);
    head.tables.retain(|name, _| options.wants(name));
    Ok(schema_ops(&live, &head))
}

/// The operations from `live` to `head`, as the core's diff
/// ([`migrate_core::diff::diff`]) computes them after both sides are normalised
/// ([`normalize_schema`]). No renames are guessed.
pub fn schema_ops(live: &Schema, head: &Schema) -> Vec<Operation> {
    migrate_core::diff::diff(&normalize_schema(live), &normalize_schema(head))
}
