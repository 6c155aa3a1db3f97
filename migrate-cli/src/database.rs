//! The database commands' bridge to migrate-runtime: one [`Db`] per invocation, a
//! small tokio runtime to drive it, and runtime errors turned into one line plus a
//! fix, with the password masked.

use std::time::{Duration, Instant};

use migrate_runtime::{
    AppliedRevision, Direction, Error as RuntimeError, Migrator, Resolution, RevisionDef, Target,
};

use crate::config::{DatabaseUrl, Settings};
use crate::context::{Context, RevisionSource};
use crate::error::{CliError, CliResult, Status};
use crate::project::Revisions;

/// A migrator bound to the configured database.
pub struct Db {
    url: DatabaseUrl,
    /// How the operator runs the commands, for fix lines (`cargo migrate`).
    program: String,
    embedded: bool,
    migrator: Migrator,
    runtime: tokio::runtime::Runtime,
}

impl Db {
    /// Prepares the migrator for the configured URL (nothing is connected yet).
    pub fn new(ctx: &Context, settings: &Settings, revs: &Revisions) -> CliResult<Db> {
        let url = settings.require_url()?.clone();
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
        }
        .table(settings.version_table.clone());
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| {
                CliError::io(format!("cannot start the async runtime: {e}"))
                    .fix("check the process limits (threads, file descriptors)")
            })?;
        Ok(Db {
            url,
            program: ctx.program(),
            embedded: ctx.is_embedded(),
            migrator,
            runtime,
        })
    }

    /// Connects once, directly, to fail fast with the driver's own reason (refused,
    /// unknown host, bad password) instead of a pool's timeout.
    pub fn preflight(&self) -> CliResult<()> {
        preflight(&self.runtime, &self.url)
    }

    /// The database's current head revisions (empty: nothing applied).
    pub fn current(&self) -> CliResult<Vec<String>> {
        self.preflight()?;
        self.runtime
            .block_on(self.migrator.current(&self.url.url))
            .map_err(|e| self.error(e))
    }

    /// Applies revisions up to `target`; returns the time it took.
    pub fn upgrade(&self, target: Target) -> CliResult<Duration> {
        let start = Instant::now();
        self.runtime
            .block_on(self.migrator.upgrade(&self.url.url, target))
            .map_err(|e| self.error(e))?;
        Ok(start.elapsed())
    }

    /// Undoes revisions down to `target`; returns the time it took.
    pub fn downgrade(&self, target: Target) -> CliResult<Duration> {
        let start = Instant::now();
        self.runtime
            .block_on(self.migrator.downgrade(&self.url.url, target))
            .map_err(|e| self.error(e))?;
        Ok(start.elapsed())
    }

    /// Records the database as being at `target`; returns the revisions stamped.
    pub fn stamp(&self, target: Target) -> CliResult<Vec<String>> {
        self.preflight()?;
        self.runtime
            .block_on(self.migrator.stamp(&self.url.url, target))
            .map(|report| report.revisions)
            .map_err(|e| self.error(e))
    }

    /// Runs the runtime's integrity checks (no dirty revision, applied revisions
    /// unchanged, none unknown) without changing anything: what an upgrade checks
    /// before it starts, for when nothing is pending.
    pub fn verify(&self) -> CliResult<()> {
        self.runtime
            .block_on(
                self.migrator
                    .plan(&self.url.url, Direction::Upgrade, Target::Heads),
            )
            .map(|_| ())
            .map_err(|e| self.error(e))
    }

    /// Every revision in the version log, oldest first, with its state.
    pub fn history(&self) -> CliResult<Vec<AppliedRevision>> {
        self.preflight()?;
        self.runtime
            .block_on(self.migrator.history(&self.url.url))
            .map_err(|e| self.error(e))
    }

    /// Settles a dirty revision (see `cargo migrate resolve`).
    pub fn resolve(&self, revision: &str, resolution: Resolution) -> CliResult<()> {
        self.runtime
            .block_on(
                self.migrator
                    .resolve_dirty(&self.url.url, revision, resolution),
            )
            .map_err(|e| self.error(e))
    }

    /// The URL as it may be shown.
    pub fn masked_url(&self) -> String {
        self.url.masked()
    }

    fn error(&self, err: RuntimeError) -> CliError {
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
            // Statements that committed on their own stay: the revision is dirty.
            RuntimeError::RevisionFailed {
                ref revision,
                ref outcome,
                ..
            } if outcome.contains("marked dirty") => {
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

/// A runtime error as a CLI error with its exit status and fix.
pub fn runtime_error(err: RuntimeError, url: &DatabaseUrl) -> CliError {
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

/// How long the first connection may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Opens and closes one connection to `url`, with [`CONNECT_TIMEOUT`].
pub fn preflight(runtime: &tokio::runtime::Runtime, url: &DatabaseUrl) -> CliResult<()> {
    use sqlx::Connection;
    let text = url.url.as_str();
    let scheme = text.split(':').next().unwrap_or("").to_ascii_lowercase();
    let result = runtime.block_on(async {
        // Only the databases this build supports (one cargo feature each); another
        // scheme is left to the runtime, which names the missing feature.
        let connect = async {
            match scheme.as_str() {
                #[cfg(feature = "postgres")]
                "postgres" | "postgresql" => sqlx::PgConnection::connect(text).await?.close().await,
                #[cfg(feature = "mysql")]
                "mysql" => sqlx::MySqlConnection::connect(text).await?.close().await,
                #[cfg(feature = "mysql")]
                "mariadb" => {
                    let mysql = format!("mysql{}", &text["mariadb".len()..]);
                    sqlx::MySqlConnection::connect(&mysql).await?.close().await
                }
                #[cfg(feature = "sqlite")]
                "sqlite" => sqlx::SqliteConnection::connect(text).await?.close().await,
                _ => Ok::<(), sqlx::Error>(()),
            }
        };
        tokio::time::timeout(CONNECT_TIMEOUT, connect).await
    });
    let fix = format!(
        "check that the server runs and accepts connections there, and the user, password and database name (the URL came from {})",
        url.source
    );
    match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(err)) => {
            Err(CliError::database(format!("cannot connect to {}: {err}", url.masked())).fix(fix))
        }
        Err(_) => Err(CliError::database(format!(
            "cannot connect to {}: no answer within {} s",
            url.masked(),
            CONNECT_TIMEOUT.as_secs()
        ))
        .fix(fix)),
    }
}
