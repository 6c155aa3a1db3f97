//! The Alembic tutorial on SQLite, through the binary: init, hand-written SQL
//! revisions, upgrade/downgrade in every form, current, history, stamp, show, heads,
//! and a merge of two heads.

use crate::util::Project;

/// Appends a raw SQL upgrade and downgrade to the revision file of `id`.
fn write_sql(p: &Project, id: &str, up: &str, down: &str) {
    let dir = p.join("migrations");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|path| path.file_name().unwrap().to_string_lossy().starts_with(id))
        .expect("revision file");
    let mut text = std::fs::read_to_string(&path).unwrap();
    text.push_str(&format!(
        "\n[[upgrade]]\nop = \"sql\"\nsql = \"{up}\"\n\n[[downgrade]]\nop = \"sql\"\nsql = \"{down}\"\n"
    ));
    std::fs::write(path, text).unwrap();
}

/// The tables of the SQLite database, read with sqlx (not through the CLI).
fn tables(db: &std::path::Path) -> Vec<String> {
    let url = format!("sqlite://{}", db.display());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            let rows: Vec<(String,)> = sqlx::query_as(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'migrate_%' ORDER BY name",
            )
            .fetch_all(&mut conn)
            .await
            .unwrap();
            rows.into_iter().map(|r| r.0).collect()
        })
}

fn columns(db: &std::path::Path, table: &str) -> Vec<String> {
    let url = format!("sqlite://{}", db.display());
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::SqliteConnection::connect(&url).await.unwrap();
            let rows: Vec<(String,)> =
                sqlx::query_as(&format!("SELECT name FROM pragma_table_info('{table}')"))
                    .fetch_all(&mut conn)
                    .await
                    .unwrap();
            rows.into_iter().map(|r| r.0).collect()
        })
}

#[test]
fn alembic_tutorial_on_sqlite() {
    let p = Project::new();
    let db = p.join("app.db");
    let url = format!("sqlite://{}?mode=rwc", db.display());
    p.ok(&["init", "--database-url", &url]);

    let a = p
        .ok(&["revision", "-m", "create account table"])
        .trim()
        .to_string();
    write_sql(
        &p,
        &a,
        "CREATE TABLE account (id INTEGER PRIMARY KEY, name VARCHAR(50) NOT NULL)",
        "DROP TABLE account",
    );
    let b = p.ok(&["revision", "-m", "add a column"]).trim().to_string();
    write_sql(
        &p,
        &b,
        "ALTER TABLE account ADD COLUMN last_transaction_date TIMESTAMP",
        "ALTER TABLE account DROP COLUMN last_transaction_date",
    );

    // upgrade head: one progress line per revision, with a duration.
    let out = p.cmd(&["upgrade", "head"]).output().unwrap();
    assert!(out.status.success());
    let progress = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<&str> = progress.lines().filter(|l| l.contains(" ... (")).collect();
    assert_eq!(lines.len(), 2, "{progress}");
    assert!(
        lines[0].contains(&a) && lines[0].ends_with(" ms)"),
        "{progress}"
    );
    assert_eq!(tables(&db), vec!["account"]);
    assert!(columns(&db, "account").contains(&"last_transaction_date".to_string()));

    let current = p.ok(&["current"]);
    assert!(
        current.contains(&b) && current.contains("(current) (head)"),
        "{current}"
    );

    let history = p.ok(&["history", "--verbose"]);
    assert!(
        history.contains(&format!("Rev:      {b} (head)")),
        "{history}"
    );
    assert!(history.contains(&format!("Parents:  {a}")), "{history}");

    p.ok(&["downgrade", "-1"]);
    assert!(p.ok(&["current"]).contains(&a));
    assert!(!columns(&db, "account").contains(&"last_transaction_date".to_string()));

    p.ok(&["downgrade", "base"]);
    assert!(p.ok(&["current"]).contains("<base>"));
    assert!(tables(&db).is_empty());

    p.ok(&["upgrade", "+1"]);
    assert!(p.ok(&["current"]).contains(&a));
    assert_eq!(tables(&db), vec!["account"]);

    // stamp head: recorded, not run.
    p.ok(&["stamp", "head"]);
    assert!(p.ok(&["current"]).contains(&b));
    assert!(!columns(&db, "account").contains(&"last_transaction_date".to_string()));

    let show = p.ok(&["show", &b[..6]]);
    assert!(show.contains("add a column"), "{show}");
    assert_eq!(p.ok(&["heads"]).lines().count(), 1);

    // Two heads, then a merge.
    let c = p
        .ok(&["revision", "-m", "branch c", "--head", &a])
        .trim()
        .to_string();
    let heads = p.ok(&["heads"]);
    assert!(heads.contains(&b) && heads.contains(&c), "{heads}");
    let m = p
        .ok(&["merge", "-m", "merge b and c", &b[..5], &c[..5]])
        .trim()
        .to_string();
    let heads = p.ok(&["heads"]);
    assert_eq!(heads.lines().count(), 1, "{heads}");
    assert!(heads.contains(&m));
    p.ok(&["upgrade", "head"]);
    let current = p.ok(&["current"]);
    assert!(current.contains(&m), "{current}");
}
