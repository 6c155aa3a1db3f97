//! Index shapes and deferrable keys end to end on every database, each where it has
//! them: declared in a model, the drift the build reports, autogenerate, upgrade,
//! rows that show the shape works (a partial unique index, a key checked at
//! commit), the live `check` clean; a change (a new predicate, method and included
//! columns, the key made immediate), upgrade, `check` clean; a reformatted
//! expression that is no change; the downgrade, and `check` clean again.

use migrate_core::dialect::DialectKind;
use migrate_testkit::throwaway;

use crate::util::{models_drift, runtime, sql, text, Flow};

/// Runs `script` (several statements) as one text on one connection.
fn script(kind: DialectKind, url: &str, script: &str) -> Result<(), String> {
    use sqlx::Connection;
    runtime().block_on(async {
        macro_rules! run {
            ($conn:ty) => {{
                let mut c = <$conn>::connect(url).await.unwrap();
                sqlx::raw_sql(script).execute(&mut c).await.map(|_| ())
            }};
        }
        let result = match kind {
            DialectKind::Sqlite => run!(sqlx::SqliteConnection),
            DialectKind::Postgres => run!(sqlx::PgConnection),
            DialectKind::MySql => run!(sqlx::MySqlConnection),
        };
        result.map_err(|e| e.to_string())
    })
}

/// The models for `kind`; `v2` is the changed version.
fn models(kind: DialectKind, v2: bool) -> String {
    let indexes = match (kind, v2) {
        (DialectKind::MySql, false) => {
            r#"#[model(index(name = "ix_accounts_bio", columns(bio), method = "fulltext"))]"#
                .to_string()
        }
        (DialectKind::MySql, true) => {
            r#"#[model(index(name = "ix_accounts_bio", columns(bio, email), method = "fulltext"))]"#
                .to_string()
        }
        (_, _) => {
            let predicate = if v2 {
                "deleted_at IS NULL AND tenant_id > 0"
            } else {
                "deleted_at IS NULL"
            };
            let mut out = format!(
                "#[model(index(name = \"ix_accounts_live_email\", columns(email), unique, \
                 where = \"{predicate}\"))]\n\
                 #[model(index(name = \"ix_accounts_email_lower\", columns(tenant_id, \"lower(email)\")))]"
            );
            if kind == DialectKind::Postgres {
                let (method, include) = if v2 {
                    ("brin", "email, deleted_at")
                } else {
                    ("hash", "email")
                };
                out.push_str(&format!(
                    "\n#[model(index(name = \"ix_accounts_email_m\", columns(email), method = \"{method}\"))]\
                     \n#[model(index(name = \"ix_accounts_tenant\", columns(tenant_id), include({include})))]"
                ));
            }
            out
        }
    };
    let deferrable = match (kind, v2) {
        (DialectKind::MySql, _) => "",
        (_, false) => ", deferrable = \"deferred\"",
        (_, true) => ", deferrable = \"immediate\"",
    };
    format!(
        r#"use migrate::Model;

#[derive(Model)]
#[model(table = "teams")]
pub struct Team {{
    #[model(primary_key)]
    pub id: i64,
}}

#[derive(Model)]
#[model(table = "accounts")]
{indexes}
pub struct Account {{
    #[model(primary_key)]
    pub id: i64,
    pub tenant_id: i32,
    #[model(max_len = 200)]
    pub email: String,
    pub deleted_at: Option<i64>,
    pub bio: Option<String>,
    #[model(references = Team{deferrable})]
    pub team_id: i64,
}}
"#
    )
}

