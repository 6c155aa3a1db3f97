//! `sql_type(postgres = ...)`, `generated`, `collation` and
//! `on_update_current_timestamp`: what they give the column, and their errors.

use super::{errors, one_error, table};
use migrate_core::column_extras::{Generated, PerDatabase};
use migrate_core::dialect::DialectKind::*;
use migrate_core::ColumnType;

#[test]
fn a_type_per_database() {
    let t = table(
        r#"struct P { #[model(primary_key)] id: i64,
            #[model(sql_type(postgres = "text[]", mysql = "json", sqlite = "text"))]
            tags: Vec<String> }"#,
    );
    assert_eq!(
        t.column("tags").unwrap().ty,
        ColumnType::PerDatabase(
            PerDatabase::default()
                .with(Postgres, "text[]")
                .with(MySql, "json")
                .with(Sqlite, "text")
        )
    );
}

#[test]
fn a_vec_is_a_postgres_array_only() {
    let t = table(
        "struct P { #[model(primary_key)] id: i64, tags: Vec<String>, scores: Option<Vec<i32>> }",
    );
    let pg = |s: &str| ColumnType::PerDatabase(PerDatabase::default().with(Postgres, s));
    assert_eq!(t.column("tags").unwrap().ty, pg("text[]"));
    let scores = t.column("scores").unwrap();
    assert_eq!(
        (scores.ty.clone(), scores.nullable),
        (pg("integer[]"), true)
    );
    // MySQL has no arrays: rendering says which column and what to write.
    let e = migrate_core::dialect::render_ops(
        MySql,
        &migrate_core::Schema::new(),
        &[migrate_core::Operation::CreateTable { table: t }],
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("column 'tags'") && e.contains("add `mysql = \"...\"`"),
        "{e}"
    );
}

#[test]
fn generated_columns_stored_virtual_and_per_database() {
    let t = table(
        r#"struct I { #[model(primary_key)] id: i64, price: i32, qty: i32,
            #[model(generated = "price * qty")] total: Option<i64>,
            #[model(generated(expr = "qty * 2", virtual))] doubled: Option<i32>,
            #[model(generated(expr = "a || b", mysql = "concat(a, b)"))] ab: Option<String> }"#,
    );
    assert_eq!(
        t.column("total").unwrap().generated,
        Some(Generated::stored("price * qty"))
    );
    assert_eq!(
        t.column("doubled").unwrap().generated,
        Some(Generated::virtual_("qty * 2"))
    );
    let ab = t.column("ab").unwrap().generated.clone().unwrap();
    assert!(ab.stored);
    assert_eq!(ab.expr_for(MySql), "concat(a, b)");
    assert_eq!(ab.expr_for(Postgres), "a || b");
}

#[test]
fn collation_and_on_update() {
    let t = table(
        r#"struct U { #[model(primary_key)] id: i64,
            #[model(collation(postgres = "C", mysql = "utf8mb4_bin"))] name: String,
            #[model(default = "CURRENT_TIMESTAMP", on_update_current_timestamp)]
            at: chrono::NaiveDateTime }"#,
    );
    let name = t.column("name").unwrap();
    assert_eq!(name.collation.get(Postgres), Some("C"));
    assert_eq!(name.collation.get(MySql), Some("utf8mb4_bin"));
    assert_eq!(name.collation.get(Sqlite), None);
    assert_eq!(
        t.column("at").unwrap().on_update.as_deref(),
        Some("CURRENT_TIMESTAMP")
    );
}

#[test]
fn misuse_is_an_error_at_the_offending_token() {
    let e = |field: &str| {
        one_error(&format!(
            "struct U {{ #[model(primary_key)] id: i64, {field} }}"
        ))
    };
    for (field, says) in [
        (
            r#"#[model(sql_type(oracle = "x"))] a: String"#,
            "unknown database `oracle`",
        ),
        (r#"#[model(sql_type())] a: String"#, "names no database"),
        (
            r#"#[model(sql_type(postgres = "a", postgres = "b"))] a: String"#,
            "given twice",
        ),
        (
            r#"#[model(generated = "a + 1", default = "0")] b: i32"#,
            "`default` conflicts with `generated`",
        ),
        (
            r#"#[model(generated(expr = "a", stored, virtual))] b: i32"#,
            "exclude each other",
        ),
        (r#"#[model(generated(virtual))] b: i32"#, "needs `expr"),
        (
            r#"#[model(generated(exp = "a"))] b: i32"#,
            "unknown key `exp`",
        ),
        (
            r#"#[model(collation = "C")] s: String"#,
            "names a collation per database",
        ),
        (
            r#"#[model(collation(postgres = "C"))] n: i32"#,
            "orders and compares text",
        ),
        (
            r#"#[model(on_update_current_timestamp)] n: i32"#,
            "sets a timestamp",
        ),
    ] {
        assert!(e(field).contains(says), "{field}: {}", e(field));
    }
    // The span is the offending token: the database key.
    let errs = errors(
        "struct U { #[model(primary_key)] id: i64,\n#[model(sql_type(oracle = \"x\"))] a: String }",
    );
    assert_eq!((errs[0].0, errs[0].1), (2, 18), "{errs:?}");
}
