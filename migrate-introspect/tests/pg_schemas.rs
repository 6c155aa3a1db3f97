//! Tables in PostgreSQL schemas other than the current one (`billing.invoice`):
//! rendered by the core, executed, introspected and compared, after an upgrade
//! with rows present and after each downgrade; a foreign key across schemas; one
//! table name in two schemas; a database made by plain SQL adopted into models
//! (scanned back by the derive's parser) that the live check finds identical.

mod util;

use migrate_core::dialect::{render_ops, DialectKind as Kind};
use migrate_core::diff::{diff, downgrade_for};
use migrate_core::qualified::add_implied_schemas;
use migrate_core::{Column, ColumnType, ForeignKey, Index, Operation, PrimaryKey, Schema, Table};
use migrate_introspect::{baseline_ops, introspect, normalize_schema, IntrospectOptions};
use migrate_model::{codegen::models_source, scan::scan_sources};
use util::{assert_clean as clean, count, run, step, throwaway};

fn table(name: &str, columns: &[(&str, ColumnType)]) -> Table {
    let mut t = Table::new(name);
    t.columns = columns
        .iter()
        .map(|(n, ty)| Column::new(*n, ty.clone()))
        .collect();
    t.primary_key = Some(PrimaryKey {
        name: migrate_core::naming::primary_key(name),
        columns: vec!["id".into()],
    });
    t
}

fn index(table: &str, column: &str) -> Index {
    Index {
        name: migrate_core::naming::index(table, &[column]),
        columns: vec![migrate_core::IndexColumn::asc(column)],
        ..Default::default()
    }
}

fn fk(from: &str, column: &str, to: &str) -> ForeignKey {
    ForeignKey {
        name: migrate_core::naming::foreign_key(from, &[column], to),
        columns: vec![column.to_string()],
        ref_table: to.to_string(),
        ref_columns: vec!["id".to_string()],
        ..Default::default()
    }
}

/// `users` in the current schema; `billing.customer` and `billing.invoice`
/// (keyed to both); `archive.invoice`, a second table called `invoice`, keyed
/// across schemas to `billing.invoice`.
fn v1() -> Schema {
    let users = table(
        "users",
        &[("id", ColumnType::BigInt), ("name", ColumnType::Text)],
    );
    let customer = table(
        "billing.customer",
        &[("id", ColumnType::BigInt), ("name", ColumnType::Text)],
    );
    let mut invoice = table(
        "billing.invoice",
        &[
            ("id", ColumnType::BigInt),
            ("customer_id", ColumnType::BigInt),
            ("user_id", ColumnType::BigInt),
            ("total", ColumnType::Integer),
        ],
    );
    invoice.foreign_keys = vec![
        fk("billing.invoice", "customer_id", "billing.customer"),
        fk("billing.invoice", "user_id", "users"),
    ];
    invoice.indexes = vec![index("billing.invoice", "customer_id")];
    let mut archived = table(
        "archive.invoice",
        &[
            ("id", ColumnType::BigInt),
            ("invoice_id", ColumnType::BigInt),
        ],
    );
    archived.foreign_keys = vec![fk("archive.invoice", "invoice_id", "billing.invoice")];
    let mut s = Schema::from_tables([users, customer, invoice, archived]);
    add_implied_schemas(&mut s);
    s
}

/// v1 with a column and an index added to `archive.invoice`.
fn v2() -> Schema {
    let mut s = v1();
    let t = s.tables.get_mut("archive.invoice").unwrap();
    t.columns
        .push(Column::new("note", ColumnType::Varchar(40)).nullable());
    t.indexes.push(index("archive.invoice", "note"));
    s
}

