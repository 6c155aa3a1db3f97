//! Default expressions as the user meant them.
//!
//! Each database spells a stored default its own way: PostgreSQL adds casts
//! (`'draft'::text`, `'-1'::integer`), MySQL drops the quotes of string literals,
//! MariaDB writes `current_timestamp()`, MySQL pads decimals (`1.50`) and stores
//! booleans as `1`/`0`. The backends undo their own spelling first; then
//! [`normalize_column_default`] applies the rules that depend only on the column
//! type, so a default written in a model and the same default read back from any
//! database compare equal.

use migrate_core::schema::{balanced_parentheses, normalize_default};
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
        }
        for check in &mut table.checks {
            check.expr = normalize_check(&check.expr);
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

/// Removes PostgreSQL casts that `pg_get_expr` adds around literals:
/// `'x'::text` → `'x'`, `'-1'::integer` → `'-1'`, `NULL::character varying` →
/// `NULL`, `('{}'::jsonb)` → `'{}'`. Casts inside larger expressions are kept.
pub(crate) fn strip_pg_casts(expr: &str) -> String {
    let mut s = expr.trim().to_string();
    while s.starts_with('(') && s.ends_with(')') && balanced_parentheses(&s[1..s.len() - 1]) {
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

/// Whether `s` is one single-quoted literal (with `''` escapes).
fn strip_quotes_escaped(s: &str) -> bool {
    if s.len() < 2 || !s.starts_with('\'') || !s.ends_with('\'') {
        return false;
    }
    let inner = &s[1..s.len() - 1];
    inner.replace("''", "").find('\'').is_none()
}

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

/// Removes identifier quotes (`"` or `` ` ``) outside string literals, then
/// normalises like a default: a check written `"qty" > 0`, `` `qty` > 0 `` or
/// `qty > 0` reads the same from every database.
pub(crate) fn normalize_check(expr: &str) -> String {
    let mut out = String::with_capacity(expr.len());
    let mut in_string = false;
    for ch in expr.chars() {
        match ch {
            '\'' => {
                in_string = !in_string;
                out.push(ch);
            }
            '"' | '`' if !in_string => {}
            _ => out.push(ch),
        }
    }
    normalize_default(&out)
}

/// Quotes `text` as an SQL string literal.
pub(crate) fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

#[cfg(test)]
mod tests {
    use super::*;

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
