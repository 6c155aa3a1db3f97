//! Safe forms: each change written so that a live database keeps serving while it
//! runs (docs/safety.md).
//!
//! A rendering mode of the dialects, not new operations: the revision file holds the
//! same dialect-neutral operations, and [`render_with_policy`] writes the online
//! form of each one when the revision's [`Policy`] asks for it
//! ([`Forms::Online`]), with the database-specific forms in [`postgres`] and
//! [`mysql`]. Rule: a table the revision itself created (earlier in the same list)
//! takes the plain forms, since nothing else can use it yet; so does SQLite, which
//! has a single writer.
//!
//! - [`policy`]: the `[safety]` table of a revision file and of `migrate.toml`.

pub mod mysql;
pub mod policy;
pub mod postgres;

use std::collections::BTreeSet;

use crate::dialect::{render_onto, DialectKind, KeptNames, RenderError, Statement};
use crate::ops::Operation;
use crate::schema::Schema;

pub use policy::{Forms, Policy, PolicyError, SafetyTable};

/// Renders `ops` like [`render_onto`], with the online form of each change to a
/// table that existed before the list when `policy` asks for online forms.
pub fn render_with_policy(
    kind: DialectKind,
    schema: &mut Schema,
    kept: &mut KeptNames,
    ops: &[Operation],
    policy: &Policy,
) -> Result<Vec<Statement>, (usize, RenderError)> {
    if !policy.online() || kind == DialectKind::Sqlite {
        return render_onto(kind, schema, kept, ops);
    }
    let mut created = NewTables::default();
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let plain = render_onto(kind, schema, kept, std::slice::from_ref(op)).map_err(
            |(_, e)| match e {
                RenderError::Replay { source, .. } => (i, RenderError::Replay { step: i, source }),
                e => (i, e),
            },
        )?;
        let statements = if created.holds(op) {
            plain
        } else {
            match kind {
                DialectKind::Postgres => postgres::online(op, plain),
                DialectKind::MySql => mysql::online(op, plain),
                DialectKind::Sqlite => plain,
            }
        };
        created.note(op);
        out.extend(statements);
    }
    Ok(out)
}

/// The tables created earlier in the list, under their current names.
#[derive(Default)]
struct NewTables(BTreeSet<String>);

impl NewTables {
    /// Whether `op` acts on a table created earlier in the list.
    fn holds(&self, op: &Operation) -> bool {
        op.table_name().is_some_and(|t| self.0.contains(t))
    }

    fn note(&mut self, op: &Operation) {
        match op {
            Operation::CreateTable { table } => {
                self.0.insert(table.name.clone());
            }
            Operation::DropTable { table } => {
                self.0.remove(&table.name);
            }
            Operation::RenameTable { from, to } if self.0.remove(from) => {
                self.0.insert(to.clone());
            }
            _ => {}
        }
    }
}

/// `statements` framed by the `SET`s that put `policy`'s timeouts in force for the
/// session and the `RESET`s that take them back ([`Policy::session_settings`]);
/// unchanged when there is no timeout or nothing to run.
pub fn with_session_settings(
    kind: DialectKind,
    policy: &Policy,
    statements: Vec<Statement>,
) -> Vec<Statement> {
    let (set, reset) = policy.session_settings(kind);
    if set.is_empty() || statements.is_empty() {
        return statements;
    }
    let mut out: Vec<Statement> = set.into_iter().map(Statement::new).collect();
    out.extend(statements);
    out.extend(reset.into_iter().map(Statement::new));
    out
}

/// `statement` to run on its own, outside any transaction.
pub(crate) fn alone(sql: String) -> Statement {
    Statement {
        transactional: false,
        ..Statement::new(sql)
    }
}
