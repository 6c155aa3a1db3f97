//! The scenario matrix's deployed binary (`migrate-cli/tests/cli/matrix.rs`): one
//! build holds every revision set of the matrix, each embedded by the build script.
//!
//! ```text
//! matrix-app SET upgrade|downgrade TARGET URL       # Migrator, as an application's main
//! matrix-app SET resolve ID applied|not-applied URL # Migrator::resolve_dirty
//! matrix-app SET migrate ARGS...                    # run_embedded, from an async main
//! ```
//!
//! The exit status of the first two forms is the one the CLI gives for the same
//! error: 0, 2 usage, 3 database, 4 revisions.

use std::process::ExitCode;

use migrate::core::embed::Embedded;
use migrate::runtime::{Error, Migrator, Resolution};

static SETS: &[(&str, &Embedded)] = include!(concat!(env!("OUT_DIR"), "/matrix_sets.rs"));

/// The exit status a runtime error stands for, as the CLI maps it.
fn status_of(result: Result<(), Error>) -> u8 {
    match result {
        Ok(()) => 0,
        Err(Error::ChecksumMismatch { .. } | Error::Graph(_) | Error::InvalidRevision { .. }) => 4,
        Err(
            Error::UnknownTarget { .. }
            | Error::AmbiguousTarget { .. }
            | Error::InvalidTarget { .. }
            | Error::MultipleHeads { .. }
            | Error::NotDirty { .. },
        ) => 2,
        Err(e) => {
            eprintln!("error: {e}");
            3
        }
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(set) = args.first() else {
        eprintln!("usage: matrix-app SET COMMAND ...");
        return ExitCode::from(2);
    };
    let Some(&(_, embedded)) = SETS.iter().find(|(name, _)| name == set) else {
        eprintln!("no revision set {set} was embedded (built without MIGRATE_MATRIX_SETS?)");
        return ExitCode::from(2);
    };
    let rest: Vec<&str> = args[1..].iter().map(String::as_str).collect();
    let m = Migrator::new(embedded);
    let status = match rest.as_slice() {
        ["upgrade", target, url] => status_of(m.upgrade(*url, *target).await.map(|_| ())),
        ["downgrade", target, url] => status_of(m.downgrade(*url, *target).await.map(|_| ())),
        ["resolve", id, how, url] => {
            let how = if *how == "applied" {
                Resolution::Applied
            } else {
                Resolution::NotApplied
            };
            status_of(m.resolve_dirty(*url, id, how).await)
        }
        ["migrate", ..] => migrate_cli::run_embedded(rest.iter().copied(), embedded).code(),
        _ => {
            eprintln!("usage: matrix-app SET upgrade|downgrade|resolve|migrate ...");
            2
        }
    };
    ExitCode::from(status)
}
