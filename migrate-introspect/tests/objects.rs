//! Schema objects on the three servers: views and triggers everywhere, functions
//! and sequences where the database has them, and on PostgreSQL an extension, a
//! schema and a materialized view. Each step is rendered by the core, executed,
//! and followed by the live check, which must find no drift: created, changed
//! with rows present (a new view body, and a column type under a view and a
//! trigger, which recreates them), downgraded, dropped. A database made by plain
//! SQL is introspected and its baseline replayed into a fresh database, which the
//! check finds identical.

mod util;

use migrate_core::dialect::{render_ops, DialectKind as Kind};
use migrate_core::diff::{diff, downgrade_for};
use migrate_core::objects::{ObjectKind, SchemaObject};
use migrate_core::{Check, Column, ColumnType, Operation, PrimaryKey, Schema, Table};
use migrate_introspect::{baseline_ops, check, describe_drift_all, introspect, IntrospectOptions};
use util::{assert_clean as clean, count, run, step_clean as step, throwaway, TestDb};

fn users(name_type: ColumnType) -> Table {
    let mut t = Table::new("users");
    t.columns = vec![
        Column::new("id", ColumnType::BigInt),
        Column::new("name", name_type),
        Column::new("active", ColumnType::Integer).default_sql("1"),
        Column::new("updates", ColumnType::Integer).default_sql("0"),
    ];
    t.primary_key = Some(PrimaryKey {
        name: "pk_users".into(),
        columns: vec!["id".into()],
    });
    t
}

fn object(kind: ObjectKind, name: &str, sql: &str) -> SchemaObject {
    SchemaObject::new(kind, name, sql)
}

/// The objects of version 1 (`view` is the active users' query) on `kind`.
fn objects(kind: Kind, view: &str) -> Vec<SchemaObject> {
    let mut out = vec![object(ObjectKind::View, "active_users", view)];
    // A view on the view: created after it, dropped before it.
    out.push(object(
        ObjectKind::View,
        "active_count",
        "SELECT count(*) AS n FROM active_users",
    ));
    let mut trigger = match kind {
        Kind::Postgres => object(
            ObjectKind::Trigger,
            "users_touch",
            "CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION count_updates()",
        ),
        Kind::MySql => object(
            ObjectKind::Trigger,
            "users_touch",
            "CREATE TRIGGER users_touch BEFORE UPDATE ON users FOR EACH ROW SET NEW.updates = OLD.updates + 1",
        ),
        Kind::Sqlite => object(
            ObjectKind::Trigger,
            "users_touch",
            "CREATE TRIGGER users_touch AFTER UPDATE OF name ON users BEGIN UPDATE users SET updates = updates + 1 WHERE id = NEW.id; END",
        ),
    };
    trigger.table = Some("users".into());
    out.push(trigger);
    match kind {
        Kind::Postgres => {
            out.push(object(
                ObjectKind::Function,
                "count_updates",
                "CREATE FUNCTION count_updates() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.updates := OLD.updates + 1;\n  RETURN NEW;\nEND\n$$",
            ));
            out.push(object(
                ObjectKind::Sequence,
                "ticket_numbers",
                "START WITH 100 INCREMENT BY 5",
            ));
            out.push(object(ObjectKind::Extension, "citext", ""));
            out.push(object(
                ObjectKind::Procedure,
                "activate_all",
                "CREATE PROCEDURE activate_all() LANGUAGE sql AS $$ UPDATE users SET active = 1 $$",
            ));
            out.push(object(ObjectKind::Schema, "reporting", ""));
            out.push(object(
                ObjectKind::MaterializedView,
                "user_names",
                "SELECT id, name FROM users",
            ));
        }
        Kind::MySql => {
            out.push(object(
                ObjectKind::Function,
                "shout",
                "CREATE FUNCTION shout(s VARCHAR(200)) RETURNS varchar(200) CHARSET utf8mb4 COLLATE utf8mb4_general_ci DETERMINISTIC RETURN UPPER(s)",
            ));
            out.push(object(
                ObjectKind::Sequence,
                "ticket_numbers",
                "START WITH 100 INCREMENT BY 5",
            ));
            out.push(object(
                ObjectKind::Procedure,
                "activate_all",
                "CREATE PROCEDURE activate_all() UPDATE users SET active = 1",
            ));
        }
        Kind::Sqlite => {}
    }
    out
}

fn schema(kind: Kind, name_type: ColumnType, view: &str) -> Schema {
    let mut s = Schema::from_tables([users(name_type)]);
    s.objects = objects(kind, view);
    migrate_core::objects::sort(&mut s.objects);
    s
}

async fn add_and_drop_a_check(db: &TestDb, v1: &Schema) {
    let kind = db.kind();
    let mut checked = v1.clone();
    checked.tables.get_mut("users").unwrap().checks.push(Check {
        name: "ck_users_active".into(),
        expr: "active IN (0, 1)".into(),
    });
    let add_check = diff(v1, &checked);
    assert_eq!(add_check.len(), 1, "{add_check:?}");
    step(db, v1, &checked, &add_check, "after adding a check").await;
    step(
        db,
        &checked,
        v1,
        &downgrade_for(&add_check),
        "after dropping the check",
    )
    .await;
    assert_eq!(
        count(db, "SELECT count(*) FROM active_users").await,
        1,
        "{kind:?}"
    );
}

