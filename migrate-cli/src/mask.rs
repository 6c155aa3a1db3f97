//! Keeps passwords out of everything the CLI prints.
//!
//! [`mask_url`] rewrites one URL as `postgres://user:***@host/db`; [`Masker`] scrubs
//! arbitrary text (driver errors echo URLs, sometimes percent-decoded) of the known
//! password and of anything shaped like `scheme://user:secret@` or `password=secret`.

use std::sync::OnceLock;

use regex_lite::Regex;

/// What a password is replaced with.
pub use migrate_core::url::MASK;

/// The URL with its passwords (`user:secret@`, `password=`) replaced by `***`, by
/// the one redactor (`migrate_core::url::redact`), then scrubbed with the same
/// patterns as [`Masker::mask`].
pub fn mask_url(raw: &str) -> String {
    mask_patterns(&migrate_core::url::redact(raw))
}

/// Scrubs text of the passwords of the URLs it was told about, and of generic
/// credential patterns.
#[derive(Clone, Debug, Default)]
pub struct Masker {
    secrets: Vec<String>,
}

impl Masker {
    /// A masker that knows no password yet (it still applies the generic patterns).
    pub fn new() -> Self {
        Masker::default()
    }

    /// Remembers the password of `url` (raw and percent-decoded) to scrub it anywhere.
    pub fn learn_url(&mut self, url: &str) {
        if let Ok(parsed) = url::Url::parse(url) {
            if let Some(password) = parsed.password() {
                self.learn_secret(password);
                if let Ok(decoded) = percent_decode(password) {
                    self.learn_secret(&decoded);
                }
            }
            for (key, value) in parsed.query_pairs() {
                if key.eq_ignore_ascii_case("password") {
                    self.learn_secret(&value);
                }
            }
        }
    }

    fn learn_secret(&mut self, secret: &str) {
        // Very short secrets would mask ordinary words; the patterns still catch them
        // in URL position.
        if secret.len() >= 3 && !self.secrets.iter().any(|s| s == secret) {
            self.secrets.push(secret.to_string());
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
    }

    /// The text with every known password and credential pattern replaced by `***`.
    pub fn mask(&self, text: &str) -> String {
        let mut out = mask_patterns(text);
        for secret in &self.secrets {
            out = out.replace(secret.as_str(), MASK);
        }
        out
    }
}

fn mask_patterns(text: &str) -> String {
    // Neither pattern can match without these characters: most lines have none, and
    // building the patterns is a measurable part of a no-op start-up.
    let userinfo_possible = text.contains("://") && text.contains('@');
    if !userinfo_possible && !text.contains('=') {
        return text.to_string();
    }
    static USERINFO: OnceLock<Regex> = OnceLock::new();
    static PARAM: OnceLock<Regex> = OnceLock::new();
    let userinfo = USERINFO.get_or_init(|| {
        Regex::new(r"([A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)[^@\s/]*@").expect("valid regex")
    });
    let param = PARAM.get_or_init(|| {
        Regex::new(r#"(?i)\b(password|pwd)\s*=\s*("[^"]*"|'[^']*'|[^&\s;]*)"#).expect("valid regex")
    });
    let text = userinfo.replace_all(text, "${1}***@");
    param.replace_all(&text, "${1}=***").into_owned()
}

fn percent_decode(text: &str) -> Result<String, ()> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).map_err(|_| ())?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| ())?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_password_is_masked() {
        assert_eq!(
            mask_url("postgres://user:s3cret@db.example:5432/app"),
            "postgres://user:***@db.example:5432/app"
        );
        assert_eq!(mask_url("sqlite://app.db"), "sqlite://app.db");
        assert_eq!(
            mask_url("mysql://root@localhost/test"),
            "mysql://root@localhost/test"
        );
    }

    #[test]
    fn driver_messages_are_scrubbed() {
        let mut masker = Masker::new();
        masker.learn_url("postgres://bob:p%40ss%20word@h/db");
        let text =
            "password authentication failed for p@ss word at postgres://bob:p%40ss%20word@h/db";
        let masked = masker.mask(text);
        assert!(!masked.contains("p@ss word"), "{masked}");
        assert!(!masked.contains("p%40ss"), "{masked}");
        assert!(masked.contains("postgres://bob:***@h/db"), "{masked}");
    }

    #[test]
    fn generic_patterns_without_knowing_the_password() {
        let masker = Masker::new();
        assert_eq!(
            masker.mask("host=x password=hunter2 user=y"),
            "host=x password=*** user=y"
        );
        assert_eq!(
            masker.mask("mysql://a:b@c/d failed"),
            "mysql://a:***@c/d failed"
        );
    }
}
