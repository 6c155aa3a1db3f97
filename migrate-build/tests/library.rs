//! The library functions without cargo: `check` on broken graphs and
//! `autogenerate` as the CLI calls it, on crates laid out in a temporary directory.

use std::fs;
use std::path::Path;

use migrate_build::{autogenerate, autogenerate_expand, check, BuildError, Config, Outcome};
use migrate_core::head_tables::read_head_table;
use migrate_core::revision::{file_name, load_dir, Revision};
use migrate_core::Operation;

const USERS: &str =
    "#[derive(migrate::Model)]\n#[model(table = \"users\")]\npub struct User {\n    \
                     #[model(primary_key)]\n    pub id: i64,\n    pub username: String,\n}\n";

/// A crate root with `src/models.rs` = `models` and an empty `migrations/`.
fn crate_dir(models: &str) -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("src")).unwrap();
    fs::create_dir_all(dir.path().join("migrations")).unwrap();
    fs::write(dir.path().join("src/models.rs"), models).unwrap();
    let config = Config::new().manifest_dir(dir.path());
    (dir, config)
}

/// A crate whose head revision creates `users`, and whose model has since lost
/// `username` (a drop waiting to be written).
fn users_then_username_removed() -> (tempfile::TempDir, Config) {
    let (dir, config) = crate_dir(USERS);
    autogenerate(&config, "create users", false).unwrap();
    fs::write(
        dir.path().join("src/models.rs"),
        USERS.replace("    pub username: String,\n", ""),
    )
    .unwrap();
    (dir, config)
}

/// Writes a revision with this exact id and parents; returns its file name.
fn write_revision(root: &Path, id: &str, parents: &[&str], suffix: &str) -> String {
    let rev = Revision {
        id: id.to_string(),
        parents: parents.iter().map(|p| p.to_string()).collect(),
        replaces: Vec::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: format!("revision {suffix}"),
        created: "2026-01-01T00:00:00Z".to_string(),
        upgrade: Vec::new(),
        downgrade: Vec::new(),
    };
    let name = format!("{id}_{suffix}.toml");
    fs::write(root.join("migrations").join(&name), rev.to_toml()).unwrap();
    name
}

#[test]
fn autogenerate_writes_child_of_head_with_inverse_downgrade() {
    let (dir, config) = crate_dir(USERS);
    let Outcome::Written(first) = autogenerate(&config, "create users", false).unwrap() else {
        panic!("expected a revision");
    };
    assert_eq!(first.parent, None);
    assert!(first.path.starts_with(dir.path().join("migrations")));
    assert_eq!(
        Outcome::Written(first.clone()).detected_lines(),
        ["Detected added table 'users'"]
    );
    // Nothing left to write: no second file.
    assert_eq!(
        autogenerate(&config, "again", false).unwrap(),
        Outcome::NoChanges
    );

    let models = USERS.replace(
        "    pub username: String,\n",
        "    pub username: String,\n    pub phone: Option<String>,\n",
    );
    fs::write(dir.path().join("src/models.rs"), models).unwrap();
    let Outcome::Written(second) = autogenerate(&config, "add phone", false).unwrap() else {
        panic!("expected a revision");
    };
    assert_eq!(second.parent.as_deref(), Some(first.id.as_str()));
    let files = load_dir(&dir.path().join("migrations")).unwrap();
    assert_eq!(files.len(), 2);
    let rev = &files
        .iter()
        .find(|f| f.revision.id == second.id)
        .unwrap()
        .revision;
    assert_eq!(rev.parents, vec![first.id.clone()]);
    assert_eq!(
        file_name(rev),
        second.path.file_name().unwrap().to_str().unwrap()
    );
    assert!(matches!(rev.upgrade[..], [Operation::AddColumn { .. }]));
    assert_eq!(Operation::invert_all(&rev.upgrade).unwrap(), rev.downgrade);
    assert!(check(&config).unwrap().is_clean());
}

