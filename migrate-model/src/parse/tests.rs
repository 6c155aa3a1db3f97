//! Unit tests of the model parser: one test per attribute, the error collection,
//! and the comparison with the head schema.

use syn::DeriveInput;

use super::*;
use migrate_core::schema::{Check, FkAction, Index, IndexColumn, PrimaryKey, Unique};
use migrate_core::{ColumnType, Table};

mod column_extras;
mod index_shapes;
mod names;

fn def(src: &str) -> ModelDef {
    let input: DeriveInput = syn::parse_str(src).unwrap();
    parse_model(&input).unwrap_or_else(|e| {
        panic!(
            "{:?}",
            e.into_iter().map(|e| e.to_string()).collect::<Vec<_>>()
        )
    })
}

fn table(src: &str) -> Table {
    def(src).table
}

/// Every error message, with the 1-based line and column its span starts at.
fn errors(src: &str) -> Vec<(usize, usize, String)> {
    let input: DeriveInput = syn::parse_str(src).unwrap();
    match parse_model(&input) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .into_iter()
            .map(|e| {
                let s = e.span().start();
                (s.line, s.column + 1, e.to_string())
            })
            .collect(),
    }
}

fn one_error(src: &str) -> String {
    let errs = errors(src);
    assert_eq!(errs.len(), 1, "{errs:?}");
    errs[0].2.clone()
}

#[test]
fn table_name_defaults_to_plural_snake_case_and_can_be_set() {
    assert_eq!(
        table("struct OrderLine { #[model(primary_key)] id: i32 }").name,
        "order_lines"
    );
    let t = table("#[model(table = \"people\")] struct Person { #[model(primary_key)] id: i32 }");
    assert_eq!(t.name, "people");
    assert_eq!(t.primary_key.unwrap().name, "pk_people");
}

#[test]
fn column_renames_the_column_not_the_field() {
    let t = table("struct U { #[model(primary_key, column = \"uid\")] id: i32 }");
    assert_eq!(t.columns[0].name, "uid");
    assert_eq!(t.primary_key.unwrap().columns, ["uid"]);
}

#[test]
fn primary_key_on_a_field_and_composite_on_the_struct() {
    let t = table("struct U { a: i32, #[model(primary_key)] b: i32 }");
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            name: "pk_us".into(),
            columns: vec!["b".into()]
        })
    );
    let t = table("#[model(primary_key(b, a))] struct U { a: i32, b: i32 }");
    assert_eq!(t.primary_key.unwrap().columns, ["b", "a"]);
}

#[test]
fn autoincrement_sets_the_column_flag() {
    let t = table("struct U { #[model(primary_key, autoincrement)] id: i64, n: i64 }");
    assert!(t.columns[0].autoincrement);
    assert!(!t.columns[1].autoincrement);
}

