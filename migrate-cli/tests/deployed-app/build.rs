//! The one-line build script: checks the models and embeds the revisions with the
//! settings of `migrate.toml`.
fn main() {
    migrate_build::run();
}