const V1: &str = "SELECT id, name FROM users WHERE active = 1";
const V2: &str = "SELECT id, name, updates FROM users WHERE active = 1";

async fn objects_round_trip(kind: Kind) {
    let Some(db) = throwaway(kind).await else {
        return;
    };
    let v1 = schema(kind, ColumnType::Varchar(80), V1);
    let create = diff(&Schema::new(), &v1);
    step(&db, &Schema::new(), &v1, &create, "after create").await;
    let rows = [
        "INSERT INTO users (id, name) VALUES (1, 'ada')".to_string(),
        "INSERT INTO users (id, name, active) VALUES (2, 'bob', 0)".to_string(),
        "UPDATE users SET name = 'ada l' WHERE id = 1".to_string(),
    ];
    run(&db, &rows).await.unwrap();
    assert_eq!(
        count(&db, "SELECT count(*) FROM active_users").await,
        1,
        "{kind:?}"
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM users WHERE id = 1 AND updates = 1"
        )
        .await,
        1,
        "{kind:?}: the trigger ran"
    );

    // A check added, and dropped again: the objects stay. (On SQLite this is a
    // table rebuild, which only the runtime can run with views and triggers on the
    // table: tested through the CLI in migrate-cli's `objects` tests.)
    if kind != Kind::Sqlite {
        add_and_drop_a_check(&db, &v1).await;
    }

    // A new view body, and a wider column under the view and the trigger.
    let v2 = schema(kind, ColumnType::Varchar(200), V2);
    let change = diff(&v1, &v2);
    let said: Vec<String> = change.iter().map(Operation::describe).collect();
    assert!(
        said.contains(&"removed view 'active_users'".to_string()),
        "{said:?}"
    );
    step(&db, &v1, &v2, &change, "after change").await;
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM active_users WHERE id = 1 AND updates = 1"
        )
        .await,
        1,
        "{kind:?}: the new view body"
    );
    run(
        &db,
        &["UPDATE users SET name = 'ada lovelace' WHERE id = 1".to_string()],
    )
    .await
    .unwrap();
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM users WHERE id = 1 AND updates = 2"
        )
        .await,
        1,
        "{kind:?}: the recreated trigger runs"
    );

    // A body changed by hand is drift, and so is a missing object.
    run(
        &db,
        &[
            "DROP VIEW active_count".to_string(),
            "CREATE VIEW active_count AS SELECT count(*) AS n FROM users".to_string(),
        ],
    )
    .await
    .unwrap();
    let drift = check(db.url(), &v2, &IntrospectOptions::default())
        .await
        .unwrap();
    assert_eq!(
        describe_drift_all(&drift),
        ["view 'active_count' differs: the database holds another definition than the revisions create"],
        "{kind:?}"
    );
    run(&db, &["DROP VIEW active_count".to_string()])
        .await
        .unwrap();
    let drift = check(db.url(), &v2, &IntrospectOptions::default())
        .await
        .unwrap();
    assert_eq!(drift.len(), 1, "{kind:?}: {drift:?}");
    let restore: Vec<String> = render_ops(kind, &Schema::new(), &drift)
        .unwrap()
        .into_iter()
        .map(|s| s.sql)
        .collect();
    run(&db, &restore).await.unwrap();
    clean(&db, &v2, "after restoring the view").await;

    let down = downgrade_for(&change);
    step(&db, &v2, &v1, &down, "after downgrade").await;
    assert_eq!(
        count(&db, "SELECT count(*) FROM users").await,
        2,
        "{kind:?}: rows kept"
    );

    if kind != Kind::Sqlite {
        run(&db, &["CALL activate_all()".to_string()])
            .await
            .unwrap();
        assert_eq!(
            count(&db, "SELECT count(*) FROM users WHERE active = 1").await,
            2,
            "{kind:?}: the procedure runs"
        );
    }

    let drop = diff(&v1, &Schema::new());
    step(&db, &v1, &Schema::new(), &drop, "after drop").await;
    db.cleanup().await.unwrap();
}

