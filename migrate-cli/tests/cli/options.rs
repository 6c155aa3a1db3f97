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

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let p = crate::fixtures::tutorial_project();
    // Piped (the test captures stdout) and NO_COLOR: plain.
    assert!(!p.ok(&["history"]).contains('\u{1b}'));
    let mut cmd = p.cmd(&["history"]);
    cmd.env_remove("NO_COLOR");
    assert!(!String::from_utf8(cmd.output().unwrap().stdout)
        .unwrap()
        .contains('\u{1b}'));
    // Forced.
    assert!(p.ok(&["--color", "always", "history"]).contains("\u{1b}["));
    let mut cmd = p.cmd(&["history"]);
    cmd.env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1");
    assert!(String::from_utf8(cmd.output().unwrap().stdout)
        .unwrap()
        .contains("\u{1b}["));
}

#[test]
fn quiet_prints_no_progress_but_keeps_data() {
    let p = crate::fixtures::tutorial_project();
    let url = format!("sqlite://{}?mode=rwc", p.join("q.db").display());
    let out = p
        .cmd(&["-q", "upgrade", "--database-url", &url])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = p
        .cmd(&["upgrade", "--database-url", &url])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("already at head"));
    assert!(p
        .ok(&["-q", "current", "--database-url", &url])
        .contains("ae1027a6acf0"));
}
