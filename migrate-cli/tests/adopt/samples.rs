//! `adopt` on sample databases modelled on public ones (pagila, sakila and a
//! legacy SQLite file): what is adopted, what is listed as left out and why, and a
//! clean `check` afterwards.

use super::*;

/// Runs a sample schema file (statements separated by `;` at line ends; the
/// PostgreSQL function bodies use `$$` and end with `$$;`).
fn run_sample(kind: DialectKind, url: &str, file: &str) {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(file)).unwrap();
    let text: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with("--"))
        .map(|l| format!("{l}\n"))
        .collect();
    let mut statements = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        current.push_str(line);
        current.push('\n');
        let dollars = current.matches("$$").count();
        // A trigger body on SQLite ends with `END;`, its inner statements with `;`.
        let in_sqlite_trigger = kind == DialectKind::Sqlite
            && current.contains("CREATE TRIGGER")
            && !line.trim_end().ends_with("END;");
        if line.trim_end().ends_with(';') && dollars % 2 == 0 && !in_sqlite_trigger {
            statements.push(std::mem::take(&mut current));
        }
    }
    let refs: Vec<&str> = statements.iter().map(String::as_str).collect();
    run_sql(kind, url, &refs);
}

/// Adopts a sample database: every object the models cannot hold is listed
/// (`expected` lines), the tables they cannot describe are left out and recorded in
/// `[tables] exclude`, the models build, `check` is clean, and the baseline replays
/// on a fresh database of the same kind with `check` clean there too.
fn adopt_sample(kind: DialectKind, name: &str, file: &str, adopted: &[&str], expected: &[&str]) {
    let rt = runtime();
    let Some(db) = rt.block_on(throwaway(kind)) else {
        return;
    };
    let url = db.url().to_string();
    run_sample(kind, &url, file);
    let k = TempCrate::new(name);
    let (_, err) = k.migrate_ok(&url, &["adopt", "--stamp"]);
    for line in expected {
        assert!(err.contains(line), "{line:?} not listed:\n{err}");
    }
    let models = k.read("src/models.rs");
    if kind == DialectKind::MySql {
        assert!(models.contains("pub actor_id: u16,"), "{models}");
        // An ENUM column is an enum type of its own, written as a Rust enum.
        assert!(
            models.contains("#[sqlx(type_name = \"store_kind\", rename_all = \"lowercase\")]\npub enum StoreKind {\n    Shop,\n    Web,\n}")
                && models.contains("pub kind: StoreKind,"),
            "{models}"
        );
        // A MySQL TIMESTAMP stays TIMESTAMP (not the neutral timestamptz, which
        // MySQL declares DATETIME(6)) and decodes as a UTC instant.
        assert!(
            models.contains("sql_type = \"raw(timestamp)\"")
                && models.contains("pub last_update: chrono::DateTime<chrono::Utc>,"),
            "{models}"
        );
        // Generated columns, ON UPDATE and a column's own collation (with its
        // character set) are modelled, not left to SQL revisions.
        for needle in [
            "generated = \"char_length(`title`)\"",
            "on_update_current_timestamp",
            "collation(mysql = \"latin1_swedish_ci\")",
        ] {
            assert!(models.contains(needle), "{needle} missing from:\n{models}");
        }
    }
    // Index shapes and deferrable keys are adopted into the models, not listed.
    let shapes: &[&str] = match kind {
        // `film` (its enum column a Rust enum, its domain column the base type)
        // brings its GiST and GIN indexes.
        DialectKind::Postgres => &[
            "index(name = \"idx_active_staff\", columns(username), where = \"active\")",
            "method = \"gin\"",
            "method = \"gist\"",
        ],
        DialectKind::MySql => &[
            "index(name = \"idx_title_description\", columns(title, description), method = \"fulltext\")",
        ],
        DialectKind::Sqlite => &[
            "index(name = \"ix_customers_lower_name\", columns(\"lower(name)\"))",
            "index(name = \"ix_orders_open\", columns(placed_at), where = \"total > 0\")",
            "deferrable = \"deferred\"",
        ],
    };
    for shape in shapes {
        assert!(
            models.contains(shape),
            "{shape} not in the models:\n{models}"
        );
    }
    assert!(
        !err.contains("partial index") && !err.contains("expression index"),
        "{err}"
    );
    let keyless = match kind {
        DialectKind::Postgres => "event_log",
        DialectKind::MySql => "customer_note",
        DialectKind::Sqlite => "orders",
    };
    assert!(
        models.contains(&format!("#[model(table = \"{keyless}\", no_primary_key)]")),
        "{models}"
    );
    let structs = models.matches("pub struct ").count();
    assert_eq!(structs, adopted.len(), "{models}");
    for table in adopted {
        assert!(
            models.contains(&format!("#[model(table = \"{table}\""))
                || models.contains(&format!(
                    "pub struct {}",
                    migrate_model::codegen::struct_name(table)
                )),
            "{table}: {models}"
        );
    }
    let (out, err) = k.migrate_ok(&url, &["check"]);
    assert!(
        !out.contains("drift") && err.contains("matches"),
        "{out}{err}"
    );
    k.build_ok();
    replays_on_fresh_database(kind, &k);
    rt.block_on(db.cleanup()).ok();
}

#[test]
fn adopt_sample_pagila_like_postgres() {
    adopt_sample(
        DialectKind::Postgres,
        "mc_sample_pagila",
        "tests/samples/pagila_like.sql",
        // A table without a primary key is adopted as `no_primary_key`.
        &[
            "actor",
            "event_log",
            "film",
            "film_actor",
            "language",
            // A table of another PostgreSQL schema is adopted as
            // `#[model(schema = "reporting", table = "daily")]`.
            "reporting.daily",
            "staff",
        ],
        &[
            "table `manager`:",
            "inherits from staff",
            "table `payment`: partitioned table: PARTITION BY RANGE (payment_date)",
            "table `payment_p2022_01`: partition of payment",
            "domain `year_t`",
            "column type `film.special_features`: text[]",
            "column type `language.name`: character(20)",
            // Views (the materialized one too), triggers, routines, sequences,
            // extensions and schemas are adopted as schema object files, a
            // view of `reporting` too (`views/reporting.large_days.sql`).
            "wrote 9 schema object(s)",
        ],
    );
}

#[test]
fn adopt_sample_sakila_like_mariadb() {
    adopt_sample(
        DialectKind::MySql,
        "mc_sample_sakila",
        "tests/samples/sakila_like.sql",
        // Unsigned auto-increment keys are adopted as u8/u16 fields.
        &[
            "actor",
            "customer_note",
            "film",
            "film_text",
            "language",
            "store",
        ],
        &[
            "wrote 3 schema object(s)",
            "column type `store.services`: set('rent','sell')",
        ],
    );
}

#[test]
fn adopt_sample_legacy_sqlite() {
    adopt_sample(
        DialectKind::Sqlite,
        "mc_sample_legacy",
        "tests/samples/legacy_sqlite.sql",
        // `codes`, whose key accepts NULL, declares `nullable_key`.
        &["codes", "customers", "kv", "orders"],
        &[
            "table option `kv`: WITHOUT ROWID",
            "wrote 2 schema object(s)",
            "column type `customers.name`: varchar2(100)",
            "column type `customers.balance`: number(10,2)",
        ],
    );
}
