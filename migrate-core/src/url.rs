//! Database URLs: the one place that reads which database a URL names and hides its
//! password, used by the runtime, introspection, the CLI and the build helper.
//!
//! - [`kind_of`]: the database of a URL, by its scheme (`postgres://`,
//!   `postgresql://`, `mysql://`, `mariadb://`, `sqlite:`), as [`DialectKind`];
//! - [`redact`]: the URL with every password replaced by `***`, both the one in the
//!   authority (`user:secret@`) and a `password=` query parameter, so that no
//!   message, log line or `Debug` output ever shows one.

use crate::dialect::DialectKind;

/// What a password is replaced with.
pub const MASK: &str = "***";

/// The URL schemes migrate accepts, for messages.
pub const SCHEMES: &str = "postgres://, postgresql://, mysql://, mariadb:// or sqlite:";

/// The database a URL names, by its scheme (any case); `None` for another scheme.
pub fn kind_of(url: &str) -> Option<DialectKind> {
    let scheme = url.trim_start().split(':').next()?.to_ascii_lowercase();
    match scheme.as_str() {
        "postgres" | "postgresql" => Some(DialectKind::Postgres),
        "mysql" | "mariadb" => Some(DialectKind::MySql),
        "sqlite" => Some(DialectKind::Sqlite),
        _ => None,
    }
}

/// Whether a query parameter holds a password (`password`, `pwd`, any case).
fn is_secret_param(key: &str) -> bool {
    key.eq_ignore_ascii_case("password") || key.eq_ignore_ascii_case("pwd")
}

/// `url` with its passwords replaced by [`MASK`]. Text that does not parse as a URL
/// is kept only up to its scheme: it may hold a password in a form no rule knows.
pub fn redact(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return match url.split_once(':') {
            Some((scheme, _)) => format!("{scheme}:…"),
            None => "(unparsable URL)".to_string(),
        };
    };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some(MASK));
    }
    if parsed.query_pairs().any(|(k, _)| is_secret_param(&k)) {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let v = if is_secret_param(&k) {
                    MASK.to_string()
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    // The mask is written as is, whatever encoding the setters chose.
    parsed.to_string().replace("%2A%2A%2A", MASK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_name_the_database() {
        for (url, kind) in [
            ("postgres://u@h/db", Some(DialectKind::Postgres)),
            ("PostgreSQL://u@h/db", Some(DialectKind::Postgres)),
            ("mysql://root@h/db", Some(DialectKind::MySql)),
            ("mariadb://root@h/db", Some(DialectKind::MySql)),
            ("sqlite::memory:", Some(DialectKind::Sqlite)),
            ("sqlite:///tmp/x.db", Some(DialectKind::Sqlite)),
            ("oracle://x", None),
            ("", None),
        ] {
            assert_eq!(kind_of(url), kind, "{url}");
        }
    }

    #[test]
    fn passwords_in_authority_and_query_are_hidden() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/app?sslmode=require"),
            "postgres://app:***@db:5432/app?sslmode=require"
        );
        assert_eq!(
            redact("postgres://me:s3cr%40t@db/app"),
            "postgres://me:***@db/app"
        );
        let r = redact("mysql://db/app?user=a&password=hunter2&PWD=x2");
        assert!(!r.contains("hunter2") && !r.contains("x2"), "{r}");
        assert!(r.contains("password=***") && r.contains("PWD=***"), "{r}");
        assert_eq!(redact("sqlite://a.db"), "sqlite://a.db");
        assert_eq!(
            redact("mysql://root@localhost/test"),
            "mysql://root@localhost/test"
        );
        assert_eq!(redact("no scheme here"), "(unparsable URL)");
    }
}
