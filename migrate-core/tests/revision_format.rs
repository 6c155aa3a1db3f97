//! The revision file format: round trips of every operation kind and of awkward
//! strings, the golden file, the destructive warning, the SQL template and parse
//! errors (reading files from a directory: `revision_load.rs`).

use std::path::Path;

use migrate_core::revision::{file_name, Revision, RevisionError};
use migrate_core::schema::IndexColumn;
use migrate_core::{
    Check, Column, ColumnType, FkAction, ForeignKey, Index, Operation, PrimaryKey, SqlStep, Table,
    Unique,
};
use proptest::prelude::*;

mod reference;

fn users() -> Table {
    let mut t = Table::new("users");
    t.columns.push(Column {
        autoincrement: true,
        ..Column::new("id", ColumnType::BigInt)
    });
    t.columns
        .push(Column::new("email", ColumnType::Varchar(255)));
    t.columns.push(
        Column::new("status", ColumnType::Text)
            .nullable()
            .default_sql("'draft'"),
    );
    t.primary_key = Some(PrimaryKey {
        name: "pk_users".into(),
        columns: vec!["id".into()],
    });
    t.uniques.push(Unique {
        name: "uq_users_email".into(),
        columns: vec!["email".into()],
    });
    t.indexes.push(Index {
        name: "ix_users_status".into(),
        columns: vec![IndexColumn {
            name: "status".into(),
            desc: true,
            ..Default::default()
        }],
        unique: false,
        ..Default::default()
    });
    t.checks.push(Check {
        name: "ck_users_email".into(),
        expr: "email <> ''".into(),
    });
    t.comment = Some("people who sign in".into());
    t
}

fn fk() -> ForeignKey {
    ForeignKey {
        name: "fk_posts_user_id_users".into(),
        columns: vec!["user_id".into()],
        ref_table: "users".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::SetNull,
        ..Default::default()
    }
}

/// Names the kind of an operation; the match has no wildcard, so a new kind of
/// operation does not compile until it is added to [`every_kind`].
fn kind(op: &Operation) -> &'static str {
    use Operation::*;
    match op {
        CreateTable { .. } => "create_table",
        DropTable { .. } => "drop_table",
        RenameTable { .. } => "rename_table",
        AddColumn { .. } => "add_column",
        DropColumn { .. } => "drop_column",
        AlterColumn { .. } => "alter_column",
        RenameColumn { .. } => "rename_column",
        RenameConstraint { .. } => "rename_constraint",
        AddPrimaryKey { .. } => "add_primary_key",
        DropPrimaryKey { .. } => "drop_primary_key",
        AddUnique { .. } => "add_unique",
        DropUnique { .. } => "drop_unique",
        CreateIndex { .. } => "create_index",
        DropIndex { .. } => "drop_index",
        AddForeignKey { .. } => "add_foreign_key",
        DropForeignKey { .. } => "drop_foreign_key",
        AddCheck { .. } => "add_check",
        DropCheck { .. } => "drop_check",
        SetTableComment { .. } => "set_table_comment",
        SetColumnComment { .. } => "set_column_comment",
        CreateEnum { .. } => "create_enum",
        DropEnum { .. } => "drop_enum",
        AlterEnum { .. } => "alter_enum",
        RenameEnumValue { .. } => "rename_enum_value",
        CreateObject { .. } => "create_object",
        DropObject { .. } => "drop_object",
        Sql(_) => "sql",
    }
}

