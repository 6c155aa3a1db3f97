//! Overloaded PostgreSQL routines (one name, other argument types) declared as
//! schema objects, one file each (`half@numeric.postgres.sql`): upgraded, checked
//! clean, one of them changed (autogenerate writes only that one), upgraded and
//! downgraded back to the old body; and adopted from a database made by plain SQL.

use migrate_core::dialect::DialectKind;
use migrate_testkit::throwaway;

use crate::util::{runtime, sql, Flow, Project};

fn half(arg: &str, ret: &str, code: &str) -> String {
    format!("CREATE FUNCTION half(x {arg}) RETURNS {ret} LANGUAGE sql IMMUTABLE AS $$ {code} $$")
}

/// What `half` gives for an integer and for a numeric argument.
fn results(url: &str) -> (Option<String>, Option<String>) {
    let kind = DialectKind::Postgres;
    (
        sql(kind, url, "SELECT CAST(half(7) AS TEXT)").unwrap(),
        sql(kind, url, "SELECT CAST(half(7.0) AS TEXT)").unwrap(),
    )
}

/// How many routines are called `half`.
fn overloads(url: &str) -> String {
    let count = "SELECT count(*)::text FROM pg_proc WHERE proname = 'half'";
    sql(DialectKind::Postgres, url, count).unwrap().unwrap()
}

#[test]
fn two_overloads_are_declared_changed_and_restored_on_postgres() {
    let Some(Flow { rt, db, url, p }) = Flow::start(DialectKind::Postgres) else {
        return;
    };
    // `int` and `NUMERIC(10, 2)`: PostgreSQL keeps them as integer and numeric.
    p.write(
        "schema/functions/half.postgres.sql",
        &half("int", "int", "SELECT x / 2"),
    );
    p.write(
        "schema/functions/half@numeric.postgres.sql",
        &half("NUMERIC(10, 2)", "numeric", "SELECT x / 2"),
    );
    let out = p.ok_all(&["revision", "--autogenerate", "-m", "halves"]);
    assert!(
        out.contains("detected added function 'half(integer)'")
            && out.contains("detected added function 'half(numeric)'"),
        "{out}"
    );
    p.ok(&["upgrade", "head", "--database-url", &url]);
    let before = results(&url);
    assert_eq!(before.0.as_deref(), Some("3"));
    assert!(
        before.1.as_deref().unwrap().starts_with("3.5"),
        "{before:?}"
    );
    p.check_clean(&url, "after the upgrade");

    // One body changes: the revision drops and creates that overload only.
    p.write(
        "schema/functions/half@numeric.postgres.sql",
        &half("numeric", "numeric", "SELECT round(x / 2)"),
    );
    let out = p.ok_all(&["revision", "--autogenerate", "-m", "round"]);
    assert!(
        out.contains("detected removed function 'half(numeric)'")
            && out.contains("detected added function 'half(numeric)'")
            && !out.contains("half(integer)"),
        "{out}"
    );
    let file = std::fs::read_to_string(p.revision_file("round")).unwrap();
    assert!(!file.contains("x int"), "{file}");
    p.ok(&["upgrade", "head", "--database-url", &url]);
    assert_eq!(results(&url), (Some("3".into()), Some("4".into())));
    p.check_clean(&url, "after the change");

    // The downgrade brings the old body back and leaves the other overload.
    p.ok(&["downgrade", "-1", "--database-url", &url]);
    assert_eq!(results(&url), before);
    p.ok(&["downgrade", "base", "--database-url", &url]);
    assert_eq!(overloads(&url), "0");
    rt.block_on(db.cleanup()).unwrap();
}

/// `adopt` on a database with two functions of one name writes each to a file of
/// its own and the project checks clean.
#[test]
fn adopt_writes_each_overload_on_postgres() {
    let kind = DialectKind::Postgres;
    let rt = runtime();
    let Some(db) = rt.block_on(throwaway(kind)) else {
        return;
    };
    let url = db.url().to_string();
    for s in [
        "CREATE TABLE things (id integer PRIMARY KEY)",
        &half("integer", "integer", "SELECT x / 2"),
        &half("numeric", "numeric", "SELECT x / 2"),
        "CREATE FUNCTION twice(x integer) RETURNS integer LANGUAGE sql AS $$ SELECT x * 2 $$",
    ] {
        sql(kind, &url, s).unwrap();
    }
    let p = Project::new();
    let out = p.ok_all(&["adopt", "--stamp", "--database-url", &url]);
    assert!(!out.contains("overload"), "{out}");
    assert!(p.join("schema/functions/twice.sql").exists(), "{out}");
    for file in ["half@integer.postgres.sql", "half@numeric.postgres.sql"] {
        let text = p.read(&format!("schema/functions/{file}"));
        assert!(text.contains("FUNCTION public.half(x "), "{file}: {text}");
    }
    p.check_clean(&url, "after adopt");
    // The baseline's downgrade drops each by its signature.
    p.ok(&["downgrade", "base", "--database-url", &url]);
    assert_eq!(overloads(&url), "0");
    rt.block_on(db.cleanup()).unwrap();
}