#[tokio::test]
async fn tables_in_other_schemas_round_trip_on_postgres() {
    let Some(db) = throwaway(Kind::Postgres).await else {
        return;
    };
    let (v1, v2) = (v1(), v2());
    let create = diff(&Schema::new(), &v1);
    // The schemas come first, and every name is qualified.
    assert!(
        matches!(&create[0], Operation::CreateObject { object } if object.name == "archive"),
        "{create:#?}"
    );
    let sql: Vec<String> = render_ops(Kind::Postgres, &Schema::new(), &create)
        .unwrap()
        .into_iter()
        .map(|s| s.sql)
        .collect();
    for needle in [
        "CREATE SCHEMA \"billing\"",
        "CREATE TABLE \"billing\".\"invoice\"",
        "REFERENCES \"billing\".\"customer\" (\"id\")",
        "CREATE INDEX \"ix_billing_invoice_customer_id\" ON \"billing\".\"invoice\"",
    ] {
        assert!(sql.iter().any(|s| s.contains(needle)), "{needle}: {sql:#?}");
    }

    let mut schema = Schema::new();
    step(&db, &mut schema, &create, "after creating v1").await;
    clean(&db, &v1, "after creating v1").await;
    run(
        &db,
        &[
            "INSERT INTO users VALUES (1, 'ada')".to_string(),
            "INSERT INTO billing.customer VALUES (1, 'acme')".to_string(),
            "INSERT INTO billing.invoice VALUES (10, 1, 1, 99)".to_string(),
            "INSERT INTO archive.invoice VALUES (100, 10)".to_string(),
        ],
    )
    .await
    .unwrap();
    // The foreign key across schemas holds.
    assert!(run(
        &db,
        &["INSERT INTO archive.invoice VALUES (101, 11)".to_string()]
    )
    .await
    .is_err());

    let upgrade = diff(&v1, &v2);
    step(&db, &mut schema, &upgrade, "after the upgrade").await;
    clean(&db, &v2, "after the upgrade").await;
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM archive.invoice WHERE invoice_id = 10"
        )
        .await,
        1
    );

    step(
        &db,
        &mut schema,
        &downgrade_for(&upgrade),
        "after the downgrade",
    )
    .await;
    clean(&db, &v1, "after the downgrade").await;
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM billing.invoice i JOIN archive.invoice a ON a.invoice_id = i.id"
        )
        .await,
        1
    );

    // Down to nothing: tables first, then their schemas.
    run(
        &db,
        &[
            "DELETE FROM archive.invoice".to_string(),
            "DELETE FROM billing.invoice".to_string(),
        ],
    )
    .await
    .unwrap();
    step(
        &db,
        &mut schema,
        &downgrade_for(&create),
        "after dropping v1",
    )
    .await;
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM pg_namespace WHERE nspname IN ('billing', 'archive')"
        )
        .await,
        0
    );
    db.cleanup().await.unwrap();
}

#[test]
fn other_databases_refuse_a_table_in_a_schema() {
    let create = diff(&Schema::new(), &v1());
    for kind in [Kind::MySql, Kind::Sqlite] {
        let err = render_ops(kind, &Schema::new(), &create).unwrap_err();
        let said = err.to_string();
        assert!(
            said.contains("schema 'billing' on table 'billing.customer'")
                && said.contains("PostgreSQL only"),
            "{kind:?}: {said}"
        );
    }
}

