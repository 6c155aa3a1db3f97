//! A table without a primary key, declared with `no_primary_key`, end to end on
//! every database: the drift the build reports, autogenerate, upgrade with rows
//! (duplicates included: nothing is unique), the live `check` clean, a new column,
//! the downgrade, and `check` clean again at the first revision.

use migrate_core::dialect::DialectKind;

use crate::util::{models_drift, sql, Flow};

const V1: &str = r#"use migrate::Model;

/// What happened, in no particular order; rows are never updated.
#[derive(Model)]
#[model(no_primary_key)]
pub struct AuditLog {
    #[model(max_len = 200)]
    pub message: String,
    #[model(index)]
    pub at: i64,
}
"#;

const V2: &str = r#"use migrate::Model;

/// What happened, in no particular order; rows are never updated.
#[derive(Model)]
#[model(no_primary_key)]
pub struct AuditLog {
    #[model(max_len = 200)]
    pub message: String,
    #[model(index)]
    pub at: i64,
    pub actor: Option<String>,
}
"#;

fn keyless_flow(kind: DialectKind) {
    let Some(Flow { rt, db, url, p }) = Flow::start(kind) else {
        return;
    };
    p.write("src/models.rs", V1);
    let check_live = || p.check_clean(&url, &format!("{kind:?}"));
    let count = || {
        let cast = if kind == DialectKind::MySql {
            "CHAR"
        } else {
            "TEXT"
        };
        sql(
            kind,
            &url,
            &format!("SELECT CAST(count(*) AS {cast}) FROM audit_logs"),
        )
        .unwrap()
    };

    let drift = models_drift(&p);
    assert!(drift.contains("added table 'audit_logs'"), "{drift}");
    p.ok(&["revision", "--autogenerate", "-m", "create"]);
    p.ok(&["upgrade", "head", "--database-url", &url]);
    // The same row twice: nothing makes a row unique.
    for _ in 0..2 {
        sql(
            kind,
            &url,
            "INSERT INTO audit_logs (message, at) VALUES ('signed in', 1)",
        )
        .unwrap();
    }
    check_live();

    p.write("src/models.rs", V2);
    let drift = models_drift(&p);
    assert!(drift.contains("audit_logs.actor"), "{drift}");
    let second = p
        .ok(&["revision", "--autogenerate", "-m", "add actor"])
        .trim()
        .to_string();
    p.ok(&["upgrade", "head", "--database-url", &url]);
    check_live();
    assert_eq!(count().as_deref(), Some("2"), "{kind:?}");

    p.ok(&["downgrade", "-1", "--database-url", &url]);
    std::fs::remove_file(p.revision_file(&second)).unwrap();
    p.write("src/models.rs", V1);
    check_live();
    assert_eq!(count().as_deref(), Some("2"), "{kind:?}");
    rt.block_on(db.cleanup()).ok();
}

#[test]
fn keyless_table_end_to_end_on_sqlite() {
    keyless_flow(DialectKind::Sqlite);
}

#[test]
fn keyless_table_end_to_end_on_postgres() {
    keyless_flow(DialectKind::Postgres);
}

#[test]
fn keyless_table_end_to_end_on_mysql() {
    keyless_flow(DialectKind::MySql);
}
