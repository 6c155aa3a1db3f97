//! Golden tests: the exact SQL of every operation kind, per dialect.
//!
//! Each dialect's SQL for the shared operation sequence (`fixtures/every_op.rs`)
//! is compared with `golden/sql/<dialect>.sql`. After an intended change, rerun
//! with `UPDATE_GOLDEN=1` and review the diff of the golden files.

#[path = "fixtures/every_op.rs"]
#[allow(dead_code)]
mod every_op;

use std::path::PathBuf;

use migrate_core::dialect::{dialect, render_ops, DialectKind, RenderError};
use migrate_core::{apply, ColumnType, Operation, Schema};

/// Renders every operation, one block per operation with a comment naming it.
fn render_all(kind: DialectKind) -> String {
    let mut schema = Schema::new();
    let mut out = String::new();
    for op in every_op::create_ops().iter().chain(&every_op::change_ops()) {
        let statements = render_ops(kind, &schema, std::slice::from_ref(op))
            .unwrap_or_else(|e| panic!("{kind}: {}: {e}", op.describe()));
        out.push_str(&format!("-- {}\n", op.describe()));
        if statements.is_empty() {
            out.push_str("-- (nothing to do on this database)\n");
        }
        for s in statements {
            let mut flags = Vec::new();
            if !s.transactional {
                flags.push("outside transaction");
            }
            if s.implicit_commit {
                flags.push("implicit commit");
            }
            if s.foreign_keys_off {
                flags.push("foreign keys off");
            }
            if !flags.is_empty() {
                out.push_str(&format!("-- [{}]\n", flags.join(", ")));
            }
            out.push_str(&s.sql);
            out.push_str(";\n");
        }
        out.push('\n');
        apply(&mut schema, op).unwrap();
    }
    out
}

fn check_golden(kind: DialectKind) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/sql")
        .join(format!("{kind}.sql"));
    let actual = render_all(kind);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1", path.display()));
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{kind} SQL differs from {} at line {}:\nexpected: {:?}\nactual:   {:?}\n\
             (rerun with UPDATE_GOLDEN=1 if the change is intended)",
            path.display(),
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

#[test]
fn postgres_sql_matches_golden_file() {
    check_golden(DialectKind::Postgres);
}

#[test]
fn mysql_sql_matches_golden_file() {
    check_golden(DialectKind::MySql);
}

#[test]
fn sqlite_sql_matches_golden_file() {
    check_golden(DialectKind::Sqlite);
}

#[test]
fn mysql_refuses_text_in_an_index_and_names_max_len() {
    let mut schema = Schema::new();
    let mut t = migrate_core::Table::new("doc");
    t.columns = vec![migrate_core::Column::new("body", ColumnType::Text)];
    apply(&mut schema, &Operation::CreateTable { table: t }).unwrap();
    let op = Operation::CreateIndex {
        table: "doc".into(),
        index: migrate_core::Index {
            name: "ix_doc_body".into(),
            columns: vec![migrate_core::IndexColumn::asc("body")],
            unique: false,
        },
    };
    let err = render_ops(DialectKind::MySql, &schema, std::slice::from_ref(&op)).unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, RenderError::Unsupported { .. }), "{err:?}");
    assert!(
        text.contains("'body'") && text.contains("max_len"),
        "{text}"
    );
    // The other databases index text as is.
    assert!(render_ops(DialectKind::Postgres, &schema, &[op]).is_ok());
}

#[test]
fn identifiers_longer_than_the_limit_are_refused() {
    let long = "x".repeat(64);
    let op = Operation::CreateTable {
        table: {
            let mut t = migrate_core::Table::new(long.clone());
            t.columns = vec![migrate_core::Column::new("id", ColumnType::Integer)];
            t
        },
    };
    let err = render_ops(
        DialectKind::Postgres,
        &Schema::new(),
        std::slice::from_ref(&op),
    )
    .unwrap_err();
    assert!(err.to_string().contains("limit is 63"), "{err}");
    // MySQL allows 64 characters, SQLite has no limit.
    assert!(render_ops(
        DialectKind::MySql,
        &Schema::new(),
        std::slice::from_ref(&op)
    )
    .is_ok());
    assert!(render_ops(DialectKind::Sqlite, &Schema::new(), &[op]).is_ok());
}

#[test]
fn sqlite_autoincrement_needs_the_single_integer_key() {
    let mut t = migrate_core::Table::new("t");
    let mut id = migrate_core::Column::new("id", ColumnType::BigInt);
    id.autoincrement = true;
    t.columns = vec![id];
    let op = Operation::CreateTable { table: t };
    let err = render_ops(DialectKind::Sqlite, &Schema::new(), &[op]).unwrap_err();
    assert!(
        err.to_string()
            .contains("single-column integer primary key"),
        "{err}"
    );
}

#[test]
fn capabilities_differ_where_the_databases_do() {
    let pg = dialect(DialectKind::Postgres).capabilities();
    let my = dialect(DialectKind::MySql).capabilities();
    let lite = dialect(DialectKind::Sqlite).capabilities();
    assert!(pg.transactional_ddl && lite.transactional_ddl && !my.transactional_ddl);
    assert!(lite.table_rebuild && !pg.table_rebuild && !my.table_rebuild);
    assert!(!lite.supports_comments && pg.supports_comments && my.supports_comments);
    assert_eq!((pg.max_identifier_len, my.max_identifier_len), (63, 64));
}

/// The offline script for the fixture's two steps (create, then every change) as
/// two revisions, per dialect, compared with `golden/sql/offline_<dialect>.sql`.
fn offline_script(kind: DialectKind) -> String {
    use migrate_core::dialect::version_table::VersionTables;
    use migrate_core::offline::{render_script, Direction, ScriptRevision};
    let create = every_op::create_ops();
    let revs = vec![
        ScriptRevision {
            id: "aaaaaaaaaaaa".into(),
            parents: vec![],
            message: "create".into(),
            checksum: Some("sha256:00".into()),
            downgrade: Operation::invert_all(&create).unwrap(),
            upgrade: create,
        },
        ScriptRevision {
            id: "bbbbbbbbbbbb".into(),
            parents: vec!["aaaaaaaaaaaa".into()],
            message: "every change".into(),
            checksum: None,
            upgrade: every_op::change_ops(),
            downgrade: vec![],
        },
    ];
    render_script(
        kind,
        &VersionTables::default(),
        &Schema::new(),
        &revs,
        Direction::Upgrade,
    )
    .unwrap()
}

fn check_offline_golden(kind: DialectKind) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/sql")
        .join(format!("offline_{kind}.sql"));
    let actual = offline_script(kind);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1", path.display()));
    assert!(
        expected == actual,
        "{kind} offline script differs from {}; rerun with UPDATE_GOLDEN=1 if intended",
        path.display()
    );
}

#[test]
fn offline_scripts_match_golden_files() {
    for kind in DialectKind::ALL {
        check_offline_golden(kind);
    }
}
