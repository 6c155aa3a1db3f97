//! Swapping the database name in a server URL, keeping user, host and options.

/// `admin_url` with its database (the URL path) replaced by `database`; the query
/// string (`?sslmode=disable`, ...) is kept.
///
/// ```
/// assert_eq!(
///     migrate_testkit::with_database("mysql://root@127.0.0.1:3306/test?x=1", "db2"),
///     "mysql://root@127.0.0.1:3306/db2?x=1"
/// );
/// ```
pub fn with_database(admin_url: &str, database: &str) -> String {
    let (base, query) = match admin_url.find('?') {
        Some(i) => (&admin_url[..i], &admin_url[i..]),
        None => (admin_url, ""),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let authority_end = base[after_scheme..]
        .find('/')
        .map(|i| after_scheme + i)
        .unwrap_or(base.len());
    format!("{}/{database}{query}", &base[..authority_end])
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn replaces_or_adds_the_path() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u:p@h?sslmode=disable", "x"),
            "postgres://u:p@h/x?sslmode=disable"
        );
    }
}
