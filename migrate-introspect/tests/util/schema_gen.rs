//! Generated schemas for the property tests: every column type the model language
//! has (neutral types and `raw(...)` types in spellings the databases read back in
//! other words), defaults, nullability, comments, primary keys (conventional or
//! named), uniques, indexes (ascending, descending, unique), foreign keys with every
//! action between the generated tables, and checks on the key and on columns;
//! types per database, collations, and a generated column in each table with a
//! comment.
//!
//! [`cases`] reads `MIGRATE_PROPTEST_CASES` so a longer local run can raise the
//! number of cases (see docs/introspect.md).

use migrate_core::{
    naming, Check, Column, ColumnType, FkAction, ForeignKey, Index, IndexColumn, PrimaryKey,
    Schema, Table, Unique, UnsignedBits,
};
use proptest::prelude::*;

/// `default` cases, or `MIGRATE_PROPTEST_CASES` when set.
pub fn cases(default: u32) -> u32 {
    std::env::var("MIGRATE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Column types every database can index, with a default in normal form.
pub fn scalar() -> impl Strategy<Value = (ColumnType, Option<&'static str>)> {
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
        Just((ColumnType::Raw("CHAR(5)".into()), None)),
        Just((ColumnType::Raw("Character Varying(10)".into()), Some("'x'"))),
        Just((ColumnType::Raw("INT4".into()), Some("7"))),
        Just((ColumnType::Unsigned(UnsignedBits::U8), Some("7"))),
        Just((ColumnType::Unsigned(UnsignedBits::U64), None)),
    ]
}

/// Column types that are not indexed in the corpus (MySQL needs a prefix length).
pub fn other() -> impl Strategy<Value = (ColumnType, Option<&'static str>)> {
    prop_oneof![
        Just((ColumnType::Float, Some("2.5"))),
        Just((ColumnType::Double, None)),
        Just((ColumnType::Text, Some("'draft'"))),
        Just((ColumnType::Text, None)),
        Just((ColumnType::Bytes, None)),
        Just((ColumnType::Json, None)),
        Just((ColumnType::Time, None)),
        Just((ColumnType::Timestamp, None)),
        Just((ColumnType::Raw("DOUBLE PRECISION".into()), None)),
        Just((ColumnType::Raw("NUMERIC(8)".into()), None)),
        Just((ColumnType::Unsigned(UnsignedBits::U32), Some("0"))),
        Just((per_database("jsonb", "json", "text"), None)),
        Just((per_database("integer[]", "varchar(45)", "blob"), None)),
    ]
}

/// A type per database.
fn per_database(postgres: &str, mysql: &str, sqlite: &str) -> ColumnType {
    use migrate_core::dialect::DialectKind::*;
    ColumnType::PerDatabase(
        migrate_core::column_extras::PerDatabase::default()
            .with(Postgres, postgres)
            .with(MySql, mysql)
            .with(Sqlite, sqlite),
    )
}

#[derive(Clone, Debug)]
pub struct ColSpec {
    ty: ColumnType,
    default: Option<&'static str>,
    nullable: bool,
    comment: bool,
    indexable: bool,
}

pub fn col_spec() -> impl Strategy<Value = ColSpec> {
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
pub struct TableSpec {
    id_size: u8,
    pk_named: bool,
    /// No primary key (`no_primary_key`); only without autoincrement.
    keyless: bool,
    autoincrement: bool,
    columns: Vec<ColSpec>,
    unique: Option<usize>,
    index: Option<(usize, bool, bool)>,
    fk: Option<(usize, u8)>,
    check: bool,
    comment: bool,
}

pub fn table_spec() -> impl Strategy<Value = TableSpec> {
    (
        (0u8..3, any::<bool>(), prop::bool::weighted(0.2)),
        any::<bool>(),
        prop::collection::vec(col_spec(), 1..5),
        prop::option::of(0usize..8),
        prop::option::of((0usize..8, any::<bool>(), any::<bool>())),
        prop::option::of((0usize..8, 0u8..4)),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(
                (id_size, pk_named, keyless),
                autoincrement,
                columns,
                unique,
                index,
                fk,
                check,
                comment,
            )| {
                TableSpec {
                    id_size,
                    pk_named,
                    keyless,
                    autoincrement,
                    columns,
                    unique,
                    index,
                    fk,
                    check,
                    comment,
                }
            },
        )
}

/// Builds a schema from specs; table `i` may reference any earlier table.
pub fn build(specs: Vec<TableSpec>) -> Schema {
    let mut tables: Vec<Table> = Vec::new();
    for (i, spec) in specs.into_iter().enumerate() {
        let name = format!("t{i}");
        let mut t = Table::new(name.clone());
        let id_ty = [
            ColumnType::SmallInt,
            ColumnType::Integer,
            ColumnType::BigInt,
        ][spec.id_size as usize]
            .clone();
        let mut id = Column::new("id", id_ty.clone());
        id.autoincrement = spec.autoincrement;
        t.columns.push(id);
        t.primary_key = (spec.autoincrement || !spec.keyless).then(|| PrimaryKey {
            name: if spec.pk_named {
                format!("{name}_pkey")
            } else {
                naming::primary_key(&name)
            },
            columns: vec!["id".into()],
        });
        for (j, c) in spec.columns.iter().enumerate() {
            let mut col = Column::new(format!("c{j}"), c.ty.clone());
            col.nullable = c.nullable;
            col.default = c.default.map(str::to_string);
            if c.comment {
                col.comment = Some(format!("column {j}'s note"));
            }
            // A commented NOT NULL varchar has a collation of its own.
            if c.comment && !c.nullable && matches!(c.ty, ColumnType::Varchar(_)) {
                use migrate_core::dialect::DialectKind::*;
                col.collation = migrate_core::column_extras::PerDatabase::default()
                    .with(Postgres, "C")
                    .with(MySql, "utf8mb4_unicode_ci")
                    .with(Sqlite, "NOCASE");
            }
            // Some columns carry a check of their own, in the spellings databases
            // rewrite (casts, `octet_length`, quoted numbers).
            let expr = match &c.ty {
                _ if !(c.nullable && c.comment) => None,
                ty if ty.is_integer() => Some(format!("c{j} >= -5")),
                ColumnType::Decimal { .. } => Some(format!("c{j} > -1.5")),
                ColumnType::Varchar(_) => Some(format!("length(c{j}) < 100")),
                ColumnType::Text => Some(format!("c{j} <> 'x'")),
                _ => None,
            };
            if let Some(expr) = expr {
                t.checks.push(Check {
                    name: naming::check(&name, &format!("c{j}")),
                    expr,
                });
            }
            t.columns.push(col);
        }
        // A table with a comment computes a column from its first one when that
        // is a signed integer (not from the key: MySQL refuses a generated column
        // over an AUTO_INCREMENT one).
        let first_is_int = matches!(
            t.columns.get(1).map(|c| &c.ty),
            Some(ColumnType::SmallInt | ColumnType::Integer | ColumnType::BigInt)
        );
        if spec.comment && first_is_int {
            t.columns.push(Column {
                generated: Some(migrate_core::column_extras::Generated::stored("c0 + 1")),
                nullable: true,
                ..Column::new("gen", ColumnType::BigInt)
            });
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
            let mut cols = vec![IndexColumn {
                name: first,
                desc,
                ..Default::default()
            }];
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
                ..Default::default()
            });
        }
        // Only a table with a key can be referenced.
        let keyed: Vec<&Table> = tables.iter().filter(|t| t.primary_key.is_some()).collect();
        if let (Some((target, action)), false) = (spec.fk, keyed.is_empty()) {
            let target = keyed[target % keyed.len()];
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
                ..Default::default()
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

pub fn schemas() -> impl Strategy<Value = Schema> {
    prop::collection::vec(table_spec(), 1..4).prop_map(build)
}
