//! The database commands' bridge to migrate-runtime: one [`Db`] per invocation, a
//! small tokio runtime to drive it, and runtime errors turned into one line plus a
//! fix, with the password masked.
//!
//! `upgrade` and `downgrade` are one runtime call each ([`Db::run`]): the runtime
//! plans under its lock with the one planner, and tells the CLI of each revision as
//! it finishes, so the CLI gets the same batching, transaction modes and lock timeout
//! as a deployed binary.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use migrate_core::revision::lazy::load_dir_lazy;
use migrate_core::revision::RevisionError;
use migrate_runtime::{
    AppliedRevision, Config, Direction, Error as RuntimeError, Migrator, Opened, Plan, Progress,
    ProgressRevision, Report, Resolution, RevisionDef, Target,
};
use tokio::sync::oneshot;

mod direct;
use direct::{connect_directly, sqlite_file_missing};
pub use direct::{preflight, Access, CONNECT_TIMEOUT};

use crate::output::{human_duration, paint, style, Output, Verbosity};
use crate::progress::Display;

use crate::config::{DatabaseUrl, Settings};
use crate::context::{Context, RevisionSource};
use crate::error::{CliError, CliResult, Status};
use crate::project::{multiple_heads_error, require_dir, revision_error, Revisions, ShownPaths};

/// A migrator bound to the configured database.
pub struct Db {
    url: DatabaseUrl,
    /// How the operator runs the commands, for fix lines (`cargo migrate`).
    program: String,
    embedded: bool,
    /// The migrator and each revision's file, once the revisions are read.
    loaded: OnceLock<Loaded>,
    /// The revision files, while a thread of their own reads them ([`Db::for_run`]).
    reading: Mutex<Option<Reading>>,
    /// The project's settings, which a migrator made from the files is given.
    settings: Settings,
    out: Output,
    runtime: tokio::runtime::Runtime,
    /// Whether the progress lines are printed (for `upgrade`/`downgrade`, not `stamp`).
    show_progress: Arc<AtomicBool>,
    /// The run's live display (a bar on a terminal), made when the plan arrives and
    /// removed when the run ends, however it ends.
    display: Arc<Mutex<Option<Display>>>,
}

/// The revisions a [`Db`] runs.
struct Loaded {
    migrator: Migrator,
    /// Each revision's file, for messages that name revisions, when the migrator was
    /// made from parsed revisions ([`Db::new`]); otherwise empty, and the migrator's
    /// own file names tell it ([`Db::file_shown`]).
    files: BTreeMap<String, String>,
}

/// Revision files being read on a thread of their own (headers and checksums only),
/// and their migrator made there too.
struct Reading {
    texts: oneshot::Receiver<Result<Migrator, RevisionError>>,
    thread: std::thread::JoinHandle<()>,
}

impl Reading {
    /// Starts reading `dir`; `None` if no thread could be started.
    fn start(dir: PathBuf) -> Option<Reading> {
        let (send, texts) = oneshot::channel();
        let thread = std::thread::Builder::new()
            .name("migrate-revision-files".into())
            .spawn(move || {
                // The receiver is gone only when the command already failed.
                let _ = send.send(load_dir_lazy(&dir).map(Migrator::from_texts));
            })
            .ok()?;
        Some(Reading { texts, thread })
    }
}

/// The revision files' thread ended without a result (it cannot, short of a bug).
fn not_read() -> CliError {
    CliError::io("the revision files were not read")
        .fix("run the command again; if it happens again, report it as a bug")
}

/// Why a run's connection was not opened.
enum NotOpened {
    /// The direct connection made first on SQLite failed.
    Direct(CliError),
    /// The runtime could not open the pool.
    Runtime(RuntimeError),
    /// Given up: the revision files could not be read.
    Abandoned,
}

impl Db {
    /// Prepares the migrator for the configured URL (nothing is connected yet).
    pub fn new(ctx: &Context, settings: &Settings, revs: &Revisions) -> CliResult<Db> {
        let migrator = match ctx.source {
            RevisionSource::Embedded(embedded) => Migrator::new(embedded),
            RevisionSource::Directory => Migrator::from_revisions(
                revs.entries()
                    .iter()
                    .map(|e| RevisionDef {
                        id: e.id().to_string(),
                        parents: e.revision.parents.clone(),
                        message: e.revision.message.clone(),
                        checksum: e.checksum.clone(),
                        upgrade: e.revision.upgrade.clone(),
                        downgrade: e.revision.downgrade.clone(),
                    })
                    .collect(),
            ),
        };
        let files = revs
            .entries()
            .iter()
            .map(|e| (e.id().to_string(), e.path.display().to_string()))
            .collect();
        Db::build(ctx, settings, Ok((migrator, files)))
    }

