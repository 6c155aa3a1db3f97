//! Enums adopted from a database: the adopted crate binds and decodes them with
//! sqlx on each database.

use super::*;

/// Enum columns of a database created by plain SQL, NOT NULL and nullable, are
/// adopted as Rust enums with `#[model(sqlx_type)]`; the adopted crate builds, and
/// its binary binds the enums in an INSERT and reads every row back into the
/// adopted struct (with `sqlx::FromRow` added, as a user does) through sqlx.
fn adopted_enums_decode(kind: DialectKind, name: &str) {
    let rt = runtime();
    let Some(db) = rt.block_on(throwaway(kind)) else {
        return;
    };
    let url = db.url().to_string();
    let labels = "('open', 'in_review', 'done')";
    let (schema, status, previous, conn, placeholders) = match kind {
        DialectKind::Postgres => (
            vec![
                format!("CREATE TYPE ticket_status AS ENUM {labels}"),
                "CREATE TABLE tickets (id BIGINT PRIMARY KEY, status ticket_status NOT NULL, \
                 previous ticket_status)"
                    .to_string(),
            ],
            "TicketStatus",
            "TicketStatus",
            "PgConnection",
            "($1, $2, $3)",
        ),
        DialectKind::MySql => (
            vec![format!(
                "CREATE TABLE tickets (id BIGINT NOT NULL PRIMARY KEY, status ENUM{labels} NOT \
                 NULL, previous ENUM{labels})"
            )],
            "TicketsStatus",
            "TicketsPrevious",
            "MySqlConnection",
            "(?, ?, ?)",
        ),
        DialectKind::Sqlite => (
            vec![format!(
                "CREATE TABLE tickets (id INTEGER NOT NULL PRIMARY KEY, status TEXT NOT NULL \
                 CONSTRAINT status_enum CHECK (status IN {labels}), previous TEXT CONSTRAINT \
                 previous_enum CHECK (previous IN {labels}))"
            )],
            "TicketsStatus",
            "TicketsPrevious",
            "SqliteConnection",
            "(?, ?, ?)",
        ),
    };
    let mut statements: Vec<&str> = schema.iter().map(String::as_str).collect();
    statements.push("INSERT INTO tickets (id, status, previous) VALUES (1, 'in_review', 'open')");
    run_sql(kind, &url, &statements);
    let k = TempCrate::new(name);
    k.migrate_ok(&url, &["adopt", "--stamp"]);
    let models = k.read("src/models.rs");
    assert!(
        models.contains(&format!(
            "#[derive(Debug, Clone, Copy, PartialEq, Eq, migrate::Enum)]\n#[model(sqlx_type)]\n\
             #[sqlx(type_name = \"{}\", rename_all = \"snake_case\")]\npub enum {status} {{",
            if kind == DialectKind::Postgres {
                "ticket_status"
            } else {
                "tickets_status"
            }
        )) && models.contains(&format!("    pub status: {status},"))
            && models.contains(&format!("    pub previous: Option<{previous}>,")),
        "{models}"
    );
    k.write(
        "src/models.rs",
        &models.replace(
            "#[derive(Debug, Clone, Model)]",
            "#[derive(Debug, Clone, Model, sqlx::FromRow)]",
        ),
    );
    k.write(
        "src/main.rs",
        &format!(
            "mod models;\n\n\
             use models::*;\n\
             use sqlx::Connection;\n\n\
             #[tokio::main(flavor = \"current_thread\")]\n\
             async fn main() {{\n\
             \x20   let url = std::env::var(\"DATABASE_URL\").unwrap();\n\
             \x20   let mut conn = sqlx::{conn}::connect(&url).await.unwrap();\n\
             \x20   sqlx::query(\"INSERT INTO tickets (id, status, previous) VALUES {placeholders}\")\n\
             \x20       .bind(2_i64)\n\
             \x20       .bind({status}::Done)\n\
             \x20       .bind(None::<{previous}>)\n\
             \x20       .execute(&mut conn)\n\
             \x20       .await\n\
             \x20       .unwrap();\n\
             \x20   let rows: Vec<Tickets> = sqlx::query_as(\"SELECT * FROM tickets ORDER BY id\")\n\
             \x20       .fetch_all(&mut conn)\n\
             \x20       .await\n\
             \x20       .unwrap();\n\
             \x20   for row in rows {{\n\
             \x20       println!(\"{{}} {{:?}} {{:?}}\", row.id, row.status, row.previous);\n\
             \x20   }}\n\
             }}\n"
        ),
    );
    let out = k.run_ok(&url);
    assert_eq!(out, "1 InReview Some(Open)\n2 Done None\n", "{kind:?}");
    let (out, err) = k.migrate_ok(&url, &["check"]);
    assert!(
        !out.contains("drift") && err.contains("matches"),
        "{out}{err}"
    );
    rt.block_on(db.cleanup()).ok();
}

#[test]
fn adopted_enums_decode_on_mariadb() {
    adopted_enums_decode(DialectKind::MySql, "mc_adopt_enums_my");
}

#[test]
fn adopted_enums_decode_on_postgres() {
    adopted_enums_decode(DialectKind::Postgres, "mc_adopt_enums_pg");
}

#[test]
fn adopted_enums_decode_on_sqlite() {
    adopted_enums_decode(DialectKind::Sqlite, "mc_adopt_enums_sqlite");
}
