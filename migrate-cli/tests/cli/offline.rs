//! `--sql`: scripts printed without a database, compared with golden files under
//! `tests/golden/` (regenerate with `UPDATE_GOLDEN=1 cargo test -p migrate-cli`).

use std::path::PathBuf;

use migrate_core::dialect::DialectKind;
use migrate_introspect::{introspect, IntrospectOptions};

use crate::fixtures::{tutorial_project, ADD_COLUMN, CREATE_ACCOUNT};
use crate::util::{assert_error_with_fix, runtime, text, Project};

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "{} differs (run with UPDATE_GOLDEN=1 to accept the new output)",
        path.display()
    );
}

#[test]
fn upgrade_and_downgrade_scripts_match_golden_files() {
    let p = tutorial_project();
    for dialect in ["postgres", "mysql", "sqlite"] {
        let up = p.ok(&["upgrade", "head", "--sql", "--dialect", dialect]);
        golden(&format!("upgrade_head.{dialect}.sql"), &up);
        let down = p.ok(&["downgrade", "base", "--sql", "--dialect", dialect]);
        golden(&format!("downgrade_base.{dialect}.sql"), &down);
    }
    // A range: only the second revision.
    let range = format!("{}:{}", &CREATE_ACCOUNT[..4], &ADD_COLUMN[..4]);
    let step = p.ok(&["upgrade", &range, "--sql", "--dialect", "postgres"]);
    golden("upgrade_range.postgres.sql", &step);
    assert!(!step.contains("CREATE TABLE \"account\""), "{step}");
}

#[test]
fn dialect_comes_from_the_url_when_not_given() {
    let p = tutorial_project();
    let mut cmd = p.cmd(&["upgrade", "--sql"]);
    cmd.env("DATABASE_URL", "mysql://root:pw@127.0.0.1:1/nowhere");
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let script = String::from_utf8(out.stdout).unwrap();
    assert_eq!(script, p.ok(&["upgrade", "--sql", "--dialect", "mysql"]));
}

#[test]
fn sql_without_dialect_or_url_says_how_to_give_one() {
    let p: Project = tutorial_project();
    let err = p.fails(&["upgrade", "--sql"], 2);
    assert_error_with_fix(&err);
    assert!(err.contains("--dialect"), "{err}");
}

/// The version log's rows as text, less the two columns that say when and how long
/// (`applied_at`, `duration_ms`): what two runs of the same revisions must agree on.
fn log_rows(kind: DialectKind, url: &str) -> Vec<Vec<Option<String>>> {
    use sqlx::{Connection, Row};
    let columns = [
        "revision",
        "parents",
        "message",
        "checksum",
        "downgrade",
        "state",
    ];
    let select = format!(
        "SELECT {} FROM migrate_version_log ORDER BY revision",
        columns.map(|c| text(kind, c)).join(", ")
    );
    runtime().block_on(async {
        macro_rules! rows {
            ($conn:ty) => {{
                let mut c = <$conn>::connect(url).await.unwrap();
                sqlx::query(&select)
                    .fetch_all(&mut c)
                    .await
                    .unwrap()
                    .iter()
                    .map(|r| (0..columns.len()).map(|i| r.get(i)).collect())
                    .collect()
            }};
        }
        match kind {
            DialectKind::Sqlite => rows!(sqlx::SqliteConnection),
            DialectKind::Postgres => rows!(sqlx::PgConnection),
            DialectKind::MySql => rows!(sqlx::MySqlConnection),
        }
    })
}

/// Runs an offline script as a DBA would hand it to the database.
fn execute(kind: DialectKind, url: &str, script: &str) {
    use sqlx::{Connection, Executor};
    runtime().block_on(async {
        macro_rules! run {
            ($conn:ty) => {{
                let mut c = <$conn>::connect(url).await.unwrap();
                c.execute(sqlx::raw_sql(script))
                    .await
                    .unwrap_or_else(|e| panic!("{kind:?}: the script failed: {e}\n{script}"));
            }};
        }
        match kind {
            DialectKind::Sqlite => run!(sqlx::SqliteConnection),
            DialectKind::Postgres => run!(sqlx::PgConnection),
            DialectKind::MySql => run!(sqlx::MySqlConnection),
        }
    })
}

/// A database upgraded by the offline script holds what a live upgrade leaves: the
/// same schema, version tables included, and a version log with the same rows (the
/// downgrade it keeps for a binary that does not know the revision included, written
/// the one way the runtime writes it) and heads; the CLI then undoes it live. On all
/// three databases.
#[test]
fn an_offline_upgrade_leaves_what_a_live_upgrade_leaves() {
    // The version tables are read as tables like any other.
    let options = IntrospectOptions {
        version_table: "not_the_version_table".into(),
        ..IntrospectOptions::default()
    };
    for (kind, dialect) in [
        (DialectKind::Sqlite, "sqlite"),
        (DialectKind::Postgres, "postgres"),
        (DialectKind::MySql, "mysql"),
    ] {
        let rt = runtime();
        let Some(dbs) = rt.block_on(migrate_testkit::throwaway_many(kind, 2)) else {
            continue;
        };
        let (live, offline) = (dbs[0].url(), dbs[1].url());
        let schema = |url: &str| {
            rt.block_on(introspect(url, &options))
                .unwrap_or_else(|e| panic!("{kind:?}: {e}"))
        };
        let p = tutorial_project();
        p.ok(&["upgrade", "head", "--database-url", live]);
        let script = p.ok(&["upgrade", "head", "--sql", "--dialect", dialect]);
        execute(kind, offline, &script);

        assert_eq!(schema(offline), schema(live), "{kind:?}");
        let rows = log_rows(kind, live);
        assert_eq!(rows.len(), 2, "{kind:?}: {rows:?}");
        assert_eq!(log_rows(kind, offline), rows, "{kind:?}");
        let current = |url: &str| p.ok(&["current", "-q", "--database-url", url]);
        assert_eq!(current(offline), current(live), "{kind:?}");

        p.ok(&["downgrade", "base", "--database-url", offline]);
        p.ok(&["downgrade", "base", "--database-url", live]);
        assert_eq!(schema(offline), schema(live), "{kind:?}");
        rt.block_on(migrate_testkit::cleanup_all(dbs)).unwrap();
    }
}
