//! Tests against real databases, in one test binary: SQLite always (a temp file),
//! PostgreSQL and MySQL/MariaDB when `MIGRATE_TEST_POSTGRES_URL` /
//! `MIGRATE_TEST_MYSQL_URL` are set (required under CI). Each test makes its own
//! throwaway database, so they run in parallel.

#[path = "../../../migrate-core/tests/fixtures/every_op.rs"]
#[allow(dead_code)]
mod every_op;
mod util;

mod dialects;
mod extras;
mod offline;
mod sqlite_rebuild;
mod throwaway;
mod version_table;