fn every_kind() -> Vec<Operation> {
    let t = users();
    let phone = Column::new("phone", ColumnType::Varchar(20)).nullable();
    let pk = t.primary_key.clone().unwrap();
    let unique = t.uniques[0].clone();
    let index = t.indexes[0].clone();
    let check = t.checks[0].clone();
    let mut sql = SqlStep::new("UPDATE users\nSET status = 'active'\nWHERE status IS NULL;\n");
    sql.postgres = Some("UPDATE users SET status = 'active' WHERE status IS NULL".into());
    sql.mysql = Some("UPDATE `users` SET status = \"active\"".into());
    sql.sqlite = Some("-- nothing on SQLite\n".into());
    sql.no_transaction = true;
    use Operation::*;
    vec![
        CreateTable { table: t.clone() },
        DropTable { table: t },
        RenameTable {
            from: "users".into(),
            to: "accounts".into(),
        },
        AddColumn {
            table: "users".into(),
            column: phone.clone(),
        },
        DropColumn {
            table: "users".into(),
            column: phone.clone(),
        },
        AlterColumn {
            table: "users".into(),
            column: "phone".into(),
            from: phone.state(),
            to: Column::new("phone", ColumnType::Text)
                .default_sql("''")
                .state(),
        },
        RenameColumn {
            table: "users".into(),
            from: "phone".into(),
            to: "mobile".into(),
        },
        RenameConstraint {
            table: "users".into(),
            from: "pk_users".into(),
            to: "pk_accounts".into(),
        },
        AddPrimaryKey {
            table: "users".into(),
            primary_key: pk.clone(),
        },
        DropPrimaryKey {
            table: "users".into(),
            primary_key: pk,
        },
        AddUnique {
            table: "users".into(),
            unique: unique.clone(),
        },
        DropUnique {
            table: "users".into(),
            unique,
        },
        CreateIndex {
            table: "users".into(),
            index: index.clone(),
        },
        DropIndex {
            table: "users".into(),
            index,
        },
        AddForeignKey {
            table: "posts".into(),
            foreign_key: fk(),
        },
        DropForeignKey {
            table: "posts".into(),
            foreign_key: fk(),
        },
        AddCheck {
            table: "users".into(),
            check: check.clone(),
        },
        DropCheck {
            table: "users".into(),
            check,
        },
        SetTableComment {
            table: "users".into(),
            from: None,
            to: Some("multi\nline comment".into()),
        },
        SetColumnComment {
            table: "users".into(),
            column: "email".into(),
            from: Some("old".into()),
            to: None,
        },
        CreateEnum {
            enum_type: migrate_core::EnumType::new("mood", ["happy", "it's \"ok\""]),
        },
        DropEnum {
            enum_type: migrate_core::EnumType::new("mood", ["happy"]),
        },
        AlterEnum {
            name: "mood".into(),
            from: vec!["happy".into()],
            to: vec!["calm".into(), "happy".into()],
        },
        RenameEnumValue {
            name: "mood".into(),
            from: "happy".into(),
            to: "joyful".into(),
        },
        AddColumn {
            table: "users".into(),
            column: Column::new(
                "mood",
                migrate_core::EnumType::new("mood", ["a, b", "it's (x)"]).column_type(),
            ),
        },
        CreateObject {
            object: {
                let mut f = migrate_core::objects::SchemaObject::new(
                    migrate_core::objects::ObjectKind::Function,
                    "touch",
                    "",
                );
                f.sql = None;
                f.postgres = Some(
                    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.at := now(); -- 'quoted'\n  RETURN NEW;\nEND\n$$"
                        .into(),
                );
                f.mysql = Some("CREATE FUNCTION touch() RETURNS INT RETURN 1".into());
                f
            },
        },
        DropObject {
            object: {
                let mut t = migrate_core::objects::SchemaObject::new(
                    migrate_core::objects::ObjectKind::Trigger,
                    "users_touch",
                    "CREATE TRIGGER users_touch AFTER UPDATE ON users BEGIN SELECT \"x\"; END",
                );
                t.table = Some("users".into());
                t.depends_on = vec!["touch".into()];
                t
            },
        },
        Sql(sql),
    ]
}

fn round_trip(r: &Revision) -> String {
    let text = r.to_toml();
    let back = Revision::parse(&text, Path::new("r.toml"))
        .unwrap_or_else(|e| panic!("{e}\n--- text ---\n{text}"));
    assert_eq!(&back, r, "--- text ---\n{text}");
    assert_eq!(back.to_toml(), text, "writing is deterministic");
    text
}

#[test]
fn every_operation_kind_round_trips() {
    let ops = every_kind();
    let kinds: std::collections::BTreeSet<_> = ops.iter().map(kind).collect();
    assert_eq!(kinds.len(), 27, "one operation of each kind");
    let downgrade: Vec<Operation> = ops.iter().rev().filter_map(|op| op.inverse()).collect();
    let r = Revision::new(
        "every kind",
        vec!["p1".into(), "p2".into()],
        "2026-11-25T04:21:16Z",
        ops,
        downgrade,
    );
    let text = round_trip(&r);
    // Each op table starts with its `op` line.
    for op in &r.upgrade {
        assert!(
            text.contains(&format!("[[upgrade]]\nop = \"{}\"\n", kind(op))),
            "{}",
            kind(op)
        );
    }
    // Columns are inline tables, one per line, not `[[upgrade.table.columns]]` headers.
    assert!(
        text.contains("table.columns = [\n    { name = \"id\", type = \"bigint\""),
        "{text}"
    );
    assert!(!text.contains("[upgrade.table"), "{text}");
    // Multi-line SQL is a literal multi-line string, as written.
    assert!(
        text.contains("sql = '''\nUPDATE users\nSET status = 'active'\nWHERE status IS NULL;\n'''"),
        "{text}"
    );
}

