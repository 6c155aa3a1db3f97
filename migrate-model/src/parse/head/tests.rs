//! Tests of the comparison with the head schema: what drifted, and where the error
//! points.

use syn::DeriveInput;

use super::super::{check_against_head, parse_model, ModelDef};
use migrate_core::{Column, ColumnType, Schema, Table};

fn def(src: &str) -> ModelDef {
    let input: DeriveInput = syn::parse_str(src).unwrap();
    parse_model(&input).unwrap()
}

fn table(src: &str) -> Table {
    def(src).table
}

const MODEL: &str = "/// People.
#[model(table = \"users\")]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(max_len = 100)]
    email: String,
    age: Option<i32>,
}";

fn head_of(src: &str) -> Schema {
    Schema::from_tables([table(src)])
}

fn drift(model: &str, head: &Schema) -> Vec<(usize, String)> {
    check_against_head(&def(model), head)
        .into_iter()
        .map(|e| (e.span().start().line, e.to_string()))
        .collect()
}

#[test]
fn a_model_matching_the_head_has_no_drift() {
    assert!(drift(MODEL, &head_of(MODEL)).is_empty());
}

#[test]
fn a_new_table_is_reported_on_the_struct_name() {
    let d = drift(MODEL, &Schema::new());
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, 3);
    assert!(d[0].1.contains("table `users` is new"), "{}", d[0].1);
    assert!(
        d[0].1.contains("MIGRATE_AUTOGENERATE=\"msg\" cargo build"),
        "{}",
        d[0].1
    );
    assert!(
        d[0].1.contains("cargo migrate revision --autogenerate -m"),
        "{}",
        d[0].1
    );
}

#[test]
fn column_drift_is_reported_on_the_field() {
    let mut head = head_of(MODEL);
    let users = head.tables.get_mut("users").unwrap();
    users.column_mut("email").unwrap().ty = ColumnType::Varchar(50);
    users.column_mut("age").unwrap().nullable = false;
    users
        .columns
        .push(Column::new("nickname", ColumnType::Text));
    let d = drift(MODEL, &head);
    assert_eq!(d.len(), 3, "{d:?}");
    assert_eq!(d[0].0, 7);
    assert!(d[0].1.contains("column `users.email` differs from the revisions: type: revisions have varchar(50), model has varchar(100)"), "{}", d[0].1);
    assert_eq!(d[1].0, 8);
    assert!(
        d[1].1
            .contains("nullability: revisions have NOT NULL, model has NULL"),
        "{}",
        d[1].1
    );
    assert_eq!(d[2].0, 3);
    assert!(
        d[2].1
            .contains("`users.nickname` is in the revisions but not in the model"),
        "{}",
        d[2].1
    );
}

#[test]
fn new_and_renamed_columns_and_tables_are_told_apart() {
    let mut head = head_of(MODEL);
    head.tables
        .get_mut("users")
        .unwrap()
        .columns
        .retain(|c| c.name != "age");
    let d = drift(MODEL, &head);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].0, 8);
    assert!(d[0].1.contains("column `users.age` is new"), "{}", d[0].1);

    let renamed = MODEL.replace(
        "    age: Option<i32>,",
        "    #[model(renamed_from = \"years\")]\n    age: Option<i32>,",
    );
    let mut head = head_of(MODEL);
    head.tables
        .get_mut("users")
        .unwrap()
        .column_mut("age")
        .unwrap()
        .name = "years".into();
    let d = drift(&renamed, &head);
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].1.contains("renamed from `years`"), "{}", d[0].1);

    let moved = MODEL.replace(
        "#[model(table = \"users\")]",
        "#[model(table = \"people\", renamed_from = \"users\")]",
    );
    let d = drift(&moved, &head_of(MODEL));
    assert!(
        d[0].1.contains("table `users` is renamed to `people`"),
        "{}",
        d[0].1
    );
}

#[test]
fn table_level_drift_is_reported_on_the_struct() {
    let with_index = MODEL.replace(
        "    #[model(max_len = 100)]",
        "    #[model(max_len = 100, index)]",
    );
    let d = drift(&with_index, &head_of(MODEL));
    assert_eq!(d.len(), 1, "{d:?}");
    assert_eq!(d[0].0, 3);
    assert!(
        d[0].1.contains("index `ix_users_email` is new or changed"),
        "{}",
        d[0].1
    );
    let mut head = head_of(MODEL);
    head.tables.get_mut("users").unwrap().comment = None;
    let d = drift(MODEL, &head);
    assert!(d[0].1.contains("table comment differs"), "{d:?}");
}

#[test]
fn unresolved_model_references_are_not_drift() {
    let model =
        "struct Post { #[model(primary_key)] id: i64, #[model(references = User)] user_id: i64 }";
    let mut head = head_of(model);
    let fk = &mut head.tables.get_mut("posts").unwrap().foreign_keys[0];
    fk.ref_table = "users".into();
    fk.ref_columns = vec!["id".into()];
    fk.name = "fk_posts_user_id_users".into();
    assert!(drift(model, &head).is_empty());
}
