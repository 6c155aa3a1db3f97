//! [`Migrator`]: the runtime's entry point.
//!
//! ```no_run
//! # async fn start() -> Result<(), migrate_runtime::Error> {
//! # static REVISIONS: &[migrate_core::embed::EmbeddedRevision] = &[];
//! use migrate_runtime::Migrator;
//!
//! // In `main`, before serving: bring the database to the newest revision.
//! // (`migrate::embedded!()` gives the revisions compiled into the binary.)
//! Migrator::new(REVISIONS).upgrade_to_head("postgres://app@db/app").await?;
//! # Ok(()) }
//! ```

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::OnceLock;
use std::time::Duration;

use migrate_core::embed::Embedded;
use migrate_core::graph::{LoggedRevision, RevisionGraph, Target};
use migrate_core::revision::Revision;

use crate::backend::{Database, Handle};
use crate::config::{ChecksumPolicy, Config, LockMode, TransactionMode};
use crate::error::Error;
use crate::plan::{Direction, Plan};
use crate::progress::{Observer, Progress};
use crate::revision::{Known, RevisionDef};
use crate::target::IntoTarget;
use crate::version::{AppliedRevision, LogRow, RowState};

/// What a run did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Upgrade or downgrade (a stamp that moves back reports `Downgrade`).
    pub direction: Direction,
    /// Revisions applied, undone or stamped, in order. Empty when the database was
    /// already at the target.
    pub revisions: Vec<String>,
}

/// How to settle a revision left dirty by a failed run on MySQL, once the schema has
/// been repaired by hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resolution {
    /// The revision's changes are now fully in place: record it as applied.
    Applied,
    /// The revision's changes are now fully absent: forget it.
    NotApplied,
}

/// Applies revisions to a database; cheap to build, holds no connection.
///
/// Every method takes the database as anything that converts into a [`Database`]: a
/// URL (`&str`/`&String`) or a reference to a sqlx pool.
#[derive(Debug)]
pub struct Migrator {
    pub(crate) revisions: Vec<Known>,
    /// Position of each id in `revisions`.
    index: HashMap<Cow<'static, str>, usize>,
    /// Built on first use: an up-to-date start-up does without it. It holds ids,
    /// parents and messages; the operations stay in `revisions`, parsed when needed.
    graph: OnceLock<Result<RevisionGraph, String>>,
    /// The number of revisions no other names as parent.
    pub(crate) head_count: usize,
    pub(crate) config: Config,
    /// Told of the plan and of each finished revision.
    pub(crate) observer: Observer,
}

impl Migrator {
    /// A migrator for the revisions embedded in the binary (`migrate::embedded!()`),
    /// with the version table of the project's `migrate.toml` that the build embedded
    /// beside them ([`Migrator::table`] overrides it). A bare list of revisions
    /// gets the default table. An invalid graph (missing parent, cycle, duplicate id)
    /// is reported by the first call that needs it.
    pub fn new(embedded: impl Into<Embedded>) -> Migrator {
        let embedded = embedded.into();
        let mut migrator = Migrator::from_known(
            embedded
                .revisions
                .iter()
                .map(Known::from_embedded)
                .collect(),
        );
        migrator.config.table = embedded.settings.version_table.to_string();
        migrator
    }

    /// A migrator for revisions given as values (e.g. loaded from a directory).
    pub fn from_revisions(revisions: Vec<RevisionDef>) -> Migrator {
        Migrator::from_known(revisions.into_iter().map(Known::from_def).collect())
    }

    /// A migrator for revision files read from disk (`migrate_core::revision::load_dir`),
    /// as the CLI does.
    pub fn from_files(files: Vec<migrate_core::revision::RevisionFile>) -> Migrator {
        Migrator::from_known(files.into_iter().map(Known::from_file).collect())
    }

