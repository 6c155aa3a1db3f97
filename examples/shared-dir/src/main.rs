//! Upgrades the database at `DATABASE_URL` with the blog example's revisions, which
//! live in another crate's directory: `migrate::embedded!("../blog/migrations")`.

use migrate::runtime::Migrator;

/// The blog's revisions, embedded by this crate's build script.
pub const BLOG: &migrate::core::embed::Embedded = migrate::embedded!("../blog/migrations");

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let Ok(url) = std::env::var("DATABASE_URL") else {
        eprintln!("set DATABASE_URL to the database to upgrade");
        std::process::exit(2);
    };
    match Migrator::new(BLOG).upgrade_to_head(url.as_str()).await {
        Ok(report) => println!("applied {} revisions", report.revisions.len()),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
