//! `init` on a fresh crate: files created, manifests edited, idempotent.

use crate::util::Project;

#[test]
fn init_creates_dir_config_build_rs_and_dependencies() {
    let p = Project::new();
    p.ok(&["init"]);
    assert!(p.join("migrations").is_dir());
    let config = p.read("migrate.toml");
    assert!(
        config.contains("migrations_dir = \"migrations\""),
        "{config}"
    );
    assert!(
        config.contains("database_url = \"postgres://USER:PASSWORD@localhost/DBNAME\""),
        "{config}"
    );
    assert_eq!(
        p.read("build.rs"),
        "fn main() {\n    migrate_build::run();\n}\n"
    );
    let manifest = p.read("Cargo.toml");
    assert!(
        manifest.contains("# keep me"),
        "formatting kept: {manifest}"
    );
    assert!(manifest.contains("serde = \"1\""), "{manifest}");
    let doc: toml::Table = manifest.parse().unwrap();
    assert!(doc["dependencies"].get("migrate").is_some(), "{manifest}");
    assert!(
        doc["build-dependencies"].get("migrate-build").is_some(),
        "{manifest}"
    );
    // Not on crates.io yet: the dependencies point into this checkout, at the
    // packages of those names.
    for (section, name) in [
        ("dependencies", "migrate"),
        ("build-dependencies", "migrate-build"),
    ] {
        let path = doc[section][name]["path"]
            .as_str()
            .expect("a path dependency");
        let package = std::fs::read_to_string(std::path::Path::new(path).join("Cargo.toml"))
            .expect("the path holds a Cargo.toml");
        assert!(package.contains(&format!("name = \"{name}\"")), "{path}");
    }

    // Twice changes nothing.
    let before = (
        p.read("Cargo.toml"),
        p.read("build.rs"),
        p.read("migrate.toml"),
    );
    p.ok(&["init"]);
    assert_eq!(
        before,
        (
            p.read("Cargo.toml"),
            p.read("build.rs"),
            p.read("migrate.toml")
        )
    );
}

#[test]
fn init_inserts_into_an_existing_build_rs() {
    let p = Project::new();
    p.write(
        "build.rs",
        "fn main() {\n    println!(\"cargo:rerun-if-changed=x\");\n}\n",
    );
    p.ok(&["init"]);
    let build = p.read("build.rs");
    assert!(
        build.starts_with("fn main() {\n    migrate_build::run();\n    println!"),
        "{build}"
    );
}

#[test]
fn init_print_edits_nothing_and_says_what_to_add() {
    let p = Project::new();
    let out = p.ok(&["init", "--print"]);
    assert!(out.contains("migrate_build::run();"), "{out}");
    assert!(out.contains("[build-dependencies]"), "{out}");
    assert!(out.contains("migrate-build = "), "{out}");
    assert!(!p.join("build.rs").exists());
    assert!(!p.read("Cargo.toml").contains("migrate"));
}

#[test]
fn init_writes_a_url_without_password_but_never_one_with() {
    let p = Project::new();
    p.ok(&["init", "--database-url", "sqlite://app.db"]);
    assert!(p
        .read("migrate.toml")
        .contains("database_url = \"sqlite://app.db\""));

    let q = Project::new();
    let out = q
        .cmd(&["init", "--database-url", "postgres://u:topsecret@h/db"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(!q.read("migrate.toml").contains("topsecret"));
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!all.contains("topsecret"), "{all}");
}
