//! Writing revisions the way Alembic users expect: `edit` opens a revision in the
//! editor and reads it back, and the `post_write` hook of `migrate.toml` runs after
//! `revision`, `revision --autogenerate` and `merge` write a file.

use crate::graph::{project, revision};
use crate::util::{assert_error_with_fix, Project};

fn file_of(p: &Project, id: &str) -> std::path::PathBuf {
    std::fs::read_dir(p.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(id))
        })
        .unwrap_or_else(|| panic!("no file for {id}"))
}

#[test]
fn edit_opens_the_head_in_the_editor_and_checks_it() {
    let p = project();
    let a = revision(&p, "first", None);
    let b = revision(&p, "second", None);

    let out = p
        .cmd(&["edit"])
        .env_remove("VISUAL")
        .env("EDITOR", "sed -i '1i # reviewed'")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = std::fs::read_to_string(file_of(&p, &b)).unwrap();
    assert!(text.starts_with("# reviewed\n"), "{text}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("it parses"));
    // VISUAL wins over EDITOR; a prefix names another revision.
    let out = p
        .cmd(&["edit", &a[..6]])
        .env("VISUAL", "sed -i '1i # visual'")
        .env("EDITOR", "false")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(std::fs::read_to_string(file_of(&p, &a))
        .unwrap()
        .starts_with("# visual\n"));

    // No editor: say which variables.
    let out = p
        .cmd(&["edit"])
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_error_with_fix(&stderr);
    assert!(stderr.contains("EDITOR"), "{stderr}");
    // An edit that breaks the file is reported at once, with the file.
    let out = p
        .cmd(&["edit"])
        .env_remove("VISUAL")
        .env("EDITOR", "echo 'oops =' >>")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "{out:?}");
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_error_with_fix(&stderr);
    assert!(stderr.contains(&b) && stderr.contains("edit"), "{stderr}");
    // ... and the broken file can still be opened by its id, to repair it.
    let out = p
        .cmd(&["edit", &b])
        .env_remove("VISUAL")
        .env("EDITOR", "sed -i '/^oops =/d'")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    p.ok(&["history"]);
}

fn with_hook(p: &Project, hook: &str) {
    let config = p.read("migrate.toml");
    p.write(
        "migrate.toml",
        &format!("{config}\n[hooks]\npost_write = {hook:?}\n"),
    );
}

#[test]
fn the_post_write_hook_runs_on_each_new_revision_file() {
    let p = project();
    with_hook(&p, "echo hooked && sed -i '1i # formatted'");
    let out = p.cmd(&["revision", "-m", "first"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let id = String::from_utf8(out.stdout).unwrap();
    // stdout keeps only the id: the hook's output goes to stderr.
    assert_eq!(id.trim().len(), 12, "{id}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("hooked"));
    let a = id.trim().to_string();
    assert!(std::fs::read_to_string(file_of(&p, &a))
        .unwrap()
        .starts_with("# formatted\n"));
    // The formatted file is a valid revision.
    p.ok(&["history"]);

    let b1 = revision(&p, "b1", Some(&a));
    let _b2 = revision(&p, "b2", Some(&a));
    let m = p.ok(&["merge", "-m", "merge", "heads"]).trim().to_string();
    for id in [&b1, &m] {
        assert!(std::fs::read_to_string(file_of(&p, id))
            .unwrap()
            .starts_with("# formatted\n"));
    }

    // Autogenerate runs it too.
    p.write(
        "src/models.rs",
        "use migrate::Model;\n\n#[derive(Model)]\npub struct User {\n    #[model(primary_key)]\n    pub id: i64,\n}\n",
    );
    let id = p
        .ok(&["revision", "--autogenerate", "-m", "users"])
        .trim()
        .to_string();
    assert!(std::fs::read_to_string(file_of(&p, &id))
        .unwrap()
        .starts_with("# formatted\n"));
}

#[test]
fn a_failing_post_write_hook_is_an_error_naming_it() {
    let p = project();
    with_hook(&p, "false");
    let out = p.cmd(&["revision", "-m", "first"]).output().unwrap();
    assert_eq!(out.status.code(), Some(5));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("the post_write hook `false` failed") && stderr.contains("exit code 1"),
        "{stderr}"
    );
    assert!(stderr.contains("[hooks] post_write"), "{stderr}");
    // The file is written all the same.
    assert_eq!(p.ok(&["heads", "-q"]).lines().count(), 1);
}