fn index_shape_flow(kind: DialectKind) {
    let Some(Flow { rt, db, url, p }) = Flow::start(kind) else {
        return;
    };
    p.write("src/models.rs", &models(kind, false));
    let check_live = |when: &str| p.check_clean(&url, &format!("{kind:?} {when}"));

    let drift = models_drift(&p);
    assert!(drift.contains("added table 'accounts'"), "{drift}");
    p.ok(&["revision", "--autogenerate", "-m", "create"]);
    p.ok(&["upgrade", "head", "--database-url", &url]);
    sql(kind, &url, "INSERT INTO teams (id) VALUES (1)").unwrap();
    sql(
        kind,
        &url,
        "INSERT INTO accounts (id, tenant_id, email, deleted_at, bio, team_id) \
         VALUES (1, 1, 'a@x', NULL, 'first words', 1), (2, 1, 'a@x', 5, NULL, 1)",
    )
    .unwrap();
    check_live("after create");
    if kind != DialectKind::MySql {
        // Unique among the live rows only.
        let dup = "INSERT INTO accounts (id, tenant_id, email, team_id) VALUES (3, 1, 'a@x', 1)";
        assert!(sql(kind, &url, dup).is_err(), "{kind:?}: {dup} accepted");
        // Checked at commit: the account may come before its team in a transaction.
        script(
            kind,
            &url,
            "BEGIN; INSERT INTO accounts (id, tenant_id, email, team_id) VALUES (4, 2, 'b@x', 9); \
             INSERT INTO teams (id) VALUES (9); COMMIT",
        )
        .unwrap();
    }

    // The same expression written another way is no change.
    let respelled = models(kind, false).replace("\"lower(email)\"", "\"LOWER( email )\"");
    p.write("src/models.rs", &respelled);
    p.ok(&["check"]);

    p.write("src/models.rs", &models(kind, true));
    let drift = models_drift(&p);
    assert!(drift.contains("index"), "{drift}");
    let second = p
        .ok(&["revision", "--autogenerate", "-m", "reshape"])
        .trim()
        .to_string();
    p.ok(&["upgrade", "head", "--database-url", &url]);
    check_live("after upgrade");
    if kind != DialectKind::MySql {
        let early = "INSERT INTO accounts (id, tenant_id, email, team_id) VALUES (5, 2, 'c@x', 10)";
        assert!(
            sql(kind, &url, early).is_err(),
            "{kind:?}: {early} accepted"
        );
    }

    p.ok(&["downgrade", "-1", "--database-url", &url]);
    std::fs::remove_file(p.revision_file(&second)).unwrap();
    p.write("src/models.rs", &models(kind, false));
    check_live("after downgrade");
    let count = format!("SELECT {} FROM accounts", text(kind, "count(*)"));
    let rows = sql(kind, &url, &count).unwrap();
    let want = if kind == DialectKind::MySql { "2" } else { "3" };
    assert_eq!(rows.as_deref(), Some(want), "{kind:?}: the rows survive");
    rt.block_on(db.cleanup()).ok();
}

#[test]
fn index_shapes_end_to_end_on_sqlite() {
    index_shape_flow(DialectKind::Sqlite);
}

#[test]
fn index_shapes_end_to_end_on_postgres() {
    index_shape_flow(DialectKind::Postgres);
}

#[test]
fn index_shapes_end_to_end_on_mysql() {
    index_shape_flow(DialectKind::MySql);
}

#[path = "../../../migrate-core/tests/fixtures/index_shape_ops.rs"]
#[allow(dead_code)]
mod index_shape_ops;

/// The same shapes through an application's own binary (`run_embedded` on
/// embedded revisions): upgrade with rows present, `check` clean, down to the
/// base and up again, `check` clean.
fn embedded_flow(kind: DialectKind) {
    use migrate_cli::{run_embedded, Status};
    use migrate_core::revision::Revision;
    use migrate_core::Operation;
    let rt = runtime();
    let Some(db) = rt.block_on(throwaway(kind)) else {
        return;
    };
    let url = db.url().to_string();
    let mut first = Revision::new_empty("create", vec![], "2026-01-01T00:00:00Z");
    first.upgrade = index_shape_ops::create_ops(kind);
    first.downgrade = Operation::invert_all(&first.upgrade).unwrap();
    let mut second = Revision::new_empty("reshape", vec![first.id.clone()], "2026-01-02T00:00:00Z");
    second.upgrade = index_shape_ops::change_ops(kind);
    second.downgrade = Operation::invert_all(&second.upgrade).unwrap();
    let revs = crate::embedded::embed(vec![first, second]);
    let run = |args: &[&str]| {
        let mut argv = vec!["migrate", "-q", "--database-url", &url];
        argv.extend(args);
        run_embedded(argv, revs)
    };
    assert_eq!(run(&["upgrade", "+1"]), Status::Ok, "{kind:?}");
    sql(
        kind,
        &url,
        "INSERT INTO account (id, email, tenant_id, bio) VALUES (1, 'a@x', 1, 'words')",
    )
    .unwrap();
    assert_eq!(run(&["upgrade", "head"]), Status::Ok, "{kind:?}");
    assert_eq!(run(&["check"]), Status::Ok, "{kind:?}: check at head");
    assert_eq!(run(&["downgrade", "base"]), Status::Ok, "{kind:?}");
    assert_eq!(run(&["upgrade", "head"]), Status::Ok, "{kind:?}");
    assert_eq!(
        run(&["check"]),
        Status::Ok,
        "{kind:?}: check after down and up"
    );
    // The check reads the shapes: an index dropped by hand is drift.
    let drop = match kind {
        DialectKind::MySql => "DROP INDEX ix_account_bio_email ON account",
        _ => "DROP INDEX ix_account_email_lower",
    };
    sql(kind, &url, drop).unwrap();
    assert_ne!(run(&["check"]), Status::Ok, "{kind:?}: {drop} is drift");
    rt.block_on(db.cleanup()).ok();
}

#[test]
fn index_shapes_through_run_embedded_on_sqlite() {
    embedded_flow(DialectKind::Sqlite);
}

#[test]
fn index_shapes_through_run_embedded_on_postgres() {
    embedded_flow(DialectKind::Postgres);
}

#[test]
fn index_shapes_through_run_embedded_on_mysql() {
    embedded_flow(DialectKind::MySql);
}