/// A database made by plain SQL: introspected, its baseline replayed into a fresh
/// database gives the same objects, and the check of both against the
/// introspected schema is clean.
async fn adopted_from_plain_sql(kind: Kind) {
    let Some(db) = throwaway(kind).await else {
        return;
    };
    let Some(fresh) = throwaway(kind).await else {
        return;
    };
    let mut sql = vec![
        "CREATE TABLE orders (id INTEGER NOT NULL PRIMARY KEY, total INTEGER NOT NULL, status VARCHAR(20) NOT NULL)".to_string(),
        "CREATE VIEW open_orders AS SELECT id, total FROM orders WHERE status = 'open'".to_string(),
    ];
    match kind {
        Kind::Postgres => sql.extend([
            "CREATE FUNCTION no_negative() RETURNS trigger AS $$ BEGIN IF NEW.total < 0 THEN RAISE EXCEPTION 'negative'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql".to_string(),
            "CREATE TRIGGER orders_check BEFORE INSERT ON orders FOR EACH ROW EXECUTE FUNCTION no_negative()".to_string(),
            "CREATE SEQUENCE invoice_numbers START 1000".to_string(),
            // A column whose default draws from a standalone sequence.
            "CREATE TABLE invoices (id integer NOT NULL DEFAULT nextval('invoice_numbers') PRIMARY KEY, total integer NOT NULL)".to_string(),
            "CREATE EXTENSION pg_trgm".to_string(),
            "CREATE MATERIALIZED VIEW order_totals AS SELECT status, sum(total) AS total FROM orders GROUP BY status".to_string(),
            "CREATE PROCEDURE close_all() LANGUAGE sql AS $$ UPDATE orders SET status = 'closed' $$".to_string(),
            "CREATE SCHEMA archive".to_string(),
        ]),
        Kind::MySql => sql.extend([
            "CREATE TRIGGER orders_check BEFORE INSERT ON orders FOR EACH ROW SET NEW.total = GREATEST(NEW.total, 0)".to_string(),
            "CREATE SEQUENCE invoice_numbers START WITH 1000".to_string(),
            "CREATE FUNCTION twice(x INT) RETURNS INT DETERMINISTIC RETURN x * 2".to_string(),
        ]),
        Kind::Sqlite => sql.push(
            "CREATE TRIGGER orders_check BEFORE INSERT ON orders WHEN NEW.total < 0 BEGIN SELECT RAISE(ABORT, 'negative'); END".to_string(),
        ),
    }
    run(&db, &sql).await.unwrap();
    let options = IntrospectOptions::default();
    let live = introspect(db.url(), &options).await.unwrap();
    let kinds: Vec<ObjectKind> = live.objects.iter().map(|o| o.kind).collect();
    let expected: &[ObjectKind] = match kind {
        Kind::Postgres => &[
            ObjectKind::Schema,
            ObjectKind::Extension,
            ObjectKind::Sequence,
            ObjectKind::Function,
            ObjectKind::Procedure,
            ObjectKind::View,
            ObjectKind::MaterializedView,
            ObjectKind::Trigger,
        ],
        Kind::MySql => &[
            ObjectKind::Sequence,
            ObjectKind::Function,
            ObjectKind::View,
            ObjectKind::Trigger,
        ],
        Kind::Sqlite => &[ObjectKind::View, ObjectKind::Trigger],
    };
    assert_eq!(kinds, expected, "{kind:?}: {:#?}", live.objects);
    let unmodelled = migrate_introspect::unmodelled(db.url(), &live, &options)
        .await
        .unwrap();
    assert!(unmodelled.is_empty(), "{kind:?}: {unmodelled:#?}");
    clean(&db, &live, "the database itself").await;

    let baseline = baseline_ops(&live);
    step(
        &fresh,
        &Schema::new(),
        &live,
        &baseline,
        "after the baseline",
    )
    .await;
    assert_eq!(
        introspect(fresh.url(), &options)
            .await
            .unwrap()
            .objects
            .len(),
        live.objects.len()
    );
    if kind == Kind::Postgres {
        run(
            &fresh,
            &["INSERT INTO invoices (total) VALUES (7)".to_string()],
        )
        .await
        .unwrap();
        assert_eq!(
            count(&fresh, "SELECT count(*) FROM invoices WHERE id = 1000").await,
            1
        );
    }
    // The trigger works in the rebuilt database.
    let negative = "INSERT INTO orders (id, total, status) VALUES (1, -5, 'open')".to_string();
    match kind {
        Kind::MySql => {
            run(&fresh, &[negative]).await.unwrap();
            assert_eq!(
                count(&fresh, "SELECT count(*) FROM open_orders WHERE total = 0").await,
                1
            );
        }
        _ => assert!(
            run(&fresh, &[negative]).await.is_err(),
            "{kind:?}: the trigger refuses"
        ),
    }
    db.cleanup().await.unwrap();
    fresh.cleanup().await.unwrap();
}

#[tokio::test]
async fn objects_round_trip_on_postgres() {
    objects_round_trip(Kind::Postgres).await;
}

#[tokio::test]
async fn objects_round_trip_on_mysql() {
    objects_round_trip(Kind::MySql).await;
}

#[tokio::test]
async fn objects_round_trip_on_sqlite() {
    objects_round_trip(Kind::Sqlite).await;
}

#[tokio::test]
async fn objects_adopted_from_plain_sql_on_postgres() {
    adopted_from_plain_sql(Kind::Postgres).await;
}

#[tokio::test]
async fn objects_adopted_from_plain_sql_on_mysql() {
    adopted_from_plain_sql(Kind::MySql).await;
}

#[tokio::test]
async fn objects_adopted_from_plain_sql_on_sqlite() {
    adopted_from_plain_sql(Kind::Sqlite).await;
}
