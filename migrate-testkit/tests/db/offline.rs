//! Offline scripts run by the databases' own clients (`sqlite3`, `psql`) or, for
//! MySQL, through sqlx as one multi-statement text: upgrade two revisions, then
//! downgrade one, checking the schema, the rows and the version tables.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::util::Db;
use migrate_core::dialect::version_table::VersionTables;
use migrate_core::dialect::{dialect, DialectKind};
use migrate_core::offline::{render_script, Direction, ScriptRevision};
use migrate_core::schema::Unique;
use migrate_core::{apply_all, Column, ColumnType, Operation, Schema};

fn revisions() -> Vec<ScriptRevision> {
    let create = crate::every_op::create_ops();
    let mixed_from = Column::new("Mixed Case", ColumnType::Varchar(50))
        .default_sql("'it''s'")
        .state();
    let mut mixed_to = mixed_from.clone();
    mixed_to.ty = ColumnType::Varchar(80);
    mixed_to.nullable = true;
    let change = vec![
        Operation::AddColumn {
            table: "order".into(),
            column: Column::new("note", ColumnType::Varchar(40)).nullable(),
        },
        Operation::AlterColumn {
            table: "user".into(),
            column: "Mixed Case".into(),
            from: mixed_from,
            to: mixed_to,
        },
        Operation::AddUnique {
            table: "order".into(),
            unique: Unique {
                name: "uq_order_note".into(),
                columns: vec!["note".into()],
            },
        },
    ];
    vec![
        ScriptRevision {
            id: "aaaaaaaaaaaa".into(),
            parents: vec![],
            message: "create users and orders".into(),
            checksum: Some("sha256:00".into()),
            downgrade: Operation::invert_all(&create).unwrap(),
            policy: Default::default(),
            upgrade: create,
        },
        ScriptRevision {
            id: "bbbbbbbbbbbb".into(),
            parents: vec!["aaaaaaaaaaaa".into()],
            message: "order notes; it's \\ quoted".into(),
            checksum: None,
            downgrade: Operation::invert_all(&change).unwrap(),
            policy: Default::default(),
            upgrade: change,
        },
    ]
}

/// Runs `script` with the database's own client where there is one.
async fn run_script(kind: DialectKind, db: &migrate_testkit::TestDb, conn: &mut Db, script: &str) {
    let (program, args): (&str, Vec<String>) = match kind {
        DialectKind::Sqlite => ("sqlite3", vec!["-bail".into(), db.name().into()]),
        DialectKind::Postgres => (
            "psql",
            vec![
                "-X".into(),
                "-q".into(),
                "-v".into(),
                "ON_ERROR_STOP=1".into(),
                "-d".into(),
                db.url().into(),
            ],
        ),
        DialectKind::MySql => {
            conn.exec(script).await;
            return;
        }
    };
    let mut child = match Command::new(program)
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => {
            eprintln!("{program} not available ({e}); running the script through sqlx");
            conn.exec(script).await;
            return;
        }
    };
    child
        .stdin
        .take()
        .unwrap()
        .write_all(script.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && !stderr.contains("ERROR") && !stderr.contains("Error"),
        "{program} failed: {stderr}\nscript:\n{script}"
    );
}

async fn offline_upgrade_then_downgrade(kind: DialectKind) {
    let Some(test_db) = migrate_testkit::throwaway(kind).await else {
        return;
    };
    let mut db = Db::connect(kind, test_db.url()).await;
    let tables = VersionTables::default();
    let revs = revisions();
    let q = |n: &str| dialect(kind).quote_ident(n);

    let up = render_script(kind, &tables, &Schema::new(), &revs, Direction::Upgrade).unwrap();
    run_script(kind, &test_db, &mut db, &up).await;
    let mut at_head = Schema::new();
    apply_all(&mut at_head, &revs[0].upgrade).unwrap();
    let at_first = at_head.clone();
    apply_all(&mut at_head, &revs[1].upgrade).unwrap();

    let heads_sql = tables.select_heads(kind);
    assert_eq!(db.column(&heads_sql).await, vec!["bbbbbbbbbbbb"], "{kind}");
    let log_sql = format!(
        "SELECT {r}, {p}, {m}, {s} FROM {} ORDER BY {r}",
        q(&tables.log_name()),
        r = q("revision"),
        p = q("parents"),
        m = q("message"),
        s = q("state"),
    );
    let log = db.rows(&log_sql).await;
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        log,
        vec![
            vec![
                s("aaaaaaaaaaaa"),
                s(""),
                s("create users and orders"),
                s("applied")
            ],
            vec![
                s("bbbbbbbbbbbb"),
                s("aaaaaaaaaaaa"),
                s("order notes; it's \\ quoted"),
                s("applied")
            ],
        ],
        "{kind}: log rows"
    );
    let version_tables = [tables.name.as_str(), &tables.log_name()].map(String::from);
    let ignore: Vec<&str> = version_tables.iter().map(String::as_str).collect();
    crate::util::assert_catalog_matches(&mut db, kind, &at_head, &ignore).await;

    db.exec(&format!(
        "INSERT INTO {} ({}, {}) VALUES (1, NULL); INSERT INTO {} ({}, {}, {}) VALUES (5, 1, 'hello')",
        q("user"),
        q("id"),
        q("Mixed Case"),
        q("order"),
        q("id"),
        q("user_id"),
        q("note")
    ))
    .await;

    // Downgrade the second revision only; the user row's NULL blocks restoring
    // NOT NULL, so clear it first, as a user would in a raw SQL step.
    db.exec(&format!(
        "UPDATE {} SET {} = 'x'",
        q("user"),
        q("Mixed Case")
    ))
    .await;
    let down = render_script(kind, &tables, &at_head, &revs[1..], Direction::Downgrade).unwrap();
    run_script(kind, &test_db, &mut db, &down).await;
    assert_eq!(db.column(&heads_sql).await, vec!["aaaaaaaaaaaa"], "{kind}");
    assert_eq!(db.rows(&log_sql).await.len(), 1, "{kind}: one log row left");
    crate::util::assert_catalog_matches(&mut db, kind, &at_first, &ignore).await;
    let rows = db
        .column(&format!("SELECT {} FROM {}", q("Mixed Case"), q("user")))
        .await;
    assert_eq!(rows, vec!["x"], "{kind}: the row survived the downgrade");
    drop(db);
    test_db.cleanup().await.unwrap();
}

#[tokio::test]
async fn sqlite_offline_script() {
    offline_upgrade_then_downgrade(DialectKind::Sqlite).await;
}

#[tokio::test]
async fn postgres_offline_script() {
    offline_upgrade_then_downgrade(DialectKind::Postgres).await;
}

#[tokio::test]
async fn mysql_offline_script() {
    offline_upgrade_then_downgrade(DialectKind::MySql).await;
}
