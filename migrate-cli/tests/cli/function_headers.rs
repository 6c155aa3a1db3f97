//! The header of a PostgreSQL function (arguments, defaults, return type,
//! language, volatility, security) is part of what the live `check` compares: a
//! function declared in `schema/functions/`, upgraded, is clean although
//! PostgreSQL prints it in its own words; each header changed by hand with the
//! same code is drift naming the function, and putting it back is clean again.

use migrate_core::dialect::DialectKind;

use crate::util::{sql, Flow, Project};

const CODE: &str = "$$ BEGIN RETURN amount * (1 + rate); END $$";

/// The function with `header` (what comes after its argument list) and `args`.
fn function(args: &str, header: &str) -> String {
    format!("CREATE OR REPLACE FUNCTION add_tax({args}) {header} AS {CODE}")
}

const ARGS: &str = "amount numeric, rate numeric DEFAULT 0.2";
const HEADER: &str = "RETURNS numeric LANGUAGE plpgsql IMMUTABLE";

/// `check --database-url`'s status and output.
fn check(p: &Project, url: &str) -> (Option<i32>, String) {
    let out = p.cmd(&["check", "--database-url", url]).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn a_changed_function_header_is_drift_on_postgres() {
    let kind = DialectKind::Postgres;
    let Some(Flow { rt, db, url, p }) = Flow::start(kind) else {
        return;
    };
    // Written the way people write it (int spellings, clauses after the body).
    p.write(
        "schema/functions/add_tax.postgres.sql",
        &format!(
            "CREATE FUNCTION add_tax(amount NUMERIC, rate NUMERIC = 0.2) RETURNS numeric \
             AS {CODE} LANGUAGE plpgsql IMMUTABLE CALLED ON NULL INPUT"
        ),
    );
    p.ok(&["revision", "--autogenerate", "-m", "add_tax"]);
    p.ok(&["upgrade", "head", "--database-url", &url]);
    assert_eq!(
        sql(kind, &url, "SELECT CAST(add_tax(10) AS TEXT)").unwrap(),
        Some("12.0".to_string())
    );
    p.check_clean(&url, "after the upgrade");

    let changes = [
        (ARGS, "RETURNS numeric LANGUAGE plpgsql STABLE"),
        (
            ARGS,
            "RETURNS numeric LANGUAGE plpgsql IMMUTABLE SECURITY DEFINER",
        ),
        (ARGS, "RETURNS numeric LANGUAGE plpgsql IMMUTABLE STRICT"),
        (
            ARGS,
            "RETURNS numeric LANGUAGE plpgsql IMMUTABLE SET search_path = public",
        ),
        ("amount numeric, rate numeric DEFAULT 0.3", HEADER),
    ];
    for (args, header) in changes {
        sql(kind, &url, &function(args, header)).unwrap();
        let (status, out) = check(&p, &url);
        assert_eq!(status, Some(1), "{header} ({args}): {out}");
        assert!(
            out.contains("function 'add_tax(numeric, numeric)' differs"),
            "{header}: {out}"
        );
        sql(kind, &url, &function(ARGS, HEADER)).unwrap();
        p.check_clean(&url, &format!("{header} ({args}) put back"));
    }
    // A new return type needs the function dropped first.
    sql(kind, &url, "DROP FUNCTION add_tax(numeric, numeric)").unwrap();
    sql(
        kind,
        &url,
        &function(ARGS, "RETURNS double precision LANGUAGE plpgsql IMMUTABLE"),
    )
    .unwrap();
    let (status, out) = check(&p, &url);
    assert_eq!(status, Some(1), "return type: {out}");
    assert!(
        out.contains("function 'add_tax(numeric, numeric)' differs"),
        "{out}"
    );
    rt.block_on(db.cleanup()).unwrap();
}

/// A function is dropped by its signature: an overload made by hand (same name,
/// other argument types) does not stop the downgrade, and stays.
#[test]
fn a_function_is_dropped_beside_an_overload_on_postgres() {
    let kind = DialectKind::Postgres;
    let Some(Flow { rt, db, url, p }) = Flow::start(kind) else {
        return;
    };
    p.write(
        "schema/functions/add_tax.postgres.sql",
        &function(ARGS, HEADER).replace("OR REPLACE ", ""),
    );
    p.ok(&["revision", "--autogenerate", "-m", "add_tax"]);
    p.ok(&["upgrade", "head", "--database-url", &url]);
    sql(
        kind,
        &url,
        "CREATE FUNCTION add_tax(cents integer) RETURNS integer LANGUAGE sql AS $$ SELECT cents $$",
    )
    .unwrap();
    p.ok(&["downgrade", "base", "--database-url", &url]);
    let left = "SELECT string_agg(CAST(oid::regprocedure AS TEXT), ' ') FROM pg_proc \
                WHERE proname = 'add_tax'";
    assert_eq!(
        sql(kind, &url, left).unwrap(),
        Some("add_tax(integer)".to_string())
    );
    p.ok(&["upgrade", "head", "--database-url", &url]);
    assert_eq!(
        sql(kind, &url, "SELECT CAST(add_tax(10.0) AS TEXT)").unwrap(),
        Some("12.00".to_string())
    );
    rt.block_on(db.cleanup()).unwrap();
}
