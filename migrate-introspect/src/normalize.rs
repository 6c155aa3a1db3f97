//! Default expressions as the user meant them.
//!
//! Each database spells a stored default its own way: PostgreSQL adds casts
//! (`'draft'::text`, `'-1'::integer`), MySQL drops the quotes of string literals,
//! MariaDB writes `current_timestamp()`, MySQL pads decimals (`1.50`) and stores
//! booleans as `1`/`0`. The backends undo their own spelling first; then
//! [`normalize_column_default`] applies the rules that depend only on the column
//! type, so a default written in a model and the same default read back from any
//! database compare equal.

use migrate_core::schema::normalize_default;
use migrate_core::{ColumnType, Schema};

/// Normalises `expr`, a default of a column of type `ty`: the core's
/// [`normalize_default`] (whitespace, case, outer parentheses, `now()` =
/// `current_timestamp`), then quoted numbers lose their quotes and trailing zeros
/// on numeric columns (`'5'` = `5`, `1.50` = `1.5`), and `1`/`0`/`'t'` become
/// `true`/`false` on boolean columns.
pub fn normalize_column_default(ty: &ColumnType, expr: &str) -> String {
    let mut base = normalize_default(expr);
    // `current_timestamp(6)` (fractional seconds, MySQL) is still "now".
    if let Some(digits) = base
        .strip_prefix("current_timestamp(")
        .and_then(|r| r.strip_suffix(')'))
    {
        if digits.chars().all(|c| c.is_ascii_digit()) {
            base = "current_timestamp".to_string();
        }
    }
    let numeric = matches!(
        ty,
        ColumnType::SmallInt
            | ColumnType::Integer
            | ColumnType::BigInt
            | ColumnType::Unsigned(_)
            | ColumnType::Float
            | ColumnType::Double
            | ColumnType::Decimal { .. }
    );
    if numeric {
        let unquoted = strip_quotes(&base).unwrap_or(&base);
        if let Some(n) = canonical_number(unquoted) {
            return n;
        }
    }
    if *ty == ColumnType::Boolean {
        let unquoted = strip_quotes(&base).unwrap_or(&base);
        match unquoted {
            "1" | "true" | "t" | "yes" | "on" => return "true".to_string(),
            "0" | "false" | "f" | "no" | "off" => return "false".to_string(),
            _ => {}
        }
    }
    base
}

/// Applies [`normalize_column_default`] to every default of `schema`, and the
/// core's normalisation to every check expression, then [`canonical_order`], so a
/// schema built from models compares with an introspected one.
pub fn normalize_schema(schema: &Schema) -> Schema {
    let mut out = schema.clone();
    for table in out.tables.values_mut() {
        for column in &mut table.columns {
            if let Some(d) = &column.default {
                column.default = Some(normalize_column_default(&column.ty, d));
            }
            // Databases rewrite a generated expression as they do a check
            // (PostgreSQL adds parentheses and casts, MySQL backticks): it is
            // compared by the key of its meaning.
            if let Some(g) = &mut column.generated {
                g.expr = check_key(&g.expr);
            }
        }
        for check in &mut table.checks {
            check.expr = normalize_check(&check.expr);
        }
        // Index expressions and predicates are SQL like checks, and the databases
        // respell them the same way.
        for index in &mut table.indexes {
            for key in index.columns.iter_mut().filter(|c| c.expression) {
                key.name = normalize_check(&key.name);
            }
            if let Some(p) = &index.predicate {
                index.predicate = Some(normalize_check(p));
            }
            if index.method == Some(migrate_core::IndexMethod::Btree) {
                index.method = None;
            }
        }
    }
    canonical_order(&mut out);
    out
}

/// Sorts each table's uniques, indexes, foreign keys and checks by name: the
/// databases list them in their own order, and the order carries no meaning.
pub fn canonical_order(schema: &mut Schema) {
    for table in schema.tables.values_mut() {
        table.uniques.sort_by(|a, b| a.name.cmp(&b.name));
        table.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        table.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        table.checks.sort_by(|a, b| a.name.cmp(&b.name));
    }
    migrate_core::objects::sort(&mut schema.objects);
}