#[test]
fn golden_add_column_file() {
    let golden = include_str!("golden/add_column.toml").replace("\r\n", "\n");
    let phone = Column {
        comment: Some("E.164, e.g. \"+33 1 23\"".into()),
        ..Column::new("phone", ColumnType::Varchar(20)).nullable()
    };
    let r = Revision {
        id: "3f2a9c1b7d4e".into(),
        parents: vec!["a1b2c3d4e5f6".into()],
        replaces: Vec::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: "add phone to users".into(),
        created: "2026-11-25T04:21:16Z".into(),
        upgrade: vec![Operation::AddColumn {
            table: "users".into(),
            column: phone.clone(),
        }],
        downgrade: vec![Operation::DropColumn {
            table: "users".into(),
            column: phone,
        }],
    };
    assert_eq!(r.to_toml(), golden);
    assert_eq!(
        Revision::parse(&golden, Path::new("golden.toml")).unwrap(),
        r
    );
    assert_eq!(file_name(&r), "3f2a9c1b7d4e_add_phone_to_users.toml");
}

#[test]
fn destructive_revisions_carry_a_warning_comment() {
    let ops = every_kind();
    let drop_column = ops[4].clone();
    let r = Revision::new(
        "drop phone",
        vec![],
        "2026-11-25T04:21:16Z",
        vec![drop_column.clone()],
        drop_column.inverse().into_iter().collect(),
    );
    let text = round_trip(&r);
    assert!(
        text.starts_with(
            "# DESTRUCTIVE: the upgrade of this revision can lose data:\n\
             #   - upgrade step 1 (drop_column): dropping column 'users.phone' deletes its values\n"
        ),
        "{text}"
    );
    // A safe revision has no such comment (its downgrade may drop things).
    let safe = Revision::new(
        "add phone",
        vec![],
        "2026-11-25T04:21:16Z",
        drop_column.inverse().into_iter().collect(),
        vec![drop_column],
    );
    assert!(!round_trip(&safe).contains("DESTRUCTIVE"));
}

#[test]
fn awkward_strings_round_trip() {
    for s in [
        "it's",
        "say \"hi\"",
        "both ' and \"",
        "back\\slash",
        "C:\\path\\",
        "line\nbreak",
        "ends with newline\n",
        "\nstarts with newline",
        "'''triple single'''",
        "\"\"\"triple double\"\"\"",
        "ends with quote'",
        "ends with quotes''",
        "ends with dquote\"\n\"",
        "crlf\r\nline",
        "tab\there",
        "nul\u{0}bell\u{7}del\u{7f}",
        "non-ASCII: été, 日本語, 🦀",
        "\u{feff}bom inside",
        "",
    ] {
        let mut step = SqlStep::new(s);
        step.postgres = Some(format!("{s}\n{s}"));
        let r = Revision {
            id: "abc".into(),
            parents: vec![],
            replaces: Vec::new(),
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
            message: s.to_string(),
            created: "2026-11-25T04:21:16Z".into(),
            upgrade: vec![
                Operation::Sql(step),
                Operation::AddColumn {
                    table: s.to_string(),
                    column: Column {
                        comment: Some(s.to_string()),
                        ..Column::new(s, ColumnType::Raw("CITEXT".into())).default_sql(s)
                    },
                },
            ],
            downgrade: vec![],
        };
        round_trip(&r);
    }
}

proptest! {
    #[test]
    fn arbitrary_strings_round_trip(message in any::<String>(), sql in any::<String>(), expr in any::<String>()) {
        let r = Revision {
            id: "abc".into(),
            parents: vec!["def".into()],
            replaces: Vec::new(),
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
            message,
            created: "2026-11-25T04:21:16Z".into(),
            upgrade: vec![
                Operation::Sql(SqlStep::new(sql)),
                Operation::AddCheck { table: "t".into(), check: Check { name: "ck".into(), expr } },
            ],
            downgrade: vec![],
        };
        let text = r.to_toml();
        prop_assert_eq!(Revision::parse(&text, Path::new("p.toml")).unwrap(), r);
    }
}