    /// Prepares the migrator of an `upgrade`/`downgrade` run: revision files are
    /// read with only their headers parsed, and the runtime parses the operations
    /// of the revisions it runs (an up-to-date database parses none). The graph and
    /// the files are checked by the runtime, with the same messages.
    ///
    /// From a directory the files are read on a thread of their own, while
    /// [`Db::run`] connects: on an up-to-date database the two are most of the
    /// command's time. Whatever is wrong with the files is still reported first.
    pub fn for_run(ctx: &Context, settings: &Settings) -> CliResult<Db> {
        if matches!(ctx.source, RevisionSource::Directory) && settings.require_url().is_ok() {
            require_dir(&settings.migrations_dir)?;
            if let Some(reading) = Reading::start(settings.migrations_dir.clone()) {
                return Db::build(ctx, settings, Err(reading));
            }
        }
        let migrator = run_migrator(ctx, settings)?;
        Db::build(ctx, settings, Ok((migrator, BTreeMap::new())))
    }

    fn build(
        ctx: &Context,
        settings: &Settings,
        revisions: Result<(Migrator, BTreeMap<String, String>), Reading>,
    ) -> CliResult<Db> {
        let url = settings.require_url()?.clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                CliError::io(format!("cannot start the async runtime: {e}"))
                    .fix("check the process limits (threads, file descriptors)")
            })?;
        let mut db = Db {
            url,
            program: ctx.program(),
            embedded: ctx.is_embedded(),
            loaded: OnceLock::new(),
            reading: Mutex::new(None),
            settings: settings.clone(),
            out: ctx.out.clone(),
            runtime,
            show_progress: Arc::new(AtomicBool::new(false)),
            display: Arc::new(Mutex::new(None)),
        };
        match revisions {
            Ok((migrator, files)) => {
                db.set_loaded(migrator, files);
            }
            Err(reading) => {
                *db.reading.get_mut().unwrap_or_else(|e| e.into_inner()) = Some(reading)
            }
        }
        Ok(db)
    }

    /// Keeps the revisions, with the project's settings and the progress printer
    /// given to their migrator.
    fn set_loaded(&self, migrator: Migrator, files: BTreeMap<String, String>) -> &Loaded {
        let migrator = migrator.with_config(run_config(&self.settings));
        // `--quiet` prints no progress: without an observer the runtime does not
        // even describe the plan and each revision for it.
        let migrator = if self.out.verbosity() >= Verbosity::Normal {
            migrator.on_progress(progress_printer(
                self.out.clone(),
                Arc::clone(&self.show_progress),
                Arc::clone(&self.display),
                self.url.masked(),
            ))
        } else {
            migrator
        };
        self.loaded.get_or_init(|| Loaded { migrator, files })
    }

    /// The revisions, waiting for the thread that reads them if need be.
    fn loaded(&self) -> CliResult<&Loaded> {
        if let Some(loaded) = self.loaded.get() {
            return Ok(loaded);
        }
        let reading = self
            .reading
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        match reading {
            Some(reading) => {
                let texts = reading.texts.blocking_recv();
                self.finish_reading(texts, reading.thread)
            }
            None => Err(not_read()),
        }
    }

    /// The migrator of the revisions.
    fn migrator(&self) -> CliResult<&Migrator> {
        Ok(&self.loaded()?.migrator)
    }

    /// What the reading thread sent (nothing if it panicked: the panic goes on here).
    fn finish_reading(
        &self,
        texts: Result<Result<Migrator, RevisionError>, oneshot::error::RecvError>,
        thread: std::thread::JoinHandle<()>,
    ) -> CliResult<&Loaded> {
        let migrator = match texts {
            Ok(read) => read.map_err(revision_error)?,
            Err(_) => match thread.join() {
                Err(panic) => std::panic::resume_unwind(panic),
                Ok(()) => return Err(not_read()),
            },
        };
        Ok(self.set_loaded(migrator, BTreeMap::new()))
    }

    /// Opens the run's connection while the revision files are read, and waits for
    /// both; the files' errors come first, and a run that cannot read them does not
    /// wait for the server. On SQLite a direct connection comes first: a local file
    /// costs no round trip, and a process killed -9 in a run on the file is recovered
    /// from in the lock tests only with it.
    fn open_for_run(&self) -> CliResult<Opened> {
        let sqlite = migrate_core::url::kind_of(self.url.url.as_str())
            == Some(migrate_core::dialect::DialectKind::Sqlite);
        if sqlite && sqlite_file_missing(&self.url.url) {
            // Connecting creates the file: not before the revisions are known to be
            // readable (a database that is not there yet has nothing to check anyway).
            self.loaded()?;
        }
        let reading = self
            .reading
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take();
        let config = run_config(&self.settings);
        let connect = async {
            if sqlite {
                connect_directly(&self.url, Access::Write)
                    .await
                    .map_err(NotOpened::Direct)?;
            }
            Opened::connect(&self.url.url, &config)
                .await
                .map_err(NotOpened::Runtime)
        };
        let (read, opened) = self.runtime.block_on(async {
            let Some(reading) = reading else {
                return (None, connect.await);
            };
            let mut texts = reading.texts;
            tokio::pin!(connect);
            tokio::select! {
                read = &mut texts => {
                    let opened = match read {
                        Ok(Ok(_)) => connect.await,
                        _ => Err(NotOpened::Abandoned),
                    };
                    (Some((read, reading.thread)), opened)
                }
                opened = &mut connect => (Some((texts.await, reading.thread)), opened),
            }
        });
        if let Some((texts, thread)) = read {
            if let Err(err) = self.finish_reading(texts, thread) {
                if let Ok(opened) = opened {
                    self.runtime.block_on(opened.close());
                }
                return Err(err);
            }
        }
        match opened {
            Ok(opened) => Ok(opened),
            Err(NotOpened::Direct(err)) => Err(self.missing_database(err)),
            Err(NotOpened::Runtime(e @ RuntimeError::Connect { .. })) => {
                self.preflight(Access::Write)?;
                Err(self.error(e))
            }
            Err(NotOpened::Runtime(e)) => Err(self.error(e)),
            Err(NotOpened::Abandoned) => Err(not_read()),
        }
    }

    /// Connects once, directly, to fail fast with the driver's own reason (refused,
    /// unknown host, bad password) instead of a pool's timeout.
    /// A database that does not exist (the server answers, the database is not
    /// there) gets its own error, which says how to create it.
    pub fn preflight(&self, access: Access) -> CliResult<()> {
        preflight(&self.runtime, &self.url, access).map_err(|err| self.missing_database(err))
    }

    /// A failed direct connection's error, or the "does not exist" one when the
    /// server answers and the database is not there.
    fn missing_database(&self, err: CliError) -> CliError {
        let exists = self.runtime.block_on(async {
            tokio::time::timeout(CONNECT_TIMEOUT, crate::server::exists(&self.url.url)).await
        });
        match exists {
            Ok(Ok(false)) => {
                // A SQLite file is also created by a run that writes, as a
                // deployed binary does.
                let upgrade = match migrate_core::url::kind_of(self.url.url.as_str()) {
                    Some(migrate_core::dialect::DialectKind::Sqlite) => {
                        " (`upgrade` creates a missing file too)"
                    }
                    _ => "",
                };
                CliError::database(format!("the database {} does not exist", self.url.masked()))
                        .fix(format!(
                    "create it with `{} database create`{upgrade} (the URL came from {}), or fix the URL",
                    self.program, self.url.source
                ))
            }
            _ => err,
        }
    }

    /// The database's current head revisions (empty: nothing applied).
    pub fn current(&self) -> CliResult<Vec<String>> {
        let migrator = self.migrator()?;
        self.preflight(Access::Read)?;
        self.runtime
            .block_on(migrator.current(&self.url.url))
            .map_err(|e| self.error(e))
    }

    /// Applies or undoes revisions towards `target` in one runtime call, printing a
    /// line per revision as it finishes; returns what was done and the time it took.
    ///
    /// On a server the runtime's pool makes the only connection: the direct one of
    /// [`Db::preflight`], for the driver's own reason and the "does not exist"
    /// message, is made only when the pool could not connect (a connection less on
    /// every run, which is most of an up-to-date database's start-up).
    pub fn run(&self, direction: Direction, target: Target) -> CliResult<(Report, Duration)> {
        let opened = self.open_for_run()?;
        let migrator = self.migrator()?;
        let start = Instant::now();
        self.show_progress.store(true, Ordering::Relaxed);
        let result = self.runtime.block_on(async {
            let result = match direction {
                Direction::Upgrade => migrator.upgrade(&opened, target).await,
                Direction::Downgrade => migrator.downgrade(&opened, target).await,
            };
            opened.close().await;
            result
        });
        self.show_progress.store(false, Ordering::Relaxed);
        drop(
            self.display
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .take(),
        );
        let report = result.map_err(|e| self.error(e))?;
        Ok((report, start.elapsed()))
    }

    /// What a run towards `target` would do, without changing anything.
    pub fn plan(&self, direction: Direction, target: Target) -> CliResult<Plan> {
        let migrator = self.migrator()?;
        self.preflight(Access::Read)?;
        self.runtime
            .block_on(migrator.plan(&self.url.url, direction, target))
            .map_err(|e| self.error(e))
    }

    /// Records the database as being at `target`; returns the revisions stamped.
    pub fn stamp(&self, target: Target) -> CliResult<Vec<String>> {
        let migrator = self.migrator()?;
        self.preflight(Access::Write)?;
        self.runtime
            .block_on(migrator.stamp(&self.url.url, target))
            .map(|report| report.revisions)
            .map_err(|e| self.error(e))
    }

    /// Empties the version table and its log; returns the revisions forgotten.
    pub fn purge(&self) -> CliResult<Vec<String>> {
        let migrator = self.migrator()?;
        self.preflight(Access::Write)?;
        self.runtime
            .block_on(migrator.purge(&self.url.url))
            .map_err(|e| self.error(e))
    }

    /// Every revision in the version log, oldest first, with its state.
    pub fn history(&self) -> CliResult<Vec<AppliedRevision>> {
        let migrator = self.migrator()?;
        self.preflight(Access::Read)?;
        self.runtime
            .block_on(migrator.history(&self.url.url))
            .map_err(|e| self.error(e))
    }

    /// Settles a dirty revision (see `cargo migrate resolve`).
    pub fn resolve(&self, revision: &str, resolution: Resolution) -> CliResult<()> {
        let migrator = self.migrator()?;
        self.runtime
            .block_on(migrator.resolve_dirty(&self.url.url, revision, resolution))
            .map_err(|e| self.error(e))
    }

    /// The URL as it may be shown.
    pub fn masked_url(&self) -> String {
        self.url.masked()
    }

    /// The file of revision `id` as messages show it: from the map made with parsed
    /// revisions, or the migrator's file name, embedded as it is or else the
    /// migrations directory's file of that name.
    fn file_shown(&self, id: &str) -> Option<String> {
        let loaded = self.loaded.get()?;
        if let Some(file) = loaded.files.get(id) {
            return Some(file.clone());
        }
        let name = loaded.migrator.file_of(id)?;
        if self.embedded {
            return Some(name.to_string());
        }
        let path = self.settings.migrations_dir.join(name);
        Some(ShownPaths::here().show(&path).display().to_string())
    }

    fn error(&self, err: RuntimeError) -> CliError {
        // Name the heads' files: they are what the user merges or picks from.
        if let RuntimeError::MultipleHeads { heads } = &err {
            let named: Vec<String> = heads
                .iter()
                .map(|h| match self.file_shown(h) {
                    Some(file) => format!("{h} ({file})"),
                    None => h.clone(),
                })
                .collect();
            return multiple_heads_error(heads.len(), &named.join(", "));
        }
        let program = &self.program;
        match err {
            // The runtime's own messages name Rust methods; an operator gets commands.
            RuntimeError::Dirty {
                revision,
                step,
                error,
                others,
            } => {
                let also = if others.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; the same interrupted run also left {} dirty, each maybe half-run",
                        others.join(", ")
                    )
                };
                CliError::database(format!(
                    "the database is dirty: revision {revision} failed at step {step} in an \
                     earlier run ({error}); the steps before it stay applied{also}"
                ))
                .fix(format!(
                    "repair the schema by hand (finish or undo the revision's steps), then run \
                     `{program} resolve {revision} --applied` or `--not-applied`"
                ))
            }
            RuntimeError::UnknownApplied { ref revisions } => {
                let (have, newer) = if self.embedded {
                    (
                        "this binary does not have",
                        "a newer build of the application",
                    )
                } else {
                    ("the revision files do not have", "a newer checkout")
                };
                CliError::database(format!(
                    "the database has revision(s) {} that {have}: {newer} applied them",
                    revisions.join(", ")
                ))
                .fix(format!(
                    "upgrade with {newer}, or undo them here with `{program} downgrade -1` \
                     (once per revision, with the downgrade the log recorded)"
                ))
            }
            RuntimeError::ChecksumMismatch {
                revision,
                recorded,
                embedded,
            } => {
                let message = format!(
                    "revision {revision} was applied with checksum {recorded}, but its file \
                     now has {embedded}: an applied revision must not be edited"
                );
                let fix = if self.embedded {
                    "this binary was built with an edited copy of an applied revision: deploy \
                     a build whose revision file matches what was applied, and put changes \
                     in a new revision"
                        .to_string()
                } else {
                    format!(
                        "restore revision {revision}'s file as it was applied (e.g. `git \
                         checkout` it), put the change in a new revision (`{program} revision \
                         -m ...`), then run the command again"
                    )
                };
                CliError::revisions(message).fix(fix)
            }
            RuntimeError::HeadsDisagree {
                revision,
                table,
                recorded,
                logged,
                repair,
            } => CliError::database(format!(
                "cannot run revision {revision}: the version table `{table}` lists the heads \
                 [{}], but its log `{table}_log` gives [{}] (one of the two was changed \
                 outside migrate); nothing was run",
                recorded.join(", "),
                logged.join(", ")
            ))
            .fix(format!(
                "if the log is right, set the table to its heads (`{repair}`); if the table \
                 is right, record the database afresh at its real revision (`{program} stamp \
                 --purge REV`); then run the command again"
            )),
            // Statements that committed on their own stay: the revision is dirty.
            RuntimeError::RevisionFailed {
                ref revision,
                dirty: true,
                ..
            } => {
                let fix = format!(
                    "repair the schema by hand (finish or undo the revision's steps), run \
                     `{program} resolve {revision} --applied` or `--not-applied`, then fix the \
                     revision's operations or SQL"
                );
                CliError::database(err.to_string()).fix(fix)
            }
            err => runtime_error(err, &self.url),
        }
    }
}