/// The text inside one pair of single quotes, when `s` is exactly one literal.
pub(crate) fn strip_quotes(s: &str) -> Option<&str> {
    let inner = s.strip_prefix('\'')?.strip_suffix('\'')?;
    if inner.contains('\'') {
        None
    } else {
        Some(inner)
    }
}

/// `-1.50` → `-1.5`, `007` → `7`, `1.` → `1`; `None` when `s` is not a plain number.
fn canonical_number(s: &str) -> Option<String> {
    let (sign, digits) = match s.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, f),
        None => (digits, ""),
    };
    if int.is_empty() && frac.is_empty() {
        return None;
    }
    if !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit()) {
        return None;
    }
    let int = int.trim_start_matches('0');
    let frac = frac.trim_end_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let sign = if int == "0" && frac.is_empty() {
        ""
    } else {
        sign
    };
    Some(if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    })
}

#[cfg(feature = "postgres")]
/// Removes PostgreSQL casts that `pg_get_expr` adds around literals:
/// `'x'::text` → `'x'`, `'-1'::integer` → `'-1'`, `NULL::character varying` →
/// `NULL`, `('{}'::jsonb)` → `'{}'`. Casts inside larger expressions are kept.
pub(crate) fn strip_pg_casts(expr: &str) -> String {
    let mut s = expr.trim().to_string();
    while s.starts_with('(')
        && s.ends_with(')')
        && migrate_core::schema::balanced_parentheses(&s[1..s.len() - 1])
    {
        s = s[1..s.len() - 1].trim().to_string();
    }
    while let Some(pos) = last_cast(&s) {
        let ty = &s[pos + 2..];
        let plain_type = ty.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '(' | ')' | ',' | '"' | '[' | ']')
        });
        let head = s[..pos].trim();
        let literal = strip_quotes_escaped(head) || head.eq_ignore_ascii_case("null");
        if plain_type && literal {
            s = head.to_string();
        } else {
            break;
        }
    }
    s
}

#[cfg(feature = "postgres")]
/// Whether `s` is one single-quoted literal (with `''` escapes).
fn strip_quotes_escaped(s: &str) -> bool {
    if s.len() < 2 || !s.starts_with('\'') || !s.ends_with('\'') {
        return false;
    }
    let inner = &s[1..s.len() - 1];
    inner.replace("''", "").find('\'').is_none()
}

