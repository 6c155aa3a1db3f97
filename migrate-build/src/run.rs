//! The build-script entry point: watch, check, autogenerate on request, embed.
//!
//! Division of labour with the derive: this script sees the whole schema, so it
//! gives the whole-schema report and fails the build; the derive, which sees one
//! struct, reads the head schema written here to point at the field. With
//! [`Config::drift_on_fields`], drift the derive reports on a field is left to it
//! (the report comes as warnings), and only the rest fails here.

use std::env;

use crate::autogen::{autogenerate, Outcome};
use crate::check::check;
use crate::directives::{Directives, ALLOW_DESTRUCTIVE_ENV, AUTOGENERATE_ENV};
use crate::error::BuildError;
use crate::Config;

/// The one-line build script: `fn main() { migrate_build::run(); }`, with the
/// defaults of [`Config::new`]. Exits the script with a failure (printing the
/// report) on drift or on any error.
pub fn run() {
    Config::new().run()
}

impl Config {
    /// Runs the build script with these settings; exits the script with a failure
    /// (printing the report) on drift or on any error.
    pub fn run(self) {
        let mut out = Directives::new();
        let result = self.run_with(&mut out);
        out.flush();
        if let Err(err) = result {
            // Cargo prints a failed script's stderr in full; the warning line is
            // shown even where that section is folded away.
            if !matches!(err, BuildError::Drift(_)) {
                let first = err.to_string().lines().next().unwrap_or("").to_string();
                println!("cargo:warning=migrate: {first}");
            }
            eprintln!("\nerror: {err}\n");
            std::process::exit(1);
        }
    }

    /// What [`Config::run`] does, collecting the `cargo:` lines in `out` instead of
    /// exiting; returns the error instead of printing it.
    pub fn run_with(&self, out: &mut Directives) -> Result<(), BuildError> {
        out.watch_env(AUTOGENERATE_ENV);
        out.watch_env(ALLOW_DESTRUCTIVE_ENV);
        out.watch(&self.resolved_migrations_dir());
        for dir in self.resolved_source_dirs() {
            out.watch(&dir);
        }
        out.rustc_env("MIGRATE_VERSION_TABLE", self.version_table_name());
        out.rustc_env("MIGRATE_DIALECTS", &self.dialect_names().join(","));
        let out_dir = self.resolved_out_dir().ok_or(BuildError::NoOutDir)?;

        let mut checked = check(self)?;
        for path in checked.watched_paths(self) {
            out.watch(&path);
        }
        if !checked.is_clean() {
            match env::var(AUTOGENERATE_ENV) {
                Ok(message) if !message.trim().is_empty() => {
                    let allow = env::var(ALLOW_DESTRUCTIVE_ENV)
                        .map(|v| matches!(v.trim(), "1" | "true" | "yes"))
                        .unwrap_or(false);
                    let outcome = autogenerate(self, &message, allow)?;
                    report_outcome(out, &outcome);
                    // Check again, so the new revision is embedded in this same build.
                    checked = check(self)?;
                }
                _ => {
                    checked.write_outputs(&out_dir)?;
                    let report = checked.drift_report(self);
                    for line in report.summary_lines() {
                        out.warning(&line);
                    }
                    if self.drift_on_fields_enabled() && checked.derive_reports_all() {
                        // The derive fails the build, at each drifted field, with
                        // the head schema written above.
                        return Ok(());
                    }
                    return Err(BuildError::Drift(Box::new(report)));
                }
            }
        } else if env::var(AUTOGENERATE_ENV).is_ok_and(|m| !m.trim().is_empty()) {
            report_outcome(out, &Outcome::NoChanges);
        }
        checked.write_outputs(&out_dir)
    }
}

/// Shows what autogenerate did as `cargo:warning` lines (the only output cargo
/// shows for a build script that succeeds).
fn report_outcome(out: &mut Directives, outcome: &Outcome) {
    for line in outcome.to_string().lines() {
        out.warning(&format!("migrate: {line}"));
    }
}
