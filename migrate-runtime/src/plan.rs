//! What a run would do, without doing it: the revisions in order and their statements,
//! with the ones that run outside a transaction marked (see [`Migrator::plan`]).
//!
//! [`Migrator::plan`]: crate::Migrator::plan

use migrate_core::dialect::DialectKind;
use std::fmt;

use crate::render::Statement;

/// Which way a plan goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Applying revisions.
    Upgrade,
    /// Undoing revisions.
    Downgrade,
}

/// One revision of a plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedRevision {
    /// Revision id.
    pub id: String,
    /// Its message (from the binary, or from the log for an unknown revision).
    pub message: String,
    /// The statements, in order.
    pub statements: Vec<Statement>,
}

impl PlannedRevision {
    /// Whether every statement runs inside the revision's transaction.
    pub fn is_transactional(&self) -> bool {
        self.statements.iter().all(|s| s.transactional)
    }
}

/// The revisions a run would apply or undo, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The database kind the statements are for.
    pub backend: DialectKind,
    /// Upgrade or downgrade.
    pub direction: Direction,
    /// The revisions, in the order they would run.
    pub revisions: Vec<PlannedRevision>,
}

impl Plan {
    /// Whether there is nothing to do.
    pub fn is_empty(&self) -> bool {
        self.revisions.is_empty()
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verb = match self.direction {
            Direction::Upgrade => "upgrade",
            Direction::Downgrade => "downgrade",
        };
        if self.revisions.is_empty() {
            return writeln!(f, "-- {verb}: nothing to do ({})", self.backend.name());
        }
        for r in &self.revisions {
            writeln!(f, "-- {verb} {}: {}", r.id, r.message)?;
            for s in &r.statements {
                let mark = if s.transactional {
                    ""
                } else {
                    "-- (runs outside the transaction)\n"
                };
                writeln!(f, "{mark}{};", s.sql.trim_end().trim_end_matches(';'))?;
            }
        }
        Ok(())
    }
}
