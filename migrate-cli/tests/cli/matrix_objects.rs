//! The scenario matrix for index shapes and schema objects: one revision set that
//! creates a table with rows, then a revision that adds a partial and an expression
//! index (a FULLTEXT index on MySQL/MariaDB, which has neither), a view, and a
//! trigger (with its function on PostgreSQL), upgraded, downgraded and upgraded
//! again through the deployed binary (embedded revisions, `Migrator`), the CLI and
//! `run_embedded`, on each database.
//!
//! After every command the three paths must have given the same exit status, left
//! the same database (tables, indexes with their definitions, views, triggers,
//! functions, rows, heads and log) and the same live `check` (the CLI's on the
//! files, `run_embedded`'s on the embedded revisions): clean at the head, and
//! after the downgrade the same list of what the head has and the database lacks.
//!
//! The revision sets are written and embedded by [`crate::matrix`] (its
//! `write_sets` asks [`sets`] for these).

use migrate_core::dialect::DialectKind;

use crate::matrix::{
    database, matrix_app, rev, set_name, step, write_files, Db, File, Path, A, B, C,
};
use crate::util::Project;

/// The scenario's name (its sets are `objects-<database>-0`).
const NAME: &str = "objects";

/// The first revision: the table `marks` as an operation (the live check then
/// knows it) and its first row.
fn marks() -> File {
    let table = "table.name = \"marks\"\n\
         table.columns = [{ name = \"rev\", type = \"varchar(20)\", nullable = false }]\n";
    rev(
        A,
        &[],
        "create marks",
        &(format!("[[upgrade]]\nop = \"create_table\"\n{table}\n")
            + &step("upgrade", "INSERT INTO marks (rev) VALUES ('a')", false)
            + &format!("[[downgrade]]\nop = \"drop_table\"\n{table}\n")),
    )
}

/// The table `items`, its rows (B) and the shapes and objects on it (C).
fn files(kind: DialectKind) -> Vec<File> {
    let table = "table.name = \"items\"\n\
         table.columns = [\n\
         { name = \"id\", type = \"integer\", nullable = false },\n\
         { name = \"name\", type = \"varchar(100)\", nullable = false },\n\
         { name = \"deleted\", type = \"integer\", nullable = false, default = \"0\" },\n\
         ]\n\
         table.primary_key = { name = \"pk_items\", columns = [\"id\"] }\n";
    let b = rev(
        B,
        &[A],
        "items",
        &(format!("[[upgrade]]\nop = \"create_table\"\n{table}\n")
            + &step(
                "upgrade",
                "INSERT INTO items (id, name, deleted) VALUES (1, 'Apple', 0), (2, 'pear', 1), (3, 'Fig', 0)",
                false,
            )
            + &format!("[[downgrade]]\nop = \"drop_table\"\n{table}\n")),
    );
    let indexes = match kind {
        DialectKind::MySql => vec![
            "{ name = \"ix_items_name_text\", columns = [{ name = \"name\" }], method = \"fulltext\" }",
        ],
        _ => vec![
            "{ name = \"ix_items_live_name\", columns = [{ name = \"name\" }], unique = true, where = \"deleted = 0\" }",
            "{ name = \"ix_items_lower_name\", columns = [{ name = \"lower(name)\", expression = true }] }",
        ],
    };
    let view = "object = { kind = \"view\", name = \"live_items\", sql = \"SELECT id, name FROM items WHERE deleted = 0\" }";
    let function = "object = { kind = \"function\", name = \"items_log\", postgres = \"\
        CREATE FUNCTION items_log() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN \
        INSERT INTO marks (rev) VALUES ('t:' || NEW.name); RETURN NEW; END $$\" }";
    let trigger = "object = { kind = \"trigger\", name = \"items_logged\", table = \"items\", \
        postgres = \"CREATE TRIGGER items_logged AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION items_log()\", \
        mysql = \"CREATE TRIGGER items_logged AFTER INSERT ON items FOR EACH ROW INSERT INTO marks (rev) VALUES (CONCAT('t:', NEW.name))\", \
        sqlite = \"CREATE TRIGGER items_logged AFTER INSERT ON items BEGIN INSERT INTO marks (rev) VALUES ('t:' || NEW.name); END\" }";
    let mut up = String::new();
    let mut down = String::new();
    for index in &indexes {
        up.push_str(&format!(
            "[[upgrade]]\nop = \"create_index\"\ntable = \"items\"\nindex = {index}\n\n"
        ));
    }
    up.push_str(&format!("[[upgrade]]\nop = \"create_object\"\n{view}\n\n"));
    if kind == DialectKind::Postgres {
        up.push_str(&format!(
            "[[upgrade]]\nop = \"create_object\"\n{function}\n\n"
        ));
    }
    up.push_str(&format!(
        "[[upgrade]]\nop = \"create_object\"\n{trigger}\n\n"
    ));
    // The trigger writes the mark `t:Kiwi` for the row inserted after it.
    up.push_str(&step(
        "upgrade",
        "INSERT INTO items (id, name, deleted) VALUES (4, 'Kiwi', 0)",
        false,
    ));
    down.push_str(&step("downgrade", "DELETE FROM items WHERE id = 4", false));
    down.push_str(&step(
        "downgrade",
        "DELETE FROM marks WHERE rev = 't:Kiwi'",
        false,
    ));
    down.push_str(&format!(
        "[[downgrade]]\nop = \"drop_object\"\n{trigger}\n\n"
    ));
    if kind == DialectKind::Postgres {
        down.push_str(&format!(
            "[[downgrade]]\nop = \"drop_object\"\n{function}\n\n"
        ));
    }
    down.push_str(&format!("[[downgrade]]\nop = \"drop_object\"\n{view}\n\n"));
    for index in indexes.iter().rev() {
        down.push_str(&format!(
            "[[downgrade]]\nop = \"drop_index\"\ntable = \"items\"\nindex = {index}\n\n"
        ));
    }
    let c = rev(C, &[B], "shapes and objects", &(up + &down));
    vec![marks(), b, c]
}

