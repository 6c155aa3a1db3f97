//! Offline scripts: the whole upgrade (or downgrade) over a list of revisions as
//! one SQL script for one dialect, with no connection, like Alembic's `--sql` mode.
//!
//! The script creates the version tables if missing, then for each revision runs its
//! statements and updates the head and log tables. On PostgreSQL and SQLite each
//! revision is wrapped in `BEGIN`/`COMMIT`; a SQLite revision that rebuilds a
//! table turns `PRAGMA foreign_keys` off before `BEGIN` and on after `COMMIT`. On
//! MySQL, where DDL commits implicitly, a comment says so and only the
//! version-table rows are written in a transaction.

use crate::revision::write::operations_to_toml;

use crate::dialect::version_table::{LogEntry, VersionTables};
use crate::dialect::{dialect, DialectKind, KeptNames, RenderError, Statement};
use crate::online::{render_with_policy, with_session_settings};
use crate::ops::Operation;
use crate::schema::Schema;

/// Which way the script goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// Apply the revisions' `upgrade` lists, oldest first.
    Upgrade,
    /// Apply the revisions' `downgrade` lists, newest first (the list is given in
    /// the order to undo).
    Downgrade,
}

/// One revision as the script needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScriptRevision {
    /// Revision id.
    pub id: String,
    /// Parent ids.
    pub parents: Vec<String>,
    /// Message.
    pub message: String,
    /// `sha256:<hex>` of the revision file, written to the log when known.
    pub checksum: Option<String>,
    /// Operations that apply it.
    pub upgrade: Vec<Operation>,
    /// Operations that undo it.
    pub downgrade: Vec<Operation>,
    /// How it runs on a live database (its file's `[safety]` table).
    pub policy: crate::online::Policy,
}

/// Why a script could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OfflineError {
    /// A revision's operations cannot be rendered for the dialect.
    #[error("revision {revision}: {source}")]
    Render {
        /// Revision id.
        revision: String,
        /// Why.
        source: RenderError,
    },
}

fn push(script: &mut String, s: &Statement) {
    script.push_str(s.sql.trim_end());
    script.push_str(";\n");
}

/// The script that takes a database whose schema is `before` through `revisions`
/// (in the order to run them) in `direction`, for `kind`.
pub fn render_script(
    kind: DialectKind,
    tables: &VersionTables,
    before: &Schema,
    revisions: &[ScriptRevision],
    direction: Direction,
) -> Result<String, OfflineError> {
    let kept = KeptNames::new(kind);
    render_script_kept(kind, tables, before, &kept, revisions, direction)
}

/// [`render_script`] for a database that holds some objects of `before` under the
/// names it kept where it could not rename them (`RevisionGraph::replay_keeping`).
pub fn render_script_kept(
    kind: DialectKind,
    tables: &VersionTables,
    before: &Schema,
    kept: &KeptNames,
    revisions: &[ScriptRevision],
    direction: Direction,
) -> Result<String, OfflineError> {
    let transactional = dialect(kind).capabilities().transactional_ddl;
    let verb = match direction {
        Direction::Upgrade => "upgrade",
        Direction::Downgrade => "downgrade",
    };
    let mut script = format!("-- migrate: offline {verb} script for {kind}\n\n");
    if transactional {
        script.push_str("BEGIN;\n");
    }
    for s in tables.create(kind) {
        push(&mut script, &s);
    }
    if transactional {
        script.push_str("COMMIT;\n");
    }

    let mut schema = before.clone();
    let mut kept = kept.clone();
    for rev in revisions {
        let ops = match direction {
            Direction::Upgrade => &rev.upgrade,
            Direction::Downgrade => &rev.downgrade,
        };
        let err = |source| OfflineError::Render {
            revision: rev.id.clone(),
            source,
        };
        let statements = render_with_policy(kind, &mut schema, &mut kept, ops, &rev.policy)
            .map_err(|(_, e)| err(e))?;
        let statements = with_session_settings(kind, &rev.policy, statements);

        let mut bookkeeping = Vec::new();
        match direction {
            Direction::Upgrade => {
                // The log's downgrade as every run writes it: one layout, whichever
                // path applied the revision.
                let downgrade = operations_to_toml("downgrade", &rev.downgrade);
                bookkeeping.extend(tables.add_head(kind, &rev.id, &rev.parents));
                bookkeeping.push(tables.insert_log(
                    kind,
                    &LogEntry {
                        revision: &rev.id,
                        parents: &rev.parents,
                        message: &rev.message,
                        checksum: rev.checksum.as_deref(),
                        duration_ms: None,
                        downgrade: &downgrade,
                        state: "applied",
                    },
                ));
            }
            Direction::Downgrade => {
                bookkeeping.push(tables.delete_log(kind, &rev.id));
                bookkeeping.extend(tables.remove_head(kind, &rev.id, &rev.parents));
            }
        }

        let (from, to) = match direction {
            Direction::Upgrade => (rev.parents.join(", "), rev.id.clone()),
            Direction::Downgrade => (rev.id.clone(), rev.parents.join(", ")),
        };
        let message = rev.message.lines().next().unwrap_or("");
        script.push_str(&format!("\n-- Running {verb} {from} -> {to}: {message}\n"));
        if transactional {
            write_transactional(&mut script, &statements, &bookkeeping);
        } else {
            if statements.iter().any(|s| s.implicit_commit) {
                script.push_str(
                    "-- MySQL commits each DDL statement below implicitly: if one fails, the \
                     statements before it stay applied.\n",
                );
            }
            for s in &statements {
                push(&mut script, s);
            }
            script.push_str("START TRANSACTION;\n");
            for s in &bookkeeping {
                push(&mut script, s);
            }
            script.push_str("COMMIT;\n");
        }
    }
    Ok(script)
}

/// One revision in a transaction; statements that must run outside one close it
/// and open a new one after; a SQLite rebuild turns foreign keys off around it.
fn write_transactional(script: &mut String, statements: &[Statement], bookkeeping: &[Statement]) {
    let fk_off = statements.iter().any(|s| s.foreign_keys_off);
    if fk_off {
        script.push_str("PRAGMA foreign_keys = OFF;\n");
    }
    script.push_str("BEGIN;\n");
    for s in statements {
        if s.transactional {
            push(script, s);
        } else {
            script.push_str("COMMIT;\n");
            push(script, s);
            script.push_str("BEGIN;\n");
        }
    }
    for s in bookkeeping {
        push(script, s);
    }
    script.push_str("COMMIT;\n");
    if fk_off {
        script.push_str("PRAGMA foreign_keys = ON;\n");
    }
}
