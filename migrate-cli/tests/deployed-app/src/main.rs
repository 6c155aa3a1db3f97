//! An application as deployed: one binary with its revisions and the settings of
//! its `migrate.toml` embedded (its own version table, `app_schema_version`, and a
//! `[tables]` filter that leaves `legacy_*` tables alone).
//!
//! ```text
//! deployed-app start URL        # what `main` does on start-up: upgrade to head
//! deployed-app check URL        # check_embedded: prints each difference, exit 1 on drift
//! deployed-app migrate ARGS...  # the command set, through run_embedded
//! ```
//!
//! None of the three passes a setting: they come from what the build embedded.

mod models;

use std::process::ExitCode;

use migrate::core::embed::Embedded;
use migrate::runtime::Migrator;

static EMBEDDED: &Embedded = migrate::embedded!();

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("start") if args.len() == 2 => {
            match Migrator::new(EMBEDDED).upgrade_to_head(&args[1]).await {
                Ok(report) => {
                    println!("applied {}", report.revisions.join(" "));
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        Some("check") if args.len() == 2 => {
            let options = migrate::introspect::IntrospectOptions::default();
            match migrate::introspect::check_embedded(args[1].as_str(), EMBEDDED, &options).await {
                Ok(ops) if ops.is_empty() => ExitCode::SUCCESS,
                Ok(ops) => {
                    for op in ops {
                        println!("{}", op.describe());
                    }
                    ExitCode::from(1)
                }
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(3)
                }
            }
        }
        Some("migrate") => {
            let status = migrate_cli::run_embedded(args, EMBEDDED);
            ExitCode::from(status.code())
        }
        _ => {
            eprintln!("usage: deployed-app start URL | check URL | migrate COMMAND...");
            ExitCode::from(2)
        }
    }
}
