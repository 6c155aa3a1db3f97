//! Revision files for the tests, as TOML text turned into embedded revisions (shared by
//! the integration tests and the replica binary).

use migrate_core::embed::{EmbeddedOps, EmbeddedRevision};
use migrate_core::revision::Revision;

/// A test checksum of a file's text (FNV-1a; the runtime only compares the strings).
pub fn test_checksum(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("fnv:{h:016x}")
}

/// One revision: id, parents, message, and the `[[upgrade]]`/`[[downgrade]]` tables.
pub struct Rev {
    pub id: &'static str,
    pub parents: &'static [&'static str],
    pub message: &'static str,
    pub body: String,
}

/// Embeds revisions the way the build script would (leaked: tests only).
pub fn embed(revs: Vec<Rev>) -> &'static [EmbeddedRevision] {
    let list: Vec<EmbeddedRevision> = revs
        .into_iter()
        .map(|r| {
            let parents: Vec<String> = r.parents.iter().map(|p| format!("{p:?}")).collect();
            let source = format!(
                "id = {:?}\nparents = [{}]\nmessage = {:?}\ncreated = \"2026-01-01T00:00:00Z\"\n\n{}",
                r.id,
                parents.join(", "),
                r.message,
                r.body
            );
            let source: &'static str = Box::leak(source.into_boxed_str());
            // What the build script embeds beside the text, for a file it can read.
            let (ops_json, downgrade_log) =
                match Revision::parse(source, std::path::Path::new("test.toml")) {
                    Ok(parsed) => {
                        let ops = EmbeddedOps {
                            upgrade: parsed.upgrade,
                            downgrade: parsed.downgrade,
                        };
                        (ops.to_json(), ops.downgrade_log())
                    }
                    Err(_) => (String::new(), String::new()),
                };
            EmbeddedRevision {
                id: r.id,
                parents: r.parents,
                replaces: &[],
                branch_labels: &[],
                depends_on: &[],
                message: r.message,
                checksum: Box::leak(test_checksum(source).into_boxed_str()),
                file: Box::leak(format!("{}_{}.toml", r.id, "test").into_boxed_str()),
                source,
                ops_json: Box::leak(ops_json.into_boxed_str()),
                downgrade_log: Box::leak(downgrade_log.into_boxed_str()),
            }
        })
        .collect();
    Box::leak(list.into_boxed_slice())
}

/// A `[[upgrade]]` or `[[downgrade]]` raw SQL step.
pub fn sql(section: &str, sql: &str) -> String {
    format!("[[{section}]]\nop = \"sql\"\nsql = {sql:?}\n\n")
}

/// A raw SQL step with a MySQL variant.
pub fn sql_mysql(section: &str, sql: &str, mysql: &str) -> String {
    format!("[[{section}]]\nop = \"sql\"\nsql = {sql:?}\nmysql = {mysql:?}\n\n")
}

/// The ids of [`linear`]'s revisions.
pub const A: &str = "a1a1a1a1a1a1";
pub const B: &str = "b2b2b2b2b2b2";
pub const C: &str = "c3c3c3c3c3c3";

/// Three revisions in a line; each inserts its id into `marks`, so a test can count how
/// often each ran.
pub fn linear() -> Vec<Rev> {
    vec![
        Rev {
            id: A,
            parents: &[],
            message: "create users and marks",
            body: sql(
                "upgrade",
                "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100))",
            ) + &sql("upgrade", "CREATE TABLE marks (rev VARCHAR(20) NOT NULL)")
                + &sql("upgrade", "INSERT INTO marks (rev) VALUES ('a1')")
                + &sql("downgrade", "DROP TABLE marks")
                + &sql("downgrade", "DROP TABLE users"),
        },
        Rev {
            id: B,
            parents: &[A],
            message: "add users.email",
            body: sql("upgrade", "ALTER TABLE users ADD COLUMN email VARCHAR(200)")
                + &sql("upgrade", "INSERT INTO marks (rev) VALUES ('b2')")
                + &sql("downgrade", "DELETE FROM marks WHERE rev = 'b2'")
                + &sql("downgrade", "ALTER TABLE users DROP COLUMN email"),
        },
        Rev {
            id: C,
            parents: &[B],
            message: "create posts",
            body: sql(
                "upgrade",
                "CREATE TABLE posts (id INTEGER PRIMARY KEY, title VARCHAR(100))",
            ) + &sql("upgrade", "INSERT INTO marks (rev) VALUES ('c3')")
                + &sql("downgrade", "DELETE FROM marks WHERE rev = 'c3'")
                + &sql("downgrade", "DROP TABLE posts"),
        },
    ]
}

const ACCOUNTS: &str = r#"table.name = "accounts"
table.columns = [
    { name = "id", type = "bigint", nullable = false, autoincrement = true },
    { name = "name", type = "varchar(50)", nullable = false },
]
table.primary_key = { name = "pk_accounts", columns = ["id"] }
"#;

