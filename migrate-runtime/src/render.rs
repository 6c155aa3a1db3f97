//! Operations to SQL statements for one database.
//!
//! Raw SQL steps (`op = "sql"`) are rendered here, picking the database's variant.
//! Schema operations need the SQL dialects of `migrate_core::dialect` (`render_ops`);
//! until that module is merged, they are reported as not renderable.

use migrate_core::{Operation, SqlStep};

use crate::backend::BackendKind;
use crate::error::Error;

/// One SQL statement of a revision, with whether it may run inside a transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The SQL text.
    pub sql: String,
    /// `false` for statements that must run outside a transaction (e.g.
    /// `CREATE INDEX CONCURRENTLY`).
    pub transactional: bool,
}

fn sql_variant(step: &SqlStep, kind: BackendKind) -> &str {
    let variant = match kind {
        BackendKind::Postgres => step.postgres.as_deref(),
        BackendKind::MySql => step.mysql.as_deref(),
        BackendKind::Sqlite => step.sqlite.as_deref(),
    };
    variant.unwrap_or(&step.sql)
}

/// The statements of `ops` for `kind`; `revision` names the revision in errors.
pub(crate) fn render(
    kind: BackendKind,
    revision: &str,
    ops: &[Operation],
) -> Result<Vec<Statement>, Error> {
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        match op {
            Operation::Sql(step) => out.push(Statement {
                sql: sql_variant(step, kind).to_string(),
                transactional: !step.no_transaction,
            }),
            other => {
                let name = format!("{other:?}");
                let name = name.split([' ', '{', '(']).next().unwrap_or("operation");
                return Err(Error::Render {
                    revision: revision.to_string(),
                    step: i + 1,
                    backend: kind.name(),
                    reason: format!(
                        "{name} needs the SQL dialect renderer (migrate_core::dialect), \
                         which this build does not have yet"
                    ),
                });
            }
        }
    }
    Ok(out)
}
