//! A small SQL tokenizer shared by everything that reads SQL text: column types
//! ([`super::sql_type`]), the columns a check expression mentions, and the stored
//! `CREATE TABLE` text of SQLite.
//!
//! It knows what matters for those readers and nothing more: words, numbers,
//! quoted identifiers (`"x"`, `` `x` ``, `[x]`, with doubled quotes inside), string
//! literals (`'it''s'`), `--` and `/* */` comments (skipped) and single-character
//! punctuation. A quoted identifier and a string literal are never mistaken for a
//! word, so `'name'` or `"my name"` never reads as the column `name`.

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// An unquoted word or number (`length`, `varchar`, `10`, `x_1`).
    Word,
    /// A quoted identifier; `text` holds the name without its quotes.
    QuotedIdent,
    /// A string literal; `text` holds it with its quotes, as written.
    String,
    /// One punctuation character (`(`, `,`, `>`, `:`).
    Punct,
}

/// One token, with where it is in the text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// The token's text (for a quoted identifier, the name inside the quotes).
    pub text: String,
    /// What it is.
    pub kind: TokenKind,
    /// Byte offset of its first character.
    pub start: usize,
    /// Byte offset just past its last character.
    pub end: usize,
}

impl Token {
    /// Whether the token is the unquoted word or punctuation `word`, in any case.
    pub fn is(&self, word: &str) -> bool {
        matches!(self.kind, TokenKind::Word | TokenKind::Punct)
            && self.text.eq_ignore_ascii_case(word)
    }

    /// Whether the token names something: an unquoted word that is not a number,
    /// or a quoted identifier.
    pub fn is_name(&self) -> bool {
        match self.kind {
            TokenKind::QuotedIdent => true,
            TokenKind::Word => !self.text.starts_with(|c: char| c.is_ascii_digit()),
            _ => false,
        }
    }
}

/// Splits `sql` into tokens. An unterminated quote runs to the end of the text.
pub fn tokenize(sql: &str) -> Vec<Token> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'-' && bytes.get(i + 1) == Some(&b'-') {
            while i < bytes.len() && bytes[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && bytes.get(i + 1) == Some(&b'*') {
            i += 2;
            while i < bytes.len() && !(bytes[i] == b'*' && bytes.get(i + 1) == Some(&b'/')) {
                i += 1;
            }
            i = (i + 2).min(bytes.len());
        } else if matches!(c, b'"' | b'`' | b'[' | b'\'') {
            let close = if c == b'[' { b']' } else { c };
            let start = i;
            let mut text = String::new();
            i += 1;
            while i < bytes.len() {
                if bytes[i] == close {
                    if close != b']' && bytes.get(i + 1) == Some(&close) {
                        text.push(close as char);
                        i += 2;
                        continue;
                    }
                    break;
                }
                let ch = sql[i..].chars().next().unwrap_or(' ');
                text.push(ch);
                i += ch.len_utf8();
            }
            i = (i + 1).min(sql.len());
            let string = c == b'\'';
            out.push(Token {
                text: if string {
                    sql[start..i].to_string()
                } else {
                    text
                },
                kind: if string {
                    TokenKind::String
                } else {
                    TokenKind::QuotedIdent
                },
                start,
                end: i,
            });
        } else if c.is_ascii_alphanumeric() || c == b'_' || c == b'$' || c >= 0x80 {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric()
                    || bytes[i] == b'_'
                    || bytes[i] == b'$'
                    || bytes[i] >= 0x80)
            {
                i += 1;
            }
            out.push(Token {
                text: sql[start..i].to_string(),
                kind: TokenKind::Word,
                start,
                end: i,
            });
        } else {
            out.push(Token {
                text: (c as char).to_string(),
                kind: TokenKind::Punct,
                start: i,
                end: i + 1,
            });
            i += 1;
        }
    }
    out
}

/// Index of the `)` matching the `(` at `open` (`tokens.len()` when unmatched).
pub fn matching(tokens: &[Token], open: usize) -> usize {
    let mut depth = 0;
    for (i, t) in tokens.iter().enumerate().skip(open) {
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            depth -= 1;
            if depth == 0 {
                return i;
            }
        }
    }
    tokens.len()
}

/// The column names an expression (a check, an index expression) mentions:
/// every name token that is not a function name (a name followed by `(`), a
/// keyword of expressions, or a cast's type (after `::`). Quoted names are
/// compared as written; unquoted ones are returned as written too, and callers
/// compare them without regard to case, as the databases do.
pub fn referenced_columns(expr: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    each_column(expr, |t| {
        if !out.contains(&t.text) {
            out.push(t.text.clone());
        }
    });
    out
}

