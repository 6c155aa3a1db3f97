//! Exit codes and the one error type every command returns.
//!
//! An error is printed as one line saying what is wrong, then one line saying how to
//! fix it; both pass through [`crate::mask`] first, so a password never reaches the
//! terminal, even when a database driver echoes the URL it was given.

use std::fmt;
use std::process::ExitCode;

/// The process exit status of a command, documented in `--help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// 0: the command did what was asked.
    Ok = 0,
    /// 1: `check` found drift (models or database differ from the head revision).
    Drift = 1,
    /// 2: bad arguments or configuration: unknown option, unknown or ambiguous
    /// revision id, missing database URL, unreadable `migrate.toml`.
    Usage = 2,
    /// 3: the database could not be reached, or a statement failed on it.
    Database = 3,
    /// 4: the revision files are invalid: a file does not parse, a parent is
    /// missing, the graph has a cycle or several heads where one is needed.
    Revisions = 4,
    /// 5: a file could not be read or written.
    Io = 5,
}

impl Status {
    /// The numeric exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        ExitCode::from(status.code())
    }
}

/// The exit-code table printed at the end of `--help`.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success
  1  check failed: models or database differ from the head revision
  2  usage or configuration error (bad option, unknown revision id, no database URL)
  3  database error (cannot connect, a statement failed)
  4  invalid revision files (parse error, missing parent, several heads)
  5  a file could not be read or written";

/// A failed command: what went wrong, how to fix it, and the exit status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CliError {
    /// The exit status this error maps to.
    pub status: Status,
    /// One line: what is wrong.
    pub message: String,
    /// One line: what to do about it.
    pub fix: Option<String>,
}

impl CliError {
    /// An error with the given status and message, without a fix yet.
    pub fn new(status: Status, message: impl Into<String>) -> Self {
        CliError {
            status,
            message: one_line(&message.into()),
            fix: None,
        }
    }

    /// A usage or configuration error (exit code 2).
    pub fn usage(message: impl Into<String>) -> Self {
        Self::new(Status::Usage, message)
    }

    /// A database error (exit code 3).
    pub fn database(message: impl Into<String>) -> Self {
        Self::new(Status::Database, message)
    }

    /// An invalid-revision-files error (exit code 4).
    pub fn revisions(message: impl Into<String>) -> Self {
        Self::new(Status::Revisions, message)
    }

    /// A file-system error (exit code 5).
    pub fn io(message: impl Into<String>) -> Self {
        Self::new(Status::Io, message)
    }

    /// A failed check (exit code 1).
    pub fn drift(message: impl Into<String>) -> Self {
        Self::new(Status::Drift, message)
    }

    /// Adds the line that tells the user how to fix the problem.
    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(one_line(&fix.into()));
        self
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, "\n  fix: {fix}")?;
        }
        Ok(())
    }
}

/// Joins a multi-line message (as some drivers produce) into one line.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Result of a command.
pub type CliResult<T = ()> = Result<T, CliError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line_and_fix_follows() {
        let err = CliError::database("error returned\nfrom database:   oops").fix("start it");
        assert_eq!(
            err.to_string(),
            "error returned from database: oops\n  fix: start it"
        );
        assert_eq!(err.status.code(), 3);
    }
}
