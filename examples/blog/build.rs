//! Checks the models against `migrations/` (drift fails the build) and embeds the revisions.
fn main() {
    migrate_build::run();
}
