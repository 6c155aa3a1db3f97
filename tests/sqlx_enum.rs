//! `#[model(sqlx_type)]` enums through sqlx on every database this crate is built
//! with: values bound as parameters land in the enum column (NOT NULL and
//! nullable), rows read back into a `FromRow` struct, NULL reads as `None`, a
//! label the enum lacks is an error that names it, and on PostgreSQL a `Vec` of
//! the enum binds and decodes as an array of the enum type.
//!
//! The tables are created by plain SQL: a PostgreSQL enum type, MySQL `ENUM(...)`
//! columns (the testkit's databases collate `utf8mb4_bin`, which sqlx 0.8 flags
//! BINARY), SQLite text with a check. Servers are read from
//! `MIGRATE_TEST_POSTGRES_URL` and `MIGRATE_TEST_MYSQL_URL` (a visible skip
//! without, a failure under CI).

use migrate::core::dialect::DialectKind;
use migrate::core::Enum;
use migrate_testkit::throwaway;

/// Where a ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, migrate::Enum)]
#[model(sqlx_type)]
#[sqlx(type_name = "ticket_status", rename_all = "snake_case")]
enum TicketStatus {
    Open,
    InReview,
    #[sqlx(rename = "done")]
    Closed,
}

#[derive(Debug, PartialEq, sqlx::FromRow)]
struct Ticket {
    id: i64,
    status: TicketStatus,
    previous: Option<TicketStatus>,
}

fn schema(kind: DialectKind) -> Vec<String> {
    let labels = "('open', 'in_review', 'done')";
    match kind {
        DialectKind::Postgres => vec![
            format!("CREATE TYPE ticket_status AS ENUM {labels}"),
            "CREATE TABLE tickets (id BIGINT PRIMARY KEY, status ticket_status NOT NULL, \
             previous ticket_status)"
                .into(),
        ],
        DialectKind::MySql => vec![format!(
            "CREATE TABLE tickets (id BIGINT NOT NULL PRIMARY KEY, status ENUM{labels} NOT NULL, \
             previous ENUM{labels})"
        )],
        DialectKind::Sqlite => vec![format!(
            "CREATE TABLE tickets (id INTEGER NOT NULL PRIMARY KEY, status TEXT NOT NULL \
             CHECK (status IN {labels}), previous TEXT CHECK (previous IN {labels}))"
        )],
    }
}

/// Runs the scenario on one database with its connection type `$conn`.
macro_rules! scenario {
    ($kind:expr, $conn:ty, $placeholders:expr) => {{
        use sqlx::Connection;
        let kind: DialectKind = $kind;
        let Some(db) = throwaway(kind).await else {
            return;
        };
        let mut conn = <$conn>::connect(db.url()).await.unwrap();
        for sql in schema(kind) {
            sqlx::query(&sql).execute(&mut conn).await.unwrap();
        }
        let insert = format!(
            "INSERT INTO tickets (id, status, previous) VALUES {}",
            $placeholders
        );
        let rows = [
            Ticket {
                id: 1,
                status: TicketStatus::InReview,
                previous: Some(TicketStatus::Open),
            },
            Ticket {
                id: 2,
                status: TicketStatus::Closed,
                previous: None,
            },
        ];
        for row in &rows {
            sqlx::query(&insert)
                .bind(row.id)
                .bind(row.status)
                .bind(row.previous)
                .execute(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{kind:?}: insert: {e}"));
        }
        // The labels are what the database holds.
        let stored: Vec<(String,)> = sqlx::query_as(match kind {
            DialectKind::Postgres => "SELECT status::text FROM tickets ORDER BY id",
            _ => "SELECT CAST(status AS CHAR) FROM tickets ORDER BY id",
        })
        .fetch_all(&mut conn)
        .await
        .unwrap();
        assert_eq!(
            stored,
            [("in_review".to_string(),), ("done".to_string(),)],
            "{kind:?}"
        );
        let read: Vec<Ticket> =
            sqlx::query_as("SELECT id, status, previous FROM tickets ORDER BY id")
                .fetch_all(&mut conn)
                .await
                .unwrap_or_else(|e| panic!("{kind:?}: select: {e}"));
        assert_eq!(read, rows, "{kind:?}");
        // A bound enum compares in a WHERE clause.
        let where_sql = format!(
            "SELECT id FROM tickets WHERE status = {}",
            match kind {
                DialectKind::Postgres => "$1",
                _ => "?",
            }
        );
        let ids: Vec<i64> = sqlx::query_scalar(&where_sql)
            .bind(TicketStatus::Closed)
            .fetch_all(&mut conn)
            .await
            .unwrap();
        assert_eq!(ids, [2], "{kind:?}");
        // A label the enum lacks is an error naming it and the type.
        let unknown = sqlx::query_scalar::<_, TicketStatus>(match kind {
            DialectKind::Postgres => "SELECT 'reopened'::text",
            _ => "SELECT 'reopened'",
        })
        .fetch_one(&mut conn)
        .await
        .unwrap_err()
        .to_string();
        assert!(
            unknown.contains("'reopened' is not a label of the enum type `ticket_status`")
                && unknown.contains("'open', 'in_review', 'done'"),
            "{kind:?}: {unknown}"
        );
        (db, conn)
    }};
}

#[tokio::test]
async fn enums_bind_and_decode_on_postgres() {
    let (db, mut conn) = scenario!(DialectKind::Postgres, sqlx::PgConnection, "($1, $2, $3)");
    // Arrays of the enum type bind and decode as `Vec`.
    let all: Vec<TicketStatus> = sqlx::query_scalar("SELECT $1::ticket_status[]")
        .bind(vec![TicketStatus::Open, TicketStatus::Closed])
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(all, [TicketStatus::Open, TicketStatus::Closed]);
    drop(conn);
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn enums_bind_and_decode_on_mariadb() {
    let (db, conn) = scenario!(DialectKind::MySql, sqlx::MySqlConnection, "(?, ?, ?)");
    drop(conn);
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn enums_bind_and_decode_on_sqlite() {
    let (db, conn) = scenario!(DialectKind::Sqlite, sqlx::SqliteConnection, "(?, ?, ?)");
    drop(conn);
    db.cleanup().await.unwrap();
}

#[test]
fn labels_map_both_ways() {
    assert_eq!(TicketStatus::Closed.label(), "done");
    assert_eq!(
        TicketStatus::from_label("in_review"),
        Some(TicketStatus::InReview)
    );
    assert_eq!(TicketStatus::from_label("Closed"), None);
}