/// The migrator of an `upgrade`/`downgrade` run: revision files are read with only
/// their headers parsed, and the runtime parses the operations of the revisions it
/// runs (an up-to-date database parses none). The graph and the files are checked by
/// the runtime, with the same messages.
fn run_migrator(ctx: &Context, settings: &Settings) -> CliResult<Migrator> {
    Ok(match ctx.source {
        RevisionSource::Embedded(embedded) => Migrator::new(embedded),
        RevisionSource::Directory => {
            require_dir(&settings.migrations_dir)?;
            Migrator::from_texts(load_dir_lazy(&settings.migrations_dir).map_err(revision_error)?)
        }
    })
}

/// The project's version table and `[runtime]` settings (lock, lease, transaction
/// mode), for a migrator.
fn run_config(settings: &Settings) -> Config {
    let mut config = Config::default();
    config.table = settings.version_table.clone();
    if let Some(runtime) = &settings.file.runtime {
        if let Some(mode) = runtime.lock {
            config.lock_mode = mode;
        }
        if let Some(ms) = runtime.lease_ms {
            config.lease = Duration::from_millis(ms);
        }
        if let Some(mode) = runtime.transaction {
            config.transaction_mode = mode;
        }
    }
    config
}

/// The migrator of a fleet run (`--fleet`): the same revisions and settings as
/// [`Db::for_run`], without a database URL of its own.
pub fn fleet_migrator(ctx: &Context, settings: &Settings) -> CliResult<Migrator> {
    let migrator = run_migrator(ctx, settings)?;
    Ok(migrator.with_config(run_config(settings)))
}

