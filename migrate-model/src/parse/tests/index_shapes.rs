//! `index(...)` shapes (expression keys, `where`, `method`, `include`) and
//! `deferrable` foreign keys.

use super::*;
use migrate_core::schema::{Deferrable, IndexMethod};

#[test]
fn an_index_with_every_shape() {
    let t = table(
        r#"
        #[model(index(name = "ix_users_live", columns(tenant_id, "lower(email)" desc),
                      where = "deleted_at IS NULL", method = "btree", include(name)))]
        #[model(index(name = "ix_users_tags", columns(tags), method = "GIN"))]
        struct User {
            #[model(primary_key)]
            id: i64,
            tenant_id: i32,
            email: String,
            name: String,
            tags: String,
            deleted_at: Option<i64>,
        }
        "#,
    );
    assert_eq!(
        t.indexes[0],
        Index {
            name: "ix_users_live".into(),
            columns: vec![
                IndexColumn::asc("tenant_id"),
                IndexColumn {
                    name: "lower(email)".into(),
                    desc: true,
                    expression: true,
                    ..Default::default()
                },
            ],
            method: Some(IndexMethod::Btree),
            include: vec!["name".into()],
            predicate: Some("deleted_at IS NULL".into()),
            ..Default::default()
        }
    );
    assert_eq!(t.indexes[1].method, Some(IndexMethod::Gin));
}

#[test]
fn operator_classes_and_collations_per_key() {
    let t = table(
        r#"
        #[model(index(name = "ix_users_email", columns(email, "lower(name)" desc),
                      opclass(email = "text_pattern_ops", "lower(name)" = "text_ops"),
                      collation(email = "C")))]
        struct User {
            #[model(primary_key)]
            id: i64,
            email: String,
            name: String,
        }
        "#,
    );
    assert_eq!(
        t.indexes[0].columns,
        [
            IndexColumn {
                opclass: Some("text_pattern_ops".into()),
                collation: Some("C".into()),
                ..IndexColumn::asc("email")
            },
            IndexColumn {
                name: "lower(name)".into(),
                desc: true,
                expression: true,
                opclass: Some("text_ops".into()),
                ..Default::default()
            },
        ]
    );
    for (attr, message) in [
        (
            r#"index(name = "ix", columns(id), opclass(email = "text_pattern_ops"))"#,
            "`opclass(...)` names `email`, which is not a key of this index",
        ),
        (
            r#"index(name = "ix", columns(email), opclass(email = "x; drop"))"#,
            "an operator class is a name",
        ),
        (
            r#"index(name = "ix", columns(email), collation(email = "\"C\""))"#,
            "a collation is a name without quotes",
        ),
        (
            r#"index(name = "ix", columns(email), collation(email = "C", email = "POSIX"))"#,
            "`email` has two collations in this index",
        ),
        (
            r#"unique(name = "uq", columns(email), collation(email = "C"))"#,
            "`collation` belongs to `index(...)`",
        ),
        (
            r#"index(name = "ix", columns(email), opclass(emial = "text_pattern_ops"))"#,
            "`opclass(...)` names `emial`, which is not a field",
        ),
    ] {
        let e = one_error(&format!(
            "#[model({attr})] struct A {{ #[model(primary_key)] id: i64, email: String }}"
        ));
        assert!(e.contains(message), "{attr}: {e}");
    }
}

#[test]
fn deferrable_on_a_field_and_on_a_struct_foreign_key() {
    let t = table(
        r#"
        #[model(foreign_key(columns(a, b), references = "pairs(a, b)", deferrable = "immediate"))]
        struct Post {
            #[model(primary_key)]
            id: i64,
            #[model(references = "users(id)", deferrable = "initially deferred")]
            user_id: i64,
            a: i32,
            b: i32,
        }
        "#,
    );
    let by = |name: &str| {
        t.foreign_keys
            .iter()
            .find(|f| f.columns[0] == name)
            .unwrap()
    };
    assert_eq!(by("user_id").deferrable, Deferrable::Deferred);
    assert_eq!(by("a").deferrable, Deferrable::Immediate);
}

#[test]
fn index_shape_misuse_is_reported_at_the_span() {
    let e = one_error(
        r#"
        #[model(index(columns(id), method = "rtree"))]
        struct A { #[model(primary_key)] id: i64 }
        "#,
    );
    assert!(e.contains("unknown index method `rtree`"), "{e}");
    let e = one_error(
        r#"
        #[model(index(columns("lower(name)")))]
        struct B { #[model(primary_key)] id: i64, name: String }
        "#,
    );
    assert!(e.contains("needs a name"), "{e}");
    let e = one_error(
        r#"
        #[model(index(name = "ix_c", columns(id), unique, method = "gin"))]
        struct C { #[model(primary_key)] id: i64 }
        "#,
    );
    assert!(e.contains("cannot be `unique`"), "{e}");
    let e = one_error(
        r#"
        #[model(unique(name = "uq_d", columns(id), where = "id > 0"))]
        struct D { #[model(primary_key)] id: i64 }
        "#,
    );
    assert!(e.contains("belongs to `index(...)`"), "{e}");
    let e = one_error(
        r#"
        struct E { #[model(primary_key)] id: i64, #[model(deferrable = "deferred")] x: i64 }
        "#,
    );
    assert!(e.contains("`deferrable` needs a foreign key"), "{e}");
    let e = one_error(
        r#"
        struct F { #[model(primary_key)] id: i64, #[model(references = "u(id)", deferrable = "later")] x: i64 }
        "#,
    );
    assert!(e.contains("unknown `deferrable` value `later`"), "{e}");
    let e = one_error(
        r#"
        #[model(index(name = "ix_g", columns(id), include(nope)))]
        struct G { #[model(primary_key)] id: i64 }
        "#,
    );
    assert!(e.contains("nope"), "{e}");
}
