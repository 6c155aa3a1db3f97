//! Render → execute → introspect gives back the same schema, on all three
//! databases, for a bounded corpus of generated schemas (no false drift).

mod util;

use migrate_core::dialect::DialectKind as Kind;
use migrate_core::{
    naming, Check, Column, ColumnType, FkAction, ForeignKey, Index, IndexColumn, PrimaryKey,
    Schema, Table, Unique,
};
use migrate_introspect::{introspect, normalize_schema, schema_ops, IntrospectOptions};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use util::{execute_all, render, throwaway};

/// Column types every database can index, with a default in normal form.
fn scalar() -> impl Strategy<Value = (ColumnType, Option<&'static str>)> {
    prop_oneof![
        Just((ColumnType::SmallInt, Some("-5"))),
        Just((ColumnType::Integer, Some("0"))),
        Just((ColumnType::BigInt, Some("42"))),
        Just((ColumnType::Integer, None)),
        Just((
            ColumnType::Decimal {
                precision: 10,
                scale: 2
            },
            Some("1.5")
        )),
        Just((ColumnType::Boolean, Some("true"))),
        Just((ColumnType::Boolean, Some("false"))),
        Just((ColumnType::Varchar(40), Some("'it''s'"))),
        Just((ColumnType::Varchar(12), None)),
        Just((ColumnType::Date, Some("'2020-01-02'"))),
        Just((ColumnType::TimestampTz, Some("current_timestamp"))),
        Just((ColumnType::Uuid, None)),
    ]
}

/// Column types that are not indexed in the corpus (MySQL needs a prefix length).
fn other() -> impl Strategy<Value = (ColumnType, Option<&'static str>)> {
    prop_oneof![
        Just((ColumnType::Float, Some("2.5"))),
        Just((ColumnType::Double, None)),
        Just((ColumnType::Text, Some("'draft'"))),
        Just((ColumnType::Text, None)),
        Just((ColumnType::Bytes, None)),
        Just((ColumnType::Json, None)),
        Just((ColumnType::Time, None)),
        Just((ColumnType::Timestamp, None)),
    ]
}

#[derive(Clone, Debug)]
struct ColSpec {
    ty: ColumnType,
    default: Option<&'static str>,
    nullable: bool,
    comment: bool,
    indexable: bool,
}

fn col_spec() -> impl Strategy<Value = ColSpec> {
    (
        prop_oneof![
            scalar().prop_map(|s| (s, true)),
            other().prop_map(|s| (s, false))
        ],
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(((ty, default), indexable), use_default, nullable, comment)| ColSpec {
                ty,
                default: default.filter(|_| use_default),
                nullable,
                comment,
                indexable,
            },
        )
}

#[derive(Clone, Debug)]
struct TableSpec {
    big_id: bool,
    autoincrement: bool,
    columns: Vec<ColSpec>,
    unique: Option<usize>,
    index: Option<(usize, bool, bool)>,
    fk: Option<(usize, u8)>,
    check: bool,
    comment: bool,
}

fn table_spec() -> impl Strategy<Value = TableSpec> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(col_spec(), 1..5),
        prop::option::of(0usize..8),
        prop::option::of((0usize..8, any::<bool>(), any::<bool>())),
        prop::option::of((0usize..8, 0u8..4)),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(big_id, autoincrement, columns, unique, index, fk, check, comment)| TableSpec {
                big_id,
                autoincrement,
                columns,
                unique,
                index,
                fk,
                check,
                comment,
            },
        )
}

