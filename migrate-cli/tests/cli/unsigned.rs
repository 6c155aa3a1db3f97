//! Unsigned integer fields end to end on every database: the drift the build
//! reports, autogenerate, upgrade with rows at the top of each range, the live
//! `check` clean, a change (a wider width, a new column, a rename), the downgrade,
//! and `check` clean again at the first revision.

use migrate_core::dialect::DialectKind;

use crate::util::{models_drift, sql, text, Flow};

const V1: &str = r#"use migrate::Model;

#[derive(Model)]
#[model(table = "counters")]
pub struct Counter {
    #[model(primary_key, autoincrement)]
    pub id: u32,
    #[model(default = "1")]
    pub level: u8,
    pub hits: Option<u64>,
}
"#;

const V2: &str = r#"use migrate::Model;

#[derive(Model)]
#[model(table = "counters")]
pub struct Counter {
    #[model(primary_key, autoincrement)]
    pub id: u32,
    #[model(default = "1")]
    pub level: u16,
    #[model(renamed_from = "hits")]
    pub visits: Option<u64>,
    pub port: Option<u16>,
}
"#;

fn unsigned_flow(kind: DialectKind) {
    let Some(Flow { rt, db, url, p }) = Flow::start(kind) else {
        return;
    };
    p.write("src/models.rs", V1);
    let check_live = || p.check_clean(&url, &format!("{kind:?}"));

    // The models are ahead of the (empty) revisions: what the build reports.
    let drift = models_drift(&p);
    assert!(drift.contains("added table 'counters'"), "{drift}");
    p.ok(&["revision", "--autogenerate", "-m", "create"]);
    p.ok(&["upgrade", "head", "--database-url", &url]);

    // The top of each range is stored (u64's where the storage holds it).
    let hits_max = match kind {
        DialectKind::Sqlite => i64::MAX.to_string(),
        _ => u64::MAX.to_string(),
    };
    sql(
        kind,
        &url,
        &format!(
            "INSERT INTO counters (id, level, hits) VALUES ({}, 255, {hits_max})",
            u32::MAX
        ),
    )
    .unwrap();
    for bad in [
        "INSERT INTO counters (id, level) VALUES (1, 256)",
        "INSERT INTO counters (id, level) VALUES (2, -1)",
    ] {
        assert!(sql(kind, &url, bad).is_err(), "{kind:?}: {bad} accepted");
    }
    check_live();

    // Wider, renamed, and a new column.
    p.write("src/models.rs", V2);
    let drift = models_drift(&p);
    assert!(
        drift.contains("counters.level") && drift.contains("smallint unsigned"),
        "{drift}"
    );
    let second = p
        .ok(&["revision", "--autogenerate", "-m", "widen"])
        .trim()
        .to_string();
    p.ok(&["upgrade", "head", "--database-url", &url]);
    check_live();
    sql(
        kind,
        &url,
        "INSERT INTO counters (id, level, port) VALUES (7, 65535, 65535)",
    )
    .unwrap();
    let level = sql(
        kind,
        &url,
        &format!(
            "SELECT {} FROM counters WHERE id = {}",
            text(kind, "level"),
            u32::MAX
        ),
    )
    .unwrap();
    assert_eq!(level.as_deref(), Some("255"), "{kind:?}");

    // Down again (the row too wide for a u8 goes first): the first revision's
    // schema, exactly.
    sql(kind, &url, "DELETE FROM counters WHERE id = 7").unwrap();
    p.ok(&["downgrade", "-1", "--database-url", &url]);
    std::fs::remove_file(p.revision_file(&second)).unwrap();
    p.write("src/models.rs", V1);
    check_live();
    let hits = sql(
        kind,
        &url,
        &format!("SELECT {} FROM counters", text(kind, "hits")),
    )
    .unwrap();
    assert_eq!(hits, Some(hits_max), "{kind:?}");
    rt.block_on(db.cleanup()).ok();
}

#[test]
fn unsigned_fields_end_to_end_on_sqlite() {
    unsigned_flow(DialectKind::Sqlite);
}

#[test]
fn unsigned_fields_end_to_end_on_postgres() {
    unsigned_flow(DialectKind::Postgres);
}

#[test]
fn unsigned_fields_end_to_end_on_mysql() {
    unsigned_flow(DialectKind::MySql);
}
