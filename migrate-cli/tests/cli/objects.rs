//! Schema objects end to end on every database, declared in SQL files under
//! `schema/` (a view for every database, a trigger with one file per database, a
//! PostgreSQL trigger function): the drift `check` reports, autogenerate, upgrade
//! with rows, the live `check` clean, a changed view body (drop and create, rows
//! kept), the downgrade restoring the old body, and `adopt` of a database made by
//! plain SQL: object files written, `check` clean, and its baseline upgrading a
//! fresh database to the same objects. The first revision also goes through
//! `run_embedded`, as a deployed binary runs it.

use migrate_core::dialect::DialectKind;
use migrate_testkit::throwaway;

use crate::util::{models_drift, runtime, sql, Flow, Project};

const MODELS: &str = r#"use migrate::Model;

#[derive(Model)]
#[model(table = "users")]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_len = 80)]
    pub name: String,
    #[model(default = "1")]
    pub active: i32,
    #[model(default = "0")]
    pub updates: i32,
}
"#;

const VIEW_V1: &str =
    "-- The users who can log in.\nSELECT id, name FROM users WHERE active = 1;\n";
const VIEW_V2: &str = "SELECT id, name, updates FROM users WHERE active = 1\n";

/// The trigger (and on PostgreSQL its function) for `kind`, as (file, text).
fn trigger_files(kind: DialectKind) -> Vec<(&'static str, &'static str)> {
    match kind {
        DialectKind::Postgres => vec![
            (
                "schema/functions/count_updates.postgres.sql",
                "CREATE FUNCTION count_updates() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updates := OLD.updates + 1;\n  RETURN NEW;\nEND\n$$;\n",
            ),
            (
                "schema/triggers/users_touch.postgres.sql",
                "CREATE TRIGGER users_touch BEFORE UPDATE ON users\n  FOR EACH ROW EXECUTE FUNCTION count_updates();\n",
            ),
        ],
        DialectKind::MySql => vec![(
            "schema/triggers/users_touch.mysql.sql",
            "CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW SET NEW.updates = OLD.updates + 1\n",
        )],
        DialectKind::Sqlite => vec![(
            "schema/triggers/users_touch.sqlite.sql",
            "CREATE TRIGGER users_touch AFTER UPDATE OF name ON users\nBEGIN\n  UPDATE users SET updates = updates + 1 WHERE id = NEW.id;\nEND;\n",
        )],
    }
}

fn live_check(p: &Project, url: &str, kind: DialectKind, when: &str) {
    let out = p.cmd(&["check", "--database-url", url]).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(0), "{kind:?} {when}: {text}");
}

fn count(kind: DialectKind, url: &str, query: &str) -> String {
    sql(
        kind,
        url,
        &format!("SELECT CAST(count(*) AS CHAR(10)) FROM ({query}) AS q"),
    )
    .unwrap()
    .unwrap_or_default()
    .trim()
    .to_string()
}

fn objects_flow(kind: DialectKind) {
    let Some(Flow { rt, db, url, p }) = Flow::start(kind) else {
        return;
    };
    p.write("src/models.rs", MODELS);
    p.write("schema/views/active_users.sql", VIEW_V1);
    for (file, text) in trigger_files(kind) {
        p.write(file, text);
    }

    let drift = models_drift(&p);
    assert!(
        drift.contains("added view 'active_users'") && drift.contains("added table 'users'"),
        "{drift}"
    );
    p.ok(&["revision", "--autogenerate", "-m", "create"]);
    p.ok(&["upgrade", "head", "--database-url", &url]);
    sql(kind, &url, "INSERT INTO users (id, name) VALUES (1, 'ada')").unwrap();
    sql(
        kind,
        &url,
        "INSERT INTO users (id, name, active) VALUES (2, 'bob', 0)",
    )
    .unwrap();
    sql(kind, &url, "UPDATE users SET name = 'ada l' WHERE id = 1").unwrap();
    assert_eq!(
        count(kind, &url, "SELECT id FROM users WHERE updates = 1"),
        "1",
        "{kind:?}: the trigger ran"
    );
    live_check(&p, &url, kind, "after create");
    embedded_upgrade_is_clean(&p, kind);

    // A check on the table: on SQLite a table rebuild, which keeps the view and
    // the trigger; the trigger still runs.
    p.write(
        "src/models.rs",
        &MODELS.replace(
            "#[model(default = \"1\")]",
            "#[model(default = \"1\", check = \"active IN (0, 1)\")]",
        ),
    );
    p.ok(&["revision", "--autogenerate", "-m", "check"]);
    p.ok(&["upgrade", "head", "--database-url", &url]);
    live_check(&p, &url, kind, "after the rebuild");
    sql(
        kind,
        &url,
        "UPDATE users SET name = 'ada lovelace' WHERE id = 1",
    )
    .unwrap();
    assert_eq!(
        count(kind, &url, "SELECT id FROM active_users WHERE id = 1"),
        "1",
        "{kind:?}: the view survives"
    );
    assert_eq!(
        count(kind, &url, "SELECT id FROM users WHERE updates = 2"),
        "1",
        "{kind:?}: the trigger survives"
    );

    // A new body: a drop and a create; the rows stay.
    p.write("schema/views/active_users.sql", VIEW_V2);
    let drift = models_drift(&p);
    assert!(
        drift.contains("removed view 'active_users'")
            && drift.contains("added view 'active_users'"),
        "{drift}"
    );
    let second = p
        .ok(&["revision", "--autogenerate", "-m", "updates"])
        .trim()
        .to_string();
    p.ok(&["upgrade", "head", "--database-url", &url]);
    live_check(&p, &url, kind, "after the new body");
    assert_eq!(
        count(kind, &url, "SELECT id FROM active_users WHERE updates = 2"),
        "1",
        "{kind:?}: the view has the new body"
    );

    // Down again: the old body, checked against the first revision.
    p.ok(&["downgrade", "-1", "--database-url", &url]);
    std::fs::remove_file(p.revision_file(&second)).unwrap();
    p.write("schema/views/active_users.sql", VIEW_V1);
    live_check(&p, &url, kind, "after downgrade");
    assert!(
        sql(kind, &url, "SELECT updates FROM active_users").is_err(),
        "{kind:?}: the old body is back"
    );
    assert_eq!(count(kind, &url, "SELECT id FROM users"), "2", "{kind:?}");
    rt.block_on(db.cleanup()).ok();
}

