//! Progress of a run, for a caller that shows it as it goes (the CLI's line per
//! revision): an observer set with [`Migrator::on_progress`] receives a [`Progress`]
//! event once the plan is made under the lock, and one as each revision finishes.
//!
//! Revisions sent together (PostgreSQL's message, MySQL's group) finish together,
//! so their events arrive together, each with its own duration.
//!
//! [`Migrator::on_progress`]: crate::Migrator::on_progress

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::plan::Direction;

/// One revision of a run, as the observer is told about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProgressRevision {
    /// Revision id.
    pub id: String,
    /// Its parents (where an upgrade comes from, where a downgrade goes to).
    pub parents: Vec<String>,
    /// Its message.
    pub message: String,
}

/// What a run reports to its observer.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Progress {
    /// The plan, made under the lock: these revisions run (or are stamped) in order.
    /// Not sent when the database is already at the target.
    Planned {
        /// Upgrade or downgrade.
        direction: Direction,
        /// The revisions, in order.
        revisions: Vec<ProgressRevision>,
    },
    /// A revision was applied, undone or stamped.
    Finished {
        /// Revision id.
        id: String,
        /// How long it took.
        took: Duration,
    },
}

/// The function an observer calls.
type Callback = dyn Fn(&Progress) + Send + Sync;

/// The observer a migrator calls (cheap to clone).
#[derive(Clone, Default)]
pub(crate) struct Observer(Option<Arc<Callback>>);

impl Observer {
    /// An observer calling `f`.
    pub(crate) fn new(f: impl Fn(&Progress) + Send + Sync + 'static) -> Observer {
        Observer(Some(Arc::new(f)))
    }

    /// Tells the observer, if there is one.
    pub(crate) fn send(&self, event: impl FnOnce() -> Progress) {
        if let Some(f) = &self.0 {
            f(&event());
        }
    }
}

impl fmt::Debug for Observer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "Observer(set)"
        } else {
            "Observer(none)"
        })
    }
}