const ORDERS: &str = r#"table.name = "orders"
table.columns = [
    { name = "id", type = "bigint", nullable = false, autoincrement = true },
    { name = "account_id", type = "bigint", nullable = false },
]
table.primary_key = { name = "pk_orders", columns = ["id"] }
table.foreign_keys = [
    { name = "fk_orders_account_id_accounts", columns = ["account_id"], ref_table = "accounts", ref_columns = ["id"] },
]
"#;

/// Dialect-neutral schema operations: tables with a foreign key, a column, an index,
/// and a type change (a table rebuild on SQLite, under a foreign key).
pub fn schema_ops() -> Vec<Rev> {
    vec![
        Rev {
            id: "5a5a5a5a5a5a",
            parents: &[],
            message: "create accounts and orders",
            body: format!(
                "[[upgrade]]\nop = \"create_table\"\n{ACCOUNTS}\n[[upgrade]]\nop = \"create_table\"\n{ORDERS}\n\
                 [[downgrade]]\nop = \"drop_table\"\n{ORDERS}\n[[downgrade]]\nop = \"drop_table\"\n{ACCOUNTS}\n"
            ),
        },
        Rev {
            id: "5b5b5b5b5b5b",
            parents: &["5a5a5a5a5a5a"],
            message: "accounts.email with an index",
            body: r#"[[upgrade]]
op = "add_column"
table = "accounts"
column = { name = "email", type = "varchar(200)", nullable = true }

[[upgrade]]
op = "create_index"
table = "accounts"
index = { name = "ix_accounts_email", columns = [{ name = "email" }] }

[[downgrade]]
op = "drop_index"
table = "accounts"
index = { name = "ix_accounts_email", columns = [{ name = "email" }] }

[[downgrade]]
op = "drop_column"
table = "accounts"
column = { name = "email", type = "varchar(200)", nullable = true }
"#
            .to_string(),
        },
        Rev {
            id: "5c5c5c5c5c5c",
            parents: &["5b5b5b5b5b5b"],
            message: "longer account names",
            body: r#"[[upgrade]]
op = "alter_column"
table = "accounts"
column = "name"
from = { type = "varchar(50)", nullable = false }
to = { type = "varchar(100)", nullable = false }

[[downgrade]]
op = "alter_column"
table = "accounts"
column = "name"
from = { type = "varchar(100)", nullable = false }
to = { type = "varchar(50)", nullable = false }
"#
            .to_string(),
        },
    ]
}

/// The id of revision `i` of [`chain`].
#[allow(dead_code)] // the lock tests' and the replica's, not every test binary's
pub fn chain_id(i: usize) -> &'static str {
    Box::leak(format!("cafe{i:08x}").into_boxed_str())
}

/// `n` revisions in a line for the lock tests. Revision `i` first waits `step_ms`
/// (a server-side sleep, so a process can be killed inside a revision), then creates
/// table `chain_<i>` and records `i` in `chain_marks`; revision 0 creates
/// `chain_marks` with `rev` as its primary key, so a revision that ran twice fails
/// (as does its `CREATE TABLE`). Every table has a primary key, as Galera requires.
#[allow(dead_code)]
pub fn chain(n: usize, step_ms: u64) -> Vec<Rev> {
    let secs = step_ms as f64 / 1000.0;
    // SQLite has no sleep: a recursive count of at least that many milliseconds of
    // one core's time (the unoptimised SQLite of a test build counts about 1.8
    // million rows a second on the two-core CI machine, so about twice as long there,
    // which leaves a faster machine a margin; 10 000 rows per millisecond made a
    // "1 s" revision 5.4 s of CPU). Under load it takes longer still.
    let sqlite_rows = step_ms * 4_000;
    let wait = format!(
        "[[upgrade]]\nop = \"sql\"\nsql = \"SELECT 1\"\npostgres = \"SELECT pg_sleep({secs})\"\n\
         mysql = \"SELECT SLEEP({secs})\"\nsqlite = \"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL \
         SELECT x + 1 FROM c WHERE x < {sqlite_rows}) SELECT count(*) FROM c\"\n\n"
    );
    (0..n)
        .map(|i| {
            let parents: &'static [&'static str] = if i == 0 {
                &[]
            } else {
                Box::leak(vec![chain_id(i - 1)].into_boxed_slice())
            };
            let mut body = String::new();
            if step_ms > 0 {
                body += &wait;
            }
            if i == 0 {
                body += &sql(
                    "upgrade",
                    "CREATE TABLE chain_marks (rev VARCHAR(20) NOT NULL PRIMARY KEY)",
                );
            }
            body += &sql(
                "upgrade",
                &format!("CREATE TABLE chain_{i} (id INTEGER NOT NULL PRIMARY KEY)"),
            );
            body += &sql(
                "upgrade",
                &format!("INSERT INTO chain_marks (rev) VALUES ('{i}')"),
            );
            body += &sql("downgrade", &format!("DROP TABLE chain_{i}"));
            Rev {
                id: chain_id(i),
                parents,
                message: "chain",
                body,
            }
        })
        .collect()
}
