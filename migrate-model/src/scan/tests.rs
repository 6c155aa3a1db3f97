//! Scanner tests on real files in a temporary directory.

use std::fs;

use super::*;
use migrate_core::ColumnType;

fn write(dir: &Path, rel: &str, text: &str) -> PathBuf {
    let path = dir.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, text).unwrap();
    path
}

const USERS: &str = r#"
use migrate::Model;

/// People.
#[derive(Debug, Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(renamed_from = "mail")]
    pub email: String,
}
"#;

const POSTS: &str = r#"
pub mod blog {
    pub mod inner {
        #[derive(Clone, ::migrate::Model)]
        #[model(renamed_from = "articles")]
        pub struct Post {
            #[model(primary_key)]
            pub id: i64,
            #[model(references = crate::models::User)]
            pub author_id: i64,
        }
    }
}

#[derive(Debug)]
struct NotAModel {
    x: std::collections::HashMap<u8, u8>,
}
"#;

#[test]
fn finds_models_in_nested_modules_and_resolves_references() {
    let tmp = tempfile::tempdir().unwrap();
    let users = write(tmp.path(), "models/users.rs", USERS);
    let posts = write(tmp.path(), "models/blog/posts.rs", POSTS);
    write(tmp.path(), "models/readme.txt", "not rust {");
    let scanned = scan_sources(&[tmp.path().to_path_buf()]).unwrap();
    assert_eq!(scanned.files, vec![posts.clone(), users.clone()]);
    let names: Vec<&str> = scanned
        .models
        .iter()
        .map(|m| m.struct_name.as_str())
        .collect();
    assert_eq!(names, ["Post", "User"]);
    let post = scanned.by_table("posts").unwrap();
    assert_eq!(post.file, posts);
    assert_eq!(post.line, 6);
    assert_eq!(post.columns_lines["author_id"], 10);
    let fk = &post.table.foreign_keys[0];
    assert_eq!(fk.ref_table, "users");
    assert_eq!(fk.ref_columns, ["id"]);
    assert_eq!(fk.name, "fk_posts_author_id_users");
    let user = scanned.by_table("users").unwrap();
    assert_eq!((user.line, user.columns_lines["email"]), (6, 10));
    assert_eq!(user.table.comment.as_deref(), Some("People."));

    let schema = scanned.schema();
    assert_eq!(schema.tables.len(), 2);
    assert_eq!(
        schema.tables["users"].column("email").unwrap().ty,
        ColumnType::Text
    );
    let hints = scanned.hints();
    assert_eq!(hints.table_renames["posts"], "articles");
    assert_eq!(
        hints.column_renames[&("users".to_string(), "email".to_string())],
        "mail"
    );
}

#[test]
fn a_file_that_does_not_parse_names_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.rs", USERS);
    let bad = write(tmp.path(), "b.rs", "struct Ok;\n\nfn broken( {\n");
    let err = scan_sources(&[tmp.path().to_path_buf()]).unwrap_err();
    match &err {
        ScanError::Parse { file, line, .. } => {
            assert_eq!(file, &bad);
            assert!(*line >= 3, "line {line}");
        }
        other => panic!("expected a parse error, got {other}"),
    }
    assert!(err.to_string().contains("b.rs:"), "{err}");
}

#[test]
fn a_rejected_model_reports_every_message_with_lines() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write(
        tmp.path(),
        "m.rs",
        "#[derive(migrate::Model)]\nstruct Thing {\n    #[model(max_len = 3)]\n    n: i32,\n    #[model(bogus)]\n    s: String,\n}\n",
    );
    let err = scan_sources(&[tmp.path().to_path_buf()]).unwrap_err();
    let ScanError::Model {
        file: f,
        line,
        struct_name,
        messages,
    } = &err
    else {
        panic!("expected a model error, got {err}");
    };
    assert_eq!((f, *line, struct_name.as_str()), (&file, 2, "Thing"));
    let lines: Vec<usize> = messages.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [2, 3, 5], "{messages:?}");
    assert!(messages[0].1.contains("no primary key"));
    assert!(messages[1].1.contains("`max_len` applies to `String`"));
    assert!(messages[2].1.contains("unknown model attribute `bogus`"));
    assert!(
        err.to_string().contains("m.rs:5: unknown model attribute"),
        "{err}"
    );
}

#[test]
fn duplicate_table_names_name_both_places() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.rs", USERS);
    write(
        tmp.path(),
        "z/b.rs",
        "#[derive(Model)]\n#[model(table = \"users\")]\nstruct Person {\n    #[model(primary_key)]\n    id: i64,\n}\n",
    );
    let err = scan_sources(&[tmp.path().to_path_buf()]).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, ScanError::DuplicateTable { .. }), "{text}");
    assert!(text.contains("a.rs:6") && text.contains("b.rs:3"), "{text}");
    assert!(
        text.contains("`User`") && text.contains("`Person`"),
        "{text}"
    );
}

