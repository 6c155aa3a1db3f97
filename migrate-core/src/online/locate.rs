//! Where a `[safety]` key sits in its file (a revision file or `migrate.toml`), and
//! what it accepts, so that a bad table is reported with its file, line, key, value
//! and the values allowed.
//!
//! Rule: only the error path reads spans. A good table is read as before (the
//! runtime reads one for every revision it applies); a bad one is read again with
//! `toml_edit`, which keeps the position of every key and value.

use std::ops::Range;

use toml_edit::{Document, Item, TableLike};

use crate::revision::read::line_of;

/// One key of the `[safety]` table: `forms`, or `lints.MG101` for a level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    /// The key, dotted under `lints`.
    pub key: String,
    /// 1-based line of the key.
    pub line: usize,
    /// The value as written (`"fast"`, `3`).
    pub value: String,
    /// Byte range of the key and its value in the text.
    span: Range<usize>,
}

/// The keys of the `[safety]` table in `text`, in the order written. Empty when
/// the text is not TOML or has no such table.
pub fn places(text: &str) -> Vec<Place> {
    let Ok(doc) = Document::parse(text) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let Some((key, item)) = doc.as_table().get_key_value("safety") else {
        return out;
    };
    let Some(table) = item.as_table_like() else {
        // `safety = 3`: the key itself is at fault.
        if let Some(span) = key.span() {
            out.push(Place {
                key: "safety".into(),
                line: line_of(text, span.start),
                value: value_text(text, item),
                span: span.start..item.span().map_or(span.end, |s| s.end),
            });
        }
        return out;
    };
    collect(text, table, "", &mut out);
    out
}

fn collect(text: &str, table: &dyn TableLike, prefix: &str, out: &mut Vec<Place>) {
    for (name, _) in table.iter() {
        let Some((key, item)) = table.get_key_value(name) else {
            continue;
        };
        let dotted = format!("{prefix}{name}");
        if let Some(inner) = item.as_table_like() {
            collect(text, inner, &format!("{dotted}."), out);
            continue;
        }
        let Some(key_span) = key.span() else {
            continue;
        };
        let end = item.span().map_or(key_span.end, |s| s.end);
        out.push(Place {
            key: dotted,
            line: line_of(text, key_span.start),
            value: value_text(text, item),
            span: key_span.start..end,
        });
    }
}

/// The value as the file writes it.
fn value_text(text: &str, item: &Item) -> String {
    item.span()
        .and_then(|s| text.get(s))
        .map(|s| s.trim().to_string())
        .unwrap_or_default()
}

/// The place of `key` (`lock_timeout`, `lints.MG101`).
pub fn find(text: &str, key: &str) -> Option<Place> {
    places(text).into_iter().find(|p| p.key == key)
}

/// The place whose key or value holds byte `offset` (where a TOML error points).
pub fn at(text: &str, offset: usize) -> Option<Place> {
    places(text)
        .into_iter()
        .find(|p| p.span.start <= offset && offset < p.span.end.max(p.span.start + 1))
}

/// What `key` accepts, for error messages.
pub fn allowed(key: &str) -> &'static str {
    match key {
        "forms" => "forms takes \"online\" or \"blocking\"",
        "lock_timeout" | "statement_timeout" => {
            "it takes a duration such as \"5s\", \"500ms\" or \"2min\", or \"off\""
        }
        "lock_retries" => "lock_retries takes a whole number of tries, 0 or more (e.g. 3)",
        "rolling_deploy" => "rolling_deploy takes true or false",
        k if k.starts_with("lints.") => {
            "a level is \"allow\", \"warn\" or \"deny\", set for a rule by its code (MG101) \
             or name (adding-required-field)"
        }
        _ => {
            "the keys of [safety] are forms, lock_timeout, statement_timeout, lock_retries, \
             rolling_deploy and the table [safety.lints]"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_tables_inline_tables_and_levels_have_their_lines() {
        let text = "id = \"a\"\n\n[safety]\nforms = \"fast\"\nlock_retries = 3\n\n[safety.lints]\nMG102 = \"loud\"\n";
        let found = places(text);
        let keys: Vec<(&str, usize, &str)> = found
            .iter()
            .map(|p| (p.key.as_str(), p.line, p.value.as_str()))
            .collect();
        assert_eq!(
            keys,
            [
                ("forms", 4, "\"fast\""),
                ("lock_retries", 5, "3"),
                ("lints.MG102", 8, "\"loud\"")
            ]
        );
        let offset = text.find("\"loud\"").unwrap();
        assert_eq!(at(text, offset).unwrap().key, "lints.MG102");
        let inline = "id = \"a\"\nsafety = { forms = \"x\", lints = { MG1 = \"warn\" } }\n";
        assert_eq!(find(inline, "lints.MG1").unwrap().line, 2);
        assert!(places("not toml [").is_empty());
    }
}
