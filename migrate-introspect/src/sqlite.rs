//! SQLite: reads `sqlite_master` and the table pragmas.
//!
//! Pragmas give columns, keys and indexes; constraint names, checks and
//! `AUTOINCREMENT` come from the stored `CREATE TABLE` text ([`crate::sqlite_ddl`]).
//! A constraint stored without a name gets its conventional name
//! ([`migrate_core::naming`]). The automatic indexes behind UNIQUE and PRIMARY KEY
//! constraints are reported as those constraints only. SQLite keeps no comments.

use std::collections::BTreeMap;

use migrate_core::{
    naming, Check, Column, ColumnType, ForeignKey, Index, IndexColumn, PrimaryKey, Schema, Table,
    Unique,
};
use sqlx::SqlitePool;

use crate::error::{get, IntrospectError};
use crate::normalize::normalize_column_default;
use crate::sqlite_ddl::parse_create_table;
use crate::IntrospectOptions;

/// Reads the schema of a SQLite database.
pub(crate) async fn introspect(
    pool: &SqlitePool,
    options: &IntrospectOptions,
) -> Result<Schema, IntrospectError> {
    let rows = sqlx::query(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .map_err(IntrospectError::query("SQLite tables (sqlite_master)"))?;
    let mut tables = BTreeMap::new();
    for row in rows {
        let name: String = get!(row, 0);
        if !options.wants(&name) {
            continue;
        }
        let sql: Option<String> = get!(row, 1);
        let table = read_table(pool, &name, sql.as_deref().unwrap_or("")).await?;
        tables.insert(name, table);
    }
    // A foreign key written without target columns points at the primary key.
    let pks: BTreeMap<String, Vec<String>> = tables
        .iter()
        .filter_map(|(n, t): (&String, &Table)| {
            t.primary_key
                .as_ref()
                .map(|pk| (n.clone(), pk.columns.clone()))
        })
        .collect();
    for table in tables.values_mut() {
        for fk in &mut table.foreign_keys {
            if fk.ref_columns.iter().any(String::is_empty) {
                if let Some(cols) = pks.get(&fk.ref_table) {
                    fk.ref_columns = cols.clone();
                }
            }
        }
    }
    let mut schema = Schema {
        tables,
        objects: crate::objects::sqlite::read(pool, options).await?,
        ..Schema::default()
    };
    crate::enums::one_type_per_column(&mut schema);
    Ok(schema)
}

async fn read_table(pool: &SqlitePool, name: &str, sql: &str) -> Result<Table, IntrospectError> {
    let ddl = parse_create_table(sql);
    let mut table = Table::new(name);

    let columns = sqlx::query(
        "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_xinfo(?) \
         WHERE hidden <> 1 ORDER BY cid",
    )
    .bind(name)
    .fetch_all(pool)
    .await
    .map_err(IntrospectError::query(format!(
        "columns of SQLite table `{name}`"
    )))?;
    let mut pk: Vec<(i64, String)> = Vec::new();
    for row in columns {
        let col_name: String = get!(row, 0);
        let declared: String = get!(row, 1);
        let ty = crate::read_type(migrate_core::dialect::DialectKind::Sqlite, &declared);
        let mut column = Column::new(col_name.clone(), ty);
        column.nullable = get!(row, 2 => i64) == 0;
        if let Some(d) = get!(row, 3 => Option<String>) {
            if !d.eq_ignore_ascii_case("null") {
                column.default = Some(normalize_column_default(&column.ty, &d));
            }
        }
        // Generated columns are listed by `table_xinfo` only (hidden 2 or 3);
        // their expression and collations are in the CREATE text.
        if let Some((_, collation, generated)) =
            ddl.column_extras.iter().find(|(c, _, _)| *c == col_name)
        {
            if let Some(name) = collation {
                column.collation = column
                    .collation
                    .clone()
                    .with(migrate_core::dialect::DialectKind::Sqlite, name.clone());
            }
            column.generated = generated.clone();
        }
        let pk_pos: i64 = get!(row, 4);
        if pk_pos > 0 {
            pk.push((pk_pos, col_name));
        }
        table.columns.push(column);
    }
    pk.sort();
    if !pk.is_empty() {
        let columns: Vec<String> = pk.into_iter().map(|(_, c)| c).collect();
        if ddl.autoincrement && columns.len() == 1 {
            if let Some(c) = table.column_mut(&columns[0]) {
                c.autoincrement = true;
                // An INTEGER PRIMARY KEY is never NULL, whatever the pragma says.
                c.nullable = false;
            }
        }
        // Nor is a single-column INTEGER key without AUTOINCREMENT (the rowid alias).
        if let [only] = columns.as_slice() {
            if let Some(c) = table.column_mut(only) {
                if c.ty == ColumnType::Integer {
                    c.nullable = false;
                }
            }
        }
        table.primary_key = Some(PrimaryKey {
            name: ddl
                .pk_name
                .clone()
                .unwrap_or_else(|| naming::primary_key(name)),
            columns,
        });
    }

    let indexes = sqlx::query(
        "SELECT il.name, il.\"unique\", il.origin, il.partial, m.sql
         FROM pragma_index_list(?) il LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = il.name
         ORDER BY il.name",
    )
    .bind(name)
    .fetch_all(pool)
    .await
    .map_err(IntrospectError::query(format!(
        "indexes of SQLite table `{name}`"
    )))?;
    for row in indexes {
        let index_name: String = get!(row, 0);
        let unique = get!(row, 1 => i64) == 1;
        let origin: String = get!(row, 2);
        let partial = get!(row, 3 => i64) == 1;
        if origin == "pk" {
            continue;
        }
        let written = get!(row, 4 => Option<String>)
            .map(|sql| crate::sqlite_index::parse_create_index(&sql))
            .unwrap_or_default();
        let parts = sqlx::query(
            "SELECT cid, name, \"desc\", coll FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
        )
        .bind(&index_name)
        .fetch_all(pool)
        .await
        .map_err(IntrospectError::query(format!(
            "columns of SQLite index `{index_name}`"
        )))?;
        let mut columns = Vec::new();
        let mut unreadable = false;
        for (seqno, part) in parts.into_iter().enumerate() {
            let desc = get!(part, 2 => i64) == 1;
            // Rule: a key's collation is recorded where it is not the one the key
            // has anyway (its column's, else BINARY).
            let coll: Option<String> = get!(part, 3);
            let collation = |column: Option<&str>| {
                let own = column
                    .and_then(|c| table.column(c))
                    .and_then(|c| c.collation.get(migrate_core::dialect::DialectKind::Sqlite))
                    .unwrap_or("BINARY");
                coll.clone().filter(|c| !c.eq_ignore_ascii_case(own))
            };
            match get!(part, 1 => Option<String>) {
                Some(col) if get!(part, 0 => i64) >= 0 => columns.push(IndexColumn {
                    collation: collation(Some(&col)),
                    name: col,
                    desc,
                    ..Default::default()
                }),
                // An expression key (cid -2): its SQL is in the CREATE INDEX text.
                _ => match written.keys.get(seqno) {
                    Some(sql) => columns.push(IndexColumn {
                        name: sql.clone(),
                        desc,
                        expression: true,
                        collation: collation(None),
                        ..Default::default()
                    }),
                    None => unreadable = true,
                },
            }
        }
        // Rule: an index whose text could not be read is left to `unmodelled`
        // rather than read without its expression or predicate.
        if unreadable || (partial && written.predicate.is_none()) {
            continue;
        }
        if origin == "u" {
            let cols: Vec<String> = columns.into_iter().map(|c| c.name).collect();
            let given = ddl
                .uniques
                .iter()
                .find(|(_, c)| *c == cols)
                .and_then(|(n, _)| n.clone());
            table.uniques.push(Unique {
                name: given.unwrap_or_else(|| naming::unique(name, &cols)),
                columns: cols,
            });
        } else {
            table.indexes.push(Index {
                name: index_name,
                columns,
                unique,
                predicate: written.predicate.filter(|_| partial),
                ..Default::default()
            });
        }
    }

    let fks = sqlx::query(
        "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq",
    )
    .bind(name)
    .fetch_all(pool)
    .await
    .map_err(IntrospectError::query(format!("foreign keys of SQLite table `{name}`")))?;
    let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
    for row in fks {
        let id: i64 = get!(row, 0);
        let ref_table: String = get!(row, 1);
        let on_delete = get!(row, 5 => String).parse().unwrap_or_default();
        let on_update = get!(row, 4 => String).parse().unwrap_or_default();
        let fk = by_id.entry(id).or_insert_with(|| ForeignKey {
            name: String::new(),
            columns: Vec::new(),
            ref_table,
            ref_columns: Vec::new(),
            on_delete,
            on_update,
            ..Default::default()
        });
        fk.columns.push(get!(row, 2));
        fk.ref_columns
            .push(get!(row, 3 => Option<String>).unwrap_or_default());
    }
    // pragma_foreign_key_list numbers keys from the last one written.
    let mut fks: Vec<ForeignKey> = by_id.into_values().rev().collect();
    for fk in &mut fks {
        let declared = ddl.foreign_keys.iter().position(|(_, cols, target)| {
            *cols == fk.columns && target.eq_ignore_ascii_case(&fk.ref_table)
        });
        if let Some(at) = declared {
            fk.deferrable = ddl.fk_deferrable.get(at).copied().unwrap_or_default();
        }
        let given = declared.and_then(|at| ddl.foreign_keys[at].0.clone());
        fk.name = given.unwrap_or_else(|| naming::foreign_key(name, &fk.columns, &fk.ref_table));
    }
    table.foreign_keys = fks;

    for (i, (check_name, expr, column)) in ddl.checks.iter().enumerate() {
        let label = column.clone().unwrap_or_else(|| (i + 1).to_string());
        table.checks.push(Check {
            name: check_name
                .clone()
                .unwrap_or_else(|| naming::check(name, &label)),
            expr: crate::normalize::normalize_check(expr),
        });
    }
    crate::unsigned::fold_range_checks(migrate_core::dialect::DialectKind::Sqlite, &mut table);
    crate::enums::fold_sqlite_checks(&mut table);
    Ok(table)
}
