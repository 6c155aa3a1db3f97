//! What `pragma_index_xinfo` does not say about a SQLite index, read from its
//! stored `CREATE INDEX` text: the SQL of each expression key and the `WHERE`
//! predicate of a partial index. SQLite keeps the text as written, so it is read
//! back as the user (or the core's renderer) wrote it.

use migrate_core::dialect::tokens::{matching, tokenize};
use migrate_core::schema::balanced_parentheses;

/// The key texts (in order) and the predicate of a `CREATE INDEX` statement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct IndexDdl {
    /// Each key as written, without its `ASC`/`DESC` and without the parentheses
    /// around an expression.
    pub keys: Vec<String>,
    /// The text after `WHERE`.
    pub predicate: Option<String>,
}

/// Reads `CREATE [UNIQUE] INDEX name ON table (key, ...) [WHERE predicate]`.
pub(crate) fn parse_create_index(sql: &str) -> IndexDdl {
    let tokens = tokenize(sql);
    let mut out = IndexDdl::default();
    let Some(on) = tokens.iter().position(|t| t.is("ON")) else {
        return out;
    };
    let Some(open) = tokens
        .iter()
        .skip(on)
        .position(|t| t.is("("))
        .map(|p| p + on)
    else {
        return out;
    };
    let close = matching(&tokens, open);
    if close >= tokens.len() {
        return out;
    }
    let mut depth = 0;
    let mut start = tokens[open].end;
    for t in &tokens[open + 1..close] {
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            depth -= 1;
        } else if t.is(",") && depth == 0 {
            out.keys.push(key_text(&sql[start..t.start]));
            start = t.end;
        }
    }
    out.keys.push(key_text(&sql[start..tokens[close].start]));
    if let Some(w) = tokens.get(close + 1).filter(|t| t.is("WHERE")) {
        out.predicate = Some(sql[w.end..].trim().trim_end_matches(';').trim().to_string());
    }
    out
}

/// One key without a trailing `ASC`/`DESC`, its `COLLATE name` (which
/// `pragma_index_xinfo` reports) and the parentheses around it.
fn key_text(part: &str) -> String {
    let mut text = part.trim();
    for order in [" ASC", " DESC", " asc", " desc"] {
        if let Some(rest) = text.strip_suffix(order) {
            text = rest.trim_end();
        }
    }
    let tokens = tokenize(text);
    if let [.., collate, name] = tokens.as_slice() {
        if collate.is("COLLATE") && name.is_name() {
            text = text[..collate.start].trim_end();
        }
    }
    while text.starts_with('(')
        && text.ends_with(')')
        && balanced_parentheses(&text[1..text.len() - 1])
    {
        text = text[1..text.len() - 1].trim();
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_predicate_as_written() {
        let ddl = parse_create_index(
            "CREATE UNIQUE INDEX \"ix\" ON \"account\" (\"tenant_id\", (lower(email)) DESC) \
             WHERE deleted_at IS NULL AND (tenant_id > 0)",
        );
        assert_eq!(ddl.keys, ["\"tenant_id\"", "lower(email)"]);
        assert_eq!(
            ddl.predicate.as_deref(),
            Some("deleted_at IS NULL AND (tenant_id > 0)")
        );
        let collated = parse_create_index(
            "CREATE INDEX ix ON t ((lower(a)) COLLATE NOCASE DESC, b COLLATE RTRIM)",
        );
        assert_eq!(collated.keys, ["lower(a)", "b"]);
        let plain = parse_create_index("CREATE INDEX ix ON t (a, b)");
        assert_eq!(plain.keys, ["a", "b"]);
        assert_eq!(plain.predicate, None);
    }
}
