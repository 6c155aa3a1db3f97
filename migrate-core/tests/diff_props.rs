//! Properties of the diff on random schemas.
//!
//! Two schemas are drawn from small pools of table and column names, so they share
//! many tables and columns and differ in every kind of object: columns of every
//! type (enum types too, whose labels differ between schemas), defaults in several
//! spellings, primary keys, uniques, indexes, foreign keys
//! between the generated tables (including cycles and self-references), checks and
//! comments. For any two such schemas A and B:
//!
//! - replaying `diff(A, B)` onto A gives B;
//! - replaying the inverse of `diff(A, B)` onto B gives A;
//! - `diff(X, X)` is empty, and so is the diff between B and the replayed schema;
//! - the diff is the same every time, byte for byte once serialised;
//! - every step is executable: a strict replay refuses to drop a column, key or
//!   table that something still refers to, or to refer to what does not exist yet;
//! - a declared rename is a rename: no column or table is dropped, and replaying
//!   gives the renamed schema (with conventional constraint names following the new
//!   table name, or not).
//!
//! Columns also differ in per-database types, generated expressions (stored or
//! virtual, with a per-database expression, in two spellings), `ON UPDATE` and
//! per-database collations.
//!
//! "Gives B" means equal once normalised: columns, constraints and indexes sorted by
//! name, defaults through `normalize_default`, check expressions with whitespace
//! collapsed. SQL has no way to reorder columns without rebuilding a table, so the
//! diff never reorders them (added columns are appended, and undoing a drop appends
//! the column again); and the order constraints were declared in carries no meaning.

use std::collections::BTreeMap;

