//! Views, functions, triggers and sequences in a PostgreSQL schema other than the
//! current one (`sales.open_orders`): read by introspection under their qualified
//! names, written by `adopt` as files named after them and read back, replayed by
//! a baseline into a fresh database, checked clean; a declared view in a schema
//! rendered, executed, introspected and compared after upgrade and downgrade.

mod util;

use migrate_core::dialect::DialectKind as Kind;
use migrate_core::diff::{diff, downgrade_for};
use migrate_core::objects::files::{load_dir, write_dir};
use migrate_core::objects::ObjectKind;
use migrate_core::qualified::add_implied_schemas;
use migrate_core::{Column, ColumnType, PrimaryKey, Schema, Table};
use migrate_introspect::{baseline_ops, introspect, IntrospectOptions};
use util::{assert_clean as clean, count, run, step_clean as step, throwaway};

#[tokio::test]
async fn objects_in_another_schema_are_adopted_on_postgres() {
    let Some(db) = throwaway(Kind::Postgres).await else {
        return;
    };
    let Some(fresh) = throwaway(Kind::Postgres).await else {
        return;
    };
    run(
        &db,
        &[
            "CREATE SCHEMA sales",
            "CREATE TABLE sales.orders (id integer PRIMARY KEY, total integer NOT NULL, status varchar(20) NOT NULL)",
            "CREATE VIEW sales.open_orders AS SELECT id, total FROM sales.orders WHERE status = 'open'",
            "CREATE FUNCTION sales.no_negative() RETURNS trigger AS $$ BEGIN IF NEW.total < 0 THEN RAISE EXCEPTION 'negative'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
            "CREATE TRIGGER orders_check BEFORE INSERT ON sales.orders FOR EACH ROW EXECUTE FUNCTION sales.no_negative()",
            "CREATE SEQUENCE sales.order_numbers START 500",
            // A view of the current schema keeps its plain name.
            "CREATE VIEW plain AS SELECT 1 AS one",
        ]
        .map(String::from),
    )
    .await
    .unwrap();
    let options = IntrospectOptions::default();
    let live = introspect(db.url(), &options).await.unwrap();
    let names: Vec<(ObjectKind, &str)> = live
        .objects
        .iter()
        .map(|o| (o.kind, o.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            (ObjectKind::Schema, "sales"),
            (ObjectKind::Sequence, "sales.order_numbers"),
            (ObjectKind::Function, "sales.no_negative"),
            (ObjectKind::View, "plain"),
            (ObjectKind::View, "sales.open_orders"),
            (ObjectKind::Trigger, "sales.orders_check"),
        ],
        "{:#?}",
        live.objects
    );
    let trigger = live.objects.last().unwrap();
    assert_eq!(trigger.table.as_deref(), Some("sales.orders"));
    let unmodelled = migrate_introspect::unmodelled(db.url(), &live, &options)
        .await
        .unwrap();
    assert!(unmodelled.is_empty(), "{unmodelled:#?}");
    clean(&db, &live, "the database itself").await;

    // adopt's files: the stem is the qualified name, and they read back the same.
    let dir = tempfile::tempdir().unwrap();
    write_dir(dir.path(), &live.objects).unwrap();
    for file in [
        "views/sales.open_orders.sql",
        "functions/sales.no_negative.sql",
        "triggers/sales.orders_check.sql",
        "sequences/sales.order_numbers.sql",
    ] {
        assert!(dir.path().join(file).is_file(), "{file} written");
    }
    let (mut read_back, _) = load_dir(dir.path()).unwrap();
    let mut written = live.objects.clone();
    for o in read_back.iter_mut().chain(written.iter_mut()) {
        o.depends_on.clear();
    }
    assert_eq!(read_back, written);
    let mut declared = live.clone();
    declared.objects = load_dir(dir.path()).unwrap().0;
    clean(&db, &declared, "the database against the files adopt wrote").await;

    // The baseline replays to the same catalog.
    step(
        &fresh,
        &Schema::new(),
        &declared,
        &baseline_ops(&declared),
        "the baseline's database",
    )
    .await;
    let replayed = introspect(fresh.url(), &options).await.unwrap();
    assert_eq!(replayed.objects, live.objects, "the same catalog");
    assert!(
        run(
            &fresh,
            &["INSERT INTO sales.orders VALUES (1, -5, 'open')".to_string()]
        )
        .await
        .is_err(),
        "the trigger refuses in the rebuilt database"
    );
    assert_eq!(
        count(&fresh, "SELECT nextval('sales.order_numbers')").await,
        500
    );
    db.cleanup().await.unwrap();
    fresh.cleanup().await.unwrap();
}

