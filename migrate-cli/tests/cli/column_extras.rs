//! Generated columns, collations, types per database and `ON UPDATE` end to end
//! on every database: the drift the build reports, autogenerate, upgrade with a
//! row present, the live `check` clean, a change (a new expression, another
//! collation, a new generated column, `ON UPDATE` removed), the downgrade, and
//! `check` clean again at the first revision.

use migrate_core::dialect::DialectKind;

use crate::util::{models_drift, sql, text, Flow};

/// The model at `version` 1 or 2 for `kind` (PostgreSQL has no virtual
/// generated columns, only MySQL has `ON UPDATE`).
pub(super) fn model(kind: DialectKind, version: u8) -> String {
    let half = match kind {
        DialectKind::Postgres => r#"generated = "qty / 2""#,
        _ => r#"generated(expr = "qty / 2", virtual)"#,
    };
    let (total, collation) = if version == 1 {
        (
            "price * qty",
            r#"postgres = "C", mysql = "utf8mb4_unicode_ci", sqlite = "NOCASE""#,
        )
    } else {
        (
            "price * qty + 1",
            r#"postgres = "POSIX", mysql = "latin1_general_cs", sqlite = "RTRIM""#,
        )
    };
    let touched = match (kind, version) {
        (DialectKind::MySql, 1) => {
            "    #[model(default = \"CURRENT_TIMESTAMP\", on_update_current_timestamp)]\n    pub touched_at: chrono::NaiveDateTime,\n"
        }
        (DialectKind::MySql, _) => {
            "    #[model(default = \"CURRENT_TIMESTAMP\")]\n    pub touched_at: chrono::NaiveDateTime,\n"
        }
        _ => "",
    };
    let fewer = if version == 2 {
        "    #[model(generated = \"qty - 1\")]\n    pub fewer: Option<i32>,\n"
    } else {
        ""
    };
    format!(
        r#"use migrate::Model;

#[derive(Model)]
#[model(table = "gadgets")]
pub struct Gadget {{
    #[model(primary_key, autoincrement)]
    pub id: i64,
    #[model(default = "0")]
    pub price: i32,
    #[model(default = "1")]
    pub qty: i32,
    #[model(generated = "{total}")]
    pub total: Option<i64>,
    #[model({half})]
    pub half: Option<i32>,
    #[model(max_len = 40, collation({collation}))]
    pub label: String,
    #[model(sql_type(postgres = "text[]", mysql = "json", sqlite = "text"))]
    pub tags: Option<Vec<String>>,
{touched}{fewer}}}
"#
    )
}

fn column_extras_flow(kind: DialectKind) {
    let Some(Flow { rt, db, url, p }) = Flow::start(kind) else {
        return;
    };
    p.write("src/models.rs", &model(kind, 1));
    let check_live = |when: &str| p.check_clean(&url, &format!("{kind:?} {when}"));
    let value = |column: &str| {
        sql(
            kind,
            &url,
            &format!("SELECT {} FROM gadgets", text(kind, column)),
        )
        .unwrap()
    };

    let drift = models_drift(&p);
    assert!(drift.contains("added table 'gadgets'"), "{drift}");
    p.ok(&["revision", "--autogenerate", "-m", "create"]);
    p.ok(&["upgrade", "head", "--database-url", &url]);
    let tags = match kind {
        DialectKind::Postgres => "'{a,b}'",
        DialectKind::MySql => "'[\"a\", \"b\"]'",
        DialectKind::Sqlite => "'a,b'",
    };
    sql(
        kind,
        &url,
        &format!("INSERT INTO gadgets (price, qty, label, tags) VALUES (3, 4, 'Ab', {tags})"),
    )
    .unwrap();
    assert_eq!(value("total").as_deref(), Some("12"), "{kind:?}");
    assert_eq!(value("half").as_deref(), Some("2"), "{kind:?}");
    check_live("after create");

    // A new expression, another collation, a new generated column.
    p.write("src/models.rs", &model(kind, 2));
    let drift = models_drift(&p);
    assert!(
        drift.contains("gadgets.total") && drift.contains("price * qty + 1"),
        "{drift}"
    );
    assert!(
        drift.contains("gadgets.label") && drift.contains("collation"),
        "{drift}"
    );
    let second = p
        .ok(&["revision", "--autogenerate", "-m", "change"])
        .trim()
        .to_string();
    p.ok(&["upgrade", "head", "--database-url", &url]);
    check_live("after upgrade");
    assert_eq!(value("total").as_deref(), Some("13"), "{kind:?}");
    assert_eq!(value("fewer").as_deref(), Some("3"), "{kind:?}");

    // Down again: the first revision's schema, computed again.
    p.ok(&["downgrade", "-1", "--database-url", &url]);
    std::fs::remove_file(p.revision_file(&second)).unwrap();
    p.write("src/models.rs", &model(kind, 1));
    check_live("after downgrade");
    assert_eq!(value("total").as_deref(), Some("12"), "{kind:?}");
    assert_eq!(value("label").as_deref(), Some("Ab"), "{kind:?}");
    rt.block_on(db.cleanup()).ok();
}

#[test]
fn column_extras_end_to_end_on_sqlite() {
    column_extras_flow(DialectKind::Sqlite);
}

#[test]
fn column_extras_end_to_end_on_postgres() {
    column_extras_flow(DialectKind::Postgres);
}

#[test]
fn column_extras_end_to_end_on_mysql() {
    column_extras_flow(DialectKind::MySql);
}
