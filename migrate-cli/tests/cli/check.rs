//! `check`: exit 0 when the models (and the database) match the head revision, 1 on
//! drift, with the differences listed.

use crate::fixtures::tutorial_project;
use crate::util::{assert_error_with_fix, Project};

const ACCOUNT_MODEL: &str = r#"use migrate::Model;

#[derive(Model)]
#[model(table = "account")]
pub struct Account {
    #[model(primary_key, autoincrement)]
    pub id: i32,
    #[model(max_len = 50)]
    pub name: String,
    #[model(max_len = 200)]
    pub description: Option<String>,
    pub last_transaction_date: Option<chrono::NaiveDateTime>,
    EXTRA
}
"#;

fn with_model(extra: &str) -> Project {
    let p = tutorial_project();
    p.write("src/models.rs", &ACCOUNT_MODEL.replace("EXTRA", extra));
    p
}

#[test]
fn models_matching_the_head_pass() {
    let p = with_model("");
    p.ok(&["check"]);
}

#[test]
fn a_model_change_is_drift_exit_1() {
    let p = with_model("pub email: Option<String>,");
    let out = p.cmd(&["check"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("added column 'account.email'"), "{stdout}");
    // The report names the model's file and the command that writes the revision.
    assert!(stdout.contains("models.rs"), "{stdout}");
    assert!(stdout.contains("--autogenerate"), "{stdout}");
}

#[test]
fn a_project_without_models_checks_nothing_and_passes() {
    let p = tutorial_project();
    p.ok(&["check"]);
}

#[test]
fn database_behind_the_head_is_drift_and_wrong_url_is_an_error() {
    let p = with_model("");
    // An empty SQLite database has none of the head's tables.
    let db = p.join("app.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    let out = p.cmd(&["check", "--database-url", &url]).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("the database lacks table 'account', which the revisions create"),
        "{stdout}"
    );

    // A scheme nobody supports: usage error, one line and the fix.
    let err = p.fails(&["check", "--database-url", "oracle://u:secret1@h/db"], 2);
    assert_error_with_fix(&err);
    assert!(!err.contains("secret1"), "{err}");
}

#[test]
fn autogenerate_writes_the_missing_revision_and_check_then_passes() {
    let p = with_model("pub email: Option<String>,");
    let id = p
        .ok(&["revision", "--autogenerate", "-m", "add email"])
        .trim()
        .to_string();
    assert_eq!(id.len(), 12, "{id}");
    p.ok(&["check"]);
    let show = p.ok(&["show", &id]);
    assert!(show.contains("added column 'account.email'"), "{show}");
    // Nothing more to generate.
    let out = p
        .cmd(&["revision", "--autogenerate", "-m", "again"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(out.stdout.is_empty());
}

#[test]
fn autogenerate_refuses_a_drop_unless_allowed() {
    let p = tutorial_project();
    let model = ACCOUNT_MODEL
        .replace(
            "    #[model(max_len = 200)]\n    pub description: Option<String>,\n",
            "",
        )
        .replace("EXTRA", "");
    p.write("src/models.rs", &model);
    let err = p.fails(&["revision", "--autogenerate", "-m", "drop description"], 2);
    assert_error_with_fix(&err);
    assert!(err.contains("--allow-destructive"), "{err}");
    p.ok(&[
        "revision",
        "--autogenerate",
        "--allow-destructive",
        "-m",
        "drop description",
    ]);
    p.ok(&["check"]);
}

#[test]
fn a_database_behind_in_its_version_table_is_drift() {
    let p = with_model("");
    let url = format!("sqlite://{}?mode=rwc", p.join("v.db").display());
    p.ok(&["upgrade", "head", "--database-url", &url]);
    p.ok(&["check", "--database-url", &url]);
    // Same schema, but the version table says the first revision only.
    p.ok(&["stamp", "1975", "--database-url", &url]);
    let out = p.cmd(&["check", "--database-url", &url]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("the version table records 1975ea83b712, the head is ae1027a6acf0"),
        "{stdout}"
    );
}

/// `[tables] exclude` in migrate.toml: a model of a table left alone is not
/// compared (its drift is not reported), and a bad pattern is an error naming the
/// file, the line of the section and the pattern.
#[test]
fn tables_left_alone_by_migrate_toml_are_not_compared() {
    let p = with_model("pub email: Option<String>,");
    let config = p.read("migrate.toml");
    p.write(
        "migrate.toml",
        &format!("{config}\n[tables]\nexclude = [\"acc*\"]\n"),
    );
    p.ok(&["check"]);

    let lines = config.lines().count();
    p.write(
        "migrate.toml",
        &format!("{config}\n[tables]\ninclude = [\"[bad\"]\n"),
    );
    let err = p.fails(&["check"], 2);
    assert_error_with_fix(&err);
    assert!(
        err.contains(&format!("migrate.toml:{}:", lines + 2)) && err.contains("'[bad'"),
        "{err}"
    );
}