#[test]
fn a_reference_to_an_unknown_model_names_file_and_line() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "c.rs",
        "#[derive(Model)]\nstruct Comment {\n    #[model(primary_key)]\n    id: i64,\n    #[model(references = Ghost)]\n    ghost_id: i64,\n}\n",
    );
    let err = scan_sources(&[tmp.path().to_path_buf()]).unwrap_err();
    let text = err.to_string();
    assert!(text.contains("c.rs:5"), "{text}");
    assert!(text.contains("`Ghost`"), "{text}");
}

#[test]
fn a_reference_to_a_composite_key_needs_a_column() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "d.rs",
        "#[derive(Model)]\n#[model(primary_key(a, b))]\nstruct Pair { a: i32, b: i32 }\n\n#[derive(Model)]\nstruct Child {\n    #[model(primary_key)]\n    id: i64,\n    #[model(references = Pair)]\n    pair_a: i32,\n}\n",
    );
    let err = scan_sources(&[tmp.path().to_path_buf()]).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("d.rs:9") && text.contains("references = Pair(column)"),
        "{text}"
    );
}

#[test]
fn a_missing_directory_is_an_io_error() {
    let tmp = tempfile::tempdir().unwrap();
    let err = scan_sources(&[tmp.path().join("nope")]).unwrap_err();
    assert!(matches!(err, ScanError::Io { .. }), "{err}");
    assert!(err.to_string().contains("nope"), "{err}");
}

#[test]
fn structs_deriving_another_model_trait_are_ignored() {
    let tmp = tempfile::tempdir().unwrap();
    write(
        tmp.path(),
        "e.rs",
        "#[derive(other::Model)]\nstruct A { x: Weird }\n#[derive(::other::Model, Debug)]\nstruct B { y: Weird }\n",
    );
    let scanned = scan_sources(&[tmp.path().to_path_buf()]).unwrap();
    assert!(scanned.models.is_empty());
    assert_eq!(scanned.files.len(), 1);
}

#[test]
fn the_lenient_scan_lists_what_it_cannot_read_and_returns_no_model() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.rs", USERS);
    write(tmp.path(), "b.rs", "fn broken( {\n");
    write(
        tmp.path(),
        "c.rs",
        "#[derive(migrate::Model)]\nstruct Thing {\n    #[model(primary_key, bogus)]\n    n: i32,\n}\n",
    );
    let scanned = scan_sources_leaving_invalid(&[tmp.path().to_path_buf()]).unwrap();
    assert!(scanned.models.is_empty(), "{:?}", scanned.models);
    assert_eq!(scanned.files.len(), 3);
    let kinds: Vec<&str> = scanned
        .skipped
        .iter()
        .map(|e| match e {
            ScanError::Parse { .. } => "parse",
            ScanError::Model { struct_name, .. } => struct_name,
            _ => "other",
        })
        .collect();
    assert_eq!(kinds, ["parse", "Thing"]);

    let clean = tempfile::tempdir().unwrap();
    write(clean.path(), "a.rs", USERS);
    let scanned = scan_sources_leaving_invalid(&[clean.path().to_path_buf()]).unwrap();
    assert!(scanned.skipped.is_empty());
    assert!(!scanned.models.is_empty());
}

/// The derive's stored output for each model holds its references resolved by the
/// struct's name, also when other files are skipped; a reference that names a
/// model the scan did not read (here one with errors) gets no entry, so the
/// derive parses that struct.
#[test]
fn stored_outputs_hold_the_resolved_foreign_keys() {
    let tmp = tempfile::tempdir().unwrap();
    write(tmp.path(), "a.rs", USERS);
    write(tmp.path(), "b.rs", POSTS);
    write(
        tmp.path(),
        "c.rs",
        "#[derive(migrate::Model)]\nstruct Thing {\n    #[model(primary_key, bogus)]\n    n: i32,\n}\n\n\
         #[derive(migrate::Model)]\nstruct Part {\n    #[model(primary_key)]\n    id: i64,\n    \
         #[model(references = Thing)]\n    thing: i32,\n}\n",
    );
    let scanned = scan_sources_for_build(&[tmp.path().to_path_buf()]).unwrap();
    assert_eq!(scanned.skipped.len(), 1, "{:?}", scanned.skipped);
    let names: Vec<&str> = scanned
        .derive_entries
        .iter()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(names, ["User", "Post"]);
    let post = &scanned.derive_entries[1];
    assert!(
        post.text
            .contains(r#""ref_table":"users","ref_columns":["id"]"#),
        "{}",
        post.text
    );
    assert_eq!(post.spanned.len(), 1, "{post:?}");
    assert!(post.spanned[0].text.contains("__model_is"), "{post:?}");
}
