//! Operator classes and collations on index keys, on each server that has them:
//! PostgreSQL (`text_pattern_ops`, `gin_trgm_ops` with the `pg_trgm` extension,
//! `COLLATE "C"`, on a column and on an expression key) and SQLite
//! (`COLLATE NOCASE`): render → execute → introspect gives back exactly the
//! schema asked for and the live check is clean, after the create, after an
//! upgrade that changes them and after its downgrade, with rows present. MariaDB
//! has neither: rendering for it is an error that says so.

mod util;

use migrate_core::dialect::{render_ops, DialectKind as Kind};
use migrate_core::objects::{ObjectKind, SchemaObject};
use migrate_core::schema::{Index, IndexColumn, IndexMethod, PrimaryKey};
use migrate_core::{Column, ColumnType, Operation, Schema, Table};
use migrate_introspect::{check, IntrospectOptions};
use util::{count, run, step, throwaway, TestDb};

/// [`step`], then the live check of the result is clean.
async fn checked_step(db: &TestDb, schema: &mut Schema, ops: &[Operation], when: &str) {
    step(db, schema, ops, when).await;
    let drift = check(db.url(), schema, &IntrospectOptions::default())
        .await
        .unwrap();
    assert!(drift.is_empty(), "{:?} {when}: drift {drift:#?}", db.kind());
}

fn key(name: &str, opclass: Option<&str>, collation: Option<&str>) -> IndexColumn {
    IndexColumn {
        opclass: opclass.map(Into::into),
        collation: collation.map(Into::into),
        ..IndexColumn::asc(name)
    }
}

fn index(name: &str, columns: Vec<IndexColumn>) -> Index {
    Index {
        name: name.into(),
        columns,
        ..Default::default()
    }
}

/// `person (id, name, email)` with the indexes of `kind`.
fn create_ops(kind: Kind) -> Vec<Operation> {
    let mut person = Table::new("person");
    person.columns = vec![
        Column::new("id", ColumnType::Integer),
        Column::new("name", ColumnType::Varchar(100)),
        Column::new("email", ColumnType::Text),
    ];
    person.primary_key = Some(PrimaryKey {
        name: "pk_person".into(),
        columns: vec!["id".into()],
    });
    let mut ops = Vec::new();
    match kind {
        Kind::Postgres => {
            ops.push(Operation::CreateObject {
                object: SchemaObject::new(ObjectKind::Extension, "pg_trgm", ""),
            });
            person.indexes = vec![
                index(
                    "ix_person_email_prefix",
                    vec![key("email", Some("text_pattern_ops"), None)],
                ),
                index(
                    "ix_person_name_c",
                    vec![
                        key("name", None, Some("C")),
                        IndexColumn {
                            desc: true,
                            ..key("id", None, None)
                        },
                    ],
                ),
                Index {
                    method: Some(IndexMethod::Gin),
                    ..index(
                        "ix_person_name_trgm",
                        vec![key("name", Some("gin_trgm_ops"), None)],
                    )
                },
            ];
        }
        _ => {
            person.indexes = vec![index(
                "ix_person_name_nocase",
                vec![key("name", None, Some("NOCASE"))],
            )];
        }
    }
    ops.push(Operation::CreateTable { table: person });
    ops
}

/// Changes the keys: another collation, and an expression key with an operator
/// class and a collation.
fn change_ops(kind: Kind, before: &Schema) -> Vec<Operation> {
    let table = &before.tables["person"];
    let mut ops = Vec::new();
    let replace = |ops: &mut Vec<Operation>, old: &Index, new: Index| {
        ops.push(Operation::DropIndex {
            table: "person".into(),
            index: old.clone(),
        });
        ops.push(Operation::CreateIndex {
            table: "person".into(),
            index: new,
        });
    };
    let expression = |sql: &str, opclass: Option<&str>, collation: &str| IndexColumn {
        name: sql.into(),
        expression: true,
        opclass: opclass.map(Into::into),
        collation: Some(collation.into()),
        ..Default::default()
    };
    match kind {
        Kind::Postgres => {
            let old = &table.indexes[1];
            let mut new = old.clone();
            new.columns[0].collation = Some("POSIX".into());
            replace(&mut ops, old, new);
            ops.push(Operation::CreateIndex {
                table: "person".into(),
                index: index(
                    "ix_person_email_lower",
                    vec![expression("lower(email)", Some("text_pattern_ops"), "C")],
                ),
            });
        }
        _ => {
            let old = &table.indexes[0];
            let mut new = old.clone();
            new.columns[0].collation = Some("RTRIM".into());
            replace(&mut ops, old, new);
            ops.push(Operation::CreateIndex {
                table: "person".into(),
                index: index(
                    "ix_person_email_lower",
                    vec![expression("lower(email)", None, "NOCASE")],
                ),
            });
        }
    }
    ops
}

