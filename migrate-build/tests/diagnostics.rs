//! What a user reads when a build fails or warns, from a real `cargo build` of a
//! crate with the one-line build script: the drift report first, a misused
//! attribute reported by rustc at its token, and no warning caused by the derive.

mod util;

use util::TempCrate;

/// 1-based line of the first line of `text` containing `needle`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in the models"))
        + 1
}

/// Cargo's decoration around a build script that exits with a failure.
const SCRIPT_FAILURE: [&str; 5] = [
    "failed to run custom build command",
    "To improve backtraces",
    "rerun-if-changed",
    "panicked",
    "--- stdout",
];

/// Drift fails the build with the report as the first thing on the screen: no
/// cargo banner, backtrace note or `cargo:` lines in front of it.
#[test]
fn the_drift_report_is_the_first_thing_shown() {
    let models =
        "//! Models.\n#![allow(dead_code)]\n\n#[derive(migrate::Model)]\npub struct User {\n    \
                  #[model(primary_key)]\n    pub id: i64,\n}\n";
    let krate = TempCrate::new("mb_report_first", models);
    let fail = krate.build_err(&[]);
    let first_error = fail
        .stderr
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap_or_else(|| panic!("no error line:\n{}", fail.stderr));
    assert!(
        first_error.ends_with("the models differ from an empty schema (migrations has no revision yet): 1 difference(s)"),
        "{}",
        fail.stderr
    );
    assert!(
        fail.stderr.contains("added table 'users'"),
        "{}",
        fail.stderr
    );
    for noise in SCRIPT_FAILURE {
        assert!(
            !fail.stderr.contains(noise),
            "{noise:?} in:\n{}",
            fail.stderr
        );
    }
    // Cargo reruns a script that reported errors: the build fails again, unchanged.
    let again = krate.build_err(&[]);
    assert!(
        again.stderr.contains("added table 'users'"),
        "{}",
        again.stderr
    );
}

/// A misused `#[model(...)]` attribute is reported by rustc, at the attribute's
/// token (file, line, column and caret), not by the build script before rustc runs.
#[test]
fn a_misused_attribute_is_reported_by_rustc_at_its_span() {
    let models =
        "//! Models.\n#![allow(dead_code)]\n\n#[derive(migrate::Model)]\npub struct User {\n    \
                  #[model(primary_key)]\n    pub id: i64,\n    #[model(max_length = 50)]\n    \
                  pub name: String,\n}\n";
    let krate = TempCrate::new("mb_misused", models);
    let fail = krate.build_err(&[]);
    let line = line_of(models, "max_length");
    assert!(
        fail.stderr
            .contains(&format!("--> src/models.rs:{line}:13")),
        "rustc points at the attribute:\n{}",
        fail.stderr
    );
    assert!(
        fail.stderr.contains("^^^^^^^^^^"),
        "a caret under the attribute:\n{}",
        fail.stderr
    );
    let first_error = fail
        .stderr
        .lines()
        .find(|l| l.starts_with("error"))
        .unwrap();
    assert!(
        !first_error.contains("mb_misused@"),
        "the first error is rustc's, not the build script's:\n{}",
        fail.stderr
    );
    for noise in SCRIPT_FAILURE {
        assert!(
            !fail.stderr.contains(noise),
            "{noise:?} in:\n{}",
            fail.stderr
        );
    }
    assert!(
        !fail.stderr.contains("build script logged errors"),
        "{}",
        fail.stderr
    );
}

/// Structs that only declare tables (no `FromRow`, never built or read by the
/// program) give no `dead_code` warning because of the derive.
#[test]
fn model_only_structs_give_no_dead_code_warning() {
    let models = "//! Models.\n\n#[derive(migrate::Model)]\npub struct User {\n    \
                  #[model(primary_key)]\n    pub id: i64,\n    pub name: String,\n}\n\n\
                  #[derive(migrate::Model)]\nstruct Post {\n    #[model(primary_key)]\n    \
                  id: i64,\n    #[model(references = User)]\n    user_id: i64,\n}\n";
    let krate = TempCrate::new("mb_model_only", models);
    krate.autogenerate("create users and posts", &[]);
    krate.write("src/models.rs", &format!("{models}\n// touched\n"));
    let ok = krate.build_ok(&[]);
    for warning in ["never constructed", "never read", "never used", "dead_code"] {
        assert!(
            !ok.stderr.contains(warning),
            "{warning:?} in:\n{}",
            ok.stderr
        );
    }
}
