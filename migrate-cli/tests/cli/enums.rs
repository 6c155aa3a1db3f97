//! Enum columns end to end on every database, declared with
//! `sql_type = "enum NAME('label', ...)"` and shared by two columns: the drift the
//! build reports, autogenerate (the type before its table), upgrade with rows, the
//! live `check` clean, a label added (PostgreSQL: `ALTER TYPE ... ADD VALUE` outside
//! the transaction) and used, `check` clean, the downgrade, and `check` clean again
//! at the first revision.

use migrate_core::dialect::DialectKind;

use crate::util::{models_drift, sql, text, Flow, Project};

const V1: &str = r#"use migrate::Model;

#[derive(Model)]
#[model(table = "diary")]
pub struct Entry {
    #[model(primary_key)]
    pub id: i64,
    #[model(sql_type = "enum mood('happy', 'sad')", default = "'happy'")]
    pub today: String,
    #[model(sql_type = "enum mood('happy', 'sad')")]
    pub yesterday: Option<String>,
}
"#;

const V2: &str = r#"use migrate::Model;

#[derive(Model)]
#[model(table = "diary")]
pub struct Entry {
    #[model(primary_key)]
    pub id: i64,
    #[model(sql_type = "enum mood('happy', 'sad', 'calm')", default = "'happy'")]
    pub today: String,
    #[model(sql_type = "enum mood('happy', 'sad', 'calm')")]
    pub yesterday: Option<String>,
}
"#;

fn enum_flow(kind: DialectKind) {
    let Some(Flow { rt, db, url, p }) = Flow::start(kind) else {
        return;
    };
    p.write("src/models.rs", V1);
    let check_live = |when: &str| p.check_clean(&url, &format!("{kind:?} {when}"));

    let drift = models_drift(&p);
    assert!(
        drift.contains("enum types:\n    - added enum 'mood'")
            && drift.contains("added table 'diary'"),
        "{drift}"
    );
    p.ok(&["revision", "--autogenerate", "-m", "create"]);
    p.ok(&["upgrade", "head", "--database-url", &url]);
    sql(
        kind,
        &url,
        "INSERT INTO diary (id, yesterday) VALUES (1, 'sad')",
    )
    .unwrap();
    assert!(
        sql(
            kind,
            &url,
            "INSERT INTO diary (id, today) VALUES (2, 'calm')"
        )
        .is_err(),
        "{kind:?}: a label outside the type was accepted"
    );
    check_live("after create");

    // A label added, then used.
    p.write("src/models.rs", V2);
    let drift = models_drift(&p);
    assert!(
        drift.contains("changed enum 'mood': added 'calm'"),
        "{drift}"
    );
    let second = p
        .ok(&["revision", "--autogenerate", "-m", "calm"])
        .trim()
        .to_string();
    p.ok(&["upgrade", "head", "--database-url", &url]);
    check_live("after adding a label");
    sql(
        kind,
        &url,
        "INSERT INTO diary (id, today) VALUES (2, 'calm')",
    )
    .unwrap();

    // Down again (the row holding the new label goes first): the first
    // revision's schema, exactly, with its row.
    sql(kind, &url, "DELETE FROM diary WHERE id = 2").unwrap();
    p.ok(&["downgrade", "-1", "--database-url", &url]);
    std::fs::remove_file(p.revision_file(&second)).unwrap();
    p.write("src/models.rs", V1);
    check_live("after downgrade");
    let kept = sql(
        kind,
        &url,
        &format!("SELECT {} FROM diary WHERE id = 1", text(kind, "today")),
    )
    .unwrap();
    assert_eq!(
        kept.as_deref(),
        Some("happy"),
        "{kind:?}: the default was kept"
    );
    rt.block_on(db.cleanup()).ok();
}

#[test]
fn enum_columns_end_to_end_on_sqlite() {
    enum_flow(DialectKind::Sqlite);
}

#[test]
fn enum_columns_end_to_end_on_postgres() {
    enum_flow(DialectKind::Postgres);
}

#[test]
fn enum_columns_end_to_end_on_mysql() {
    enum_flow(DialectKind::MySql);
}

/// Two columns of one enum type that list different labels: refused, naming the
/// column and both label lists.
#[test]
fn enum_columns_disagreeing_on_labels_are_refused() {
    let p = Project::new();
    p.ok(&["init"]);
    p.write(
        "src/models.rs",
        &V1.replace(
            "enum mood('happy', 'sad')\")]\n    pub yesterday",
            "enum mood('sad')\")]\n    pub yesterday",
        ),
    );
    let out = p
        .cmd(&["revision", "--autogenerate", "-m", "x"])
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_ne!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("column 'diary.yesterday' is of enum 'mood' ('sad'), but 'diary.today' at")
            && text.contains("lists ('happy', 'sad')"),
        "{text}"
    );
}