/// The observer that prints a run's progress: the plan's size, then one line per
/// revision with its duration (`  <parent> -> <id>  <message>  (12 ms)`).
fn progress_printer(
    out: Output,
    show: Arc<AtomicBool>,
    display: Arc<Mutex<Option<Display>>>,
    masked_url: String,
) -> impl Fn(&Progress) + Send + Sync + 'static {
    let planned: Mutex<(Direction, BTreeMap<String, ProgressRevision>)> =
        Mutex::new((Direction::Upgrade, BTreeMap::new()));
    move |event| {
        if !show.load(Ordering::Relaxed) {
            return;
        }
        let mut planned = planned.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            Progress::Planned {
                direction,
                revisions,
            } => {
                let verb = match direction {
                    Direction::Upgrade => "upgrading",
                    Direction::Downgrade => "downgrading",
                };
                out.status(format!(
                    "{verb} {masked_url} ({} revision{})",
                    revisions.len(),
                    if revisions.len() == 1 { "" } else { "s" }
                ));
                // A bar only for runs long enough to watch.
                if revisions.len() > 1 {
                    *display.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some(Display::new(&out, revisions.len(), "revisions"));
                }
                *planned = (
                    *direction,
                    revisions
                        .iter()
                        .map(|r| (r.id.clone(), r.clone()))
                        .collect(),
                );
            }
            Progress::Finished { id, took } => {
                let (direction, revisions) = &*planned;
                let (parents, message) = match revisions.get(id) {
                    Some(r) if !r.parents.is_empty() => (r.parents.join(","), r.message.as_str()),
                    Some(r) => ("<base>".to_string(), r.message.as_str()),
                    None => ("?".to_string(), ""),
                };
                let line = match direction {
                    Direction::Upgrade => {
                        format!("  {parents} -> {}  {message}", paint(style::ID, id))
                    }
                    Direction::Downgrade => {
                        format!("  {} -> {parents}  {message}", paint(style::ID, id))
                    }
                };
                let took = paint(style::DIM, format!("({})", human_duration(*took)));
                match &*display.lock().unwrap_or_else(|e| e.into_inner()) {
                    Some(live) if live.is_live() => {
                        live.line(format!("{line} ... {took}"));
                        live.inc();
                    }
                    // The revision is done: its line is written whole, at once.
                    _ => out.status(format!("{line} ... {took}")),
                }
            }
            _ => {}
        }
    }
}

