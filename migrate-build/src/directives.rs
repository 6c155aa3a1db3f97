//! The lines the build script prints for cargo: what to watch, what to pass on.
//!
//! Watching is what keeps embedded revisions fresh. The migrations directory is
//! watched as a directory (cargo then notices files added to or deleted from it),
//! each source directory likewise (a new module with a model), and each scanned
//! file individually. Only these paths are listed, so cargo no longer reruns the
//! script for unrelated changes, and never for a build with no change at all.

use std::path::Path;

/// Environment variable that turns on autogenerate in the build script.
pub const AUTOGENERATE_ENV: &str = "MIGRATE_AUTOGENERATE";
/// Environment variable that confirms destructive changes.
pub const ALLOW_DESTRUCTIVE_ENV: &str = "MIGRATE_ALLOW_DESTRUCTIVE";
/// Environment variable that makes autogenerate write a change that breaks the
/// running release as expand and contract revisions (`--expand` of the CLI).
pub const EXPAND_ENV: &str = "MIGRATE_EXPAND";
/// Environment variable that makes the build script say, as a warning, how long
/// its own work took and which way it went (for benchmarks; not watched, so it
/// shows on the script's next rerun).
pub const TIMINGS_ENV: &str = "MIGRATE_BUILD_TIMINGS";

/// Collects the `cargo:` lines of one build-script run, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Directives {
    lines: Vec<String>,
}

impl Directives {
    /// No lines yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// `cargo:rerun-if-changed=<path>` (once per path).
    pub fn watch(&mut self, path: &Path) {
        let line = format!("cargo:rerun-if-changed={}", path.display());
        if !self.lines.contains(&line) {
            self.lines.push(line);
        }
    }

    /// `cargo:rerun-if-env-changed=<name>`.
    pub fn watch_env(&mut self, name: &str) {
        self.lines
            .push(format!("cargo:rerun-if-env-changed={name}"));
    }

    /// `cargo:rustc-env=<name>=<value>`: a compile-time variable for the crate.
    pub fn rustc_env(&mut self, name: &str, value: &str) {
        self.lines.push(format!("cargo:rustc-env={name}={value}"));
    }

    /// `cargo:warning=<text>`, one directive per line of text.
    pub fn warning(&mut self, text: &str) {
        for line in text.lines() {
            self.lines.push(format!("cargo:warning={line}"));
        }
    }

    /// `cargo::error=<text>`, one directive per line of text (blank lines kept, so
    /// the report's blocks stay apart). Cargo fails the build after the script ends.
    pub fn error(&mut self, text: &str) {
        for line in text.lines() {
            self.lines.push(format!("cargo::error={line}"));
        }
    }

    /// The lines collected so far.
    pub fn lines(&self) -> &[String] {
        &self.lines
    }

    /// Prints the lines to stdout, where cargo reads them, and forgets them.
    pub fn flush(&mut self) {
        for line in self.lines.drain(..) {
            println!("{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_watched_once_and_warnings_split_by_line() {
        let mut d = Directives::new();
        d.watch(Path::new("/c/migrations"));
        d.watch(Path::new("/c/migrations"));
        d.watch_env(AUTOGENERATE_ENV);
        d.warning("a\nb");
        d.error("c\n\nd");
        assert_eq!(
            d.lines(),
            [
                "cargo:rerun-if-changed=/c/migrations",
                "cargo:rerun-if-env-changed=MIGRATE_AUTOGENERATE",
                "cargo:warning=a",
                "cargo:warning=b",
                "cargo::error=c",
                "cargo::error=",
                "cargo::error=d",
            ]
        );
    }
}
