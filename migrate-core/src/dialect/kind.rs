//! [`DialectKind`]: which database a piece of SQL is for, parsed from a name or a URL.

use std::fmt;
use std::str::FromStr;

/// The databases migrate speaks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DialectKind {
    /// PostgreSQL (12 or newer).
    Postgres,
    /// MySQL 8 or MariaDB 10.5 and newer.
    MySql,
    /// SQLite 3.35 or newer.
    Sqlite,
}

impl DialectKind {
    /// Every dialect, in a fixed order (for tests and golden files).
    pub const ALL: [DialectKind; 3] = [
        DialectKind::Postgres,
        DialectKind::MySql,
        DialectKind::Sqlite,
    ];

    /// The lowercase name used in revision files, URLs and file names:
    /// `postgres`, `mysql` or `sqlite`.
    pub fn name(self) -> &'static str {
        match self {
            DialectKind::Postgres => "postgres",
            DialectKind::MySql => "mysql",
            DialectKind::Sqlite => "sqlite",
        }
    }
}

impl fmt::Display for DialectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A dialect name or URL that names no supported database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown database `{0}`: use postgres, mysql or sqlite, or a URL starting with \
     postgres://, postgresql://, mysql://, mariadb:// or sqlite:"
)]
pub struct ParseDialectError(pub String);

impl FromStr for DialectKind {
    type Err = ParseDialectError;

    /// Accepts a name (`postgres`, `postgresql`, `pg`, `mysql`, `mariadb`, `sqlite`,
    /// any case) or a URL whose scheme is one of these.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let scheme = match trimmed.find(':') {
            Some(i) => &trimmed[..i],
            None => trimmed,
        };
        match scheme.to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" | "pg" => Ok(DialectKind::Postgres),
            "mysql" | "mariadb" => Ok(DialectKind::MySql),
            "sqlite" | "sqlite3" => Ok(DialectKind::Sqlite),
            _ => Err(ParseDialectError(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_urls_parse() {
        for (text, kind) in [
            ("postgres", DialectKind::Postgres),
            ("postgresql://u@h/db", DialectKind::Postgres),
            ("MySQL", DialectKind::MySql),
            ("mariadb://root@h/db", DialectKind::MySql),
            ("sqlite::memory:", DialectKind::Sqlite),
            ("sqlite:///tmp/x.db", DialectKind::Sqlite),
        ] {
            assert_eq!(text.parse::<DialectKind>().unwrap(), kind, "{text}");
        }
        let e = "oracle://x".parse::<DialectKind>().unwrap_err();
        assert!(e.to_string().contains("`oracle://x`"), "{e}");
    }
}