    /// A migrator for revision files read with only their headers parsed
    /// (`migrate_core::revision::lazy::load_dir_lazy`), as `cargo migrate upgrade`
    /// does: each revision's operations are parsed only if a run applies or undoes it.
    pub fn from_texts(files: Vec<migrate_core::revision::lazy::RevisionText>) -> Migrator {
        Migrator::from_known(files.into_iter().map(Known::from_text).collect())
    }

    fn from_known(revisions: Vec<Known>) -> Migrator {
        let index = revisions
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let parents: HashSet<&str> = revisions.iter().flat_map(|r| r.parents.iter()).collect();
        let head_count = revisions
            .iter()
            .filter(|r| !parents.contains(&*r.id))
            .count();
        Migrator {
            revisions,
            index,
            graph: OnceLock::new(),
            head_count,
            config: Config::default(),
            observer: Observer::default(),
        }
    }

    /// Replaces the whole configuration.
    pub fn with_config(mut self, config: Config) -> Self {
        self.config = config;
        self
    }

    /// Calls `observer` with the plan of each run (made under the lock) and as each
    /// revision finishes: for showing progress, as the CLI does.
    pub fn on_progress(mut self, observer: impl Fn(&Progress) + Send + Sync + 'static) -> Self {
        self.observer = Observer::new(observer);
        self
    }

    /// Uses another version table name (the log table is `<name>_log`).
    pub fn table(mut self, name: impl Into<String>) -> Self {
        self.config.table = name.into();
        self
    }

    /// How long to wait for another process's lock (default 60 s).
    pub fn lock_timeout(mut self, timeout: Duration) -> Self {
        self.config.lock_timeout = timeout;
        self
    }

    /// Which migration lock runs take: [`LockMode::Auto`] (the default: the
    /// database's advisory lock, the lock table on a Galera cluster),
    /// [`LockMode::Advisory`] or [`LockMode::Table`].
    pub fn lock_mode(mut self, mode: LockMode) -> Self {
        self.config.lock_mode = mode;
        self
    }

    /// How long the lock table's lease lasts without renewal (default 30 s): the
    /// longest a crashed process keeps the lock table's lock from the others.
    pub fn lease(mut self, lease: Duration) -> Self {
        self.config.lease = lease;
        self
    }

    /// One transaction per revision (default) or one for the whole run.
    pub fn transaction_mode(mut self, mode: TransactionMode) -> Self {
        self.config.transaction_mode = mode;
        self
    }

    /// Accepts a changed checksum for these applied revisions (deliberate edits).
    pub fn allow_checksum_mismatch<I, S>(mut self, ids: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let mut set = match std::mem::take(&mut self.config.checksum_policy) {
            ChecksumPolicy::Allow(s) => s,
            _ => BTreeSet::new(),
        };
        set.extend(ids.into_iter().map(Into::into));
        self.config.checksum_policy = ChecksumPolicy::Allow(set);
        self
    }

    /// Accepts applied revisions this binary does not know (a newer binary ran).
    pub fn allow_unknown_revisions(mut self, allow: bool) -> Self {
        self.config.allow_unknown_revisions = allow;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Applies every pending revision up to the head: the one call for `main`.
    ///
    /// When the database is up to date this costs one query (reading the version log)
    /// and takes no lock. Otherwise it takes the migration lock, re-reads the log, and
    /// applies what is still pending; concurrent callers wait and then find nothing to do.
    ///
    /// ```no_run
    /// # async fn f(pool: sqlx::SqlitePool) -> Result<(), migrate_runtime::Error> {
    /// # static REVISIONS: &[migrate_core::embed::EmbeddedRevision] = &[];
    /// let report = migrate_runtime::Migrator::new(REVISIONS).upgrade_to_head(&pool).await?;
    /// println!("applied {:?}", report.revisions);
    /// # Ok(()) }
    /// ```
    pub async fn upgrade_to_head<'a>(&self, db: impl Into<Database<'a>>) -> Result<Report, Error> {
        self.upgrade(db, Target::Head).await
    }

