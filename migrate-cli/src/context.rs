//! What every command gets: the global options, the printer, the configuration and
//! where the revisions come from (the migrations directory, or the ones embedded in
//! the running binary).

use std::path::PathBuf;

use anstream::ColorChoice;
use migrate_core::embed::Embedded;

use crate::cli::{ColorWhen, GlobalArgs};
use crate::config::{Overrides, Settings};
use crate::error::{CliError, CliResult};
use crate::output::{Output, Verbosity};

/// Where the revisions are read from.
#[derive(Clone, Copy, Debug)]
pub enum RevisionSource {
    /// The migrations directory on disk (`cargo migrate`).
    Directory,
    /// The revisions embedded in the running binary (`run_embedded`), with the
    /// settings of the project's `migrate.toml` the binary was built with.
    Embedded(Embedded),
}

/// The state shared by the commands of one invocation.
#[derive(Debug)]
pub struct Context {
    /// The global options.
    pub global: GlobalArgs,
    /// The printer.
    pub out: Output,
    /// Where the revisions come from.
    pub source: RevisionSource,
    /// The directory the command runs in.
    pub cwd: PathBuf,
    /// How the operator runs these commands, for fix lines: `cargo migrate`, or the
    /// application's binary and its command word (`myapp migrate`).
    pub program: String,
}

impl Context {
    /// A context for the given options; learns every candidate database URL's password
    /// so that no output can show it.
    pub fn new(global: GlobalArgs, source: RevisionSource) -> Self {
        let verbosity = if global.quiet {
            Verbosity::Quiet
        } else if global.verbose {
            Verbosity::Verbose
        } else {
            Verbosity::Normal
        };
        let color = match global.color {
            ColorWhen::Auto => ColorChoice::Auto,
            ColorWhen::Always => ColorChoice::Always,
            ColorWhen::Never => ColorChoice::Never,
        };
        let mut out = Output::new(verbosity, color);
        if let Some(url) = &global.database_url {
            out.masker_mut().learn_url(url);
        }
        if let Ok(url) = std::env::var("DATABASE_URL") {
            out.masker_mut().learn_url(&url);
        }
        Context {
            global,
            out,
            source,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from(".")),
            program: "cargo migrate".to_string(),
        }
    }

    /// How the operator runs these commands (see [`Context::program`]'s field).
    pub fn program(&self) -> String {
        self.program.clone()
    }

    /// Whether the command runs inside an application (embedded revisions).
    pub fn is_embedded(&self) -> bool {
        matches!(self.source, RevisionSource::Embedded(_))
    }

    /// Resolves the configuration, and teaches the printer the URL's password.
    pub fn settings(&mut self) -> CliResult<Settings> {
        let overrides = Overrides {
            config: self.global.config.clone(),
            database_url: self.global.database_url.clone(),
            migrations_dir: self.global.migrations_dir.clone(),
        };
        let mut settings = Settings::resolve(&overrides, &self.cwd)?;
        if let RevisionSource::Embedded(embedded) = self.source {
            // Rule: a binary uses the settings it was built with (the project's
            // migrate.toml), never those of a migrate.toml where it happens to run,
            // so it agrees with `cargo migrate` on the project.
            settings.use_embedded(&embedded.settings)?;
        }
        if let Some(url) = &settings.database_url {
            self.out.masker_mut().learn_url(&url.url);
            self.out
                .detail(format!("database: {} (from {})", url.masked(), url.source));
        }
        if let Some(path) = &settings.config_path {
            self.out.detail(format!("config: {}", path.display()));
        }
        Ok(settings)
    }

    /// An error for a command an application's embedded `migrate` does not offer.
    pub fn not_embedded(&self, command: &str) -> CliError {
        CliError::usage(format!(
            "`{command}` writes files into the project's source tree, which a deployed binary does not have"
        ))
        .fix(format!("run `cargo migrate {command}` in the project, then rebuild the application"))
    }
}