/// The revisions so far, embedded as a deployed binary embeds them, upgrade a
/// fresh database through `run_embedded`, whose own `check` is then clean.
fn embedded_upgrade_is_clean(p: &Project, kind: DialectKind) {
    let rt = runtime();
    let Some(fresh) = rt.block_on(throwaway(kind)) else {
        return;
    };
    let revisions: Vec<migrate_core::revision::Revision> =
        migrate_core::revision::load_dir(&p.join("migrations"))
            .unwrap()
            .into_iter()
            .map(|f| f.revision)
            .collect();
    let embedded = crate::embedded::embed(revisions);
    let url = fresh.url().to_string();
    let migrate = |args: &[&str]| {
        let mut all = vec!["migrate", "-q", "--database-url", &url];
        all.extend_from_slice(args);
        migrate_cli::run_embedded(all, embedded)
    };
    assert_eq!(
        migrate(&["upgrade", "head"]),
        migrate_cli::Status::Ok,
        "{kind:?}"
    );
    assert_eq!(migrate(&["check"]), migrate_cli::Status::Ok, "{kind:?}");
    assert_eq!(
        count(kind, &url, "SELECT id FROM active_users"),
        "0",
        "{kind:?}: the embedded revision made the view"
    );
    rt.block_on(fresh.cleanup()).ok();
}

#[test]
fn schema_objects_end_to_end_on_sqlite() {
    objects_flow(DialectKind::Sqlite);
}

#[test]
fn schema_objects_end_to_end_on_postgres() {
    objects_flow(DialectKind::Postgres);
}

#[test]
fn schema_objects_end_to_end_on_mysql() {
    objects_flow(DialectKind::MySql);
}

/// `adopt` of a database with a view and a trigger made by plain SQL: the files
/// are written, `check` is clean, and the baseline builds a fresh database that
/// `check` also finds clean.
fn adopt_flow(kind: DialectKind) {
    let rt = runtime();
    let (Some(db), Some(fresh)) = (rt.block_on(throwaway(kind)), rt.block_on(throwaway(kind)))
    else {
        return;
    };
    let url = db.url().to_string();
    let mut statements = vec![
        "CREATE TABLE orders (id INTEGER NOT NULL PRIMARY KEY, total INTEGER NOT NULL)".to_string(),
        "CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 100".to_string(),
    ];
    statements.push(match kind {
        DialectKind::Postgres => {
            sql(kind, &url, "CREATE FUNCTION no_negative() RETURNS trigger AS $$ BEGIN IF NEW.total < 0 THEN RAISE EXCEPTION 'negative'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql").unwrap();
            "CREATE TRIGGER orders_check BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION no_negative()".to_string()
        }
        DialectKind::MySql => "CREATE TRIGGER orders_check BEFORE INSERT ON orders FOR EACH ROW SET NEW.total = GREATEST(NEW.total, 0)".to_string(),
        DialectKind::Sqlite => "CREATE TRIGGER orders_check BEFORE INSERT ON orders WHEN NEW.total < 0 BEGIN SELECT RAISE(ABORT, 'negative'); END".to_string(),
    });
    for s in &statements {
        sql(kind, &url, s).unwrap();
    }
    let p = Project::new();
    p.ok(&["adopt", "--stamp", "--database-url", &url]);
    assert!(p.read("schema/views/big_orders.sql").contains("orders"));
    assert!(p
        .read("schema/triggers/orders_check.sql")
        .contains("CREATE TRIGGER"));
    live_check(&p, &url, kind, "after adopt");
    let fresh_url = fresh.url().to_string();
    p.ok(&["upgrade", "head", "--database-url", &fresh_url]);
    live_check(&p, &fresh_url, kind, "a fresh database from the baseline");
    sql(
        kind,
        &fresh_url,
        "INSERT INTO orders (id, total) VALUES (1, 500)",
    )
    .unwrap();
    assert_eq!(
        count(kind, &fresh_url, "SELECT id FROM big_orders"),
        "1",
        "{kind:?}"
    );
    rt.block_on(db.cleanup()).ok();
    rt.block_on(fresh.cleanup()).ok();
}

#[test]
fn schema_objects_adopted_on_sqlite() {
    adopt_flow(DialectKind::Sqlite);
}

#[test]
fn schema_objects_adopted_on_postgres() {
    adopt_flow(DialectKind::Postgres);
}

#[test]
fn schema_objects_adopted_on_mysql() {
    adopt_flow(DialectKind::MySql);
}