/// The revision sets the deployed binary embeds for this scenario.
pub(super) fn sets() -> Vec<(String, Vec<File>)> {
    DialectKind::ALL
        .into_iter()
        .map(|kind| (set_name(NAME, kind, 0), files(kind)))
        .collect()
}

/// What the comparison looks at beyond [`Db::snapshot`]: each index with its
/// definition, the views, triggers and functions, and the rows of `items` and of
/// the view.
async fn objects(db: &Db) -> Vec<Vec<String>> {
    let queries: &[&str] = match db.kind {
        DialectKind::Sqlite => &[
            "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') FROM sqlite_master \
             WHERE type IN ('index', 'view', 'trigger') ORDER BY name",
        ],
        DialectKind::Postgres => &[
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' \
             AND tablename = 'items' ORDER BY indexname",
            "SELECT CAST(viewname AS TEXT) FROM pg_views WHERE schemaname = 'public' ORDER BY 1",
            "SELECT CAST(tgname AS TEXT) FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1",
            "SELECT CAST(p.proname AS TEXT) FROM pg_proc p JOIN pg_namespace n \
             ON n.oid = p.pronamespace WHERE n.nspname = 'public' ORDER BY 1",
        ],
        DialectKind::MySql => &[
            "SELECT CONVERT(CONCAT(index_name, ' ', index_type, ' ', non_unique, ' ', \
             GROUP_CONCAT(column_name ORDER BY seq_in_index)) USING utf8mb4) \
             FROM information_schema.statistics WHERE table_schema = DATABASE() \
             AND table_name = 'items' GROUP BY index_name, index_type, non_unique ORDER BY 1",
            "SELECT CONVERT(table_name USING utf8mb4) FROM information_schema.views \
             WHERE table_schema = DATABASE() ORDER BY 1",
            "SELECT CONVERT(trigger_name USING utf8mb4) FROM information_schema.triggers \
             WHERE trigger_schema = DATABASE() ORDER BY 1",
        ],
    };
    let mut out = Vec::new();
    for q in queries {
        out.push(db.rows(q).await);
    }
    let tables = db.snapshot().await.remove(0);
    if tables.iter().any(|t| t == "items") {
        out.push(db.rows("SELECT name FROM items ORDER BY id").await);
    }
    let views = match db.kind {
        DialectKind::Sqlite => db
            .rows("SELECT name FROM sqlite_master WHERE type = 'view'")
            .await
            .is_empty(),
        DialectKind::Postgres => out[1].is_empty(),
        DialectKind::MySql => out[1].is_empty(),
    };
    if !views {
        out.push(db.rows("SELECT name FROM live_items ORDER BY id").await);
    }
    out
}

/// The status of `check --database-url` on one path.
fn check(path: Path, set: &str, url: &str, project: Option<&Project>) -> (u8, String) {
    let out = match path {
        Path::Cli => project
            .unwrap()
            .cmd(&["check", "--database-url", url])
            .output()
            .unwrap(),
        Path::Deployed | Path::Embedded => std::process::Command::new(matrix_app())
            .args([set, "migrate", "check", "--database-url", url])
            .env_remove("DATABASE_URL")
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
    };
    (
        out.status.code().unwrap_or(-1) as u8,
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    )
}