fn with_view(view: bool) -> Schema {
    let mut t = Table::new("sales.orders");
    t.columns = vec![
        Column::new("id", ColumnType::Integer),
        Column::new("total", ColumnType::Integer),
    ];
    t.primary_key = Some(PrimaryKey {
        name: migrate_core::naming::primary_key("sales.orders"),
        columns: vec!["id".into()],
    });
    let mut s = Schema::from_tables([t]);
    if view {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("views")).unwrap();
        std::fs::write(
            dir.path().join("views/sales.big.postgres.sql"),
            "SELECT id, total FROM sales.orders WHERE total > 100",
        )
        .unwrap();
        s.objects = load_dir(dir.path()).unwrap().0;
    }
    add_implied_schemas(&mut s);
    s
}

#[tokio::test]
async fn a_declared_view_in_another_schema_round_trips_on_postgres() {
    let Some(db) = throwaway(Kind::Postgres).await else {
        return;
    };
    let (v1, v2) = (with_view(false), with_view(true));
    assert_eq!(
        v2.objects.iter().filter(|o| o.name == "sales.big").count(),
        1
    );
    let create = diff(&Schema::new(), &v1);
    step(&db, &Schema::new(), &v1, &create, "after creating v1").await;
    run(
        &db,
        &["INSERT INTO sales.orders VALUES (1, 150)".to_string()],
    )
    .await
    .unwrap();
    let upgrade = diff(&v1, &v2);
    let sql = migrate_core::dialect::render_ops(Kind::Postgres, &v1, &upgrade).unwrap();
    assert!(
        sql.iter()
            .any(|s| s.sql.starts_with("CREATE VIEW \"sales\".\"big\" AS")),
        "{sql:#?}"
    );
    step(&db, &v1, &v2, &upgrade, "after the upgrade").await;
    assert_eq!(count(&db, "SELECT count(*) FROM sales.big").await, 1);
    step(
        &db,
        &v2,
        &v1,
        &downgrade_for(&upgrade),
        "after the downgrade",
    )
    .await;
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pg_views WHERE schemaname = 'sales'"
        )
        .await,
        0
    );
    db.cleanup().await.unwrap();
}

/// What migrate cannot model in another schema is listed with its qualified name,
/// never dropped in silence: an aggregate, an enum type, and a table whose column
/// has that enum type (read raw, so the table is left out and says why).
#[tokio::test]
async fn what_another_schema_holds_beyond_the_models_is_listed_on_postgres() {
    let Some(db) = throwaway(Kind::Postgres).await else {
        return;
    };
    run(
        &db,
        &[
            "CREATE SCHEMA sales",
            "CREATE TYPE sales.status AS ENUM ('open', 'closed')",
            "CREATE TABLE sales.tickets (id integer PRIMARY KEY, status sales.status NOT NULL)",
            "CREATE AGGREGATE sales.total_of(integer) (SFUNC = int4pl, STYPE = integer)",
        ]
        .map(String::from),
    )
    .await
    .unwrap();
    let options = IntrospectOptions::default();
    let live = introspect(db.url(), &options).await.unwrap();
    let listed = migrate_introspect::unmodelled(db.url(), &live, &options)
        .await
        .unwrap();
    let said = format!("{listed:#?}");
    for needle in [
        "sales.status",
        "sales.total_of(integer)",
        "sales.tickets",
        "column status has type sales.status",
    ] {
        assert!(said.contains(needle), "{needle}: {said}");
    }
    db.cleanup().await.unwrap();
}
