//! The derive's stored output, end to end in temporary crates built with the real
//! `cargo build`: the derive reuses what the build script stored for exactly the
//! struct it parsed, the stored foreign keys equal the parsed ones, and a path that
//! names another model than the script resolved fails at the reference.

mod util;

use util::{line_of, TempCrate};

/// The derive emits what the build script stored for a struct it parsed, without
/// parsing it again (the compile-time cost of a model), and only for exactly that
/// struct: an entry whose tokens differ from the struct's is not used.
#[test]
fn the_derive_reuses_the_stored_output_of_the_struct_the_script_parsed() {
    let models = "#[derive(migrate::Model)]\npub struct User {\n    \
                  #[model(primary_key)]\n    pub id: i64,\n}\n";
    let krate = TempCrate::new("mb_derive_store", models);
    krate.write(
        "src/main.rs",
        "mod models;\n\nfn main() {\n    \
         println!(\"{}\", <models::User as migrate::Model>::TABLE_NAME);\n}\n",
    );
    krate.autogenerate("create users", &[]);
    // A plain build after autogenerate: the script's clean run, which it remembers.
    krate.build_ok(&[]);
    assert_eq!(krate.run(), "users\n");
    let store = krate.out_file(migrate_model::derive_store::STORE_FILE);
    let stored = std::fs::read_to_string(&store).unwrap();
    let name = "table_name: \"users\"";
    assert!(stored.contains(name), "{stored}");

    // The stored output is changed behind the derive's back; `touch` makes cargo
    // compile the crate again, and the build script (inputs unchanged) leaves the
    // store alone: the derive emits the stored text.
    let tampered = stored.replace(name, "table_name: \"stored\"");
    std::fs::write(&store, &tampered).unwrap();
    krate.write("src/models.rs", models);
    krate.build_ok(&[]);
    assert_eq!(krate.run(), "stored\n");

    // The same, with the entry's key no longer that of the struct: the derive
    // parses the struct.
    let other_key = tampered.replace("pub id : i64", "pub id : i32");
    assert_ne!(other_key, tampered);
    std::fs::write(&store, other_key).unwrap();
    krate.write("src/models.rs", models);
    krate.build_ok(&[]);
    assert_eq!(krate.run(), "users\n");
}

