//! Release N+1 of the application of `rolling-n`: its revisions, embedded.
//!
//! ```text
//! rolling-n1 migrate ARGS...  # the command set, through run_embedded
//! ```

#[allow(dead_code)]
mod models;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("migrate") => {
            ExitCode::from(migrate_cli::run_embedded(args, migrate::embedded!()).code())
        }
        _ => {
            eprintln!("usage: rolling-n1 migrate COMMAND...");
            ExitCode::from(2)
        }
    }
}