/// A runtime error as a CLI error with its exit status and fix.
pub fn runtime_error(err: RuntimeError, url: &DatabaseUrl) -> CliError {
    // The planner's errors read the same as when the CLI plans an offline script.
    let err = match err {
        RuntimeError::Plan(e) => return crate::project::graph_error(e),
        other => other,
    };
    let text = err.to_string();
    let (status, fix) = match &err {
        RuntimeError::UnsupportedUrl { .. } => (
            Status::Usage,
            format!(
                "use a URL starting with sqlite:, postgres:// or mysql:// (it came from {})",
                url.source
            ),
        ),
        RuntimeError::Connect { .. } => (
            Status::Database,
            format!(
                "check that the server runs and accepts connections there, and the user, password and database name (the URL came from {})",
                url.source
            ),
        ),
        RuntimeError::InvalidRevision { .. }
        | RuntimeError::Graph(_)
        | RuntimeError::ChecksumMismatch { .. } => (
            Status::Revisions,
            "fix the revision files (see `cargo migrate history`), or restore the file as it was applied".to_string(),
        ),
        RuntimeError::UnknownTarget { .. }
        | RuntimeError::AmbiguousTarget { .. }
        | RuntimeError::InvalidTarget { .. }
        | RuntimeError::MultipleHeads { .. } => (
            Status::Usage,
            "list the revisions with `cargo migrate history` and `cargo migrate heads`".to_string(),
        ),
        RuntimeError::RevisionFailed { .. } => (
            Status::Database,
            "fix the revision's operations or SQL, then run the command again".to_string(),
        ),
        RuntimeError::LockTimeout { .. } => (
            Status::Database,
            "another migration holds the lock: wait for it to finish, then run again".to_string(),
        ),
        _ => (
            Status::Database,
            "see the database's message above; `--verbose` shows which URL was used".to_string(),
        ),
    };
    // The runtime's own messages often end with `; what to do`: keep that as the fix.
    match text.split_once("; ") {
        Some((message, own_fix)) if status != Status::Database => {
            CliError::new(status, message).fix(own_fix)
        }
        _ => CliError::new(status, text).fix(fix),
    }
}