/// A database made by plain SQL with tables in two schemas (one name in both,
/// keys across them) is adopted: models that the derive's parser reads back to
/// the same schema, a baseline that replays to it in a fresh database, and a
/// clean live check on both.
#[tokio::test]
async fn tables_in_other_schemas_are_adopted_on_postgres() {
    let Some(db) = throwaway(Kind::Postgres).await else {
        return;
    };
    let Some(fresh) = throwaway(Kind::Postgres).await else {
        return;
    };
    let sql = [
        "CREATE SCHEMA billing",
        "CREATE SCHEMA archive",
        "CREATE TABLE users (id bigint PRIMARY KEY, name text NOT NULL)",
        "CREATE TABLE billing.customer (id bigint PRIMARY KEY, name text NOT NULL)",
        "CREATE TABLE billing.invoice (id bigint PRIMARY KEY, \
         customer_id bigint NOT NULL REFERENCES billing.customer (id), \
         user_id bigint REFERENCES users (id), total integer NOT NULL)",
        "CREATE INDEX invoice_customer ON billing.invoice (customer_id)",
        "CREATE TABLE archive.invoice (id bigint PRIMARY KEY, \
         invoice_id bigint NOT NULL REFERENCES billing.invoice (id))",
    ]
    .map(String::from);
    run(&db, &sql).await.unwrap();
    let options = IntrospectOptions::default();
    let live = introspect(db.url(), &options).await.unwrap();
    let names: Vec<&str> = live.tables.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "archive.invoice",
            "billing.customer",
            "billing.invoice",
            "users"
        ]
    );
    assert_eq!(
        live.tables["archive.invoice"].foreign_keys[0].ref_table,
        "billing.invoice"
    );
    let unmodelled = migrate_introspect::unmodelled(db.url(), &live, &options)
        .await
        .unwrap();
    assert!(unmodelled.is_empty(), "{unmodelled:#?}");

    let source = models_source(&live, None);
    for needle in [
        "#[model(schema = \"billing\", table = \"invoice\")]",
        "#[model(schema = \"archive\", table = \"invoice\")]",
        "pub struct BillingInvoice",
        "pub struct ArchiveInvoice",
        "references = \"billing.invoice(id)\"",
    ] {
        assert!(source.contains(needle), "{needle}:\n{source}");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.rs"), &source).unwrap();
    let scanned = scan_sources(&[dir.path().to_path_buf()])
        .unwrap_or_else(|e| panic!("generated source does not scan: {e}\n{source}"));
    let mut models = scanned.schema();
    add_implied_schemas(&mut models);
    let mut tables_only = live.clone();
    tables_only.objects.clear();
    let mut scanned_tables = models.clone();
    scanned_tables.objects.clear();
    assert_eq!(
        normalize_schema(&scanned_tables),
        normalize_schema(&tables_only),
        "{source}"
    );
    clean(&db, &models, "the adopted database against its models").await;

    let mut replayed = Schema::new();
    step(
        &fresh,
        &mut replayed,
        &baseline_ops(&live),
        "after the baseline",
    )
    .await;
    clean(
        &fresh,
        &models,
        "the baseline's database against the models",
    )
    .await;
    db.cleanup().await.unwrap();
    fresh.cleanup().await.unwrap();
}

/// `[tables]` names a table of another schema as `schema.table`; `billing.*`
/// is every table of `billing`. A schema holding its own version table is left
/// alone.
#[tokio::test]
async fn the_table_filter_reads_schema_dot_table_on_postgres() {
    let Some(db) = throwaway(Kind::Postgres).await else {
        return;
    };
    run(
        &db,
        &[
            "CREATE SCHEMA billing",
            "CREATE TABLE invoice (id bigint PRIMARY KEY)",
            "CREATE TABLE billing.invoice (id bigint PRIMARY KEY)",
            "CREATE TABLE billing.customer (id bigint PRIMARY KEY)",
            // A schema with a version table of its own is another run's (a
            // tenant's): not read.
            "CREATE SCHEMA tenant_1",
            "CREATE TABLE tenant_1.migrate_version (version_num varchar(64) PRIMARY KEY)",
            "CREATE TABLE tenant_1.invoice (id bigint PRIMARY KEY)",
        ]
        .map(String::from),
    )
    .await
    .unwrap();
    let read = |include: &[&str], exclude: &[&str]| {
        let options = IntrospectOptions {
            filter: migrate_core::filter::TableFilter::new(include, exclude).unwrap(),
            ..IntrospectOptions::default()
        };
        let url = db.url().to_string();
        async move {
            let s = introspect(&url, &options).await.unwrap();
            s.tables.keys().cloned().collect::<Vec<_>>()
        }
    };
    assert_eq!(
        read(&[], &[]).await,
        ["billing.customer", "billing.invoice", "invoice"]
    );
    assert_eq!(read(&[], &["billing.*"]).await, ["invoice"]);
    assert_eq!(read(&["billing.invoice"], &[]).await, ["billing.invoice"]);
    assert_eq!(
        read(&[], &["billing.customer"]).await,
        ["billing.invoice", "invoice"]
    );
    db.cleanup().await.unwrap();
}
