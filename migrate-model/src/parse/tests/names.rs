//! Tests of the names a model can give its keys (`primary_key(name = ...)`,
//! `fk_name`) and of composite foreign keys (`foreign_key(...)`), with their errors.

use super::{def, errors, one_error, table};
use migrate_core::schema::{FkAction, ForeignKey};

#[test]
fn primary_key_name_on_a_field() {
    let t = table(
        "struct User { #[model(primary_key(name = \"users_pkey\"), autoincrement)] id: i64 }",
    );
    let pk = t.primary_key.unwrap();
    assert_eq!(pk.name, "users_pkey");
    assert_eq!(pk.columns, ["id"]);
    // The bare flag keeps the convention.
    let t = table("struct User { #[model(primary_key)] id: i64 }");
    assert_eq!(t.primary_key.unwrap().name, "pk_users");
}

#[test]
fn primary_key_name_on_the_struct() {
    let t = table(
        "#[model(primary_key(name = \"memberships_pkey\", columns(team_id, user_id)))]
         struct Membership { team_id: i64, #[model(column = \"uid\")] user_id: i64 }",
    );
    let pk = t.primary_key.unwrap();
    assert_eq!(pk.name, "memberships_pkey");
    assert_eq!(pk.columns, ["team_id", "uid"]);
    let t = table("#[model(primary_key(a, b))] struct Pair { a: i32, b: i32 }");
    assert_eq!(t.primary_key.unwrap().name, "pk_pairs");
}

#[test]
fn fk_name_names_the_field_foreign_key() {
    let t = table(
        "struct Post { #[model(primary_key)] id: i64,
           #[model(references = \"users(id)\", fk_name = \"posts_user_id_fkey\", on_delete = \"cascade\")]
           user_id: i64 }",
    );
    let fk = &t.foreign_keys[0];
    assert_eq!(fk.name, "posts_user_id_fkey");
    assert_eq!(fk.ref_table, "users");
    assert_eq!(fk.on_delete, FkAction::Cascade);
}