#[test]
fn destructive_change_is_refused_without_confirmation() {
    let (dir, config) = crate_dir(USERS);
    autogenerate(&config, "create users", false).unwrap();
    fs::write(dir.path().join("src/models.rs"), "// no models\n").unwrap();
    let err = autogenerate(&config, "drop users", false).unwrap_err();
    assert!(
        matches!(err, BuildError::DestructiveNotConfirmed { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("dropping table 'users'"), "{err}");
    assert_eq!(
        fs::read_dir(dir.path().join("migrations")).unwrap().count(),
        1
    );
    let Outcome::Written(w) = autogenerate(&config, "drop users", true).unwrap() else {
        panic!("expected a revision");
    };
    assert_eq!(w.destructive.len(), 1);
    assert!(fs::read_to_string(&w.path).unwrap().contains("DESTRUCTIVE"));
}

#[test]
fn empty_message_is_refused() {
    let (_dir, config) = crate_dir(USERS);
    let err = autogenerate(&config, "  ", false).unwrap_err();
    assert!(err.to_string().contains("needs a message"), "{err}");
}

#[test]
fn duplicate_id_names_both_files() {
    let (dir, config) = crate_dir("");
    let a = write_revision(dir.path(), "aaaaaaaaaaaa", &[], "one");
    let b = write_revision(dir.path(), "aaaaaaaaaaaa", &[], "two");
    let err = check(&config).unwrap_err().to_string();
    assert!(err.contains(&a) && err.contains(&b), "{err}");
}

#[test]
fn cycle_names_its_files() {
    let (dir, config) = crate_dir("");
    let a = write_revision(dir.path(), "aaaaaaaaaaaa", &["bbbbbbbbbbbb"], "a");
    let b = write_revision(dir.path(), "bbbbbbbbbbbb", &["aaaaaaaaaaaa"], "b");
    let err = check(&config).unwrap_err().to_string();
    assert!(err.contains("cycle"), "{err}");
    assert!(err.contains(&a) && err.contains(&b), "{err}");
}

#[test]
fn several_heads_give_the_merge_command() {
    let (dir, config) = crate_dir("");
    write_revision(dir.path(), "aaaaaaaaaaaa", &[], "base");
    let b = write_revision(dir.path(), "bbbbbbbbbbbb", &["aaaaaaaaaaaa"], "b");
    let c = write_revision(dir.path(), "cccccccccccc", &["aaaaaaaaaaaa"], "c");
    let err = check(&config).unwrap_err();
    assert!(matches!(err, BuildError::MultipleHeads { .. }));
    let text = err.to_string();
    assert!(
        text.contains("cargo migrate merge heads -m \"merge\""),
        "{text}"
    );
    assert!(text.contains(&b) && text.contains(&c), "{text}");
}

#[test]
fn generated_code_embeds_every_revision_by_absolute_path() {
    let (dir, config) = crate_dir(USERS);
    autogenerate(&config, "create users", false).unwrap();
    let checked = check(&config).unwrap();
    let code = migrate_build::codegen::embedded_source(&checked.embed_entries(), &checked.settings)
        .unwrap();
    let file = &checked.revisions[0].path;
    assert!(code.contains(&format!("include_str!({:?})", file.to_str().unwrap())));
    assert!(code.contains(&checked.revisions[0].checksum.to_string()));
    let watched = checked.watched_paths(&config);
    assert!(watched.contains(&dir.path().join("migrations")));
    assert!(watched.contains(&dir.path().join("src/models.rs")));
    assert!(checked.head_schema.table("users").is_some());
}

#[test]
fn head_table_files_follow_new_revisions() {
    let (dir, config) = crate_dir(USERS);
    let out = tempfile::tempdir().unwrap();
    autogenerate(&config, "create users", false).unwrap();
    let heads = check(&config)
        .unwrap()
        .write_head_tables(out.path())
        .unwrap();
    let read_users = || read_head_table(&heads, "users").unwrap().unwrap();
    assert!(read_users().column("phone").is_none());

    // A model edit alone leaves the head schema as it is.
    let models = USERS.replace(
        "    pub username: String,\n",
        "    pub username: String,\n    pub phone: Option<String>,\n",
    );
    fs::write(dir.path().join("src/models.rs"), models).unwrap();
    let checked = check(&config).unwrap();
    checked.write_outputs(out.path()).unwrap();
    checked.write_head_tables(out.path()).unwrap();
    assert!(read_users().column("phone").is_none());

    // The revision that adds the column changes it.
    autogenerate(&config, "add phone", false).unwrap();
    let checked = check(&config).unwrap();
    checked.write_outputs(out.path()).unwrap();
    checked.write_head_tables(out.path()).unwrap();
    assert!(read_users().column("phone").is_some());
    let embedded = fs::read_to_string(out.path().join("migrate_embedded.rs")).unwrap();
    assert_eq!(embedded.matches("EmbeddedRevision {").count(), 2);
}

/// `migrate.toml` is the one source of the settings a binary carries: its version
/// table, dialect and `[tables]` filter are embedded beside the revisions, and a bad
/// value fails the build naming the file and line.
#[test]
fn migrate_toml_settings_are_embedded() {
    let (dir, config) = crate_dir(USERS);
    fs::write(
        dir.path().join("migrate.toml"),
        "version_table = \"app_version\"\ndialect = \"mysql\"\n\n[tables]\nexclude = [\"legacy_*\"]\n",
    )
    .unwrap();
    autogenerate(&config, "create users", false).unwrap();
    let checked = check(&config).unwrap();
    assert_eq!(checked.settings.version_table, "app_version");
    let out = tempfile::tempdir().unwrap();
    checked.write_outputs(out.path()).unwrap();
    let embedded = fs::read_to_string(out.path().join("migrate_embedded.rs")).unwrap();
    assert!(
        embedded.contains("version_table: \"app_version\","),
        "{embedded}"
    );
    assert!(embedded.contains("dialect: \"mysql\","), "{embedded}");
    assert!(
        embedded.contains("tables_exclude: &[\"legacy_*\"],"),
        "{embedded}"
    );

    // A changed setting is embedded again, though no revision changed.
    fs::write(
        dir.path().join("migrate.toml"),
        "version_table = \"other_version\"\n",
    )
    .unwrap();
    check(&config).unwrap().write_outputs(out.path()).unwrap();
    let embedded = fs::read_to_string(out.path().join("migrate_embedded.rs")).unwrap();
    assert!(
        embedded.contains("version_table: \"other_version\","),
        "{embedded}"
    );

    fs::write(
        dir.path().join("migrate.toml"),
        "models = [\"src\"]\nversion_table = \"bad name\"\n",
    )
    .unwrap();
    let err = check(&config).unwrap_err().to_string();
    assert!(err.contains("migrate.toml:2:"), "{err}");
    assert!(err.contains("'bad name'"), "{err}");
}

#[test]
fn the_build_script_warns_with_each_lint_and_a_deny_fails_it() {
    let (dir, config) = users_then_username_removed();
    let Outcome::Written(w) = autogenerate(&config, "drop username", true).unwrap() else {
        panic!("expected a revision");
    };
    let out_dir = tempfile::tempdir().unwrap();
    let config = config.out_dir(out_dir.path());
    let mut out = migrate_build::directives::Directives::new();
    config.run_with(&mut out).unwrap();
    let lines = out.lines().join("\n");
    assert!(
        lines.contains(&format!(
            "migrate: warning[MG105 ban-drop-column]: users.username (revision {} step 1)",
            w.id
        )),
        "{lines}"
    );
    assert!(
        lines.contains("migrate: fix: stop reading and writing it"),
        "{lines}"
    );

    fs::write(
        dir.path().join("migrate.toml"),
        "[safety.lints]\nban-drop-column = \"deny\"\n",
    )
    .unwrap();
    let err = config
        .run_with(&mut migrate_build::directives::Directives::new())
        .unwrap_err();
    assert!(matches!(err, BuildError::LintDenied { .. }), "{err}");
    assert!(
        err.to_string().contains("error[MG105 ban-drop-column]"),
        "{err}"
    );
}

#[test]
fn a_mysql_project_is_told_when_mariadb_copies_the_table() {
    let (dir, config) = crate_dir(USERS);
    autogenerate(&config, "create users", false).unwrap();
    let with_check = USERS.replace(
        "    pub username: String,\n",
        "    #[model(check = \"length(username) > 0\")]\n    pub username: String,\n",
    );
    fs::write(dir.path().join("src/models.rs"), &with_check).unwrap();
    let codes = |w: &migrate_build::WrittenRevision| -> Vec<&str> {
        w.lints.iter().map(|f| f.rule.code).collect()
    };
    // The project does not say which database: the copy is not mentioned.
    let Outcome::Written(w) = autogenerate(&config, "check", false).unwrap() else {
        panic!("expected a revision");
    };
    assert!(!codes(&w).contains(&"MG111"), "{:?}", codes(&w));
    fs::remove_file(&w.path).unwrap();
    fs::write(dir.path().join("migrate.toml"), "dialect = \"mysql\"\n").unwrap();
    let Outcome::Written(w) = autogenerate(&config, "check", false).unwrap() else {
        panic!("expected a revision");
    };
    assert!(codes(&w).contains(&"MG111"), "{:?}", codes(&w));
}

#[test]
fn an_expanded_drop_leaves_the_build_clean_and_its_contract_waiting() {
    let (dir, config) = users_then_username_removed();
    let Outcome::Expanded {
        expand: Some(expand),
        contract,
        ..
    } = autogenerate_expand(&config, "drop username", true).unwrap()
    else {
        panic!("expected an expand and a contract revision");
    };
    assert!(contract
        .path
        .starts_with(dir.path().join("migrations").join("next")));
    assert_eq!(contract.parent.as_deref(), Some(expand.id.as_str()));
    // The models are compared with the head and the waiting contract: clean.
    let checked = check(&config).unwrap();
    assert!(checked.is_clean(), "{:?}", checked.changes);
    assert_eq!(checked.head.as_deref(), Some(expand.id.as_str()));
    // The build embeds what the graph holds, not the waiting contract.
    let out_dir = tempfile::tempdir().unwrap();
    let built = config.clone().out_dir(out_dir.path());
    built
        .run_with(&mut migrate_build::directives::Directives::new())
        .unwrap();
    let embedded =
        fs::read_to_string(out_dir.path().join(migrate_build::codegen::EMBEDDED_FILE)).unwrap();
    assert!(embedded.contains(&expand.id), "{embedded}");
    assert!(!embedded.contains(&contract.id), "{embedded}");
    // A contract that no longer follows the head is named, with what to do.
    write_revision(dir.path(), "aaaaaaaaaaaa", &[&expand.id], "by_hand");
    let err = check(&config).unwrap_err();
    assert!(matches!(err, BuildError::Pending { .. }), "{err}");
    let text = err.to_string();
    assert!(text.starts_with("migrations/next/"), "{text}");
    assert!(text.contains("parents = [\"aaaaaaaaaaaa\"]"), "{text}");
}
