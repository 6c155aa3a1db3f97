//! Live drift check: what separates a database from the head schema.

use migrate_core::dialect::version_table::DEFAULT_NAME as DEFAULT_VERSION_TABLE;
use migrate_core::embed::Embedded;
use migrate_core::graph::RevisionGraph;
use migrate_core::{Operation, Schema};

use crate::connect::Pool;
use crate::error::IntrospectError;
use crate::normalize::{check_key, normalize_schema};
use crate::unmodelled::{unmodelled, Unmodelled};
use crate::{introspect_backend, storable, Database, IntrospectOptions};
use migrate_core::dialect::DialectKind;

/// Reads the live schema of `db` and returns the operations that would turn it into
/// `head`; an empty list means no drift. Both sides are normalised first
/// ([`normalize_schema`]), so spelling differences of defaults and checks and the
/// order of constraints are not drift, and neither is what the database cannot
/// store ([`crate::storable`]), nor an enum type only tables left alone use.
/// Tables outside `options.tables`, those
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

/// [`check`] and then [`unmodelled`] on one database, as `cargo migrate check` reads
/// it: the drift, and what the comparison could not look at. Given a URL, both reads
/// share one pool instead of connecting twice (two handshakes more on a remote
/// server).
pub async fn check_with_unmodelled<'a>(
    db: impl Into<Database<'a>>,
    head: &Schema,
    options: &IntrospectOptions,
) -> Result<(Vec<Operation>, Vec<Unmodelled>), IntrospectError> {
    let db = db.into();
    let pool = match db {
        Database::Url(url) => Some(Pool::connect(url, options.connect_timeout).await?),
        _ => None,
    };
    let on = pool.as_ref().map_or(db, Pool::database);
    let result = async {
        let ops = check(on, head, options).await?;
        Ok((ops, unmodelled(on, head, options).await?))
    }
    .await;
    if let Some(pool) = pool {
        pool.close().await;
    }
    result
}

/// The operations from the introspected `live` schema of a `backend` database to
/// `head`, after both are normalised ([`check`]).
fn compare(
    mut live: Schema,
    backend: DialectKind,
    head: &Schema,
    options: &IntrospectOptions,
) -> Vec<Operation> {
    let mut head = storable(backend, head);
    head.tables.retain(|name, _| options.wants(name));
    crate::objects::retain_wanted(&mut head, options);
    crate::objects::retain_wanted(&mut live, options);
    // Rule: enum types are compared through the tables looked at: a type only
    // tables left alone use (or none) is not drift.
    live.retain_used_enums();
    head.retain_used_enums();
    let mut live = normalize_schema(&live);
    pair_checks_by_meaning(backend, &mut live, &normalize_schema(&head));
    crate::objects::pair_by_meaning(backend, &mut live, &head);
    schema_ops(&live, &head)
}

/// Rule: SQLite keeps a check's name only in the `CREATE TABLE` text, and spells
/// its expression its own way, so a live check whose name the head does not have is
/// given the name of the head's check with the same meaning ([`check_key`]).
fn pair_checks_by_meaning(backend: DialectKind, live: &mut Schema, head: &Schema) {
    if backend != DialectKind::Sqlite {
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
///
/// The version table and the `[tables]` filter are those of the project's
/// `migrate.toml`, which the build embedded with the revisions, unless `options`
/// sets others (a `version_table` other than the default, a filter with patterns).
pub async fn check_embedded<'a>(
    db: impl Into<Database<'a>>,
    embedded: impl Into<Embedded>,
    options: &IntrospectOptions,
) -> Result<Vec<Operation>, IntrospectError> {
    let embedded = embedded.into();
    let graph = RevisionGraph::from_embedded(embedded.revisions).map_err(Box::new)?;
    let mut options = options.clone();
    if options.filter.is_all() {
        options.filter =
            embedded
                .settings
                .table_filter()
                .map_err(|e| IntrospectError::Unexpected {
                    table: "[tables]".to_string(),
                    message: format!("the filter embedded in the binary: {e}"),
                })?;
    }
    if options.version_table == DEFAULT_VERSION_TABLE {
        options.version_table = embedded.settings.version_table.to_string();
    }
    let (live, backend) = introspect_backend(db.into(), &options).await?;
    let head = graph.replay_heads_as(backend).map_err(Box::new)?;
    Ok(compare(live, backend, &head, &options))
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
    pair_index_sql_by_meaning(&mut live, &head);
    migrate_core::diff::diff(&live, &head)
}

/// Rule: an index expression or predicate the database stored in its own
/// spelling (`lower((email)::text)`, `(deleted_at IS NULL)`) is the head's, when
/// the two read the same by [`check_key`].
fn pair_index_sql_by_meaning(live: &mut Schema, head: &Schema) {
    for (name, table) in live.tables.iter_mut() {
        let Some(wanted) = head.tables.get(name) else {
            continue;
        };
        for index in &mut table.indexes {
            let Some(w) = wanted.indexes.iter().find(|w| w.name == index.name) else {
                continue;
            };
            if w.columns.len() == index.columns.len() {
                for (key, want) in index.columns.iter_mut().zip(&w.columns) {
                    if key.expression
                        && want.expression
                        && check_key(&key.name) == check_key(&want.name)
                    {
                        key.name = want.name.clone();
                    }
                }
            }
            if let (Some(p), Some(want)) = (&index.predicate, &w.predicate) {
                if check_key(p) == check_key(want) {
                    index.predicate = Some(want.clone());
                }
            }
        }
    }
}