/// Builds a schema from specs; table `i` may reference any earlier table.
fn build(specs: Vec<TableSpec>) -> Schema {
    let mut tables: Vec<Table> = Vec::new();
    for (i, spec) in specs.into_iter().enumerate() {
        let name = format!("t{i}");
        let mut t = Table::new(name.clone());
        // SQLite's AUTOINCREMENT needs the exact type INTEGER.
        let id_ty = if spec.big_id && !spec.autoincrement {
            ColumnType::BigInt
        } else {
            ColumnType::Integer
        };
        let mut id = Column::new("id", id_ty.clone());
        id.autoincrement = spec.autoincrement;
        t.columns.push(id);
        t.primary_key = Some(PrimaryKey {
            name: naming::primary_key(&name),
            columns: vec!["id".into()],
        });
        for (j, c) in spec.columns.iter().enumerate() {
            let mut col = Column::new(format!("c{j}"), c.ty.clone());
            col.nullable = c.nullable;
            col.default = c.default.map(str::to_string);
            if c.comment {
                col.comment = Some(format!("column {j}'s note"));
            }
            t.columns.push(col);
        }
        let indexable: Vec<String> = spec
            .columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.indexable)
            .map(|(j, _)| format!("c{j}"))
            .collect();
        if let (Some(u), false) = (spec.unique, indexable.is_empty()) {
            let col = indexable[u % indexable.len()].clone();
            t.uniques.push(Unique {
                name: naming::unique(&name, &[&col]),
                columns: vec![col],
            });
        }
        if let (Some((ix, desc, unique)), false) = (spec.index, indexable.is_empty()) {
            let first = indexable[ix % indexable.len()].clone();
            let mut cols = vec![IndexColumn { name: first, desc }];
            if indexable.len() > 1 {
                cols.push(IndexColumn::asc(
                    indexable[(ix + 1) % indexable.len()].clone(),
                ));
            }
            let names: Vec<&str> = cols.iter().map(|c| c.name.as_str()).collect();
            t.indexes.push(Index {
                name: naming::index(&name, &names),
                columns: cols,
                unique,
            });
        }
        if let (Some((target, action)), false) = (spec.fk, tables.is_empty()) {
            let target = &tables[target % tables.len()];
            let ref_ty = target.columns[0].ty.clone();
            let on_delete = [
                FkAction::NoAction,
                FkAction::Cascade,
                FkAction::Restrict,
                FkAction::SetNull,
            ][action as usize];
            let mut col = Column::new(format!("{}_id", target.name), ref_ty);
            col.nullable = true;
            t.columns.push(col.clone());
            t.foreign_keys.push(ForeignKey {
                name: naming::foreign_key(&name, &[&col.name], &target.name),
                columns: vec![col.name.clone()],
                ref_table: target.name.clone(),
                ref_columns: vec!["id".into()],
                on_delete,
                on_update: if action == 1 {
                    FkAction::Cascade
                } else {
                    FkAction::NoAction
                },
            });
        }
        // MariaDB refuses checks on AUTO_INCREMENT columns.
        if spec.check && !spec.autoincrement {
            t.checks.push(Check {
                name: naming::check(&name, "id"),
                expr: "id >= 0".into(),
            });
        }
        if spec.comment {
            t.comment = Some(format!("table {i}"));
        }
        tables.push(t);
    }
    Schema::from_tables(tables)
}

fn schemas() -> impl Strategy<Value = Schema> {
    prop::collection::vec(table_spec(), 1..4).prop_map(build)
}

/// What `kind` can keep of `schema`.
fn expected(kind: Kind, schema: &Schema) -> Schema {
    normalize_schema(&util::backend(kind).storable(schema))
}

async fn round_trip(kind: Kind, schema: &Schema) -> Result<(), TestCaseError> {
    let Some(db) = throwaway(kind).await else {
        return Ok(());
    };
    execute_all(&db, &render(kind, schema)).await;
    let live = introspect(db.url(), &IntrospectOptions::default()).await;
    db.cleanup().await.unwrap();
    let live = live.map_err(|e| TestCaseError::fail(e.to_string()))?;
    let want = expected(kind, schema);
    prop_assert_eq!(
        &normalize_schema(&live),
        &want,
        "{:?}: drift {:#?}",
        kind,
        schema_ops(&live, &want)
    );
    Ok(())
}

fn run(kind: Kind, cases: u32) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let mut runner = TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&schemas(), |schema| rt.block_on(round_trip(kind, &schema)))
        .unwrap();
}

#[test]
fn generated_schemas_round_trip_on_sqlite() {
    run(Kind::Sqlite, 48);
}

#[test]
fn generated_schemas_round_trip_on_postgres() {
    run(Kind::Postgres, 32);
}

#[test]
fn generated_schemas_round_trip_on_mysql() {
    run(Kind::MySql, 32);
}
