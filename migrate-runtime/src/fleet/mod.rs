//! Fleets: one command over many databases (database per tenant, schema per tenant,
//! SQLite file per tenant).
//!
//! [`Migrator::run_fleet`] runs the same action on every [`FleetTarget`] with the
//! migrator's one planner and execution path (each target is an ordinary
//! [`Migrator::upgrade`], [`Migrator::downgrade`] or [`Migrator::current`]), at most
//! `jobs` at a time (one thread each), each within an optional timeout, and returns one
//! [`TargetReport`] per target. A failure never hides the others: the run continues
//! unless `fail_fast` is set, and then the targets not yet started are reported as
//! skipped. Running it again touches only the targets that are not at the target: an
//! up-to-date database costs one query and no lock.

mod targets;

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use migrate_core::graph::Target;

use crate::error::Error;
use crate::migrator::Migrator;
use crate::plan::Direction;

pub use targets::{discover, discover_blocking, FleetTarget};

/// What a fleet run does on each target.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FleetAction {
    /// Apply revisions up to a target (`head`).
    Upgrade(Target),
    /// Undo revisions down to a target.
    Downgrade(Target),
    /// Read each target's current revisions and what an upgrade to head would apply.
    Current,
}

/// How a fleet run proceeds: `FleetOptions::default()` and the builder methods
/// (`#[non_exhaustive]`: not built with a struct literal, so a new option is not a
/// breaking change).
///
/// ```
/// use std::time::Duration;
/// use migrate_runtime::fleet::FleetOptions;
/// let options = FleetOptions::default().jobs(8).timeout(Duration::from_secs(300));
/// assert_eq!((options.jobs, options.fail_fast), (8, false));
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct FleetOptions {
    /// How many targets run at once (at least 1; default 4).
    pub jobs: usize,
    /// The longest one target may take (default: none). A target that runs out is
    /// reported as timed out; its connection is closed, which rolls back the
    /// revision in progress where the database allows it (PostgreSQL, SQLite).
    pub timeout: Option<Duration>,
    /// Stop starting targets after the first failure (default: continue).
    pub fail_fast: bool,
}

impl Default for FleetOptions {
    fn default() -> Self {
        FleetOptions {
            jobs: 4,
            timeout: None,
            fail_fast: false,
        }
    }
}

impl FleetOptions {
    /// How many targets run at once (at least 1).
    pub fn jobs(mut self, jobs: usize) -> Self {
        self.jobs = jobs;
        self
    }

    /// The longest one target may take (`None`: no limit).
    pub fn timeout(mut self, limit: impl Into<Option<Duration>>) -> Self {
        self.timeout = limit.into();
        self
    }

    /// Whether to stop starting targets after the first failure.
    pub fn fail_fast(mut self, fail_fast: bool) -> Self {
        self.fail_fast = fail_fast;
        self
    }
}

/// What happened on one target.
#[derive(Debug)]
#[non_exhaustive]
pub enum Outcome {
    /// The target was already where asked: nothing ran.
    Unchanged,
    /// These revisions were applied (upgrade) or undone (downgrade), in order.
    Changed(Vec<String>),
    /// `current`: the revisions the database is at, and those an upgrade to head
    /// would apply.
    Current {
        /// Current head revisions (empty: nothing applied).
        heads: Vec<String>,
        /// Revisions pending up to head.
        pending: Vec<String>,
    },
    /// `check` (see [`run_each`]): the revisions the database is at, those pending,
    /// and the differences the caller found between the database and the head
    /// (empty: it matches).
    Checked {
        /// Current head revisions (empty: nothing applied).
        heads: Vec<String>,
        /// Revisions pending up to head.
        pending: Vec<String>,
        /// The differences found, one line each.
        differences: Vec<String>,
        /// What the comparison left out because the models cannot hold it (an
        /// event, an aggregate, a table option), one line each: said, not skipped.
        not_compared: Vec<String>,
    },
    /// The run on this target failed.
    Failed(Error),
    /// The run did not finish within the timeout.
    TimedOut(Duration),
    /// Not started: an earlier target failed and `fail_fast` was set.
    Skipped,
}