#[test]
fn fk_name_survives_model_ref_resolution() {
    let d = def("struct Post { #[model(primary_key)] id: i64,
           #[model(references = User, fk_name = \"posts_user_id_fkey\")] user_id: i64 }");
    let mut t = d.table.clone();
    super::resolve_model_ref(&mut t, &d.model_refs[0], "users", &["id".to_string()]).unwrap();
    assert_eq!(t.foreign_keys[0].name, "posts_user_id_fkey");
    assert_eq!(t.foreign_keys[0].ref_table, "users");
    // Without `fk_name` the resolution names it by the convention.
    let d = def("struct Post { #[model(primary_key)] id: i64,
           #[model(references = User)] user_id: i64 }");
    let mut t = d.table.clone();
    super::resolve_model_ref(&mut t, &d.model_refs[0], "users", &["id".to_string()]).unwrap();
    assert_eq!(t.foreign_keys[0].name, "fk_posts_user_id_users");
}

#[test]
fn composite_foreign_key_named_and_by_convention() {
    let t = table(
        "#[model(foreign_key(columns(tenant_id, user_id), references = \"users(tenant_id, id)\",
                             on_delete = \"cascade\", on_update = \"restrict\"))]
         #[model(foreign_key(columns(tenant_id, team_id), references = \"teams(tenant_id, id)\",
                             name = \"orders_team_fkey\"))]
         struct Order { #[model(primary_key)] id: i64, tenant_id: i64,
                        #[model(column = \"uid\")] user_id: i64, team_id: i64 }",
    );
    assert_eq!(
        t.foreign_keys,
        vec![
            ForeignKey {
                name: "fk_orders_tenant_id_uid_users".into(),
                columns: vec!["tenant_id".into(), "uid".into()],
                ref_table: "users".into(),
                ref_columns: vec!["tenant_id".into(), "id".into()],
                on_delete: FkAction::Cascade,
                on_update: FkAction::Restrict,
                ..Default::default()
            },
            ForeignKey {
                name: "orders_team_fkey".into(),
                columns: vec!["tenant_id".into(), "team_id".into()],
                ref_table: "teams".into(),
                ref_columns: vec!["tenant_id".into(), "id".into()],
                on_delete: FkAction::NoAction,
                on_update: FkAction::NoAction,
                ..Default::default()
            },
        ]
    );
}

#[test]
fn fk_name_without_references_is_an_error_at_the_name() {
    let errs = errors(
        "struct P { #[model(primary_key)] id: i64,\n  #[model(fk_name = \"x_fkey\")] u: i64 }",
    );
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!((errs[0].0, errs[0].1), (2, 21), "{errs:?}");
    assert!(errs[0].2.contains("`fk_name`") && errs[0].2.contains("references"));
}

#[test]
fn foreign_key_errors() {
    let base = |fk: &str| {
        format!("#[model({fk})] struct O {{ #[model(primary_key)] id: i64, a: i64, b: i64 }}")
    };
    // A column that is not a field.
    let e = one_error(&base(
        "foreign_key(columns(a, nope), references = \"t(x, y)\")",
    ));
    assert!(e.contains("`nope`") && e.contains("not a field"), "{e}");
    // Column count differs from the referenced count.
    let e = one_error(&base("foreign_key(columns(a, b), references = \"t(x)\")"));
    assert!(e.contains("2 column(s) but references 1"), "{e}");
    // Malformed target.
    let e = one_error(&base("foreign_key(columns(a, b), references = \"t x y\")"));
    assert!(e.contains("malformed foreign-key target `t x y`"), "{e}");
    // Unknown key inside.
    let e = one_error(&base(
        "foreign_key(columns(a, b), references = \"t(x, y)\", cascade = \"yes\")",
    ));
    assert!(e.contains("unknown key in `foreign_key(...)`"), "{e}");
    // Missing parts.
    let e = one_error(&base("foreign_key(references = \"t(x, y)\")"));
    assert!(e.contains("needs its columns"), "{e}");
    let e = one_error(&base("foreign_key(columns(a, b))"));
    assert!(e.contains("needs a `references` target"), "{e}");
    let e = one_error(&base("foreign_key"));
    assert!(e.contains("lists its columns and target"), "{e}");
    // A bad action.
    let e = one_error(&base(
        "foreign_key(columns(a, b), references = \"t(x, y)\", on_delete = \"explode\")",
    ));
    assert!(e.contains("on_delete"), "{e}");
}

#[test]
fn key_name_errors() {
    let e = one_error("struct U { #[model(primary_key(nme = \"x\"))] id: i64 }");
    assert!(
        e.contains("unknown key in a field's `primary_key(...)`"),
        "{e}"
    );
    let e = one_error("struct U { #[model(primary_key())] id: i64 }");
    assert!(e.contains("empty `primary_key()`"), "{e}");
    let e = one_error("struct U { #[model(primary_key(name))] id: i64 }");
    assert!(e.contains("`name` needs a value"), "{e}");
    let e = one_error("#[model(primary_key(name = \"k\", a))] struct U { a: i64 }");
    assert!(e.contains("lists its columns in `columns(...)`"), "{e}");
    // Custom names take part in the clash rule.
    let errs = errors(
        "struct P { #[model(primary_key(name = \"k\"))] id: i64,
                    #[model(references = \"users(id)\", fk_name = \"k\")] u: i64 }",
    );
    assert!(errs.iter().any(|e| e.2.contains("`k`")), "{errs:?}");
    let long = "x".repeat(64);
    let e = one_error(&format!(
        "struct P {{ #[model(primary_key)] id: i64, #[model(references = \"u(id)\", fk_name = \"{long}\")] u: i64 }}"
    ));
    assert!(e.contains("over the limit"), "{e}");
}
