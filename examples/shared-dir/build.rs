//! This crate's own models and `migrations/` (none yet), and the blog example's
//! migrations directory for `migrate::embedded!("../blog/migrations")`.
fn main() {
    migrate_build::Config::new()
        .embed_dir("../blog/migrations")
        .run();
}