    /// Applies revisions up to `target` (`"head"`, `"heads"`, `"+1"`, an id prefix, or
    /// a [`Target`]).
    pub async fn upgrade<'a>(
        &self,
        db: impl Into<Database<'a>>,
        target: impl IntoTarget,
    ) -> Result<Report, Error> {
        let target = target.into_target()?;
        self.open_and_run(db.into(), Direction::Upgrade, target, false)
            .await
    }

    /// Undoes revisions down to `target` (`"base"`, `"-1"`, an id prefix: that revision
    /// stays applied). Revisions this binary does not know are undone with the
    /// downgrade the newer binary recorded in the log.
    ///
    /// ```no_run
    /// # async fn f(m: migrate_runtime::Migrator) -> Result<(), migrate_runtime::Error> {
    /// m.downgrade("sqlite://app.db", "-1").await?;
    /// # Ok(()) }
    /// ```
    pub async fn downgrade<'a>(
        &self,
        db: impl Into<Database<'a>>,
        target: impl IntoTarget,
    ) -> Result<Report, Error> {
        let target = target.into_target()?;
        self.open_and_run(db.into(), Direction::Downgrade, target, false)
            .await
    }

    /// Records the database as being at `target` without running any statement: for a
    /// database that already has the schema (forward), or to forget revisions (back).
    pub async fn stamp<'a>(
        &self,
        db: impl Into<Database<'a>>,
        target: impl IntoTarget,
    ) -> Result<Report, Error> {
        let target = target.into_target()?;
        self.open_and_run(db.into(), Direction::Upgrade, target, true)
            .await
    }

    /// Opens `db`, runs towards `target` (or only records it, with `stamp_only`), and
    /// closes the handle on every path.
    async fn open_and_run(
        &self,
        db: Database<'_>,
        direction: Direction,
        target: Target,
        stamp_only: bool,
    ) -> Result<Report, Error> {
        let handle = Handle::open(db, &self.config).await?;
        let result = self.run(&handle, direction, &target, stamp_only).await;
        handle.close().await;
        result
    }

    /// The current head revision(s) of the database (empty: nothing applied).
    pub async fn current<'a>(&self, db: impl Into<Database<'a>>) -> Result<Vec<String>, Error> {
        let handle = Handle::open(db.into(), &self.config).await?;
        let result = async {
            let mut conn = handle.acquire().await?;
            conn.read_what_the_cluster_committed().await?;
            let heads = conn.read_heads(&self.config).await;
            conn.release();
            heads
        }
        .await;
        handle.close().await;
        result
    }

    /// Every applied revision with its applied time and duration, oldest first.
    pub async fn history<'a>(
        &self,
        db: impl Into<Database<'a>>,
    ) -> Result<Vec<AppliedRevision>, Error> {
        let handle = Handle::open(db.into(), &self.config).await?;
        let result = async {
            let mut conn = handle.acquire().await?;
            conn.read_what_the_cluster_committed().await?;
            let rows = conn.read_log(&self.config).await;
            conn.release();
            rows
        }
        .await;
        handle.close().await;
        let mut rows = result?.unwrap_or_default();
        // Oldest first; revisions applied within the same clock tick (common on
        // SQLite, whose clock counts milliseconds) parents first.
        let logged = rows.iter().map(|r| LoggedRevision {
            id: r.revision.clone(),
            parents: r.parents.clone(),
            message: r.message.clone(),
            downgrade: Vec::new(),
        });
        let position: HashMap<String, usize> = match self
            .graph()
            .map(|g| g.with_logged(logged.collect::<Vec<_>>()))
        {
            Ok(Ok(graph)) => graph.revisions().map(|r| r.id.clone()).zip(0..).collect(),
            _ => HashMap::new(),
        };
        rows.sort_by(|a, b| {
            let at = |r: &LogRow| (position.get(&r.revision).copied(), r.revision.clone());
            (a.applied_at.as_str(), at(a)).cmp(&(b.applied_at.as_str(), at(b)))
        });
        Ok(rows
            .into_iter()
            .map(|r| AppliedRevision {
                known: self.known(&r.revision).is_some(),
                id: r.revision,
                parents: r.parents,
                message: r.message,
                checksum: r.checksum,
                applied_at: r.applied_at,
                duration: Duration::from_millis(r.duration_ms.max(0) as u64),
                state: r.state,
                failed_step: r.failed_step,
                error: r.error,
            })
            .collect())
    }

    /// The revisions and statements a run to `target` would execute, without changing
    /// anything. Statements that run outside a transaction are marked.
    pub async fn plan<'a>(
        &self,
        db: impl Into<Database<'a>>,
        direction: Direction,
        target: impl IntoTarget,
    ) -> Result<Plan, Error> {
        let target = target.into_target()?;
        let handle = Handle::open(db.into(), &self.config).await?;
        let result = self.make_plan(&handle, direction, &target).await;
        handle.close().await;
        result
    }

    /// Settles a revision that a failed run left dirty (MySQL), after the schema was
    /// repaired by hand; the next run then proceeds.
    pub async fn resolve_dirty<'a>(
        &self,
        db: impl Into<Database<'a>>,
        revision: &str,
        resolution: Resolution,
    ) -> Result<(), Error> {
        let handle = Handle::open(db.into(), &self.config).await?;
        let result = self.resolve(&handle, revision, resolution).await;
        handle.close().await;
        result
    }

    /// Forgets every revision the database records (the version table and its log),
    /// changing nothing else, under the lock; returns the revisions forgotten. For
    /// `stamp --purge`: a version table that names revisions no file and no log
    /// entry describes (history rewritten, rows edited by hand) cannot be planned
    /// from, so it is emptied and the right revision stamped afresh.
    pub async fn purge<'a>(&self, db: impl Into<Database<'a>>) -> Result<Vec<String>, Error> {
        let handle = Handle::open(db.into(), &self.config).await?;
        let result = self.purge_records(&handle).await;
        handle.close().await;
        result
    }

    /// Whether a known squash revision replaced `id`.
    pub(crate) fn squashed(&self, id: &str) -> bool {
        self.revisions
            .iter()
            .any(|k| k.replaces.iter().any(|r| r == id))
    }

    pub(crate) fn known(&self, id: &str) -> Option<&Known> {
        self.index.get(id).map(|&i| &self.revisions[i])
    }

    /// The file a known revision was read from, or embedded as (its name, without the
    /// directory; `<id>.toml` for one given as a [`RevisionDef`]), for messages;
    /// `None` for an id it does not know.
    pub fn file_of(&self, id: &str) -> Option<&str> {
        self.known(id)
            .map(|k| k.file_name())
            .filter(|file| !file.is_empty())
    }

    /// The graph of the known revisions; an error if it is invalid (checked once).
    pub(crate) fn graph(&self) -> Result<&RevisionGraph, Error> {
        self.graph
            .get_or_init(|| {
                let nodes: Vec<(Revision, Option<std::path::PathBuf>)> = self
                    .revisions
                    .iter()
                    .map(|r| {
                        let revision = Revision {
                            id: r.id.to_string(),
                            parents: r.parents.to_vec(),
                            replaces: r.replaces.to_vec(),
                            branch_labels: r.branch_labels.to_vec(),
                            depends_on: r.depends_on.to_vec(),
                            message: r.message.to_string(),
                            created: String::new(),
                            upgrade: Vec::new(),
                            downgrade: Vec::new(),
                        };
                        (revision, Some(r.file_name().into()))
                    })
                    .collect();
                RevisionGraph::with_paths(nodes).map_err(|e| e.to_string())
            })
            .as_ref()
            .map_err(|e| Error::Graph(e.clone()))
    }
}

impl RowState {
    pub(crate) fn is_dirty(self) -> bool {
        self == RowState::Dirty
    }
}