/// The result of one target.
#[derive(Debug)]
pub struct TargetReport {
    /// The target's label (password hidden).
    pub target: String,
    /// What happened.
    pub outcome: Outcome,
    /// How long it took.
    pub took: Duration,
}

impl TargetReport {
    /// Whether this target counts as a success (failed, timed out and skipped do not).
    pub fn succeeded(&self) -> bool {
        matches!(
            self.outcome,
            Outcome::Unchanged
                | Outcome::Changed(_)
                | Outcome::Current { .. }
                | Outcome::Checked { .. }
        )
    }

    /// The revision and 1-based step a failure stopped at, when the error names them;
    /// and whether the database is left dirty (a failed MySQL revision whose earlier
    /// statements committed, or a dirty revision of an earlier run not yet resolved).
    pub fn failure_point(&self) -> Option<FailurePoint> {
        let Outcome::Failed(err) = &self.outcome else {
            return None;
        };
        let point = match err {
            Error::RevisionFailed {
                revision,
                step,
                outcome,
                ..
            } => FailurePoint {
                revision: Some(revision.clone()),
                step: Some(*step),
                dirty: outcome.contains("marked dirty"),
            },
            Error::Dirty { revision, step, .. } => FailurePoint {
                revision: Some(revision.clone()),
                step: usize::try_from(*step).ok().filter(|s| *s > 0),
                dirty: true,
            },
            Error::Render { revision, step, .. } => FailurePoint {
                revision: Some(revision.clone()),
                step: Some(*step).filter(|s| *s > 0),
                dirty: false,
            },
            Error::LeaseLost { revision, .. } => FailurePoint {
                revision: Some(revision.clone()),
                step: None,
                dirty: false,
            },
            _ => FailurePoint {
                revision: None,
                step: None,
                dirty: false,
            },
        };
        Some(point)
    }
}

/// Where a target's run failed (see [`TargetReport::failure_point`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailurePoint {
    /// The revision that failed, when known.
    pub revision: Option<String>,
    /// Its 1-based step, when known.
    pub step: Option<usize>,
    /// Whether the database is left dirty until resolved by hand.
    pub dirty: bool,
}

/// What a fleet run reports as it goes, for progress display.
#[derive(Debug)]
pub enum FleetEvent<'a> {
    /// A target's run starts.
    Started {
        /// The target's label.
        target: &'a str,
    },
    /// A target's run ended (or was skipped).
    Finished(&'a TargetReport),
}

