//! The build script's whole work without cargo — scan, load, graph, replay, diff,
//! codegen — on 500 models and 500 revisions generated into a temporary directory.
//! Target: under 100 ms, so the check never slows a build down noticeably.
//!
//! Run with `cargo bench -p migrate-build --bench build_check`.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use criterion::{criterion_group, criterion_main, Criterion};
use migrate_build::check::check;
use migrate_build::codegen::embedded_source;
use migrate_build::Config;
use migrate_core::revision::{file_name, Revision};
use migrate_core::{Column, ColumnType, Operation, PrimaryKey, Table};

const MODELS: usize = 500;
const FILES: usize = 50;

/// The table of model `i`: an id and four columns.
fn table(i: usize) -> Table {
    let mut t = Table::new(format!("table_{i}"));
    let mut id = Column::new("id", ColumnType::BigInt);
    id.autoincrement = false;
    t.columns = vec![
        id,
        Column::new("name", ColumnType::Text),
        Column::new("score", ColumnType::Integer),
        Column::new("note", ColumnType::Text).nullable(),
        Column::new("active", ColumnType::Boolean),
    ];
    t.primary_key = Some(PrimaryKey {
        name: migrate_core::naming::primary_key(&t.name),
        columns: vec!["id".to_string()],
    });
    t
}

/// The source of model `i`, matching [`table`].
fn model_source(i: usize) -> String {
    format!(
        "#[derive(migrate::Model)]\n#[model(table = \"table_{i}\")]\npub struct Model{i} {{\n    \
         #[model(primary_key)]\n    pub id: i64,\n    pub name: String,\n    pub score: i32,\n    \
         pub note: Option<String>,\n    pub active: bool,\n}}\n\n"
    )
}

/// Writes 500 models (in 50 files) and a chain of 500 revisions, one table each.
fn generate(root: &Path) {
    let src = root.join("src");
    let migrations = root.join("migrations");
    fs::create_dir_all(&src).unwrap();
    fs::create_dir_all(&migrations).unwrap();
    for f in 0..FILES {
        let mut text = String::from("//! Generated models.\n\n");
        for i in (f * MODELS / FILES)..((f + 1) * MODELS / FILES) {
            text.push_str(&model_source(i));
        }
        fs::write(src.join(format!("models_{f}.rs")), text).unwrap();
    }
    let mut parent: Option<String> = None;
    for i in 0..MODELS {
        let up = vec![Operation::CreateTable { table: table(i) }];
        let down = Operation::invert_all(&up).unwrap();
        let created = format!("2026-01-01T00:{:02}:{:02}Z", i / 60 % 60, i % 60);
        let rev = Revision::new(
            format!("create table {i}"),
            parent.iter().cloned().collect(),
            created,
            up,
            down,
        );
        fs::write(migrations.join(file_name(&rev)), rev.to_toml()).unwrap();
        parent = Some(rev.id);
    }
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path());
    let config = Config::new().manifest_dir(dir.path());
    let checked = check(&config).expect("generated crate checks");
    let mut report = String::new();
    if !checked.is_clean() {
        let _ = write!(report, "{}", checked.drift_report(&config));
    }
    assert!(checked.is_clean(), "generated models drift:\n{report}");
    assert_eq!(checked.revisions.len(), MODELS);

    // Everything, as when a revision file changed: the revisions are embedded again.
    c.bench_function("build_check_500_models_500_revisions", |b| {
        b.iter(|| {
            let checked = check(&config).unwrap();
            let code = embedded_source(&checked.embed_entries(), &checked.settings).unwrap();
            (checked.changes.len(), code.len())
        })
    });

    // What a rerun after a model edit does: the same, with the outputs written to
    // OUT_DIR, where the head schema of unchanged revisions is not serialised again.
    let out_dir = tempfile::tempdir().unwrap();
    c.bench_function("build_check_500_models_500_revisions_models_changed", |b| {
        b.iter(|| {
            let checked = check(&config).unwrap();
            checked.write_outputs(out_dir.path()).unwrap();
            checked.changes.len()
        })
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