#[test]
fn unique_on_a_field_composite_and_named() {
    let t = table(
        "#[model(unique(a, b), unique(name = \"uq_x\", columns(b)))]
         struct T { #[model(primary_key)] id: i32, #[model(unique)] a: i32, b: i32 }",
    );
    assert_eq!(
        t.uniques,
        vec![
            Unique {
                name: "uq_ts_a".into(),
                columns: vec!["a".into()]
            },
            Unique {
                name: "uq_ts_a_b".into(),
                columns: vec!["a".into(), "b".into()]
            },
            Unique {
                name: "uq_x".into(),
                columns: vec!["b".into()]
            },
        ]
    );
}

#[test]
fn index_on_a_field_composite_with_order_and_named_unique() {
    let t = table(
        "#[model(index(a, b desc), index(name = \"ix_x\", columns(b desc, a asc), unique))]
         struct T { #[model(primary_key)] id: i32, #[model(index)] a: i32, b: i32 }",
    );
    let desc = |n: &str| IndexColumn {
        name: n.into(),
        desc: true,
        ..Default::default()
    };
    assert_eq!(
        t.indexes,
        vec![
            Index {
                name: "ix_ts_a".into(),
                columns: vec![IndexColumn::asc("a")],
                unique: false,
                ..Default::default()
            },
            Index {
                name: "ix_ts_a_b".into(),
                columns: vec![IndexColumn::asc("a"), desc("b")],
                unique: false,
                ..Default::default()
            },
            Index {
                name: "ix_x".into(),
                columns: vec![desc("b"), IndexColumn::asc("a")],
                unique: true,
                ..Default::default()
            },
        ]
    );
}

#[test]
fn references_by_table_name_with_actions() {
    let t = table(
        "struct P { #[model(primary_key)] id: i32,
           #[model(references = \"users(id)\", on_delete = \"cascade\", on_update = \"SET NULL\")]
           user_id: i32 }",
    );
    let fk = &t.foreign_keys[0];
    assert_eq!(fk.name, "fk_ps_user_id_users");
    assert_eq!(
        (fk.ref_table.as_str(), fk.ref_columns.clone()),
        ("users", vec!["id".to_string()])
    );
    assert_eq!(
        (fk.on_delete, fk.on_update),
        (FkAction::Cascade, FkAction::SetNull)
    );
}

#[test]
fn references_to_model_types_are_left_for_resolution() {
    let d = def("struct P { #[model(primary_key)] id: i32,
           #[model(references = crate::User)] a: i32,
           #[model(references = User(email))] b: String,
           #[model(references = Self)] parent: Option<i32> }");
    assert_eq!(d.model_refs.len(), 2);
    assert_eq!(d.model_refs[0].target_name, "User");
    assert_eq!(d.model_refs[0].ref_columns, None);
    assert_eq!(d.model_refs[1].ref_columns, Some(vec!["email".to_string()]));
    assert_eq!(d.table.foreign_keys[0].ref_table, UNRESOLVED);
    // `Self` is resolved on the spot.
    let own = &d.table.foreign_keys[2];
    assert_eq!(
        (own.ref_table.as_str(), own.name.as_str()),
        ("ps", "fk_ps_parent_ps")
    );
    let mut t = d.table.clone();
    resolve_model_ref(&mut t, &d.model_refs[0], "users", &["id".to_string()]).unwrap();
    assert_eq!(t.foreign_keys[0].name, "fk_ps_a_users");
    assert_eq!(t.foreign_keys[0].ref_columns, ["id"]);
    let e = resolve_model_ref(&mut t, &d.model_refs[0], "pairs", &["a".into(), "b".into()]);
    assert!(e.unwrap_err().contains("references = User(column)"));
}

#[test]
fn check_on_a_field_and_named_on_the_struct() {
    let t = table(
        "#[model(check(name = \"ck_adult\", expr = \"age >= 18\"))]
         struct U { #[model(primary_key)] id: i32, #[model(check = \" age >= 0 \")] age: i32 }",
    );
    assert_eq!(
        t.checks,
        vec![
            Check {
                name: "ck_us_age".into(),
                expr: "age >= 0".into()
            },
            Check {
                name: "ck_adult".into(),
                expr: "age >= 18".into()
            },
        ]
    );
}

#[test]
fn default_is_kept_as_sql() {
    let t = table(
        "struct U { #[model(primary_key)] id: i32, #[model(default = \"'draft'\")] s: String }",
    );
    assert_eq!(t.columns[1].default.as_deref(), Some("'draft'"));
}

#[test]
fn sql_type_overrides_the_rust_type() {
    let t = table(
        "struct U { #[model(primary_key)] id: i32,
           #[model(sql_type = \"VARCHAR(20)\")] a: String,
           #[model(sql_type = \"raw(CITEXT)\")] b: Option<String>,
           #[model(sql_type = \"json\")] c: my::Custom }",
    );
    assert_eq!(t.columns[1].ty, ColumnType::Varchar(20));
    assert_eq!(t.columns[2].ty, ColumnType::Raw("CITEXT".into()));
    assert!(t.columns[2].nullable);
    assert_eq!(t.columns[3].ty, ColumnType::Json);
}

#[test]
fn max_len_makes_a_varchar() {
    let t = table("struct U { #[model(primary_key)] id: i32, #[model(max_len = 40)] s: String }");
    assert_eq!(t.columns[1].ty, ColumnType::Varchar(40));
}

#[test]
fn precision_and_scale_make_a_decimal() {
    let t = table("struct U { #[model(primary_key)] id: i32, #[model(precision = 12, scale = 4)] d: rust_decimal::Decimal }");
    assert_eq!(
        t.columns[1].ty,
        ColumnType::Decimal {
            precision: 12,
            scale: 4
        }
    );
}

#[test]
fn doc_comments_become_comments_and_comment_overrides() {
    let t = table(
        "/// Users.
         ///
         /// Second paragraph.
         struct U {
           /// The key.
           #[model(primary_key)] id: i32,
           /// Ignored.
           #[model(comment = \"Shown.\")] a: i32,
           /// Ignored too.
           #[model(comment = \"\")] b: i32 }",
    );
    assert_eq!(t.comment.as_deref(), Some("Users.\n\nSecond paragraph."));
    let comments: Vec<_> = t.columns.iter().map(|c| c.comment.as_deref()).collect();
    assert_eq!(comments, [Some("The key."), Some("Shown."), None]);
    let t = table(
        "/// Doc. \n #[model(comment = \"Own.\")] struct U { #[model(primary_key)] id: i32 }",
    );
    assert_eq!(t.comment.as_deref(), Some("Own."));
}

#[test]
fn renamed_from_fills_the_hints_only() {
    let d = def("#[model(renamed_from = \"people\")] struct User {
           #[model(primary_key)] id: i32,
           #[model(renamed_from = \"mail\", column = \"email_address\")] email: String }");
    let hints = d.hints();
    assert_eq!(hints.table_renames["users"], "people");
    assert_eq!(
        hints.column_renames[&("users".to_string(), "email_address".to_string())],
        "mail"
    );
    assert_eq!(d.table.columns[1].name, "email_address");
}

#[test]
fn skip_leaves_the_field_out() {
    let t = table(
        "struct U { #[model(primary_key)] id: i32, #[model(skip)] cache: Vec<std::rc::Rc<u8>> }",
    );
    assert_eq!(t.columns.len(), 1);
}

#[test]
fn crate_path_is_recorded() {
    let d = def("#[model(crate = \"my::facade\")] struct U { #[model(primary_key)] id: i32 }");
    let path = d.krate.unwrap();
    assert_eq!(
        quote::quote!(#path).to_string().replace(' ', ""),
        "my::facade"
    );
}

#[test]
fn every_error_of_a_struct_is_reported_at_once() {
    let errs = errors(
        "#[model(tabel = \"x\")]
struct U {
    #[model(max_len = \"5\")]
    a: String,
    #[model(autoincrement)]
    b: String,
    c: std::collections::HashMap<u8, u8>,
}",
    );
    let lines: Vec<usize> = errs.iter().map(|e| e.0).collect();
    assert_eq!(lines, [1, 3, 5, 7, 2], "{errs:?}");
    assert!(errs[0]
        .2
        .starts_with("unknown model attribute `tabel` on a struct: use one of `table`"));
    assert!(errs[1]
        .2
        .contains("`max_len` takes a whole number without quotes"));
    assert!(errs[2]
        .2
        .contains("`autoincrement` needs an integer column"));
    assert!(
        errs[3]
            .2
            .contains("Rust type `std::collections::HashMap<u8, u8>`: add `#[model(sql_type"),
        "{}",
        errs[3].2
    );
    assert!(errs[4].2.contains("no primary key"));
}

#[test]
fn errors_point_at_the_offending_token() {
    // (line, column) of the span start.
    let e = errors("struct U {\n    #[model(primary_key)]\n    id: Option<i32>,\n}");
    assert_eq!((e[0].0, e[0].1), (3, 9), "{e:?}");
    let e = errors("struct U {\n    #[model(primary_key, primary_key)]\n    id: i32,\n}");
    assert_eq!((e[0].0, e[0].1), (2, 26), "{e:?}");
    assert!(e[0].2.contains("duplicate attribute `primary_key`"));
    let e =
        errors("#[model(index(a, nope))]\nstruct U {\n    #[model(primary_key)]\n    a: i32,\n}");
    assert_eq!((e[0].0, e[0].1), (1, 18), "{e:?}");
    assert!(e[0].2.contains("the fields are: a"), "{e:?}");
}

#[test]
fn misuses_are_rejected_with_a_fix() {
    let cases: &[(&str, &str)] = &[
        ("enum E { A }", "does not support enums"),
        ("struct T(i32);", "does not support tuple structs"),
        ("struct T;", "does not support unit structs"),
        ("struct T<X> { #[model(primary_key)] id: X }", "does not support generic structs"),
        ("struct T { #[model(primary_key)] a: i32, #[model(primary_key)] b: i32 }", "two primary-key declarations"),
        ("#[model(primary_key(a))] struct T { #[model(primary_key)] a: i32 }", "two primary-key declarations"),
        ("struct T { #[model(primary_key, max_len = 3)] a: i32 }", "`max_len` applies to `String`"),
        ("struct T { #[model(primary_key)] a: i32, #[model(references = \"users\")] u: i32 }", "malformed foreign-key target"),
        ("struct T { #[model(primary_key)] a: i32, #[model(references = 5)] u: i32 }", "malformed foreign-key target"),
        ("struct T { #[model(primary_key)] a: i32, #[model(on_delete = \"explode\", references = \"u(id)\")] u: i32 }", "unknown foreign-key action `explode`"),
        ("struct T { #[model(primary_key)] a: i32, #[model(on_delete = \"cascade\")] u: i32 }", "need a foreign key on this field"),
        ("struct T { #[model(primary_key)] a: i32, d: Decimal }", "needs a precision and a scale"),
        ("struct T { #[model(primary_key)] a: i32, #[model(scale = 2)] d: Decimal }", "`scale` without `precision`"),
        ("struct T { #[model(primary_key)] a: i32, #[model(precision = 2, scale = 3)] d: Decimal }", "is larger than `precision`"),
        ("struct T { #[model(primary_key, precision = 2)] a: i32 }", "`precision` applies to `Decimal`"),
        ("struct T { #[model(primary_key, sql_type = \"geometry\")] a: i32 }", "unknown column type `geometry`"),
        ("struct T { #[model(primary_key, sql_type = \"text\", max_len = 3)] a: String }", "conflicts with `sql_type`"),
        ("struct T { #[model(primary_key)] a: i32, #[model(skip, unique)] b: i32 }", "has no effect on a `skip` field"),
        ("struct T { #[model(primary_key)] a: i32, #[model(column = \"a\")] b: i32 }", "declared twice"),
        ("struct T { #[model(primary_key)] a: i32, #[model(max_len = 0)] b: String }", "at least 1"),
        ("struct T { #[model(primary_key, unique = true)] a: i32 }", "is a flag and takes no value"),
        ("#[model(check(expr = \"a > 0\"))] struct T { #[model(primary_key)] a: i32 }", "needs a `name`"),
        ("#[model(unique)] struct T { #[model(primary_key)] a: i32 }", "lists columns"),
        ("#[model(index(a, a))] struct T { #[model(primary_key)] a: i32 }", "listed twice"),
        ("#[model(index(b))] struct T { #[model(primary_key)] a: i32, #[model(skip)] b: i32 }", "`skip`ped"),
        ("struct T { #[model(primary_key, table = \"x\")] a: i32 }", "belongs on the struct"),
        ("#[model(max_len = 3)] struct T { #[model(primary_key)] a: i32 }", "belongs on a field"),
        ("#[model(unique(name = \"same\", columns(a)), index(name = \"same\", columns(a)))] struct T { #[model(primary_key)] a: i32 }", "used twice"),
        ("struct T { #[model(primary_key)] a: i32, #[model(references = Self)] b: i32 }", ""),
        ("#[model(primary_key(a, b))] struct T { a: i32, b: i32, #[model(references = Self)] c: i32 }", "single-column primary key"),
        ("struct T { #[model(primary_key)] a: i32, #[model(references = \"u(a, b)\")] b: i32 }", "references one column, but 2"),
    ];
    for (src, expected) in cases {
        let errs = errors(src);
        if expected.is_empty() {
            assert!(errs.is_empty(), "{src}: {errs:?}");
            continue;
        }
        assert!(
            errs.iter().any(|e| e.2.contains(expected)),
            "{src}: expected `{expected}` in {errs:?}"
        );
    }
}

#[test]
fn names_over_the_identifier_limit_are_rejected() {
    let long = "x".repeat(64);
    let msg = one_error(&format!(
        "#[model(table = \"{long}\")] struct T {{ #[model(primary_key)] a: i32 }}"
    ));
    assert!(msg.contains("64 bytes long, over the limit of 63"), "{msg}");
    let msg = one_error(&format!(
        "struct T {{ #[model(primary_key, column = \"{long}\")] a: i32 }}"
    ));
    assert!(msg.contains("column name"), "{msg}");
    // Conventional names that would be too long are cut, not rejected.
    let ok = "y".repeat(40);
    let t = table(&format!(
        "#[model(table = \"{ok}\")] struct T {{ #[model(primary_key, unique)] {ok}: i32 }}"
    ));
    assert_eq!(
        t.uniques[0].name.len(),
        migrate_core::naming::MAX_IDENTIFIER_LEN
    );
}

#[test]
fn the_lenient_parse_keeps_what_it_understood() {
    let input: DeriveInput = syn::parse_str(
        "struct U { #[model(primary_key)] id: i32, bad: Weird<u8>, #[model(bogus)] ok: String }",
    )
    .unwrap();
    let (d, errs) = parse_model_lenient(&input);
    assert_eq!(errs.len(), 2);
    let names: Vec<_> = d.table.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["id", "ok"]);
    assert_eq!(d.table.primary_key.unwrap().columns, ["id"]);
}

#[test]
fn a_table_without_a_key_is_declared() {
    let t =
        table("#[model(no_primary_key)]\nstruct AuditLog {\n    message: String,\n    at: i64,\n}");
    assert_eq!(t.name, "audit_logs");
    assert!(t.primary_key.is_none());
    assert_eq!(t.columns.len(), 2);

    let missing = one_error("struct AuditLog {\n    message: String,\n}");
    assert!(missing.contains("`#[model(no_primary_key)]`"), "{missing}");

    // A declaration next to a key is a contradiction, pointed at `no_primary_key`.
    let e =
        errors("#[model(no_primary_key)]\nstruct U {\n    #[model(primary_key)]\n    id: i64,\n}");
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!((e[0].0, e[0].1), (1, 9), "{e:?}");
    assert!(e[0].2.contains("declares a primary key"), "{e:?}");
    let e = one_error("#[model(no_primary_key = true)]\nstruct U {\n    id: i64,\n}");
    assert!(e.contains("no_primary_key"), "{e}");
}

fn enum_def(src: &str) -> Result<super::EnumDef, String> {
    let input: DeriveInput = syn::parse_str(src).unwrap();
    super::parse_enum(&input).map_err(|e| {
        e.into_iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    })
}

#[test]
fn enum_labels_follow_sqlx_rename_rules() {
    let cases = [
        ("lowercase", ["veryhappy", "sad"]),
        ("UPPERCASE", ["VERYHAPPY", "SAD"]),
        ("snake_case", ["very_happy", "sad"]),
        ("SCREAMING_SNAKE_CASE", ["VERY_HAPPY", "SAD"]),
        ("kebab-case", ["very-happy", "sad"]),
        ("camelCase", ["veryHappy", "sad"]),
        ("PascalCase", ["VeryHappy", "Sad"]),
    ];
    for (rule, labels) in cases {
        let d = enum_def(&format!(
            "#[sqlx(type_name = \"mood\", rename_all = \"{rule}\")] enum Mood {{ VeryHappy, Sad }}"
        ))
        .unwrap();
        assert_eq!(d.type_name, "mood");
        assert_eq!(d.labels, labels, "{rule}");
    }
    // No rule: the variant's name; no type_name: the enum's name (sqlx's defaults).
    let d = enum_def("#[derive(sqlx::Type)] #[sqlx(no_pg_array)] enum Mood { Happy, #[sqlx(rename = \"so so\")] SoSo }").unwrap();
    assert_eq!(d.type_name, "Mood");
    assert_eq!(d.labels, ["Happy", "so so"]);
}

#[test]
fn a_renamed_label_is_declared_on_its_variant() {
    let d = enum_def(
        "#[sqlx(type_name = \"mood\", rename_all = \"lowercase\")] enum Mood { Happy, \
         #[sqlx(rename = \"down\")] #[model(renamed_from = \"sad\")] Sad }",
    )
    .unwrap();
    assert_eq!(d.labels, ["happy", "down"]);
    assert_eq!(d.label_renames, [("down".to_string(), "sad".to_string())]);
}

#[test]
fn enum_misuse_is_refused_with_every_error() {
    let e = enum_def(
        "#[sqlx(rename_all = \"lower\")] #[repr(i32)] enum Mood { Happy(u8), Sad = 2, \
         #[sqlx(rename = \"Sad\")] Down, #[model(bogus)] Calm }",
    )
    .unwrap_err();
    for needle in [
        "unknown `rename_all` rule \"lower\"",
        "`#[repr(...)]`",
        "variant `Happy` has fields",
        "remove the discriminant",
        "variant `Down` has the label 'Sad', like variant `Sad`",
        "unknown attribute on an enum variant",
    ] {
        assert!(e.contains(needle), "{needle}: {e}");
    }
    assert!(enum_def("struct Mood { a: i32 }")
        .unwrap_err()
        .contains("is for fieldless enums"));
    assert!(enum_def("enum Mood {}")
        .unwrap_err()
        .contains("at least one label"));
}

#[test]
fn a_plain_unknown_field_type_is_an_enum_column_to_resolve() {
    let input: DeriveInput = syn::parse_str(
        "struct E { #[model(primary_key)] id: i64, mood: crate::Mood, was: Option<Mood>, #[model(max_len = 3)] bad: Mood }",
    )
    .unwrap();
    let (d, errs) = parse_model_lenient(&input);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].to_string().contains("`max_len` does not apply"));
    let refs: Vec<(&str, &str)> = d
        .enum_refs
        .iter()
        .map(|r| (r.column.as_str(), r.target_name.as_str()))
        .collect();
    assert_eq!(refs, [("mood", "Mood"), ("was", "Mood"), ("bad", "Mood")]);
    assert!(d.table.column("was").unwrap().nullable);
    assert!(super::is_unresolved_enum(
        &d.table.column("mood").unwrap().ty
    ));
}

#[test]
fn a_nullable_key_column_is_accepted_when_declared() {
    let t = table(
        "struct Code { #[model(primary_key, nullable_key)] code: Option<String>, label: Option<String> }",
    );
    assert_eq!(t.primary_key.as_ref().unwrap().columns, ["code"]);
    assert!(t.column("code").unwrap().nullable);
    // Undeclared: the error offers the declaration.
    let msg = one_error("struct Code { #[model(primary_key)] code: Option<String> }");
    assert!(
        msg.contains("declare it: `#[model(primary_key, nullable_key)]`"),
        "{msg}"
    );
    // Composite keys too.
    let t = table(
        "#[model(primary_key(a, b))] struct K { a: i64, #[model(nullable_key)] b: Option<String> }",
    );
    assert!(t.column("b").unwrap().nullable);
    assert!(
        one_error("struct K { #[model(primary_key, nullable_key)] a: i64 }")
            .contains("which is not an `Option`")
    );
    assert!(one_error(
        "#[model(no_primary_key)] struct K { #[model(nullable_key)] a: Option<i64> }"
    )
    .contains("without a primary key"));
}
