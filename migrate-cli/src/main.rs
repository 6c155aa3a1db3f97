//! The `cargo-migrate` binary: `cargo migrate <command>`. All logic is in the library.

use std::process::ExitCode;

fn main() -> ExitCode {
    migrate_cli::run_cargo(std::env::args_os()).into()
}
