//! Database URLs with the password hidden.
//!
//! The runtime never keeps or prints a URL as given: errors, `Debug` output and
//! tracing events all go through [`RedactedUrl`], which replaces the password (and a
//! `password=` query parameter) with `***`.

use std::fmt;

/// A database URL whose password has been replaced by `***`.
#[derive(Clone, PartialEq, Eq)]
pub struct RedactedUrl(String);

impl RedactedUrl {
    /// Redacts `url` with the one redactor, `migrate_core::url::redact`: the
    /// password and a `password=` parameter become `***`; text that does not parse as
    /// a URL is kept only up to its scheme.
    pub fn new(url: &str) -> Self {
        RedactedUrl(migrate_core::url::redact(url))
    }

    /// The redacted text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for RedactedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for RedactedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_password_in_authority_and_query() {
        let r = RedactedUrl::new("postgres://app:s3cret@db:5432/app?sslmode=require");
        assert_eq!(r.as_str(), "postgres://app:***@db:5432/app?sslmode=require");
        assert!(!format!("{r:?}").contains("s3cret"));
        let r = RedactedUrl::new("mysql://db/app?user=a&password=hunter2");
        assert!(!r.as_str().contains("hunter2"), "{r}");
        assert!(r.as_str().contains("password=***"));
    }

    #[test]
    fn keeps_urls_without_secrets_and_hides_garbage() {
        assert_eq!(RedactedUrl::new("sqlite://a.db").as_str(), "sqlite://a.db");
        assert_eq!(
            RedactedUrl::new("pg:user:pw@@bad").as_str(),
            "pg:user:pw@@bad"
        );
        assert_eq!(
            RedactedUrl::new("no scheme here").as_str(),
            "(unparsable URL)"
        );
    }
}