impl Migrator {
    /// Runs `action` on every target, `options.jobs` at a time, calling `on_event` as
    /// each target starts and finishes; the reports come back in the order of
    /// `targets`. Never fails as a whole: each target's error is in its report.
    ///
    /// Blocking: each job is a thread with its own single-threaded tokio runtime, so
    /// that SQLite targets (whose revisions run in the SQLite library, on the calling
    /// thread) run in parallel too. From async code, call it inside
    /// `tokio::task::spawn_blocking` (or `block_in_place`).
    ///
    /// ```no_run
    /// # fn f(m: migrate_runtime::Migrator) -> Result<(), migrate_runtime::Error> {
    /// use migrate_runtime::fleet::{discover_blocking, FleetAction, FleetOptions};
    /// use migrate_runtime::Target;
    /// let targets = discover_blocking("schemas:postgres://app@db/app#tenant_%")?;
    /// let action = FleetAction::Upgrade(Target::Head);
    /// let reports = m.run_fleet(&targets, &action, &FleetOptions::default(), |_| {});
    /// assert!(reports.iter().all(|r| r.succeeded()));
    /// # Ok(()) }
    /// ```
    pub fn run_fleet(
        &self,
        targets: &[FleetTarget],
        action: &FleetAction,
        options: &FleetOptions,
        on_event: impl Fn(FleetEvent<'_>) + Sync,
    ) -> Vec<TargetReport> {
        run_each(targets, options, on_event, |target| {
            self.run_one(target, action)
        })
    }

    /// One target: the ordinary single-database call.
    async fn run_one(&self, target: &FleetTarget, action: &FleetAction) -> Result<Outcome, Error> {
        let url = target.connect_url();
        match action {
            FleetAction::Upgrade(to) => self.upgrade(url, to).await.map(changed),
            FleetAction::Downgrade(to) => self.downgrade(url, to).await.map(changed),
            FleetAction::Current => {
                let (heads, pending) = self.heads_and_pending(url).await?;
                Ok(Outcome::Current { heads, pending })
            }
        }
    }

    /// A database's current head revisions, and the revisions an upgrade to head
    /// would apply (what `current --fleet` reports and `check --fleet` starts from).
    pub async fn heads_and_pending(&self, url: &str) -> Result<(Vec<String>, Vec<String>), Error> {
        let heads = self.current(url).await?;
        let plan = self.plan(url, Direction::Upgrade, Target::Head).await?;
        let pending = plan.revisions.into_iter().map(|r| r.id).collect();
        Ok((heads, pending))
    }
}

/// The fleet's worker pool, for any per-target work: runs `work` on every target,
/// `options.jobs` at a time (one thread each, with its own single-threaded tokio
/// runtime), each within `options.timeout`, honouring `fail_fast`, and calls
/// `on_event` as each target starts and finishes. The reports come back in the
/// order of `targets`. [`Migrator::run_fleet`] is this with a migrator's action;
/// the CLI's `check --fleet` adds its schema comparison the same way.
pub fn run_each<'t, F, Fut>(
    targets: &'t [FleetTarget],
    options: &FleetOptions,
    on_event: impl Fn(FleetEvent<'_>) + Sync,
    work: F,
) -> Vec<TargetReport>
where
    F: Fn(&'t FleetTarget) -> Fut + Sync,
    Fut: Future<Output = Result<Outcome, Error>>,
{
    let failed = AtomicBool::new(false);
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<TargetReport>>> = Mutex::new(targets.iter().map(|_| None).collect());
    let worker = || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build();
        loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(target) = targets.get(i) else { break };
            let report = if options.fail_fast && failed.load(Ordering::SeqCst) {
                TargetReport {
                    target: target.label().to_string(),
                    outcome: Outcome::Skipped,
                    took: Duration::ZERO,
                }
            } else {
                on_event(FleetEvent::Started {
                    target: target.label(),
                });
                let start = Instant::now();
                let outcome = match &runtime {
                    Ok(rt) => rt.block_on(within(options.timeout, work(target))),
                    Err(e) => Outcome::Failed(Error::Database {
                        context: "cannot start a thread's async runtime".into(),
                        source: sqlx::Error::Io(std::io::Error::other(e.to_string())),
                    }),
                };
                let report = TargetReport {
                    target: target.label().to_string(),
                    outcome,
                    took: start.elapsed(),
                };
                if !report.succeeded() {
                    failed.store(true, Ordering::SeqCst);
                }
                report
            };
            on_event(FleetEvent::Finished(&report));
            done.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(report);
        }
    };
    let jobs = options.jobs.clamp(1, targets.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(worker);
        }
    });
    done.into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

/// `work` within the optional time limit.
async fn within(
    limit: Option<Duration>,
    work: impl Future<Output = Result<Outcome, Error>>,
) -> Outcome {
    match limit {
        Some(limit) => match tokio::time::timeout(limit, work).await {
            Ok(result) => result.unwrap_or_else(Outcome::Failed),
            Err(_) => Outcome::TimedOut(limit),
        },
        None => work.await.unwrap_or_else(Outcome::Failed),
    }
}

fn changed(report: crate::migrator::Report) -> Outcome {
    if report.revisions.is_empty() {
        Outcome::Unchanged
    } else {
        Outcome::Changed(report.revisions)
    }
}
