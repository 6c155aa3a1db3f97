//! Global options: help, exit codes, colour, password masking in usage errors.

use crate::util::Project;

#[test]
fn help_documents_exit_codes() {
    let p = Project::new();
    for args in [&["--help"][..], &["upgrade", "--help"][..]] {
        let out = p.ok(args);
        assert!(out.contains("Exit codes:"), "{out}");
        assert!(out.contains("1  check failed"), "{out}");
        assert!(out.contains("3  database error"), "{out}");
    }
}

#[test]
fn usage_errors_exit_2_and_mask_passwords() {
    let p = Project::new();
    let err = p.fails(&["upgrade", "head", "postgres://u:hunter22@h/db"], 2);
    assert!(!err.contains("hunter22"), "{err}");
    assert!(err.contains("postgres://u:***@h/db"), "{err}");
    p.fails(&["no-such-command"], 2);
}

#[test]
fn works_without_the_cargo_word() {
    let p = Project::new();
    let mut cmd = assert_cmd::Command::cargo_bin("cargo-migrate").unwrap();
    cmd.current_dir(p.path()).arg("init").assert().success();
    assert!(p.join("migrate.toml").is_file());
}
