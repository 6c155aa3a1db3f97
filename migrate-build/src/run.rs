//! The build-script entry point: watch, check, autogenerate on request, embed.
//!
//! Division of labour with the derive: this script sees the whole schema, so it
//! gives the whole-schema report and fails the build; the derive, which sees one
//! struct, reads the head schema written here to point at the field. With
//! [`Config::drift_on_fields`], drift the derive reports on a field is left to it
//! (the report comes as warnings), and only the rest fails here.
//!
//! The derive reads the head only when told to: the script writes it one file per
//! table and sets `MIGRATE_HEAD_TABLES` for the crate only when field-level drift is
//! on and there is drift to show, so a clean build costs no file I/O per model.

use std::env;
use std::time::Instant;

use migrate_core::head_tables::HEAD_TABLES_ENV;
use migrate_model::scan::{scan_sources_for_build, ScanError};

use crate::autogen::{autogenerate, autogenerate_expand, Outcome};
use crate::check::{check, check_scanned};
use crate::directives::{
    Directives, ALLOW_DESTRUCTIVE_ENV, AUTOGENERATE_ENV, EXPAND_ENV, TIMINGS_ENV,
};
use crate::error::BuildError;
use crate::memo::Inputs;
use crate::Config;

/// The one-line build script: `fn main() { migrate_build::run(); }`, with the
/// defaults of [`Config::new`]. On drift or on any error, prints the report as
/// `cargo::error=` lines, which fail the build.
pub fn run() {
    Config::new().run()
}

impl Config {
    /// Runs the build script with these settings; on drift or on any error, prints
    /// the report as `cargo::error=` lines, which fail the build.
    pub fn run(self) {
        let mut out = Directives::new();
        if let Err(err) = self.run_with(&mut out) {
            // Rule: the report is the first thing the user reads. Cargo prints each
            // `cargo::error=` line as `error: <crate>@<version>: <line>` and fails the
            // build when the script ends; a script that exits with a failure instead
            // gets cargo's "failed to run custom build command" banner, a backtrace
            // note and its own `cargo:` lines in front of the report. So the errors
            // go first and the script ends normally (no panic, no exit code). Cargo
            // reruns a script that logged errors on the next build.
            let mut errors = Directives::new();
            errors.error(&err.to_string());
            errors.flush();
        }
        out.flush();
    }

    /// What [`Config::run`] does, collecting the `cargo:` lines in `out` instead of
    /// exiting; returns the error instead of printing it.
    pub fn run_with(&self, out: &mut Directives) -> Result<(), BuildError> {
        let started = Instant::now();
        let result = self.check_and_embed(out);
        if env::var_os(TIMINGS_ENV).is_some() {
            let way = result.as_ref().map_or("failed", |way| *way);
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            out.warning(&format!("migrate: build script: {ms:.1} ms, {way}"));
        }
        result.map(|_| ())
    }

    /// The work of [`Config::run_with`]; says which way it went.
    fn check_and_embed(&self, out: &mut Directives) -> Result<&'static str, BuildError> {
        out.watch_env(AUTOGENERATE_ENV);
        out.watch_env(ALLOW_DESTRUCTIVE_ENV);
        out.watch_env(EXPAND_ENV);
        out.watch(&self.resolved_migrations_dir());
        let waiting = crate::pending::dir(&self.resolved_migrations_dir());
        if waiting.is_dir() {
            out.watch(&waiting);
        }
        for dir in self.resolved_source_dirs() {
            out.watch(&dir);
        }
        let objects_dir = self.resolved_objects_dir();
        if objects_dir.is_dir() {
            out.watch(&objects_dir);
        }
        // Watched on every path, the memo's too (a missing file would make cargo
        // rerun the script on every build).
        if self.config_file().is_file() {
            out.watch(&self.config_file());
        }
        let out_dir = self.resolved_out_dir().ok_or(BuildError::NoOutDir)?;
        crate::embed_dirs::write(self, &out_dir, out)?;