use migrate_core::column_extras::{Generated, PerDatabase};
use migrate_core::diff::{diff, diff_with_hints, DiffHints};
use migrate_core::naming;
use migrate_core::schema::normalize_default;
use migrate_core::{
    apply, apply_all, Check, Column, ColumnType, FkAction, ForeignKey, Index, IndexColumn,
    Operation, PrimaryKey, Schema, Table, Unique,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

const TABLES: [&str; 6] = ["accounts", "items", "notes", "orders", "tags", "users"];
const COLUMNS: [&str; 9] = [
    "id", "name", "email", "total", "created", "flag", "owner", "body", "score",
];
const DEFAULTS: [Option<&str>; 7] = [
    None,
    Some("0"),
    Some(" (0) "),
    Some("'draft'"),
    Some("now()"),
    Some("CURRENT_TIMESTAMP"),
    Some("1  +  2"),
];
const CHECKS: [&str; 4] = [
    "score >= 0",
    "score   >=\n 0",
    "length(name) > 0",
    "total <> 1",
];
/// Generation, `ON UPDATE` and collation a column may have (index into this).
fn extras(i: usize) -> (Option<Generated>, Option<String>, PerDatabase) {
    use migrate_core::dialect::DialectKind::*;
    let none = PerDatabase::default();
    match i {
        1 => (Some(Generated::stored("score * 2")), None, none),
        2 => (Some(Generated::stored("(SCORE*2)")), None, none),
        3 => (Some(Generated::virtual_("score * 2")), None, none),
        4 => (
            Some(Generated {
                per_database: PerDatabase::default().with(MySql, "`score` * 3"),
                ..Generated::stored("score * 3")
            }),
            None,
            none,
        ),
        5 => (None, Some("CURRENT_TIMESTAMP".into()), none),
        6 => (None, None, PerDatabase::default().with(Postgres, "C")),
        7 => (
            None,
            None,
            PerDatabase::default()
                .with(Sqlite, "NOCASE")
                .with(MySql, "utf8mb4_bin"),
        ),
        _ => (None, None, none),
    }
}
const EXTRAS: usize = 8;

const CHECK_LABELS: [&str; 3] = ["positive", "named", "total"];
const COMMENTS: [Option<&str>; 3] = [None, Some("what it holds"), Some("kept for audits")];
const ACTIONS: [FkAction; 5] = [
    FkAction::NoAction,
    FkAction::Restrict,
    FkAction::Cascade,
    FkAction::SetNull,
    FkAction::SetDefault,
];

fn all_types() -> Vec<ColumnType> {
    use ColumnType::*;
    vec![
        SmallInt,
        Integer,
        BigInt,
        Float,
        Double,
        Decimal {
            precision: 10,
            scale: 2,
        },
        Boolean,
        Text,
        Varchar(20),
        Varchar(255),
        Bytes,
        Date,
        Time,
        Timestamp,
        TimestampTz,
        Uuid,
        Json,
        Raw("CITEXT".into()),
        PerDatabase(
            migrate_core::column_extras::PerDatabase::default()
                .with(migrate_core::dialect::DialectKind::Postgres, "text[]"),
        ),
        PerDatabase(
            migrate_core::column_extras::PerDatabase::default()
                .with(migrate_core::dialect::DialectKind::Postgres, "jsonb")
                .with(migrate_core::dialect::DialectKind::MySql, "json"),
        ),
        Unsigned(migrate_core::UnsignedBits::U16),
        Unsigned(migrate_core::UnsignedBits::U64),
        // The labels are chosen per schema (`MOODS`), so two schemas can differ
        // in them; `level` is the same everywhere.
        Enum {
            name: "mood".into(),
            values: Vec::new(),
        },
        Enum {
            name: "level".into(),
            values: vec!["low".into(), "high".into()],
        },
    ]
}

/// The labels of `mood` a schema may have: added, removed, reordered, renamed.
const MOODS: [&[&str]; 4] = [
    &["happy", "sad"],
    &["happy", "sad", "calm"],
    &["sad", "happy"],
    &["joyful", "sad"],
];

#[derive(Debug, Clone)]
struct ColumnSpec {
    name: usize,
    ty: usize,
    nullable: bool,
    default: usize,
    autoincrement: bool,
    comment: usize,
    extras: usize,
}

#[derive(Debug, Clone)]
struct TableSpec {
    name: usize,
    columns: Vec<ColumnSpec>,
    primary_key: Option<(Vec<usize>, bool)>,
    uniques: Vec<Vec<usize>>,
    indexes: Vec<(Vec<(usize, bool)>, bool)>,
    /// (first own column, referenced table, on-delete action)
    foreign_keys: Vec<(usize, usize, usize)>,
    checks: Vec<(usize, usize)>,
    comment: usize,
}

fn column_spec() -> impl Strategy<Value = ColumnSpec> {
    (
        0..COLUMNS.len(),
        0..all_types().len(),
        any::<bool>(),
        0..DEFAULTS.len(),
        any::<bool>(),
        0..COMMENTS.len(),
        0..EXTRAS,
    )
        .prop_map(
            |(name, ty, nullable, default, autoincrement, comment, extras)| ColumnSpec {
                name,
                ty,
                nullable,
                default,
                autoincrement,
                comment,
                extras,
            },
        )
}

fn table_spec() -> impl Strategy<Value = TableSpec> {
    (
        0..TABLES.len(),
        vec(column_spec(), 1..6),
        option::of((vec(0..6usize, 1..3), any::<bool>())),
        vec(vec(0..6usize, 1..3), 0..2),
        vec((vec((0..6usize, any::<bool>()), 1..3), any::<bool>()), 0..3),
        vec((0..6usize, 0..TABLES.len(), 0..ACTIONS.len()), 0..3),
        vec((0..CHECK_LABELS.len(), 0..CHECKS.len()), 0..2),
        0..COMMENTS.len(),
    )
        .prop_map(
            |(name, columns, primary_key, uniques, indexes, foreign_keys, checks, comment)| {
                TableSpec {
                    name,
                    columns,
                    primary_key,
                    uniques,
                    indexes,
                    foreign_keys,
                    checks,
                    comment,
                }
            },
        )
}

fn schema() -> impl Strategy<Value = Schema> {
    vec(table_spec(), 0..5).prop_map(|specs| build(&specs))
}

/// Column names of `t` at `positions` (modulo its width), without repeats.
fn pick(t: &Table, positions: impl IntoIterator<Item = usize>) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for p in positions {
        let name = &t.columns[p % t.columns.len()].name;
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    names
}

fn build(specs: &[TableSpec]) -> Schema {
    let types = all_types();
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    let mut pending_keys = Vec::new();
    for spec in specs {
        let name = TABLES[spec.name];
        if tables.contains_key(name) {
            continue;
        }
        let mut t = Table::new(name);
        for c in &spec.columns {
            if t.column(COLUMNS[c.name]).is_some() {
                continue;
            }
            let ty = types[c.ty].clone();
            let (generated, on_update, collation) = extras(c.extras);
            // A generated column has no default and no autoincrement.
            let plain = generated.is_none();
            t.columns.push(Column {
                name: COLUMNS[c.name].to_string(),
                autoincrement: plain && c.autoincrement && ty.is_integer(),
                ty,
                nullable: c.nullable,
                default: DEFAULTS[c.default].filter(|_| plain).map(str::to_string),
                comment: COMMENTS[c.comment].map(str::to_string),
                generated,
                on_update,
                collation,
            });
        }
        if let Some((positions, alternative_name)) = &spec.primary_key {
            t.primary_key = Some(PrimaryKey {
                name: if *alternative_name {
                    format!("{name}_pkey")
                } else {
                    naming::primary_key(name)
                },
                columns: pick(&t, positions.iter().copied()),
            });
        }
        for positions in &spec.uniques {
            let columns = pick(&t, positions.iter().copied());
            let unique_name = naming::unique(name, &columns);
            if !t.uniques.iter().any(|u| u.name == unique_name) {
                t.uniques.push(Unique {
                    name: unique_name,
                    columns,
                });
            }
        }
        for (positions, unique) in &spec.indexes {
            let columns = pick(&t, positions.iter().map(|&(p, _)| p));
            let index_name = naming::index(name, &columns);
            if t.indexes.iter().any(|i| i.name == index_name) {
                continue;
            }
            let columns = columns
                .into_iter()
                .zip(positions)
                .map(|(name, &(_, desc))| IndexColumn {
                    name,
                    desc,
                    ..Default::default()
                })
                .collect();
            t.indexes.push(Index {
                name: index_name,
                columns,
                unique: *unique,
                ..Default::default()
            });
        }
        for &(label, expr) in &spec.checks {
            let check_name = naming::check(name, CHECK_LABELS[label]);
            // A check names columns of its table (a schema whose check names a
            // missing column cannot be rendered).
            let columns_exist = migrate_core::dialect::tokens::referenced_columns(CHECKS[expr])
                .iter()
                .all(|c| t.column(c).is_some());
            if columns_exist && !t.checks.iter().any(|c| c.name == check_name) {
                t.checks.push(Check {
                    name: check_name,
                    expr: CHECKS[expr].to_string(),
                });
            }
        }
        t.comment = COMMENTS[spec.comment].map(str::to_string);
        pending_keys.push((name, spec.foreign_keys.clone()));
        tables.insert(name.to_string(), t);
    }
    // Foreign keys refer to the primary key of a generated table, from as many
    // columns of their own table.
    let names: Vec<String> = tables.keys().cloned().collect();
    for (name, keys) in pending_keys {
        for (first, target, action) in keys {
            let ref_table = &names[target % names.len()];
            let referenced = &tables[ref_table];
            let Some(pk) = &referenced.primary_key else {
                continue;
            };
            let ref_columns = pk.columns.clone();
            let own = &tables[name];
            if ref_columns.len() > own.columns.len() {
                continue;
            }
            let columns = pick(own, (0..ref_columns.len()).map(|j| first + j));
            let key_name = naming::foreign_key(name, &columns, ref_table);
            if own.foreign_keys.iter().any(|fk| fk.name == key_name) {
                continue;
            }
            let fk = ForeignKey {
                name: key_name,
                columns,
                ref_table: ref_table.clone(),
                ref_columns,
                on_delete: ACTIONS[action],
                on_update: FkAction::NoAction,
                ..Default::default()
            };
            tables
                .get_mut(name)
                .expect("built above")
                .foreign_keys
                .push(fk);
        }
    }
    // One choice of `mood`'s labels for the whole schema, so its columns agree.
    let moods: Vec<String> = MOODS[tables.len() % MOODS.len()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for c in tables.values_mut().flat_map(|t| t.columns.iter_mut()) {
        if let ColumnType::Enum { name, values } = &mut c.ty {
            if name == "mood" {
                *values = moods.clone();
            }
        }
    }
    Schema::from_tables(tables.into_values())
}

/// The schema with every order and spelling that carries no meaning removed.
fn normalised(schema: &Schema) -> Schema {
    let mut s = schema.clone();
    for t in s.tables.values_mut() {
        t.columns.sort_by(|a, b| a.name.cmp(&b.name));
        for c in &mut t.columns {
            c.default = c.default.as_deref().map(normalize_default);
            if let Some(g) = &mut c.generated {
                g.expr = normalize_default(&g.expr);
            }
        }
        t.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        t.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        t.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        t.checks.sort_by(|a, b| a.name.cmp(&b.name));
        for c in &mut t.checks {
            c.expr = c.expr.split_whitespace().collect::<Vec<_>>().join(" ");
        }
    }
    s
}

#[path = "diff_support/strict.rs"]
mod strict;

/// `schema` with every primary key under its other generated name.
fn with_primary_keys_renamed(schema: &Schema) -> Schema {
    let mut s = schema.clone();
    for t in s.tables.values_mut() {
        if let Some(pk) = &mut t.primary_key {
            pk.name = if pk.name.starts_with("pk_") {
                format!("{}_pkey", t.name)
            } else {
                naming::primary_key(&t.name)
            };
        }
    }
    s
}

/// Replaying `diff(a, b)` onto `a` gives `b`, executably, and its inverse takes it back.
fn round_trip(a: &Schema, b: &Schema) -> Result<(), TestCaseError> {
    let ops = diff(a, b);

    let mut replayed = a.clone();
    strict::apply_all(&mut replayed, &ops).map_err(TestCaseError::fail)?;
    prop_assert_eq!(normalised(&replayed), normalised(b));
    prop_assert!(diff(b, &replayed).is_empty());

    let back = Operation::invert_all(&ops).expect("the diff writes no raw SQL");
    let mut restored = b.clone();
    strict::apply_all(&mut restored, &back).map_err(TestCaseError::fail)?;
    prop_assert_eq!(normalised(&restored), normalised(a));

    // The lenient replay the revision graph uses agrees with the strict one.
    let mut lenient = a.clone();
    apply_all(&mut lenient, &ops).unwrap();
    prop_assert_eq!(lenient, replayed);
    Ok(())
}

/// `schema` after table `from` became `to` with every conventional name following
/// (its primary key, uniques, indexes and foreign keys, and the foreign keys of
/// other tables that reference it), as the models would declare it.
fn renamed_by_convention(schema: &Schema, from: &str, to: &str) -> Schema {
    let mut s = schema.clone();
    apply(
        &mut s,
        &Operation::RenameTable {
            from: from.into(),
            to: to.into(),
        },
    )
    .unwrap();
    let t = s.tables.get_mut(to).unwrap();
    if let Some(pk) = &mut t.primary_key {
        if pk.name == naming::primary_key(from) {
            pk.name = naming::primary_key(to);
        }
    }
    for u in &mut t.uniques {
        u.name = naming::unique(to, &u.columns);
    }
    for i in &mut t.indexes {
        let columns: Vec<&str> = i.columns.iter().map(|c| c.name.as_str()).collect();
        i.name = naming::index(to, &columns);
    }
    for t in s.tables.values_mut() {
        let name = t.name.clone();
        for fk in &mut t.foreign_keys {
            if name == to || fk.ref_table == to {
                fk.name = naming::foreign_key(&name, &fk.columns, &fk.ref_table);
            }
        }
    }
    s
}

#[derive(serde::Serialize)]
struct Serialised<'a> {
    ops: &'a [Operation],
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn replaying_the_diff_gives_the_target_and_its_inverse_the_source(a in schema(), b in schema()) {
        round_trip(&a, &b)?;
        // Same keys under other names: every foreign key resting on a renamed primary
        // key must be dropped and added around it.
        round_trip(&a, &with_primary_keys_renamed(&a))?;
    }

    #[test]
    fn a_schema_has_no_diff_with_itself_and_the_diff_is_deterministic(a in schema(), b in schema()) {
        prop_assert!(diff(&a, &a).is_empty());
        prop_assert!(diff(&b, &b).is_empty());
        let once = toml::to_string(&Serialised { ops: &diff(&a, &b) }).unwrap();
        let again = toml::to_string(&Serialised { ops: &diff(&a.clone(), &b.clone()) }).unwrap();
        prop_assert_eq!(once, again);
    }

    #[test]
    fn operations_survive_the_form_the_build_script_embeds(a in schema(), b in schema()) {
        let ops = migrate_core::embed::EmbeddedOps { upgrade: diff(&a, &b), downgrade: diff(&b, &a) };
        prop_assert_eq!(migrate_core::embed::EmbeddedOps::from_json(&ops.to_json()).unwrap(), ops);
    }

    #[test]
    fn declared_renames_are_renames_and_nothing_else(
        a in schema(),
        table in any::<prop::sample::Index>(),
        column in any::<prop::sample::Index>(),
    ) {
        prop_assume!(!a.tables.is_empty());
        let old_table = a.tables.keys().nth(table.index(a.tables.len())).unwrap().clone();
        let t = &a.tables[&old_table];
        let old_column = t.columns[column.index(t.columns.len())].name.clone();
        let renames = [
            Operation::RenameTable { from: old_table.clone(), to: "renamed_table".into() },
            Operation::RenameColumn {
                table: "renamed_table".into(),
                from: old_column.clone(),
                to: "renamed_column".into(),
            },
        ];
        let mut b = a.clone();
        apply_all(&mut b, &renames).unwrap();
        let hints = DiffHints::new()
            .rename_table(old_table, "renamed_table")
            .rename_column("renamed_table", old_column, "renamed_column");
        let ops = diff_with_hints(&a, &b, &hints);
        prop_assert_eq!(&ops[..], &renames[..]);
        let mut replayed = a.clone();
        for op in &ops {
            apply(&mut replayed, op).unwrap();
        }
        prop_assert_eq!(replayed, b);
    }

    #[test]
    fn a_declared_table_rename_with_conventional_names_keeps_the_data_and_executes(
        a in schema(),
        table in any::<prop::sample::Index>(),
    ) {
        prop_assume!(!a.tables.is_empty());
        let old_table = a.tables.keys().nth(table.index(a.tables.len())).unwrap().clone();
        let b = renamed_by_convention(&a, &old_table, "renamed_table");
        let hints = DiffHints::new().rename_table(old_table, "renamed_table");
        let ops = diff_with_hints(&a, &b, &hints);
        prop_assert!(matches!(ops[0], Operation::RenameTable { .. }), "{:?}", ops);
        prop_assert!(
            !ops.iter().any(|op| matches!(op, Operation::DropColumn { .. } | Operation::DropTable { .. })),
            "{:?}", ops
        );
        let mut replayed = a.clone();
        strict::apply_all(&mut replayed, &ops).map_err(TestCaseError::fail)?;
        prop_assert_eq!(normalised(&replayed), normalised(&b));
        let mut restored = b.clone();
        strict::apply_all(&mut restored, &Operation::invert_all(&ops).unwrap())
            .map_err(TestCaseError::fail)?;
        prop_assert_eq!(normalised(&restored), normalised(&a));
    }
}
