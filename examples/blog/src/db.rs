//! The connection pool, for whichever database the URL names.
//!
//! The runtime decides the database from the URL's scheme
//! ([`migrate::core::url::kind_of`]); the blog does the same, so one binary serves SQLite,
//! PostgreSQL and MySQL/MariaDB. Queries are written once with `?` placeholders and
//! [`Db::sql`] rewrites them to `$1, $2, ...` for PostgreSQL.

use migrate::core::dialect::DialectKind;
use sqlx::{MySqlPool, PgPool, SqlitePool};

/// A pool of connections to the blog's database.
#[derive(Clone, Debug)]
pub enum Db {
    /// `sqlite:` URLs.
    Sqlite(SqlitePool),
    /// `postgres://` URLs.
    Postgres(PgPool),
    /// `mysql://` or `mariadb://` URLs.
    MySql(MySqlPool),
}

/// Runs `$body` with `$pool` bound to the concrete sqlx pool inside a [`Db`], so the
/// same query code is compiled once per database.
macro_rules! with_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
            $crate::db::Db::MySql($pool) => $body,
        }
    };
}
pub(crate) use with_pool;

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// The URL's scheme names no database the blog supports.
    #[error(
        "unsupported database URL {0:?}: use sqlite://FILE?mode=rwc, postgres://... or mysql://..."
    )]
    Scheme(String),
    /// The server or file could not be reached.
    #[error("could not connect to the {kind} database: {source}")]
    Connect {
        /// Which database was tried.
        kind: &'static str,
        /// What sqlx reported.
        source: sqlx::Error,
    },
}

impl Db {
    /// Opens a pool for `url` (`sqlite://blog.db?mode=rwc`, `postgres://...`,
    /// `mysql://...`).
    pub async fn connect(url: &str) -> Result<Db, ConnectError> {
        let kind =
            migrate::core::url::kind_of(url).ok_or_else(|| ConnectError::Scheme(redact(url)))?;
        let wrap = |source| ConnectError::Connect {
            kind: kind.name(),
            source,
        };
        Ok(match kind {
            DialectKind::Sqlite => Db::Sqlite(SqlitePool::connect(url).await.map_err(wrap)?),
            DialectKind::Postgres => Db::Postgres(PgPool::connect(url).await.map_err(wrap)?),
            DialectKind::MySql => Db::MySql(MySqlPool::connect(url).await.map_err(wrap)?),
        })
    }

    /// Which database this is.
    pub fn kind(&self) -> DialectKind {
        match self {
            Db::Sqlite(_) => DialectKind::Sqlite,
            Db::Postgres(_) => DialectKind::Postgres,
            Db::MySql(_) => DialectKind::MySql,
        }
    }

    /// `query` with its `?` placeholders written as this database wants them
    /// (`$1, $2, ...` on PostgreSQL). The blog's queries hold no `?` inside literals.
    pub fn sql(&self, query: &str) -> String {
        if self.kind() != DialectKind::Postgres {
            return query.to_string();
        }
        let mut out = String::with_capacity(query.len() + 8);
        let mut n = 0;
        for c in query.chars() {
            if c == '?' {
                n += 1;
                out.push_str(&format!("${n}"));
            } else {
                out.push(c);
            }
        }
        out
    }

    /// Closes every connection.
    pub async fn close(&self) {
        with_pool!(self, pool => pool.close().await)
    }
}

/// `url` without its password, for messages.
pub fn redact(url: &str) -> String {
    migrate::runtime::RedactedUrl::new(url).to_string()
}

/// A `u32` column as each database stores it: `INT UNSIGNED` on MySQL, `BIGINT`
/// with a range check on PostgreSQL (sqlx has no unsigned types there) and an
/// integer on SQLite. A field reads it with `#[sqlx(try_from = "StoredU32")]`, so
/// one `FromRow` struct serves the three databases; an application on one database
/// reads `u32` directly (MySQL, SQLite) or with `try_from = "i64"` (PostgreSQL).
#[derive(Clone, Copy, Debug)]
pub struct StoredU32(u32);

impl From<StoredU32> for u32 {
    fn from(v: StoredU32) -> u32 {
        v.0
    }
}

impl sqlx::Type<sqlx::Sqlite> for StoredU32 {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <u32 as sqlx::Type<sqlx::Sqlite>>::type_info()
    }
    fn compatible(ty: &sqlx::sqlite::SqliteTypeInfo) -> bool {
        <u32 as sqlx::Type<sqlx::Sqlite>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Sqlite> for StoredU32 {
    fn decode(value: sqlx::sqlite::SqliteValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(StoredU32(<u32 as sqlx::Decode<sqlx::Sqlite>>::decode(
            value,
        )?))
    }
}

impl sqlx::Type<sqlx::MySql> for StoredU32 {
    fn type_info() -> sqlx::mysql::MySqlTypeInfo {
        <u32 as sqlx::Type<sqlx::MySql>>::type_info()
    }
    fn compatible(ty: &sqlx::mysql::MySqlTypeInfo) -> bool {
        <u32 as sqlx::Type<sqlx::MySql>>::compatible(ty)
    }
}

impl<'r> sqlx::Decode<'r, sqlx::MySql> for StoredU32 {
    fn decode(value: sqlx::mysql::MySqlValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        Ok(StoredU32(<u32 as sqlx::Decode<sqlx::MySql>>::decode(
            value,
        )?))
    }
}

impl sqlx::Type<sqlx::Postgres> for StoredU32 {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <i64 as sqlx::Type<sqlx::Postgres>>::type_info()
    }
}

impl<'r> sqlx::Decode<'r, sqlx::Postgres> for StoredU32 {
    fn decode(value: sqlx::postgres::PgValueRef<'r>) -> Result<Self, sqlx::error::BoxDynError> {
        let wide = <i64 as sqlx::Decode<sqlx::Postgres>>::decode(value)?;
        Ok(StoredU32(u32::try_from(wide)?))
    }
}