/// One command's outcome: its status, the database after it, and the drift
/// `check` reports then.
type Outcome = (u8, Vec<Vec<String>>, Vec<Vec<String>>, Vec<String>);

/// Runs the scenario through one path.
async fn run_path(path: Path, kind: DialectKind) -> Option<Vec<Outcome>> {
    let db = database(kind).await?;
    let url = db.url.clone();
    let set = set_name(NAME, kind, 0);
    let project = (path == Path::Cli).then(|| {
        let p = Project::new();
        p.ok(&["init"]);
        write_files(&p, &files(kind));
        p
    });
    let mut outcomes = Vec::new();
    for (command, target) in [("upgrade", "head"), ("downgrade", B), ("upgrade", "head")] {
        let out = match path {
            Path::Deployed => std::process::Command::new(matrix_app())
                .args([set.as_str(), command, target, &url])
                .output()
                .unwrap(),
            Path::Embedded => std::process::Command::new(matrix_app())
                .args([
                    &set,
                    "migrate",
                    "-q",
                    "--database-url",
                    &url,
                    command,
                    target,
                ])
                .env_remove("DATABASE_URL")
                .env("NO_COLOR", "1")
                .output()
                .unwrap(),
            Path::Cli => project
                .as_ref()
                .unwrap()
                .cmd(&[command, target, "-q", "--database-url", &url])
                .output()
                .unwrap(),
        };
        let status = out.status.code().unwrap_or(-1) as u8;
        assert_eq!(
            status,
            0,
            "{kind:?} {path:?} {command} {target}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // The live check: clean at the head; after the downgrade it lists what
        // the head has and the database no longer does (the same on every path).
        let (checked, report) = check(path, &set, &url, project.as_ref());
        let want = if command == "upgrade" { 0 } else { 1 };
        assert_eq!(
            checked, want,
            "{kind:?} {path:?}: check after {command} {target}:\n{report}"
        );
        let drift: Vec<String> = report
            .lines()
            .filter(|l| l.starts_with("  - "))
            .map(str::to_string)
            .collect();
        outcomes.push((status, db.snapshot().await, objects(&db).await, drift));
    }
    if let Some(server) = db.server {
        server.cleanup().await.unwrap();
    }
    Some(outcomes)
}

/// Runs the scenario through the three paths and compares them.
async fn objects_matrix(kind: DialectKind) {
    let mut results = Vec::new();
    for path in [Path::Deployed, Path::Cli, Path::Embedded] {
        let Some(result) = run_path(path, kind).await else {
            return;
        };
        results.push((path, result));
    }
    let (_, expected) = &results[0];
    for (path, result) in &results[1..] {
        assert_eq!(
            result, expected,
            "objects on {kind:?}: {path:?} differs from the deployed binary"
        );
    }
    // The shapes and objects are there after each upgrade and gone after the
    // downgrade; the rows are kept throughout and the trigger fired.
    let [up, down, again] = &expected[..] else {
        panic!("three commands")
    };
    let shown = |o: &Outcome| format!("{:?}", o.2);
    for o in [up, again] {
        let text = shown(o);
        for needle in ["live_items", "items_logged", "Kiwi"] {
            assert!(text.contains(needle), "{kind:?}: {needle} in {text}");
        }
        let shapes: &[&str] = match kind {
            DialectKind::MySql => &["ix_items_name_text FULLTEXT"],
            DialectKind::Postgres => &["WHERE (deleted = 0)", "lower((name)::text)"],
            DialectKind::Sqlite => &["WHERE deleted = 0", "lower(name)"],
        };
        for shape in shapes {
            assert!(text.contains(shape), "{kind:?}: {shape} in {text}");
        }
        assert!(
            o.1.iter().any(|rows| rows.iter().any(|r| r == "t:Kiwi")),
            "{kind:?}: the trigger's mark in {:?}",
            o.1
        );
    }
    assert!(
        down.3
            .iter()
            .any(|l| l.contains("lacks trigger 'items_logged'")),
        "{kind:?}: {:?}",
        down.3
    );
    let text = shown(down);
    for gone in ["live_items", "items_logged", "Kiwi", "ix_items_"] {
        assert!(
            !text.contains(gone),
            "{kind:?}: {gone} after the downgrade: {text}"
        );
    }
    assert!(
        text.contains("Apple") && text.contains("Fig"),
        "{kind:?}: rows kept: {text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    objects_matrix(DialectKind::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    objects_matrix(DialectKind::Postgres).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mysql() {
    objects_matrix(DialectKind::MySql).await
}
