//! Golden tests: the exact SQL of every operation kind, per dialect.
//!
//! Each dialect's SQL for the shared operation sequence (`fixtures/every_op.rs`)
//! is compared with `golden/sql/<dialect>.sql`. After an intended change, rerun
//! with `UPDATE_GOLDEN=1` and review the diff of the golden files.

#[path = "fixtures/column_extras_ops.rs"]
#[allow(dead_code)]
mod column_extras_ops;
#[path = "fixtures/enum_ops.rs"]
#[allow(dead_code)]
mod enum_ops;
#[path = "fixtures/every_op.rs"]
#[allow(dead_code)]
mod every_op;
#[path = "fixtures/unsigned_ops.rs"]
#[allow(dead_code)]
mod unsigned_ops;

use std::path::PathBuf;

use migrate_core::dialect::{dialect, render_ops, DialectKind, RenderError};
use migrate_core::{apply, ColumnType, Operation, Schema};

/// Renders every operation, one block per operation with a comment naming it.
fn render_all(kind: DialectKind) -> String {
    let ops: Vec<Operation> = every_op::create_ops()
        .into_iter()
        .chain(every_op::change_ops())
        .collect();
    render_list(kind, &ops)
}

/// Renders `ops` from an empty schema, one block per operation.
fn render_list(kind: DialectKind, ops: &[Operation]) -> String {
    let mut schema = Schema::new();
    let mut out = String::new();
    for op in ops {
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
    compare_golden(kind, &format!("{kind}.sql"), render_all(kind));
}

/// The unsigned columns' SQL (`fixtures/unsigned_ops.rs`), in `golden/sql/unsigned_<dialect>.sql`.
fn check_unsigned_golden(kind: DialectKind) {
    let ops: Vec<Operation> = unsigned_ops::create_ops()
        .into_iter()
        .chain(unsigned_ops::change_ops())
        .collect();
    compare_golden(
        kind,
        &format!("unsigned_{kind}.sql"),
        render_list(kind, &ops),
    );
}

/// Per-database types, generated columns, collations and `ON UPDATE`
/// (`fixtures/column_extras_ops.rs`), created, changed and changed back, in
/// `golden/sql/column_extras_<dialect>.sql`.
fn check_column_extras_golden(kind: DialectKind) {
    let changes = column_extras_ops::change_ops(kind);
    let ops: Vec<Operation> = column_extras_ops::create_ops(kind)
        .into_iter()
        .chain(changes.clone())
        .chain(Operation::invert_all(&changes).unwrap())
        .collect();
    compare_golden(
        kind,
        &format!("column_extras_{kind}.sql"),
        render_list(kind, &ops),
    );
}

#[test]
fn column_extras_sql_matches_golden_files() {
    for kind in DialectKind::ALL {
        check_column_extras_golden(kind);
    }
}

/// Enum types' SQL (`fixtures/enum_ops.rs`), in `golden/sql/enum_<dialect>.sql`.
fn check_enum_golden(kind: DialectKind) {
    let ops: Vec<Operation> = enum_ops::create_ops()
        .into_iter()
        .chain(enum_ops::change_ops())
        .chain(enum_ops::drop_ops())
        .collect();
    compare_golden(kind, &format!("enum_{kind}.sql"), render_list(kind, &ops));
}

#[test]
fn enum_postgres_sql_matches_golden_file() {
    check_enum_golden(DialectKind::Postgres);
}

#[test]
fn enum_mysql_sql_matches_golden_file() {
    check_enum_golden(DialectKind::MySql);
}

#[test]
fn enum_sqlite_sql_matches_golden_file() {
    check_enum_golden(DialectKind::Sqlite);
}

fn compare_golden(kind: DialectKind, file: &str, actual: String) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden/sql")
        .join(file);
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
fn unsigned_sql_matches_golden_files() {
    for kind in [
        DialectKind::Postgres,
        DialectKind::MySql,
        DialectKind::Sqlite,
    ] {
        check_unsigned_golden(kind);
    }
}

#[test]
fn postgres_refuses_a_u64_identity_and_says_what_to_use() {
    let mut t = unsigned_ops::counter_table();
    t.columns[0].ty = ColumnType::Unsigned(migrate_core::UnsignedBits::U64);
    let op = Operation::CreateTable { table: t };
    let err = render_ops(
        DialectKind::Postgres,
        &Schema::new(),
        std::slice::from_ref(&op),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("'id'") && err.contains("u32"), "{err}");
    assert!(render_ops(DialectKind::MySql, &Schema::new(), &[op]).is_ok());
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
            ..Default::default()
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
    assert!(render_ops(DialectKind::Postgres, &schema, std::slice::from_ref(&op)).is_ok());

    // Nor can an indexed column become text (MariaDB would silently make the
    // index a prefix index).
    let mut t = migrate_core::Table::new("tag");
    t.columns = vec![migrate_core::Column::new("label", ColumnType::Varchar(40))];
    t.indexes = vec![migrate_core::Index {
        name: "ix_tag_label".into(),
        columns: vec![migrate_core::IndexColumn::asc("label")],
        unique: false,
        ..Default::default()
    }];
    let from = t.columns[0].state();
    apply(&mut schema, &Operation::CreateTable { table: t }).unwrap();
    let mut to = from.clone();
    to.ty = ColumnType::Text;
    let alter = Operation::AlterColumn {
        table: "tag".into(),
        column: "label".into(),
        from,
        to,
    };
    let err = render_ops(DialectKind::MySql, &schema, &[alter]).unwrap_err();
    assert!(err.to_string().contains("ix_tag_label"), "{err}");
}

#[test]
fn mysql_refuses_index_names_that_differ_only_in_case_before_running() {
    let mut schema = Schema::new();
    let mut t = migrate_core::Table::new("doc");
    t.columns = vec![
        migrate_core::Column::new("a", ColumnType::Integer),
        migrate_core::Column::new("b", ColumnType::Integer),
    ];
    t.indexes = vec![migrate_core::Index {
        name: "ix_doc".into(),
        columns: vec![migrate_core::IndexColumn::asc("a")],
        unique: false,
        ..Default::default()
    }];
    apply(&mut schema, &Operation::CreateTable { table: t }).unwrap();
    let op = Operation::CreateIndex {
        table: "doc".into(),
        index: migrate_core::Index {
            name: "IX_DOC".into(),
            columns: vec![migrate_core::IndexColumn::asc("b")],
            unique: false,
            ..Default::default()
        },
    };
    let err = render_ops(DialectKind::MySql, &schema, std::slice::from_ref(&op)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("'IX_DOC'") && text.contains("'ix_doc'") && text.contains("doc"),
        "{text}"
    );
    // PostgreSQL and SQLite tell the two names apart.
    assert!(render_ops(DialectKind::Postgres, &schema, &[op]).is_ok());

    // Within one new table too.
    let mut t = schema.tables["doc"].clone();
    t.name = "doc2".into();
    t.uniques = vec![migrate_core::Unique {
        name: "IX_DOC".into(),
        columns: vec!["b".into()],
    }];
    let create = Operation::CreateTable { table: t };
    let err = render_ops(DialectKind::MySql, &schema, &[create]).unwrap_err();
    assert!(err.to_string().contains("'ix_doc'"), "{err}");
}

#[test]
fn mysql_refuses_a_check_on_a_column_a_foreign_key_action_writes_before_running() {
    let mut schema = Schema::new();
    let mut parent = migrate_core::Table::new("parent");
    parent.columns = vec![migrate_core::Column::new("id", ColumnType::Integer)];
    parent.primary_key = Some(migrate_core::PrimaryKey {
        name: "pk_parent".into(),
        columns: vec!["id".into()],
    });
    let mut child = migrate_core::Table::new("child");
    child.columns = vec![migrate_core::Column::new("parent_id", ColumnType::Integer).nullable()];
    child.foreign_keys = vec![migrate_core::ForeignKey {
        name: "fk_child_parent".into(),
        columns: vec!["parent_id".into()],
        ref_table: "parent".into(),
        ref_columns: vec!["id".into()],
        on_delete: migrate_core::FkAction::SetNull,
        on_update: migrate_core::FkAction::NoAction,
        ..Default::default()
    }];
    for t in [parent, child] {
        apply(&mut schema, &Operation::CreateTable { table: t }).unwrap();
    }
    let op = Operation::AddCheck {
        table: "child".into(),
        check: migrate_core::Check {
            name: "ck_child_positive".into(),
            expr: "parent_id > 0".into(),
        },
    };
    let err = render_ops(DialectKind::MySql, &schema, std::slice::from_ref(&op)).unwrap_err();
    let text = err.to_string();
    assert!(
        text.contains("ck_child_positive")
            && text.contains("parent_id")
            && text.contains("fk_child_parent"),
        "{text}"
    );
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
            policy: Default::default(),
            upgrade: create,
        },
        ScriptRevision {
            id: "bbbbbbbbbbbb".into(),
            parents: vec!["aaaaaaaaaaaa".into()],
            message: "every change".into(),
            checksum: None,
            upgrade: every_op::change_ops(),
            downgrade: vec![],
            policy: Default::default(),
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

/// Renders `op` against a schema holding `table`, joined with `;\n`.
fn sql_for(kind: DialectKind, table: migrate_core::Table, op: Operation) -> String {
    let mut schema = Schema::new();
    apply(&mut schema, &Operation::CreateTable { table }).unwrap();
    render_ops(kind, &schema, &[op])
        .unwrap()
        .into_iter()
        .map(|s| s.sql)
        .collect::<Vec<_>>()
        .join(";\n")
}

#[test]
fn defaults_take_each_database_s_form() {
    use migrate_core::Column;
    let table = migrate_core::Table::new("t");
    let add = |column: Column| Operation::AddColumn {
        table: "t".into(),
        column,
    };
    // TEXT takes an expression default on MySQL; a backslash in it is doubled.
    let body = Column::new("body", ColumnType::Text).default_sql("'a\\b'");
    assert_eq!(
        sql_for(DialectKind::MySql, table.clone(), add(body.clone())),
        "ALTER TABLE `t` ADD COLUMN `body` LONGTEXT NOT NULL DEFAULT ('a\\\\b')"
    );
    assert_eq!(
        sql_for(DialectKind::Postgres, table.clone(), add(body)),
        "ALTER TABLE \"t\" ADD COLUMN \"body\" TEXT NOT NULL DEFAULT 'a\\b'"
    );
    // DATETIME(6) needs CURRENT_TIMESTAMP(6) on MySQL.
    let at = Column::new("at", ColumnType::Timestamp).default_sql("now()");
    assert!(sql_for(DialectKind::MySql, table.clone(), add(at.clone()))
        .ends_with("DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6)"));
    // SQLite wants an expression default in parentheses; ADD COLUMN refuses it, so
    // the table is rebuilt.
    let lowered = Column::new("code", ColumnType::Text).default_sql("lower('X')");
    let sql = sql_for(DialectKind::Sqlite, table, add(lowered));
    assert!(
        sql.contains("\"code\" TEXT NOT NULL DEFAULT (lower('X'))"),
        "{sql}"
    );
    assert!(sql.contains("RENAME TO \"t\""), "{sql}");
}

#[test]
fn postgres_autoincrement_added_later_starts_after_existing_ids() {
    use migrate_core::Column;
    let mut table = migrate_core::Table::new("Mixed Case");
    table.columns = vec![Column::new("id", ColumnType::Integer)];
    let from = table.columns[0].state();
    let mut to = from.clone();
    to.autoincrement = true;
    let sql = sql_for(
        DialectKind::Postgres,
        table,
        Operation::AlterColumn {
            table: "Mixed Case".into(),
            column: "id".into(),
            from,
            to,
        },
    );
    assert_eq!(
        sql,
        "ALTER TABLE \"Mixed Case\" ALTER COLUMN \"id\" ADD GENERATED BY DEFAULT AS IDENTITY;\n\
         SELECT setval(pg_get_serial_sequence('\"Mixed Case\"', 'id'), COALESCE(MAX(\"id\"), 0) + 1, false) FROM \"Mixed Case\""
    );
}

#[test]
fn raw_sql_picks_the_dialect_variant_and_flags() {
    use migrate_core::SqlStep;
    let step = SqlStep {
        sql: "CREATE INDEX ix ON t (a)".into(),
        postgres: Some("CREATE INDEX CONCURRENTLY ix ON t (a);".into()),
        mysql: None,
        sqlite: None,
        no_transaction: true,
    };
    let pg = render_ops(
        DialectKind::Postgres,
        &Schema::new(),
        &[Operation::Sql(step.clone())],
    )
    .unwrap();
    assert_eq!(pg[0].sql, "CREATE INDEX CONCURRENTLY ix ON t (a)");
    assert!(!pg[0].transactional && !pg[0].implicit_commit);
    let my = render_ops(DialectKind::MySql, &Schema::new(), &[Operation::Sql(step)]).unwrap();
    assert_eq!(my[0].sql, "CREATE INDEX ix ON t (a)");
    assert!(my[0].implicit_commit, "DDL in raw SQL commits on MySQL");
}

#[path = "fixtures/index_shape_ops.rs"]
#[allow(dead_code)]
mod index_shape_ops;

/// Index shapes and deferrable keys (`fixtures/index_shape_ops.rs`), in
/// `golden/sql/index_shape_<dialect>.sql`: each database's own form of what it has.
#[test]
fn index_shape_sql_matches_golden_files() {
    for kind in DialectKind::ALL {
        let ops: Vec<Operation> = index_shape_ops::create_ops(kind)
            .into_iter()
            .chain(index_shape_ops::change_ops(kind))
            .collect();
        compare_golden(
            kind,
            &format!("index_shape_{kind}.sql"),
            render_list(kind, &ops),
        );
    }
}

/// Rule: a shape the database cannot store is an error naming the index, the
/// table and what to do instead, never dropped; MariaDB has no expression or
/// partial indexes and no deferrable keys, SQLite no methods or INCLUDE.
#[test]
fn unsupported_index_shapes_are_refused_per_database() {
    use migrate_core::schema::{Deferrable, IndexMethod};
    let refused = |kind: DialectKind, op: Operation| {
        let mut schema = Schema::new();
        for create in index_shape_ops::create_ops(DialectKind::Sqlite) {
            apply(&mut schema, &create).unwrap();
        }
        render_ops(kind, &schema, &[op]).unwrap_err().to_string()
    };
    let index = |f: &dyn Fn(&mut migrate_core::Index)| {
        let mut index = migrate_core::Index {
            name: "ix_account_x".into(),
            columns: vec![migrate_core::IndexColumn::asc("email")],
            ..Default::default()
        };
        f(&mut index);
        Operation::CreateIndex {
            table: "account".into(),
            index,
        }
    };
    let e = refused(
        DialectKind::MySql,
        index(&|i| {
            i.columns[0].name = "lower(email)".into();
            i.columns[0].expression = true;
        }),
    );
    assert!(
        e.contains("ix_account_x") && e.contains("account") && e.contains("no expression indexes"),
        "{e}"
    );
    let e = refused(
        DialectKind::MySql,
        index(&|i| i.predicate = Some("tenant_id > 0".into())),
    );
    assert!(e.contains("no partial indexes"), "{e}");
    let e = refused(
        DialectKind::Sqlite,
        index(&|i| i.method = Some(IndexMethod::Gin)),
    );
    assert!(e.contains("method gin") && e.contains("B-tree"), "{e}");
    let e = refused(
        DialectKind::Sqlite,
        index(&|i| i.include = vec!["tenant_id".into()]),
    );
    assert!(e.contains("INCLUDE"), "{e}");
    let e = refused(
        DialectKind::Postgres,
        index(&|i| i.method = Some(IndexMethod::Fulltext)),
    );
    assert!(e.contains("gin"), "{e}");
    let mut fk = index_shape_ops::member_table(DialectKind::Postgres).foreign_keys[0].clone();
    fk.name = "fk_member_again".into();
    assert_eq!(fk.deferrable, Deferrable::Deferred);
    let e = refused(
        DialectKind::MySql,
        Operation::AddForeignKey {
            table: "member".into(),
            foreign_key: fk,
        },
    );
    assert!(
        e.contains("fk_member_again") && e.contains("deferrable"),
        "{e}"
    );
}
