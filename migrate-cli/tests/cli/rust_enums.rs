//! Rust enums (`#[derive(sqlx::Type, migrate::Enum)]`) as model field types, end to
//! end on every database through the source scan: the drift, autogenerate, upgrade
//! with rows, the live `check` clean, then a label renamed in the model
//! (`#[sqlx(rename)]` with `#[model(renamed_from)]`) and one added: autogenerate
//! writes `rename_enum_value` (the rows keep their value), not a removal and an
//! addition; `check` clean; the downgrade renames back; `check` clean again.

use migrate_core::dialect::DialectKind;

use crate::util::{models_drift, sql, text, Flow, Project};

const V1: &str = r#"use migrate::Model;

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, migrate::Enum)]
#[sqlx(type_name = "mood", rename_all = "lowercase")]
pub enum Mood {
    Happy,
    Sad,
}

#[derive(Model)]
#[model(table = "diary")]
pub struct Entry {
    #[model(primary_key)]
    pub id: i64,
    #[model(default = "'happy'")]
    pub today: Mood,
    pub yesterday: Option<Mood>,
}
"#;

/// `Sad` is now stored as 'down' (declared), and `Calm` is new.
const V2: &str = r#"use migrate::Model;

#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::Type, migrate::Enum)]
#[sqlx(type_name = "mood", rename_all = "lowercase")]
pub enum Mood {
    Happy,
    #[sqlx(rename = "down")]
    #[model(renamed_from = "sad")]
    Sad,
    Calm,
}

#[derive(Model)]
#[model(table = "diary")]
pub struct Entry {
    #[model(primary_key)]
    pub id: i64,
    #[model(default = "'happy'")]
    pub today: Mood,
    pub yesterday: Option<Mood>,
}
"#;

fn rust_enum_flow(kind: DialectKind) {
    let Some(Flow { rt, db, url, p }) = Flow::start(kind) else {
        return;
    };
    p.write("src/models.rs", V1);
    let check_live = |when: &str| p.check_clean(&url, &format!("{kind:?} {when}"));
    let yesterday = |id: i64| {
        sql(
            kind,
            &url,
            &format!(
                "SELECT {} FROM diary WHERE id = {id}",
                text(kind, "yesterday")
            ),
        )
        .unwrap()
    };

    let drift = models_drift(&p);
    assert!(
        drift.contains("enum types:\n    - added enum 'mood'")
            && drift.contains("added table 'diary'"),
        "{drift}"
    );
    let first = p
        .ok(&["revision", "--autogenerate", "-m", "create"])
        .trim()
        .to_string();
    let revision = revision_text(&p, &first);
    assert!(revision.contains("enum mood('happy', 'sad')"), "{revision}");
    p.ok(&["upgrade", "head", "--database-url", &url]);
    sql(
        kind,
        &url,
        "INSERT INTO diary (id, yesterday) VALUES (1, 'sad')",
    )
    .unwrap();
    check_live("after create");

    // A label renamed (declared) and one added.
    p.write("src/models.rs", V2);
    let second = p
        .ok(&["revision", "--autogenerate", "-m", "down"])
        .trim()
        .to_string();
    let revision = revision_text(&p, &second);
    assert!(
        revision.contains("rename_enum_value") && revision.contains("alter_enum"),
        "{kind:?}: {revision}"
    );
    p.ok(&["upgrade", "head", "--database-url", &url]);
    check_live("after the rename");
    assert_eq!(
        yesterday(1).as_deref(),
        Some("down"),
        "{kind:?}: the row follows"
    );
    sql(
        kind,
        &url,
        "INSERT INTO diary (id, today) VALUES (2, 'calm')",
    )
    .unwrap();

    // Down again (the row holding the new label goes first): the label is 'sad'
    // again, in the row too.
    sql(kind, &url, "DELETE FROM diary WHERE id = 2").unwrap();
    p.ok(&["downgrade", "-1", "--database-url", &url]);
    std::fs::remove_file(p.revision_file(&second)).unwrap();
    p.write("src/models.rs", V1);
    check_live("after downgrade");
    assert_eq!(
        yesterday(1).as_deref(),
        Some("sad"),
        "{kind:?}: renamed back"
    );
    rt.block_on(db.cleanup()).ok();
}

fn revision_text(p: &Project, id: &str) -> String {
    std::fs::read_to_string(p.revision_file(id)).unwrap()
}

#[test]
fn rust_enum_fields_end_to_end_on_sqlite() {
    rust_enum_flow(DialectKind::Sqlite);
}

#[test]
fn rust_enum_fields_end_to_end_on_postgres() {
    rust_enum_flow(DialectKind::Postgres);
}

#[test]
fn rust_enum_fields_end_to_end_on_mysql() {
    rust_enum_flow(DialectKind::MySql);
}

/// A field whose type is no `migrate::Enum` in the sources: refused with the
/// file, line, column and the ways out.
#[test]
fn a_field_of_an_unknown_type_is_refused_with_the_fix() {
    let p = Project::new();
    p.ok(&["init"]);
    p.write(
        "src/models.rs",
        &V1.replace("sqlx::Type, migrate::Enum", "sqlx::Type"),
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
        text.contains("src/models.rs:16: column 'diary.today': no column type is known for the Rust type `Mood`")
            && text.contains("derive it on a fieldless enum"),
        "{text}"
    );
}