#[cfg(feature = "postgres")]
/// Byte position of the last `::` outside string literals.
fn last_cast(s: &str) -> Option<usize> {
    let bytes = s.as_bytes();
    let mut in_string = false;
    let mut found = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' => in_string = !in_string,
            b':' if !in_string && bytes.get(i + 1) == Some(&b':') => {
                found = Some(i);
                i += 1;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// Removes identifier quotes (`"` or `` ` ``) outside string literals where they
/// change nothing, then normalises like a default: a check written `"qty" > 0`,
/// `` `qty` > 0 `` or `qty > 0` reads the same from every database. Rule: a
/// double-quoted identifier that is not a plain lower-case name (`"Qty"`, `"order
/// id"`) keeps its quotes and its exact spelling, since PostgreSQL (and SQLite)
/// would otherwise read another name (`"Qty"` is not `qty`); backquoted names are
/// MySQL's, whose column names ignore case, so they lose their quotes.
pub(crate) fn normalize_check(expr: &str) -> String {
    // Kept identifiers are swapped for placeholders (private-use characters) while
    // the rest is normalised and lower-cased, then put back.
    const OPEN: char = '\u{E000}';
    const CLOSE: char = '\u{E001}';
    let mut kept: Vec<String> = Vec::new();
    let mut out = String::with_capacity(expr.len());
    let mut chars = expr.chars().peekable();
    let mut in_string = false;
    while let Some(ch) = chars.next() {
        match ch {
            '\'' => {
                in_string = !in_string;
                out.push(ch);
            }
            '"' | '`' if !in_string => {
                let mut name = String::new();
                while let Some(c) = chars.next() {
                    // A doubled quote inside a quoted name is one quote character.
                    if c == ch && chars.peek() != Some(&ch) {
                        break;
                    }
                    if c == ch {
                        chars.next();
                    }
                    name.push(c);
                }
                if ch == '`' || is_plain_lower_name(&name) {
                    out.push_str(&name);
                } else {
                    out.push(OPEN);
                    out.push_str(&kept.len().to_string());
                    out.push(CLOSE);
                    kept.push(format!("\"{}\"", name.replace('"', "\"\"")));
                }
            }
            _ => out.push(ch),
        }
    }
    let mut text = normalize_default(&out);
    for (i, quoted) in kept.iter().enumerate() {
        text = text.replacen(&format!("{OPEN}{i}{CLOSE}"), quoted, 1);
    }
    text
}

/// Whether `name` means the same quoted or not in PostgreSQL: lower-case ASCII
/// letters, digits and `_`, not starting with a digit.
fn is_plain_lower_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A loose comparison key for a check expression: outside string literals, type
/// casts (`::text`, `::character varying`), parentheses and whitespace are dropped,
/// MariaDB's `octet_length` is read as `length`, and PostgreSQL's `= ANY (ARRAY[...])`
/// as `IN (...)`. Databases rewrite checks this way when they store them
/// (PostgreSQL stores `length(name) >= 2` as `length((name)::text) >= 2`); two
/// expressions with one key are taken as the same check. Only used to compare,
/// never written anywhere.
pub fn check_key(expr: &str) -> String {
    let text = normalize_check(expr);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_string = false;
    while let Some(ch) = chars.next() {
        if in_string {
            out.push(ch);
            if ch == '\'' {
                in_string = false;
            }
            continue;
        }
        match ch {
            '\'' => {
                // PostgreSQL stores `x > -1000` on a smallint as
                // `x > '-1000'::integer`: a quoted number with a cast is that number.
                let rest: String = chars.clone().collect();
                let literal = rest.split('\'').next().unwrap_or("");
                let after = &rest[literal.len()..];
                if after.starts_with("'::") && canonical_number(literal).is_some() {
                    out.push_str(literal);
                    for _ in 0..literal.chars().count() + 1 {
                        chars.next();
                    }
                    continue;
                }
                in_string = true;
                out.push(ch);
            }
            ':' if chars.peek() == Some(&':') => {
                chars.next();
                skip_cast_type(&mut chars);
            }
            '(' | ')' => {}
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    // PostgreSQL stores `x IN ('a', 'b')` as `x = ANY (ARRAY['a', 'b'])`.
    let mut key = out.replace("octet_length", "length");
    while let Some(start) = key.find("=anyarray[") {
        let Some(len) = key[start..].find(']') else {
            break;
        };
        let inner = key[start + "=anyarray[".len()..start + len].to_string();
        key.replace_range(start..start + len + 1, &format!("in{inner}"));
    }
    key
}

/// Skips the type name after `::` (words, as in `character varying`, then an
/// optional `(n)` and `[]`).
fn skip_cast_type(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    const CONTINUATIONS: [&str; 4] = [
        " varying",
        " precision",
        " with time zone",
        " without time zone",
    ];
    let mut name = String::new();
    while let Some(&c) = chars.peek() {
        if c.is_ascii_alphanumeric() || c == '_' || c == '"' {
            name.push(c);
            chars.next();
            continue;
        }
        if c == ' ' {
            let rest: String = chars.clone().take(20).collect();
            if let Some(cont) = CONTINUATIONS.iter().find(|w| rest.starts_with(**w)) {
                for _ in 0..cont.len() {
                    chars.next();
                }
                continue;
            }
        }
        break;
    }
    if chars.peek() == Some(&'(') && !name.is_empty() {
        for c in chars.by_ref() {
            if c == ')' {
                break;
            }
        }
    }
    while chars.peek() == Some(&'[') {
        for c in chars.by_ref() {
            if c == ']' {
                break;
            }
        }
    }
}

/// Quotes `text` as an SQL string literal.
#[cfg(feature = "mysql")]
pub(crate) fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_names_keep_their_quotes_only_where_they_matter() {
        assert_eq!(normalize_check("(\"Qty\" > 0)"), "\"Qty\" > 0");
        assert_eq!(normalize_check("\"qty\" > 0"), "qty > 0");
        assert_eq!(normalize_check("`Qty` > 0"), "qty > 0");
        assert_eq!(
            normalize_check("\"a\"\"b\" <> 'X \"Y\"'"),
            "\"a\"\"b\" <> 'X \"Y\"'"
        );
        assert_eq!(
            normalize_check("\"Unit Price\" >= 0 AND \"Qty\" < 10"),
            "\"Unit Price\" >= 0 and \"Qty\" < 10"
        );
    }

    #[test]
    fn check_keys_ignore_how_databases_rewrite_checks() {
        for (written, stored) in [
            ("length(name) >= 2", "(length((name)::text) >= 2)"),
            ("length(name) >= 2", "octet_length(`name`) >= 2"),
            ("age >= 0 AND age < 150", "((age >= 0) AND (age < 150))"),
            ("code <> 'x'", "((code)::text <> 'x'::text)"),
            ("c0 > -1000", "(c0 > '-1000'::integer)"),
            (
                "status IN ('a', 'b')",
                "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))",
            ),
        ] {
            assert_eq!(
                check_key(written),
                check_key(stored),
                "{written} vs {stored}"
            );
        }
        assert_ne!(check_key("age >= 0"), check_key("age > 0"));
        assert_ne!(check_key("name <> 'a b'"), check_key("name <> 'ab'"));
    }

    #[test]
    fn numbers_compare_quoted_or_not() {
        let int = ColumnType::Integer;
        assert_eq!(normalize_column_default(&int, "'5'"), "5");
        assert_eq!(normalize_column_default(&int, "(5)"), "5");
        assert_eq!(normalize_column_default(&int, "'-1'"), "-1");
        let dec = ColumnType::Decimal {
            precision: 10,
            scale: 2,
        };
        assert_eq!(normalize_column_default(&dec, "1.50"), "1.5");
        assert_eq!(normalize_column_default(&dec, "0.00"), "0");
        // Text keeps its quotes: '5' is a string there.
        assert_eq!(normalize_column_default(&ColumnType::Text, "'5'"), "'5'");
    }

    #[test]
    fn booleans_compare_as_words() {
        assert_eq!(normalize_column_default(&ColumnType::Boolean, "1"), "true");
        assert_eq!(
            normalize_column_default(&ColumnType::Boolean, "FALSE"),
            "false"
        );
        assert_eq!(
            normalize_column_default(&ColumnType::Boolean, "'0'"),
            "false"
        );
    }

    #[test]
    fn timestamps_compare_whatever_the_spelling() {
        let ts = ColumnType::TimestampTz;
        assert_eq!(
            normalize_column_default(&ts, "now()"),
            normalize_column_default(&ts, "CURRENT_TIMESTAMP")
        );
        assert_eq!(
            normalize_column_default(&ts, "current_timestamp()"),
            "current_timestamp"
        );
    }

    #[test]
    #[cfg(feature = "postgres")]
    fn postgres_literal_casts_are_removed() {
        assert_eq!(strip_pg_casts("'draft'::text"), "'draft'");
        assert_eq!(strip_pg_casts("'a::b'::character varying"), "'a::b'");
        assert_eq!(strip_pg_casts("'-1'::integer"), "'-1'");
        assert_eq!(strip_pg_casts("NULL::character varying"), "NULL");
        assert_eq!(strip_pg_casts("('{}'::jsonb)"), "'{}'");
        assert_eq!(strip_pg_casts("'it''s'::text"), "'it''s'");
        // A cast inside an expression is part of what the user wrote.
        assert_eq!(strip_pg_casts("(now())::date"), "(now())::date");
        assert_eq!(strip_pg_casts("(1) + (2)"), "(1) + (2)");
        assert_eq!(strip_pg_casts("lower('X'::text)"), "lower('X'::text)");
    }
}