async fn index_keys_round_trip(kind: Kind) {
    let Some(db) = throwaway(kind).await else {
        return;
    };
    let mut schema = Schema::new();
    let create = create_ops(kind);
    checked_step(&db, &mut schema, &create, "after create").await;
    run(
        &db,
        &[
            "INSERT INTO person (id, name, email) VALUES (1, 'Ann', 'ann@x'), (2, 'bob', 'bob@x')"
                .into(),
        ],
    )
    .await
    .unwrap();
    if kind == Kind::Sqlite {
        // The NOCASE key is what the query planner uses for a NOCASE comparison.
        let plan = "SELECT count(*) FROM person WHERE name = 'ANN' COLLATE NOCASE";
        assert_eq!(count(&db, plan).await, 1);
    }
    let changes = change_ops(kind, &schema);
    checked_step(&db, &mut schema, &changes, "after upgrade").await;
    let undo = Operation::invert_all(&changes).unwrap();
    checked_step(&db, &mut schema, &undo, "after downgrade").await;
    assert_eq!(count(&db, "SELECT count(*) FROM person").await, 2);
    let down = Operation::invert_all(&create).unwrap();
    step(&db, &mut schema, &down, "after dropping").await;
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn index_key_collations_round_trip_on_sqlite() {
    index_keys_round_trip(Kind::Sqlite).await;
}

#[tokio::test]
async fn index_key_opclasses_and_collations_round_trip_on_postgres() {
    index_keys_round_trip(Kind::Postgres).await;
}

/// A key collation that equals its column's own collation is what the database
/// would use anyway and reads back as none: stating it is not drift.
async fn a_key_collation_equal_to_the_columns_is_not_drift(kind: Kind, collation: &str) {
    let Some(db) = throwaway(kind).await else {
        return;
    };
    let mut person = Table::new("person");
    let mut email = Column::new("email", ColumnType::Text);
    email.collation = migrate_core::column_extras::PerDatabase::default().with(kind, collation);
    person.columns = vec![Column::new("id", ColumnType::Integer), email];
    person.indexes = vec![index(
        "ix_person_email",
        vec![key("email", None, Some(collation))],
    )];
    let mut schema = Schema::new();
    checked_step(
        &db,
        &mut schema,
        &[Operation::CreateTable { table: person }],
        "after create",
    )
    .await;
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn a_key_collation_equal_to_the_columns_is_not_drift_on_postgres() {
    a_key_collation_equal_to_the_columns_is_not_drift(Kind::Postgres, "C").await;
}

#[tokio::test]
async fn a_key_collation_equal_to_the_columns_is_not_drift_on_sqlite() {
    a_key_collation_equal_to_the_columns_is_not_drift(Kind::Sqlite, "NOCASE").await;
}

/// MariaDB stores neither: rendering says which index, which key and what to do.
#[test]
fn mariadb_refuses_index_key_opclasses_and_collations() {
    for (opclass, collation, says) in [
        (
            Some("text_pattern_ops"),
            None,
            "only PostgreSQL has operator classes",
        ),
        (None, Some("utf8mb4_bin"), "no collation per index key"),
    ] {
        let mut ops = create_ops(Kind::Sqlite);
        let Operation::CreateTable { table } = &mut ops[0] else {
            panic!()
        };
        table.indexes[0].columns[0] = key("name", opclass, collation);
        let e = render_ops(Kind::MySql, &Schema::new(), &ops)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("ix_person_name_nocase") && e.contains("`name`") && e.contains(says),
            "{e}"
        );
    }
}
