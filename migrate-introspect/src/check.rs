//! Live drift check: what separates a database from the head schema.

use migrate_core::embed::EmbeddedRevision;
use migrate_core::graph::RevisionGraph;
use migrate_core::{Operation, Schema};

use crate::error::IntrospectError;
use crate::normalize::{check_key, normalize_schema};
use crate::{introspect_backend, Backend, Database, IntrospectOptions};

/// Reads the live schema of `db` and returns the operations that would turn it into
/// `head`; an empty list means no drift. Both sides are normalised first
/// ([`normalize_schema`]), so spelling differences of defaults and checks and the
/// order of constraints are not drift, and neither is what the database cannot
/// store ([`crate::Backend::storable`]). Tables outside `options.tables`, those
/// `options.filter` leaves alone and the version tables are not looked at. `head`
/// names each object as the database does where it could not rename it
/// (`RevisionGraph::replay_as`).
pub async fn check<'a>(
    db: impl Into<Database<'a>>,
    head: &Schema,
    options: &IntrospectOptions,
) -> Result<Vec<Operation>, IntrospectError> {
    let (live, backend) = introspect_backend(db.into(), options).await?;
    Ok(compare(live, backend, head, options))
}

/// The operations from the introspected `live` schema of a `backend` database to
/// `head`, after both are normalised ([`check`]).
fn compare(
    live: Schema,
    backend: Backend,
    head: &Schema,
    options: &IntrospectOptions,
) -> Vec<Operation> {
    let mut head = backend.storable(head);
    head.tables.retain(|name, _| options.wants(name));
    let mut live = normalize_schema(&live);
    pair_checks_by_meaning(backend, &mut live, &normalize_schema(&head));
    schema_ops(&live, &head)
}

/// Rule: SQLite keeps a check's name only in the `CREATE TABLE` text, and spells
/// its expression its own way, so a live check whose name the head does not have is
/// given the name of the head's check with the same meaning ([`check_key`]).
fn pair_checks_by_meaning(backend: Backend, live: &mut Schema, head: &Schema) {
    if backend != Backend::Sqlite {
        return;
    }
    for (name, table) in live.tables.iter_mut() {
        let Some(wanted) = head.tables.get(name) else {
            continue;
        };
        let mut taken: Vec<String> = table.checks.iter().map(|c| c.name.clone()).collect();
        for check in table.checks.iter_mut() {
            if wanted.checks.iter().any(|w| w.name == check.name) {
                continue;
            }
            let key = check_key(&check.expr);
            if let Some(w) = wanted
                .checks
                .iter()
                .find(|w| !taken.contains(&w.name) && check_key(&w.expr) == key)
            {
                check.name = w.name.clone();
                taken.push(w.name.clone());
            }
        }
    }
}

/// [`check`] against the schema the embedded revisions leave (all heads applied):
/// what an application calls at run time to see whether its database was altered
/// by hand, e.g. `check_embedded(&pool, migrate::embedded!(), &Default::default())`.
pub async fn check_embedded<'a>(
    db: impl Into<Database<'a>>,
    revisions: &[EmbeddedRevision],
    options: &IntrospectOptions,
) -> Result<Vec<Operation>, IntrospectError> {
    let graph = RevisionGraph::from_embedded(revisions).map_err(Box::new)?;
    let (live, backend) = introspect_backend(db.into(), options).await?;
    let head = graph.replay_heads_as(backend.dialect()).map_err(Box::new)?;
    Ok(compare(live, backend, &head, options))
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