/// Calls `found` with each token of `expr` that names a column (see
/// [`referenced_columns`]).
fn each_column(expr: &str, mut found: impl FnMut(&Token)) {
    /// Words that are operators or literals in expressions, never columns.
    const KEYWORDS: &[&str] = &[
        "and",
        "or",
        "not",
        "is",
        "null",
        "in",
        "between",
        "like",
        "ilike",
        "glob",
        "regexp",
        "similar",
        "to",
        "escape",
        "case",
        "when",
        "then",
        "else",
        "end",
        "true",
        "false",
        "cast",
        "as",
        "collate",
        "distinct",
        "from",
        "any",
        "all",
        "some",
        "array",
        "exists",
        "current_timestamp",
        "current_date",
        "current_time",
        "localtime",
        "localtimestamp",
        "interval",
        "unknown",
        "binary",
    ];
    let tokens = tokenize(expr);
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let after_cast = i >= 2 && tokens[i - 1].is(":") && tokens[i - 2].is(":");
        let after_as = i >= 1 && tokens[i - 1].is("as");
        let call = tokens.get(i + 1).is_some_and(|n| n.is("("));
        let qualified = tokens.get(i + 1).is_some_and(|n| n.is("."));
        let keyword =
            t.kind == TokenKind::Word && KEYWORDS.iter().any(|k| t.text.eq_ignore_ascii_case(k));
        let column = t.is_name() && !after_cast && !after_as && !call && !qualified && !keyword;
        if column {
            found(t);
        }
        if after_cast || after_as {
            // A type may be several words (`character varying`, `double precision`).
            while tokens.get(i + 1).is_some_and(|n| n.kind == TokenKind::Word) {
                i += 1;
            }
        }
        i += 1;
    }
}

/// `expr` with the column `from` renamed to `to`, as the databases rewrite a check
/// when a column it uses is renamed. An unquoted mention matches without regard to
/// case and is written unquoted when `to` needs no quotes (else in double quotes);
/// a quoted one matches exactly and keeps its quote character.
pub fn rename_column(expr: &str, from: &str, to: &str) -> String {
    let mut mentions = Vec::new();
    each_column(expr, |t| {
        let matches = match t.kind {
            TokenKind::QuotedIdent => t.text == from,
            _ => t.text.eq_ignore_ascii_case(from),
        };
        if matches {
            mentions.push(t.clone());
        }
    });
    let plain = to.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && to.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    let mut out = String::with_capacity(expr.len());
    let mut at = 0;
    for t in mentions {
        out.push_str(&expr[at..t.start]);
        let written = if t.kind == TokenKind::QuotedIdent {
            let open = expr[t.start..].chars().next().unwrap_or('"');
            let close = if open == '[' { ']' } else { open };
            let inner = to.replace(close, &format!("{close}{close}"));
            format!("{open}{inner}{close}")
        } else if plain {
            to.to_string()
        } else {
            super::quote::double_quoted(to)
        };
        out.push_str(&written);
        at = t.end;
    }
    out.push_str(&expr[at..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_strings_and_comments_are_kept_apart() {
        let t = tokenize(
            r#"a."b c" = 'it''s' -- note
            /* x */ `d`"#,
        );
        let kinds: Vec<(TokenKind, &str)> = t.iter().map(|t| (t.kind, t.text.as_str())).collect();
        assert_eq!(
            kinds,
            vec![
                (TokenKind::Word, "a"),
                (TokenKind::Punct, "."),
                (TokenKind::QuotedIdent, "b c"),
                (TokenKind::Punct, "="),
                (TokenKind::String, "'it''s'"),
                (TokenKind::QuotedIdent, "d"),
            ]
        );
    }

    #[test]
    fn a_renamed_column_is_rewritten_where_it_is_a_column() {
        assert_eq!(
            rename_column("length(email) > 3 AND Email <> 'email'", "email", "mail"),
            "length(mail) > 3 AND mail <> 'email'"
        );
        assert_eq!(
            rename_column("\"Qty\" > 0 AND qty < `Qty`", "Qty", "Count"),
            "\"Count\" > 0 AND Count < `Count`"
        );
        assert_eq!(rename_column("a > 0", "a", "my col"), "\"my col\" > 0");
        assert_eq!(
            rename_column("email(x) > 0", "email", "mail"),
            "email(x) > 0"
        );
    }

    #[test]
    fn referenced_columns_skip_functions_literals_and_casts() {
        assert_eq!(referenced_columns("length(username) > 0"), vec!["username"]);
        assert_eq!(
            referenced_columns("(name)::text <> 'name' AND \"Qty\" > 0"),
            vec!["name", "Qty"]
        );
        assert_eq!(
            referenced_columns("status IN ('a', 'b') OR x IS NOT NULL"),
            vec!["status", "x"]
        );
        assert_eq!(
            referenced_columns("CAST(a AS double precision) > b::character varying(3)"),
            vec!["a", "b"]
        );
        assert!(referenced_columns("length(username) > 0")
            .iter()
            .all(|c| c != "name"));
    }
}
