//! Live drift check: what separates a database from the head schema.

use migrate_core::embed::EmbeddedRevision;
use migrate_core::graph::RevisionGraph;
use migrate_core::{Operation, Schema};

use crate::error::IntrospectError;
use crate::normalize::{check_key, normalize_schema};
use crate::{introspect_backend, Database, IntrospectOptions};

/// Reads the live schema of `db` and returns the operations that would turn it into
/// `head`; an empty list means no drift. Both sides are normalised first
/// ([`normalize_schema`]), so spelling differences of defaults and checks and the
/// order of constraints are not drift, and neither is what the database cannot
/// store ([`crate::Backend::storable`]). Tables outside `options.tables`, those
/// `options.filter` leaves alone and the version tables are not looked at.
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

/// [`check`] against the schema the embedded revisions leave (all heads applied):
/// what an application calls at run time to see whether its database was altered
/// by hand, e.g. `check_embedded(&pool, migrate::embedded!(), &Default::default())`.
pub async fn check_embedded<'a>(
    db: impl Into<Database<'a>>,
    revisions: &[EmbeddedRevision],
    options: &IntrospectOptions,
) -> Result<Vec<Operation>, IntrospectError> {
    let head = RevisionGraph::from_embedded(revisions)
        .and_then(|graph| graph.replay_heads())
        .map_err(Box::new)?;
    check(db, &head, options).await
}

/// The operations from `live` to `head`, as the core's diff
/// ([`migrate_core::diff::diff`]) computes them after both sides are normalised
/// ([`normalize_schema`]), with checks compared by [`check_key`]. No renames are
/// guessed.
pub fn schema_ops(live: &Schema, head: &Schema) -> Vec<Operation> {
    let head = normalize_schema(head);
    let mut live = normalize_schema(live);
    // A check the database stored in its own spelling is the head's check.
    for (name, table) in live.tables.iter_mut() {
        let Some(wanted) = head.tables.get(name) else {
            continue;
        };
        for check in &mut table.checks {
            if let Some(w) = wanted.checks.iter().find(|w| w.name == check.name) {
                if check_key(&w.expr) == check_key(&check.expr) {
                    check.expr = w.expr.clone();
                }
            }
        }
    }
    migrate_core::diff::diff(&live, &head)
}