#[test]
fn empty_revision_has_a_sql_template_that_works_when_uncommented() {
    let r = Revision::new_empty(
        "backfill status",
        vec!["abc".into()],
        "2026-11-25T04:21:16Z",
    );
    assert!(r.upgrade.is_empty() && r.downgrade.is_empty());
    let text = round_trip(&r);
    assert!(
        text.contains("# [[upgrade]]\n# op = \"sql\"\n# sql = '''\n"),
        "{text}"
    );
    let uncommented: String = text
        .lines()
        .map(|l| {
            l.strip_prefix("# ")
                .filter(|_| !l.starts_with("# This") && !l.starts_with("# say"))
                .unwrap_or(l)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let filled = Revision::parse(&uncommented, Path::new("t.toml")).unwrap();
    assert_eq!(filled.upgrade.len(), 1);
    assert_eq!(filled.downgrade.len(), 1);
    let Operation::Sql(step) = &filled.upgrade[0] else {
        panic!("expected a sql step")
    };
    assert!(step.sql.starts_with("UPDATE users SET status = 'active'"));
    assert!(!step.no_transaction);
}

fn parse_err(text: &str) -> RevisionError {
    Revision::parse(text, Path::new("migrations/abc_x.toml")).unwrap_err()
}

const HEAD: &str =
    "id = \"abc\"\nparents = []\nmessage = \"m\"\ncreated = \"2026-11-25T04:21:16Z\"\n";

#[test]
fn wrong_op_lists_the_valid_ones() {
    let e = parse_err(&format!(
        "{HEAD}\n[[upgrade]]\nop = \"add_colum\"\ntable = \"t\"\n"
    ));
    assert_eq!(e.line(), Some(7));
    let msg = e.to_string();
    assert!(
        msg.starts_with(
            "migrations/abc_x.toml:7: upgrade step 1 (op = \"add_colum\"): unknown op `add_colum`"
        ),
        "{msg}"
    );
    for op in every_kind().iter().map(kind) {
        assert!(msg.contains(&format!("`{op}`")), "{op} missing from: {msg}");
    }
}

#[test]
fn missing_field_is_named() {
    let e = parse_err(&format!("{HEAD}\n[[upgrade]]\nop = \"rename_table\"\nfrom = \"a\"\nto = \"b\"\n\n[[downgrade]]\nop = \"add_column\"\ntable = \"t\"\n"));
    assert_eq!(e.line(), Some(11));
    let msg = e.to_string();
    assert!(
        msg.contains("downgrade step 1 (op = \"add_column\"): missing field `column`"),
        "{msg}"
    );
    let e = parse_err(&format!("{HEAD}\n[[upgrade]]\ntable = \"t\"\n"));
    assert!(
        e.to_string()
            .contains("missing field `op`: every [[upgrade]] table starts with `op = \"...\"`"),
        "{e}"
    );
    let e = parse_err("id = \"abc\"\nmessage = \"m\"\n");
    assert!(
        e.to_string()
            .starts_with("migrations/abc_x.toml:1: missing field `created`"),
        "{e}"
    );
}

#[test]
fn unknown_column_type_shows_the_type_error() {
    let e = parse_err(&format!(
        "{HEAD}\n[[upgrade]]\nop = \"add_column\"\ntable = \"t\"\ncolumn = {{ name = \"g\", type = \"geometry\" }}\n"
    ));
    let type_error = "geometry".parse::<ColumnType>().unwrap_err().to_string();
    assert_eq!(
        e.to_string(),
        format!("migrations/abc_x.toml:9: upgrade step 1 (op = \"add_column\"): {type_error}")
    );
}

#[test]
fn bad_ids_times_and_toml_are_located() {
    let e = parse_err(
        "id = \"abc\"\nparents = [\"a-b\"]\nmessage = \"m\"\ncreated = \"2026-11-25T04:21:16Z\"\n",
    );
    assert!(
        e.to_string()
            .starts_with("migrations/abc_x.toml:2: parent id `a-b` is not valid"),
        "{e}"
    );
    let e = parse_err("id = \"abc\"\nmessage = \"m\"\ncreated = \"yesterday\"\n");
    assert!(
        e.to_string().starts_with(
            "migrations/abc_x.toml:3: `created = \"yesterday\"` is not an RFC 3339 time"
        ),
        "{e}"
    );
    let e = parse_err("id = \"abc\"\nmessage = \"m\nunterminated\ncreated = \"x\"\n");
    assert!(matches!(e, RevisionError::Syntax { line: 2, .. }), "{e}");
    let e = parse_err(&format!("{HEAD}upgrades = []\n"));
    assert!(e.to_string().contains("unknown field `upgrades`"), "{e}");
}

/// The example in the user documentation is exactly what the writer writes.
#[test]
fn documented_example_is_what_the_writer_writes() {
    let doc = include_str!("../../docs/revision-format.md").replace("\r\n", "\n");
    let start = doc.find("```toml\n").expect("a toml block") + "```toml\n".len();
    let example = &doc[start..start + doc[start..].find("```\n").expect("end of block")];
    let r = Revision::parse(example, Path::new("docs/revision-format.md")).unwrap();
    assert_eq!(r.to_toml(), example);
    assert_eq!(
        file_name(&r),
        "9c1e5b7a2f40_create_posts_drop_legacy_posts.toml"
    );
    assert_eq!(r.destructive_upgrades().len(), 1);
    // The documented template is the one empty revisions carry.
    let template_at = doc
        .find("```toml\n# This revision")
        .expect("template block")
        + 8;
    let template = &doc[template_at..template_at + doc[template_at..].find("```\n").unwrap()];
    assert_eq!(template, migrate_core::revision::write::SQL_TEMPLATE);
}

#[test]
fn misspelt_keys_are_errors_but_explicit_defaults_are_fine() {
    let e = parse_err(&format!(
        "{HEAD}\n[[upgrade]]\nop = \"add_column\"\ntable = \"t\"\ncolumn = {{ name = \"a\", type = \"text\", nulable = true }}\n"
    ));
    assert_eq!(
        e.to_string(),
        "migrations/abc_x.toml:9: upgrade step 1 (op = \"add_column\"): unknown field `nulable` \
         in `column`; check its spelling (the fields of each op are listed in \
         docs/revision-format.md)"
    );
    let e = parse_err(&format!(
        "{HEAD}\n[[upgrade]]\nop = \"rename_table\"\nfrom = \"a\"\nto = \"b\"\nif_exists = true\n"
    ));
    assert!(
        e.to_string()
            .contains(":10: upgrade step 1 (op = \"rename_table\"): unknown field `if_exists`;"),
        "{e}"
    );
    let e = parse_err(&format!(
        "{HEAD}\n[[upgrade]]\nop = \"create_table\"\ntable.name = \"t\"\ntable.columns = [\n    {{ name = \"a\", type = \"text\" }},\n    {{ name = \"b\", type = \"text\", defualt = \"0\" }},\n]\n"
    ));
    assert!(e.to_string().contains(":11: upgrade step 1 (op = \"create_table\"): unknown field `defualt` in `table.columns`"), "{e}");

    let explicit = format!(
        "{HEAD}\n[[upgrade]]\nop = \"create_table\"\ntable.name = \"t\"\ntable.columns = [\n    {{ name = \"a\", type = \"bigint\", autoincrement = false }},\n]\ntable.uniques = []\ntable.foreign_keys = [\n    {{ name = \"f\", columns = [\"a\"], ref_table = \"t\", ref_columns = [\"a\"], on_delete = \"NO ACTION\" }},\n]\n"
    );
    let r = Revision::parse(&explicit, Path::new("x.toml")).unwrap();
    let Operation::CreateTable { table } = &r.upgrade[0] else {
        panic!("create_table expected")
    };
    assert_eq!(table.foreign_keys[0].on_delete, FkAction::NoAction);
}

#[test]
fn operation_lists_round_trip_on_their_own() {
    use migrate_core::revision::{read::parse_operations, write::operations_to_toml};
    let ops = every_kind();
    let text = operations_to_toml("downgrade", &ops);
    assert!(
        text.starts_with("[[downgrade]]\nop = \"create_table\"\n"),
        "{text}"
    );
    let back = parse_operations(&text, "downgrade", Path::new("migrate_version_log")).unwrap();
    assert_eq!(back, ops);
    assert!(parse_operations("", "downgrade", Path::new("x"))
        .unwrap()
        .is_empty());
    let e = parse_operations(
        "[[downgrade]]\nop = \"nope\"\n",
        "downgrade",
        Path::new("log"),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("log:2: downgrade step 1 (op = \"nope\"): unknown op `nope`"),
        "{e}"
    );
}

#[test]
fn embedded_json_round_trips_every_operation() {
    use migrate_core::embed::EmbeddedOps;
    use migrate_core::revision::read::parse_operations;
    let ops = EmbeddedOps {
        upgrade: every_kind(),
        downgrade: every_kind().into_iter().rev().collect(),
    };
    let json = ops.to_json();
    assert_eq!(EmbeddedOps::from_json(&json).unwrap(), ops);
    // The log's form of the downgrade reads back as the same operations.
    let log = ops.downgrade_log();
    assert_eq!(
        parse_operations(&log, "downgrade", Path::new("log")).unwrap(),
        ops.downgrade
    );
    assert!(EmbeddedOps::from_json("{\"upgrade\": [{\"op\": \"nope\"}]}").is_err());
}

/// Index shapes and deferrable keys survive the revision file: written, read back
/// the same, with the documented keys (`expression`, `method`, `include`, `where`,
/// `deferrable`).
#[test]
fn index_shapes_and_deferrable_keys_round_trip_through_the_file() {
    use migrate_core::dialect::DialectKind;
    #[path = "fixtures/index_shape_ops.rs"]
    #[allow(dead_code)]
    mod index_shape_ops;
    let mut r = Revision::new_empty("shapes", vec![], "2026-01-01T00:00:00Z");
    r.upgrade = index_shape_ops::create_ops(DialectKind::Postgres)
        .into_iter()
        .chain(index_shape_ops::change_ops(DialectKind::Postgres))
        .collect();
    let text = r.to_toml();
    for key in [
        "expression = true",
        "method = \"gin\"",
        "include = [\"email\", \"deleted_at\"]",
        "where = \"deleted_at IS NULL\"",
        "deferrable = \"deferred\"",
    ] {
        assert!(text.contains(key), "{key} not in\n{text}");
    }
    let back = Revision::parse(&text, Path::new("shapes.toml")).unwrap();
    assert_eq!(back.upgrade, r.upgrade);
}

/// Per-database types, generated columns, collations and `ON UPDATE` are written
/// as plain keys of the column (and of an alter's states) and read back equal.
#[test]
fn column_extras_round_trip_in_revision_files() {
    use migrate_core::column_extras::{Generated, PerDatabase};
    use migrate_core::dialect::DialectKind;
    let tags = Column::new(
        "tags",
        ColumnType::PerDatabase(
            PerDatabase::default()
                .with(DialectKind::Postgres, "numeric(10,2)[]")
                .with(DialectKind::MySql, "json"),
        ),
    );
    let total = Column {
        generated: Some(Generated {
            per_database: PerDatabase::default().with(DialectKind::MySql, "`a` * 2"),
            ..Generated::virtual_("a * 2")
        }),
        collation: PerDatabase::default().with(DialectKind::Sqlite, "NOCASE"),
        on_update: Some("CURRENT_TIMESTAMP".into()),
        ..Column::new("total", ColumnType::BigInt).nullable()
    };
    let mut changed = total.clone();
    changed.generated = Some(Generated::stored("a * 3"));
    let r = Revision::new(
        "extras",
        vec![],
        "2026-11-25T04:21:16Z",
        vec![
            Operation::AddColumn {
                table: "items".into(),
                column: tags,
            },
            Operation::AddColumn {
                table: "items".into(),
                column: total.clone(),
            },
            Operation::AlterColumn {
                table: "items".into(),
                column: "total".into(),
                from: total.state(),
                to: changed.state(),
            },
        ],
        vec![],
    );
    let text = round_trip(&r);
    for needle in [
        "type = \"per_database(postgres = numeric(10,2)[]; mysql = json)\"",
        "generated = { expr = \"a * 2\", per_database = { mysql = \"`a` * 2\" } }",
        "on_update = \"CURRENT_TIMESTAMP\"",
        "collation = { sqlite = \"NOCASE\" }",
        "generated = { expr = \"a * 3\", stored = true }",
    ] {
        assert!(text.contains(needle), "{needle} not in\n{text}");
    }
}
