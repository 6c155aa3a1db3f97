//! Checks the models and embeds the revisions, as any application's build script.
fn main() {
    migrate_build::run();
}
