//! Errors from reading revision files.
//!
//! Every error names the file; those about the content also give the line (1-based)
//! and say how to fix the problem.

use std::path::PathBuf;

/// A revision file that cannot be read or does not hold a valid revision.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RevisionError {
    /// The file is not valid TOML, or does not have the shape of a revision
    /// (unknown `op`, missing field, bad column type, ...).
    #[error("{}:{line}: {message}", path.display())]
    Syntax {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The file parses but a value is not acceptable (bad id, bad `created` time).
    #[error("{}:{line}: {message}", path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// 1-based line of the problem.
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The file name does not start with the revision id.
    #[error(
        "{}: the file name must start with the revision's id `{id}` (expected `{expected}`); \
         rename the file, or fix its `id` if it was copied from another revision",
        path.display()
    )]
    FileName {
        /// The file.
        path: PathBuf,
        /// The id inside the file.
        id: String,
        /// The name the file should have.
        expected: String,
    },
    /// The file or directory could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

impl RevisionError {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            RevisionError::Syntax { path, .. }
            | RevisionError::Invalid { path, .. }
            | RevisionError::FileName { path, .. }
            | RevisionError::Io { path, .. } => path,
        }
    }

    /// The 1-based line the error is about, when it is about the content.
    pub fn line(&self) -> Option<usize> {
        match self {
            RevisionError::Syntax { line, .. } | RevisionError::Invalid { line, .. } => Some(*line),
            _ => None,
        }
    }
}
