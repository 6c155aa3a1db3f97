//! Benchmarks of what every build and every start-up does with the revision files:
//! reading and parsing 1,000 files and building their graph, and replaying a
//! 1,000-revision linear history to get the head schema (target: under 50 ms).
//!
//! Run with `cargo bench -p migrate-core --bench graph`.

use std::hint::black_box;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use migrate_core::graph::RevisionGraph;
use migrate_core::revision::{file_name, load_dir, Revision};
use migrate_core::{Column, ColumnType, Operation, PrimaryKey, Table};

const REVISIONS: usize = 1_000;

/// A linear history: every tenth revision creates a table, the others add a column
/// to the newest table.
fn linear_history(n: usize) -> Vec<Revision> {
    let mut revisions: Vec<Revision> = Vec::with_capacity(n);
    for i in 0..n {
        let table = format!("table_{}", i / 10);
        let upgrade = if i % 10 == 0 {
            let mut t = Table::new(&table);
            t.columns.push(Column {
                autoincrement: true,
                ..Column::new("id", ColumnType::BigInt)
            });
            t.columns
                .push(Column::new("name", ColumnType::Varchar(100)).nullable());
            t.primary_key = Some(PrimaryKey {
                name: format!("pk_{table}"),
                columns: vec!["id".into()],
            });
            Operation::CreateTable { table: t }
        } else {
            Operation::AddColumn {
                table,
                column: Column::new(format!("column_{i}"), ColumnType::Integer).default_sql("0"),
            }
        };
        let downgrade = upgrade.inverse().into_iter().collect();
        let parents = revisions
            .last()
            .map(|p| vec![p.id.clone()])
            .unwrap_or_default();
        revisions.push(Revision::new(
            format!("step {i}"),
            parents,
            "2026-11-25T04:21:16Z",
            vec![upgrade],
            downgrade,
        ));
    }
    revisions
}

fn write_dir(dir: &Path, revisions: &[Revision]) {
    for r in revisions {
        std::fs::write(dir.join(file_name(r)), r.to_toml()).expect("write revision file");
    }
}

fn bench(c: &mut Criterion) {
    let revisions = linear_history(REVISIONS);
    let dir = tempfile::tempdir().expect("temp dir");
    write_dir(dir.path(), &revisions);

    c.bench_function("load_dir + parse + graph, 1000 files", |b| {
        b.iter(|| {
            let files = load_dir(black_box(dir.path())).expect("load");
            RevisionGraph::from_files(files).expect("graph")
        })
    });

    let graph = RevisionGraph::new(revisions.clone()).expect("graph");
    let head = graph.heads()[0].to_string();
    c.bench_function("replay linear history, 1000 revisions", |b| {
        b.iter(|| graph.replay(black_box(&head)).expect("replay"))
    });

    c.bench_function("upgrade plan base -> head, 1000 revisions", |b| {
        b.iter(|| {
            graph
                .upgrade_plan(&[], black_box(&migrate_core::graph::Target::Head))
                .expect("plan")
        })
    });

    c.bench_function("to_toml, 1000 revisions", |b| {
        b.iter(|| {
            black_box(&revisions)
                .iter()
                .map(|r| r.to_toml().len())
                .sum::<usize>()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
