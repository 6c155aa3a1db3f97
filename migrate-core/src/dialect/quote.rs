//! Quoting identifiers and string literals, so any name (`order`, `Mixed Case`,
//! `naïve`) and any text (quotes, backslashes) survives the trip into SQL.

/// `text` between two `quote` characters, each `quote` inside it doubled: the one
/// rule behind the quoting below, written straight into one string of the right
/// size (the version tables' statements quote a dozen names and texts per
/// revision applied).
fn enclosed(text: &str, quote: char) -> String {
    let inner = text.matches(quote).count();
    let mut out = String::with_capacity(text.len() + inner + 2);
    out.push(quote);
    for (i, part) in text.split(quote).enumerate() {
        if i > 0 {
            out.push(quote);
            out.push(quote);
        }
        out.push_str(part);
    }
    out.push(quote);
    out
}

/// `name` in double quotes, inner `"` doubled (PostgreSQL, SQLite, standard SQL).
pub fn double_quoted(name: &str) -> String {
    enclosed(name, '"')
}

/// `name` in backticks, inner backticks doubled (MySQL, MariaDB).
pub fn backticked(name: &str) -> String {
    enclosed(name, '`')
}

/// A standard SQL string literal: single quotes, inner `'` doubled. Safe on
/// PostgreSQL (with `standard_conforming_strings`, the default since 9.1) and SQLite.
pub fn string_literal(text: &str) -> String {
    enclosed(text, '\'')
}

/// A MySQL string literal: also doubles backslashes, which MySQL treats as escapes
/// unless `NO_BACKSLASH_ESCAPES` is set (the doubled form is right either way only
/// without that mode, which is MySQL's default).
pub fn mysql_string_literal(text: &str) -> String {
    format!("'{}'", text.replace('\\', "\\\\").replace('\'', "''"))
}

/// A default or check expression written in standard SQL, rewritten for MySQL:
/// backslashes inside string literals are doubled so they mean themselves.
pub fn mysql_expression(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut in_string = false;
    for ch in expr.chars() {
        match ch {
            '\'' => in_string = !in_string,
            '\\' if in_string => out.push('\\'),
            _ => {}
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_double_their_quote_character() {
        assert_eq!(double_quoted("Mixed Case"), "\"Mixed Case\"");
        assert_eq!(double_quoted("a\"b"), "\"a\"\"b\"");
        assert_eq!(backticked("a`b"), "`a``b`");
        assert_eq!(backticked("naïve"), "`naïve`");
        assert_eq!(double_quoted(""), "\"\"");
        assert_eq!(double_quoted("\"\""), "\"\"\"\"\"\"");
        assert_eq!(double_quoted("\"a\""), "\"\"\"a\"\"\"");
    }

    #[test]
    fn literals_escape_quotes_and_mysql_backslashes() {
        assert_eq!(string_literal("it's"), "'it''s'");
        assert_eq!(string_literal("C:\\x"), "'C:\\x'");
        assert_eq!(string_literal("''"), "''''''");
        assert_eq!(string_literal("a\nb"), "'a\nb'");
        assert_eq!(mysql_string_literal("it's C:\\x"), "'it''s C:\\\\x'");
        assert_eq!(mysql_expression("'a\\b' || x"), "'a\\\\b' || x");
        assert_eq!(mysql_expression("'it''s\\'"), "'it''s\\\\'");
    }
}
