//! Benchmarks of the core on a schema the size of a large application: 1,000 tables
//! of 10 columns, 2 indexes and 1 foreign key each.
//!
//! - `diff/modified`: against a copy where every tenth table changed (a column
//!   added, one altered, an index dropped, a check added) and 10 tables were
//!   replaced by 10 others;
//! - `diff/from_empty` and `diff/to_empty`: creating or dropping everything, which
//!   exercises the foreign-key dependency order;
//! - `replay/1000_revisions`: replaying a history of 1,000 revisions (each creates
//!   one table, its indexes and its foreign key) from an empty schema, as the build
//!   script does before comparing with the models.
//!
//! Run: `cargo bench -p migrate-core --bench core -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use migrate_core::diff::diff;
use migrate_core::{
    apply_all, naming, Check, Column, ColumnType, FkAction, ForeignKey, Index, IndexColumn,
    Operation, PrimaryKey, Schema, Table,
};

const TABLES: usize = 1_000;

fn table_name(i: usize) -> String {
    format!("table_{i:04}")
}

/// Table `i`: 10 columns, a primary key, 2 indexes, and a foreign key to table
/// `i / 2` (table 0 refers to itself), so references form a deep tree.
fn table(i: usize) -> Table {
    let name = table_name(i);
    let mut t = Table::new(&name);
    let mut id = Column::new("id", ColumnType::BigInt);
    id.autoincrement = true;
    t.columns.push(id);
    t.columns
        .push(Column::new("parent_id", ColumnType::BigInt).nullable());
    t.columns
        .push(Column::new("name", ColumnType::Varchar(200)));
    t.columns
        .push(Column::new("status", ColumnType::Varchar(20)).default_sql("'draft'"));
    t.columns
        .push(Column::new("body", ColumnType::Text).nullable());
    t.columns.push(
        Column::new(
            "amount",
            ColumnType::Decimal {
                precision: 12,
                scale: 2,
            },
        )
        .default_sql("0"),
    );
    t.columns
        .push(Column::new("active", ColumnType::Boolean).default_sql("true"));
    t.columns
        .push(Column::new("created_at", ColumnType::TimestampTz).default_sql("now()"));
    t.columns
        .push(Column::new("payload", ColumnType::Json).nullable());
    t.columns.push(Column::new("token", ColumnType::Uuid));
    t.primary_key = Some(PrimaryKey {
        name: naming::primary_key(&name),
        columns: vec!["id".into()],
    });
    t.indexes.push(Index {
        name: naming::index(&name, &["name"]),
        columns: vec![IndexColumn::asc("name")],
        unique: false,
        ..Default::default()
    });
    t.indexes.push(Index {
        name: naming::index(&name, &["token"]),
        columns: vec![IndexColumn::asc("token")],
        unique: true,
        ..Default::default()
    });
    let target = table_name(i / 2);
    t.foreign_keys.push(ForeignKey {
        name: naming::foreign_key(&name, &["parent_id"], &target),
        columns: vec!["parent_id".into()],
        ref_table: target,
        ref_columns: vec!["id".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
        ..Default::default()
    });
    t
}

fn big_schema() -> Schema {
    Schema::from_tables((0..TABLES).map(table))
}

/// `schema` with every tenth table changed and the last 10 replaced.
fn modified(schema: &Schema) -> Schema {
    let mut s = schema.clone();
    for i in (0..TABLES).step_by(10) {
        let t = s.tables.get_mut(&table_name(i)).unwrap();
        t.columns
            .push(Column::new("extra", ColumnType::Text).nullable());
        t.column_mut("name").unwrap().ty = ColumnType::Text;
        t.indexes.pop();
        t.checks.push(Check {
            name: naming::check(&t.name, "amount"),
            expr: "amount >= 0".into(),
        });
    }
    for i in TABLES - 10..TABLES {
        s.tables.remove(&table_name(i));
        let mut t = table(i);
        t.name = format!("replacement_{i}");
        t.foreign_keys[0].name = naming::foreign_key(&t.name, &["parent_id"], "table_0000");
        t.foreign_keys[0].ref_table = "table_0000".into();
        s.tables.insert(t.name.clone(), t);
    }
    s
}

/// 1,000 revisions, each creating one table, then its indexes and foreign key.
fn history() -> Vec<Vec<Operation>> {
    (0..TABLES)
        .map(|i| {
            let t = table(i);
            let bare = Table {
                indexes: Vec::new(),
                foreign_keys: Vec::new(),
                ..t.clone()
            };
            let mut ops = vec![Operation::CreateTable { table: bare }];
            ops.extend(t.indexes.iter().map(|index| Operation::CreateIndex {
                table: t.name.clone(),
                index: index.clone(),
            }));
            ops.extend(t.foreign_keys.iter().map(|fk| Operation::AddForeignKey {
                table: t.name.clone(),
                foreign_key: fk.clone(),
            }));
            ops
        })
        .collect()
}

fn benches(c: &mut Criterion) {
    let schema = big_schema();
    let changed = modified(&schema);
    let empty = Schema::new();
    // 99 tables changed in 4 ways (the 100th is among those replaced), 10 dropped, 10 created.
    assert_eq!(diff(&schema, &changed).len(), 99 * 4 + 10 + 10);

    let mut group = c.benchmark_group("diff");
    group.bench_function("modified", |b| {
        b.iter(|| diff(black_box(&schema), black_box(&changed)))
    });
    group.bench_function("from_empty", |b| {
        b.iter(|| diff(black_box(&empty), black_box(&schema)))
    });
    group.bench_function("to_empty", |b| {
        b.iter(|| diff(black_box(&schema), black_box(&empty)))
    });
    group.finish();

    let revisions = history();
    let mut replayed = Schema::new();
    for ops in &revisions {
        apply_all(&mut replayed, ops).unwrap();
    }
    assert_eq!(replayed, schema);
    c.bench_function("replay/1000_revisions", |b| {
        b.iter(|| {
            let mut s = Schema::new();
            for ops in black_box(&revisions) {
                apply_all(&mut s, ops).unwrap();
            }
            s
        })
    });
}

criterion_group!(core, benches);
criterion_main!(core);
