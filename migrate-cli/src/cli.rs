//! The command tree: global options and one subcommand per file in [`crate::commands`].
//!
//! Parsing happens in two levels, like cargo: clap turns the arguments into the raw
//! structs below, then each command's `exec` validates them (revision ids, targets)
//! against the revision graph.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use migrate_core::dialect::DialectKind;

use crate::commands;
use crate::error::EXIT_CODES_HELP;

/// Alembic's commands for migrate: create revisions, upgrade and downgrade databases,
/// inspect the revision graph.
#[derive(Debug, Parser)]
#[command(
    name = "cargo-migrate",
    bin_name = "cargo migrate",
    version,
    propagate_version = true,
    after_help = EXIT_CODES_HELP,
    max_term_width = 100
)]
pub struct Cli {
    /// Options every command accepts.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command accepts.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Database URL (else DATABASE_URL, else .env, else migrate.toml).
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// Path of the configuration file [default: migrate.toml here or in a parent].
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Directory holding the revision files [default: from migrate.toml, else migrations].
    #[arg(long, global = true, value_name = "DIR")]
    pub migrations_dir: Option<PathBuf>,
    /// Print only data and errors.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (full revision headers, where the configuration came from).
    #[arg(short, long, global = true)]
    pub verbose: bool,
    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// The parser of `--dialect`: one of `postgres`, `mysql`, `sqlite` (listed in
/// `--help`), as the one database-kind type, [`DialectKind`].
pub fn dialect_parser() -> impl clap::builder::TypedValueParser<Value = DialectKind> {
    use clap::builder::{PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new(DialectKind::ALL.map(DialectKind::name)).map(|name| {
        name.parse::<DialectKind>()
            .expect("a listed dialect name parses")
    })
}

/// `--format`: how a reading command prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Aligned lines for people (`-q`: plain ids where the command lists revisions).
    #[default]
    Text,
    /// One JSON document on stdout, for scripts (the schema is in docs/cli.md).
    Json,
}

/// The `--format` option of the reading commands.
#[derive(Debug, Clone, Args)]
pub struct FormatArgs {
    /// Output format: `text`, or `json` for scripts (see docs/cli.md for the schema).
    #[arg(long, value_enum, default_value_t = Format::Text, value_name = "FORMAT")]
    pub format: Format,
}

impl FormatArgs {
    /// Whether `--format json` was given.
    pub fn is_json(&self) -> bool {
        self.format == Format::Json
    }
}

/// Options of the commands that can print SQL instead of running it.
#[derive(Debug, Clone, Args)]
pub struct OfflineArgs {
    /// Print the SQL script instead of connecting to the database.
    #[arg(long)]
    pub sql: bool,
    /// Dialect of the script when no database URL is configured.
    #[arg(long, value_name = "DIALECT", value_parser = dialect_parser())]
    pub dialect: Option<DialectKind>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create migrations/, migrate.toml, and the build.rs line with its dependencies.
    Init(commands::init::Args),
    /// Create a new revision file (empty, or with --autogenerate from the models).
    Revision(commands::revision::Args),
    /// Apply revisions up to a target (default: head).
    Upgrade(commands::upgrade::Args),
    /// Undo revisions down to a target.
    Downgrade(commands::downgrade::Args),
    /// Show the revision(s) the database is at.
    Current(commands::current::Args),
    /// List revisions, newest first.
    History(commands::history::Args),
    /// Show one revision.
    Show(commands::show::Args),
    /// List the head revisions.
    Heads(commands::heads::Args),
    /// List the branch points (revisions with several children).
    Branches(commands::branches::Args),
    /// Create a revision that merges several heads.
    Merge(commands::merge::Args),
    /// Record a revision as applied without running it.
    Stamp(commands::stamp::Args),
    /// Settle a revision a failed run left dirty: show its failure, then mark it applied or not.
    Resolve(commands::resolve::Args),
    /// Check that the models (and, with a URL, the database) match the head revision.
    Check(commands::check::Args),
    /// Write models and a baseline revision for an existing database (optionally stamp it).
    Adopt(commands::adopt::Args),
    /// Create, drop or reset the database the URL names.
    Database(commands::database::Args),
    /// Open a revision file (default: the head) in $VISUAL / $EDITOR.
    Edit(commands::edit::Args),
    /// Draw the schema at a revision: Mermaid text, an SVG image or an HTML page.
    Erd(commands::erd::Args),
    /// Replace a range of revisions by one that records which ones it replaces.
    Squash(commands::squash::Args),
}

impl Command {
    /// The command's name as typed.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Init(_) => "init",
            Command::Revision(_) => "revision",
            Command::Upgrade(_) => "upgrade",
            Command::Downgrade(_) => "downgrade",
            Command::Current(_) => "current",
            Command::History(_) => "history",
            Command::Show(_) => "show",
            Command::Heads(_) => "heads",
            Command::Branches(_) => "branches",
            Command::Merge(_) => "merge",
            Command::Stamp(_) => "stamp",
            Command::Resolve(_) => "resolve",
            Command::Check(_) => "check",
            Command::Adopt(_) => "adopt",
            Command::Database(_) => "database",
            Command::Edit(_) => "edit",
            Command::Erd(_) => "erd",
            Command::Squash(_) => "squash",
        }
    }

    /// Whether the command writes files into the source tree (not offered by an
    /// application's embedded `migrate` command).
    pub fn writes_files(&self) -> bool {
        matches!(
            self,
            Command::Init(_)
                | Command::Revision(_)
                | Command::Merge(_)
                | Command::Adopt(_)
                | Command::Edit(_)
                | Command::Squash(_)
        )
    }
}

/// Names of the commands that write files into the project.
pub const FILE_WRITING_COMMANDS: &[&str] =
    &["init", "revision", "merge", "adopt", "edit", "squash"];
