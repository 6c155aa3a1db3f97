//! Operations to SQL statements for one database, through the dialects of
//! `migrate_core::dialect` (`render_ops`).
//!
//! A dialect renders each operation against the schema as it is at that point (the
//! SQLite table rebuild needs the whole table), so the runtime keeps a [`Tracker`]: the
//! schema replayed from the applied revisions, moved forward or back as each revision
//! of the plan is rendered.

use std::collections::BTreeSet;

use migrate_core::dialect::{DialectKind, KeptNames, RenderError};
use migrate_core::graph::RevisionGraph;
use migrate_core::online::{render_with_policy, with_session_settings, Policy};
use migrate_core::{apply, Operation, Schema};

pub use migrate_core::dialect::Statement;

use crate::error::Error;
use crate::migrator::Migrator;

/// The schema at the current point of a plan.
pub(crate) struct Tracker {
    kind: DialectKind,
    schema: Schema,
    /// The names the database kept where it could not rename.
    kept: KeptNames,
}

impl Tracker {
    /// The schema the applied revisions left, replayed in graph order: a known
    /// revision by its operations, one only the log holds by the inverse of its
    /// recorded downgrade (so an older binary renders on the schema a newer one left).
    pub(crate) fn new(
        migrator: &Migrator,
        kind: DialectKind,
        graph: &RevisionGraph,
        applied: &BTreeSet<String>,
    ) -> Result<Tracker, Error> {
        let mut tracker = Tracker {
            kind,
            schema: Schema::default(),
            kept: KeptNames::new(kind),
        };
        // Each applied revision once: a squash, or the revisions it replaced,
        // whichever the database ran.
        let applied: Vec<String> = applied.iter().cloned().collect();
        for id in graph.applied_revisions(&applied)? {
            match (migrator.known(id), graph.get(id)) {
                (Some(known), _) => tracker.advance(id, &known.ops()?.upgrade)?,
                (None, Some(revision)) => tracker.advance(id, &revision.upgrade)?,
                (None, None) => {}
            }
        }
        Ok(tracker)
    }

    /// Moves the schema past `ops` without rendering them.
    fn advance(&mut self, revision: &str, ops: &[Operation]) -> Result<(), Error> {
        for (i, op) in ops.iter().enumerate() {
            self.kept.note(&self.schema, op);
            apply(&mut self.schema, op).map_err(|e| Error::Render {
                revision: revision.to_string(),
                step: i + 1,
                backend: self.kind.name(),
                reason: format!("cannot replay the operation onto the schema: {e}"),
            })?;
        }
        Ok(())
    }

    /// The statements of `ops` at this point, then moves the schema past them.
    /// With a policy that names timeouts, the statements are framed by the `SET`s
    /// that put them in force for the session and the `RESET`s that take them back
    /// (see `migrate_core::online::Policy::session_settings`).
    pub(crate) fn render(
        &mut self,
        revision: &str,
        ops: &[Operation],
        policy: &Policy,
    ) -> Result<Vec<Statement>, Error> {
        // Each operation is rendered against the schema as the previous one left it,
        // as `render_ops` does, but on the tracker's own schema: `render_ops` clones
        // the schema it starts from, which made a run quadratic in the schema size.
        let statements =
            render_with_policy(self.kind, &mut self.schema, &mut self.kept, ops, policy).map_err(
                |(i, e)| {
                    let reason = match e {
                        RenderError::Replay { source, .. } => {
                            format!("cannot replay the operation onto the schema: {source}")
                        }
                        e => e.to_string(),
                    };
                    Error::Render {
                        revision: revision.to_string(),
                        step: i + 1,
                        backend: self.kind.name(),
                        reason,
                    }
                },
            )?;
        Ok(with_session_settings(self.kind, policy, statements))
    }
}