/// The build script resolves each reference to a model type by the struct's name
/// and stores the resolved foreign key: the table the program gets from the
/// stored output is the one the derive's parsed path gives (which resolves
/// through the type), for a reference to a key, to another column, to a model in
/// another module and to a renamed table, beside an enum column. A stored check that no longer matches
/// the model the path names (a stale store) is a compile error at the reference.
#[test]
fn stored_and_parsed_outputs_give_the_same_foreign_keys() {
    let models = "#[derive(Debug, migrate::Model)]\n\
                  #[model(table = \"app_users\", renamed_from = \"users\")]\n\
                  pub struct User {\n    #[model(primary_key)]\n    pub id: i64,\n    \
                  #[model(unique)]\n    pub email: String,\n}\n\n\
                  pub mod teams {\n    #[derive(migrate::Model)]\n    \
                  pub struct Team {\n        #[model(primary_key)]\n        pub code: String,\n    }\n}\n\n\
                  #[derive(migrate::Model)]\npub struct Post {\n    #[model(primary_key)]\n    \
                  pub id: i64,\n    #[model(references = User)]\n    pub author_id: i64,\n    \
                  #[model(references = User(email), fk_name = \"fk_posts_by_email\")]\n    \
                  pub author_email: String,\n    #[model(references = teams::Team, on_delete = \"cascade\")]\n    \
                  pub team_code: Option<String>,\n    pub mood: Mood,\n}\n\n\
                  #[derive(Debug, migrate::Enum)]\n#[sqlx(type_name = \"mood\", rename_all = \"lowercase\")]\n\
                  pub enum Mood {\n    Happy,\n    Sad,\n}\n";
    let krate = TempCrate::new("mb_derive_resolved", models);
    krate.write(
        "src/main.rs",
        "mod models;\n\nuse migrate::Model;\n\nfn main() {\n    \
         println!(\"{:?}\", models::Post::table());\n}\n",
    );
    krate.autogenerate("create the tables", &[]);
    krate.build_ok(&[]);
    let stored = krate.run();
    // The enum column's type, resolved through its function in the impl (a
    // piece inside the stored text, beside the appended checks).
    assert!(stored.contains("\"happy\", \"sad\""), "{stored}");
    assert!(stored.contains("ref_table: \"app_users\""), "{stored}");
    assert!(stored.contains("ref_table: \"teams\""), "{stored}");
    assert!(stored.contains("\"fk_posts_by_email\""), "{stored}");
    let store = krate.out_file(migrate_model::derive_store::STORE_FILE);
    let text = std::fs::read_to_string(&store).unwrap();
    assert!(text.contains("__model_is"), "{text}");

    // A store the derive cannot read (another format): every struct is parsed.
    let header = format!("store {}", migrate_model::derive_store::FORMAT);
    std::fs::write(&store, text.replacen(&header, "store 0", 1)).unwrap();
    krate.write("src/models.rs", models);
    krate.build_ok(&[]);
    assert_eq!(krate.run(), stored, "the parsed path gives the same keys");

    // The store's check for `teams::Team` names a table that is not the model's
    // (as if the store were older than the models): rustc fails at the reference.
    let stale = text.replace("(\"teams\" ,", "(\"crews\" ,");
    assert_ne!(stale, text);
    std::fs::write(&store, stale).unwrap();
    krate.write("src/models.rs", models);
    let fail = krate.build_err(&[]);
    // The error points at the reference (its struct name, the path's last token).
    let line = line_of(models, "references = teams::Team");
    assert!(
        fail.stderr
            .contains(&format!("--> src/models.rs:{line}:33")),
        "at the reference:\n{}",
        fail.stderr
    );
    assert!(
        fail.stderr.contains(
            "`references = teams::Team` names another model than the build script found by \
             the name `Team`"
        ),
        "{}",
        fail.stderr
    );
}

/// A reference whose path names another model than the one the build script found
/// by that name (here a struct a macro writes, which the scan cannot see, in
/// another module) is a compile error at the reference, not a foreign key to a
/// table the drift check never compared.
#[test]
fn a_reference_to_another_model_of_the_same_name_fails_at_the_reference() {
    let models = "#[derive(migrate::Model)]\npub struct User {\n    \
                  #[model(primary_key)]\n    pub id: i64,\n}\n\n\
                  #[derive(migrate::Model)]\npub struct Post {\n    #[model(primary_key)]\n    \
                  pub id: i64,\n    #[model(references = User)]\n    pub author_id: i64,\n}\n";
    let krate = TempCrate::new("mb_derive_other_model", models);
    krate.write(
        "src/main.rs",
        "mod models;\n\n\
         macro_rules! twin {\n    () => {\n        #[derive(migrate::Model)]\n        \
         #[model(table = \"twins\")]\n        pub struct User {\n            \
         #[model(primary_key)]\n            pub id: i64,\n        }\n    };\n}\n\n\
         mod other {\n    twin!();\n}\n\n\
         fn main() {\n    \
         println!(\"{:?}\", <models::Post as migrate::Model>::table().foreign_keys);\n}\n",
    );
    krate.autogenerate("create users and posts", &[]);
    // The path now names `other::User` (table `twins`); the scan, which resolves
    // by the struct's name, still finds `models::User`: no drift, and the build
    // script succeeds.
    let edited = models.replace("references = User", "references = crate::other::User");
    krate.write("src/models.rs", &edited);
    let fail = krate.build_err(&[]);
    let line = line_of(&edited, "references = crate::other::User");
    assert!(
        fail.stderr
            .contains(&format!("--> src/models.rs:{line}:40")),
        "at the reference:\n{}",
        fail.stderr
    );
    assert!(
        fail.stderr.contains(
            "`references = crate::other::User` names another model than the build script \
             found by the name `User` (table `users`, key (id)): rename one of the structs, \
             or write `references = \"users(id)\"`"
        ),
        "{}",
        fail.stderr
    );
}