        // A rerun with the inputs of the last clean run (after `touch`, say) has
        // nothing new to find; autogenerate always runs in full.
        let autogenerate_asked = env::var(AUTOGENERATE_ENV).is_ok_and(|m| !m.trim().is_empty());
        let inputs = if autogenerate_asked {
            None
        } else {
            Some(Inputs::read(self)?)
        };
        if let Some(inputs) = inputs.as_ref() {
            if inputs.same_as_last_clean_run(&out_dir) {
                for file in &inputs.files {
                    out.watch(file);
                }
                return Ok("the code is that of the last clean run: nothing parsed");
            }
            // The items that mention a model, the revisions and the settings are
            // those of the last clean run (other code changed): the verdict stands.
            if inputs.same_models_as_last_clean_run(&out_dir) {
                for file in &inputs.files {
                    out.watch(file);
                }
                inputs.record_clean_run(&out_dir)?;
                return Ok("the models are those of the last clean run: nothing parsed");
            }
        }
        let models = scan_sources_for_build(&self.resolved_source_dirs())?;
        Inputs::forget(&out_dir);
        // Before any verdict: the derive reuses each stored output only for a struct
        // whose tokens are those parsed here, whatever the check finds.
        crate::codegen::write_derive_store(&out_dir, &models.derive_entries)?;
        let mut checked = check_scanned(self, models)?;
        for path in checked.watched_paths(self) {
            out.watch(&path);
        }
        if !checked.models.skipped.is_empty() {
            // Rule: a model the scan cannot read is rustc's to report, at the exact
            // token, through the derive; this script only says that it did not
            // compare the models (without the skipped ones, every comparison would
            // be wrong), and lets the compilation run.
            if env::var(AUTOGENERATE_ENV).is_ok_and(|m| !m.trim().is_empty()) {
                let first = checked.models.skipped.swap_remove(0);
                return Err(BuildError::Scan(first));
            }
            for skipped in &checked.models.skipped {
                out.warning(&format!(
                    "migrate: the models were not compared with the revisions: {}",
                    skipped_place(self, skipped)
                ));
            }
            checked.write_outputs(&out_dir)?;
            return Ok("models left to rustc: not compared");
        }
        if !checked.is_clean() {
            match env::var(AUTOGENERATE_ENV) {
                Ok(message) if !message.trim().is_empty() => {
                    let yes = |name: &str| {
                        env::var(name)
                            .map(|v| matches!(v.trim(), "1" | "true" | "yes"))
                            .unwrap_or(false)
                    };
                    let allow = yes(ALLOW_DESTRUCTIVE_ENV);
                    let outcome = if yes(EXPAND_ENV) {
                        autogenerate_expand(self, &message, allow)?
                    } else {
                        autogenerate(self, &message, allow)?
                    };
                    report_outcome(out, &outcome);
                    // Check again, so the new revision is embedded in this same build.
                    checked = check(self)?;
                }
                _ => {
                    checked.write_outputs(&out_dir)?;
                    let report = checked.drift_report(self);
                    if self.drift_on_fields_enabled() && checked.derive_reports_all() {
                        // The derive fails the build, at each drifted field, with
                        // the head tables written here; the whole report comes as
                        // warnings beside rustc's errors.
                        for line in report.summary_lines() {
                            out.warning(&line);
                        }
                        let dir = checked.write_head_tables(&out_dir)?;
                        out.rustc_env(HEAD_TABLES_ENV, &dir.display().to_string());
                        return Ok("drift left to the derive");
                    }
                    return Err(BuildError::Drift(Box::new(report)));
                }
            }
        } else if autogenerate_asked {
            report_outcome(out, &Outcome::NoChanges);
        }
        // Lints of the revision files: warnings, and a deny fails the build.
        let findings = crate::lint::lint_history(&checked, self)?;
        for f in &findings {
            for line in f.to_string().lines() {
                out.warning(&format!("migrate: {}", line.trim_start()));
            }
        }
        crate::lint::denied(&findings)?;
        checked.write_outputs(&out_dir)?;
        if let Some(inputs) = inputs {
            inputs.record_clean_run(&out_dir)?;
        }
        Ok("models compared with the revisions")
    }
}

/// Where a skipped model or file is, and why, in one line.
fn skipped_place(config: &Config, skipped: &ScanError) -> String {
    match skipped {
        ScanError::Model {
            file,
            line,
            struct_name,
            ..
        } => format!(
            "model `{struct_name}` at {}:{line} has errors (rustc shows them)",
            config.display_path(file)
        ),
        ScanError::Parse {
            file, line, column, ..
        } => format!(
            "{}:{line}:{column} is not valid Rust (rustc shows why)",
            config.display_path(file)
        ),
        other => other.to_string(),
    }
}

/// Shows what autogenerate did as `cargo:warning` lines (the only output cargo
/// shows for a build script that succeeds).
fn report_outcome(out: &mut Directives, outcome: &Outcome) {
    for line in outcome.to_string().lines() {
        out.warning(&format!("migrate: {line}"));
    }
}
