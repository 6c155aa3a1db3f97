//! The header of a PostgreSQL function or procedure (its arguments, return type,
//! language, volatility, strictness, security, parallel safety, cost, rows and
//! `SET` options) in a form that compares by meaning, so the live check sees a
//! changed header as drift while PostgreSQL's own spelling of an unchanged one
//! (`pg_get_functiondef`: `public.` before the name, `integer` for `int`,
//! `DEFAULT 'x'::text`, one clause a line) is no change.
//!
//! Rules:
//! - the name is compared elsewhere; here only what follows it;
//! - argument and return types are compared in their canonical spelling
//!   ([`canonical_sql_type`]), argument names without regard to case, `IN` (the
//!   default mode) left out, a default by [`stored_query_key`] (casts ignored);
//! - clauses are compared as a set (their order is free), with the defaults
//!   PostgreSQL leaves out of its own text left out too: `VOLATILE`,
//!   `CALLED ON NULL INPUT`, `SECURITY INVOKER`, `NOT LEAKPROOF`,
//!   `PARALLEL UNSAFE`, `COST 100`, `ROWS 1000`; `RETURNS NULL ON NULL INPUT` is
//!   `STRICT`;
//! - `SET name TO value` and `SET name = value` are one clause, the value without
//!   its quotes.
//!
//! [`identity_arguments`] gives the types PostgreSQL tells overloads apart by, for
//! `DROP FUNCTION name(types)`.

use crate::dialect::sql_type::canonical_sql_type;
use crate::dialect::tokens::{matching, tokenize, Token, TokenKind};
use crate::dialect::DialectKind;
use crate::objects::stored_query_key;

/// Byte range of the first dollar-quoted string (`$$ ... $$`, `$body$ ... $body$`),
/// its quotes included.
fn dollar_span(sql: &str) -> Option<(usize, usize)> {
    let start = sql.find('$')?;
    let tag_len = sql[start + 1..].find('$')?;
    let tag = &sql[start..start + tag_len + 2];
    if !tag[1..tag.len() - 1]
        .chars()
        .all(|c| c.is_alphanumeric() || c == '_')
    {
        return None;
    }
    let body_start = start + tag.len();
    let end = body_start + sql[body_start..].find(tag)? + tag.len();
    Some((start, end))
}

/// The text between the first dollar quote (`$$`, `$body$`) and its closing one.
pub fn dollar_body(sql: &str) -> Option<&str> {
    let (start, end) = dollar_span(sql)?;
    let tag_len = sql[start + 1..].find('$')? + 2;
    Some(&sql[start + tag_len..end - tag_len])
}

/// Words that start a clause after the return type.
const CLAUSES: &[&str] = &[
    "returns",
    "language",
    "transform",
    "window",
    "immutable",
    "stable",
    "volatile",
    "not",
    "leakproof",
    "called",
    "strict",
    "security",
    "external",
    "parallel",
    "cost",
    "rows",
    "support",
    "set",
    "as",
    "return",
    "begin",
];

/// Words that begin a type of several words, so an argument starting with one has
/// no name (`double precision`, `character varying`).
const TYPE_WORDS: &[&str] = &[
    "double",
    "character",
    "char",
    "varchar",
    "bit",
    "timestamp",
    "time",
    "interval",
    "national",
];

/// The header of `sql` (a whole `CREATE FUNCTION`/`CREATE PROCEDURE` statement
/// with a dollar-quoted body) as comparable parts; `None` when it cannot be read
/// (no dollar-quoted body, no argument list).
pub fn header_key(sql: &str) -> Option<Vec<String>> {
    let (body_start, body_end) = dollar_span(sql)?;
    let header = format!("{} {}", &sql[..body_start], &sql[body_end..]);
    let tokens = tokenize(&header);
    let open = tokens.iter().position(|t| t.is("("))?;
    let close = matching(&tokens, open);
    if close >= tokens.len() {
        return None;
    }
    let mut key = vec![format!(
        "args({})",
        split_top_level(&tokens[open + 1..close])
            .iter()
            .map(|arg| argument_key(&header, arg))
            .collect::<Vec<_>>()
            .join(", ")
    )];
    let mut clauses = clause_keys(&header, &tokens[close + 1..]);
    clauses.sort();
    key.extend(clauses);
    Some(key)
}

/// The argument types that identify the routine among others of its name (those
/// of `IN`, `INOUT` and `VARIADIC` arguments, in PostgreSQL's canonical
/// spelling without type modifiers, which PostgreSQL does not keep for
/// arguments: `varchar(10)` is `character varying`), as `DROP FUNCTION
/// name(types)` takes them and `pg_get_function_identity_arguments` prints them
/// without the names; `None` when the header cannot be read.
pub fn identity_arguments(sql: &str) -> Option<Vec<String>> {
    let (body_start, _) = dollar_span(sql)?;
    let header = &sql[..body_start];
    let tokens = tokenize(header);
    let open = tokens.iter().position(|t| t.is("("))?;
    let close = matching(&tokens, open);
    if close >= tokens.len() {
        return None;
    }
    let mut out = Vec::new();
    for arg in split_top_level(&tokens[open + 1..close]) {
        let Some(first) = arg.first() else { continue };
        if first.is("out") {
            continue;
        }
        out.push(argument_parts(header, arg).1);
    }
    Some(out)
}

/// `ty` without its parenthesized modifiers (`numeric(10,2)` is `numeric`).
fn without_modifiers(ty: &str) -> String {
    let mut out = String::with_capacity(ty.len());
    let mut depth = 0usize;
    for c in ty.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" [", "[")
}

/// The tokens between commas not inside parentheses.
fn split_top_level(tokens: &[Token]) -> Vec<&[Token]> {
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut start = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            depth -= 1;
        } else if t.is(",") && depth == 0 {
            out.push(&tokens[start..i]);
            start = i + 1;
        }
    }
    if start < tokens.len() {
        out.push(&tokens[start..]);
    }
    out
}

/// The text of `tokens` as written in `text`.
fn source<'a>(text: &'a str, tokens: &[Token]) -> &'a str {
    match (tokens.first(), tokens.last()) {
        (Some(first), Some(last)) => &text[first.start..last.end],
        _ => "",
    }
}

/// A type in PostgreSQL's canonical spelling, without the modifiers PostgreSQL
/// does not keep for a routine's arguments and results (`numeric(10, 2)` is
/// `numeric`).
fn type_key(text: &str, tokens: &[Token]) -> String {
    without_modifiers(&canonical_sql_type(
        DialectKind::Postgres,
        source(text, tokens),
    ))
}

/// One argument's declaration without its mode and default: its name (lower case,
/// empty when it has none) and its type in canonical spelling.
fn argument_parts(text: &str, tokens: &[Token]) -> (String, String) {
    let tokens = strip_mode(tokens).1;
    let decl = match tokens.iter().position(|t| t.is("default") || t.is("=")) {
        Some(i) => &tokens[..i],
        None => tokens,
    };
    let named = decl.len() > 1
        && decl[0].is_name()
        && !TYPE_WORDS.iter().any(|w| decl[0].is(w))
        && !decl[1].is("(")
        && !decl[1].is("[");
    if named {
        (decl[0].text.to_lowercase(), type_key(text, &decl[1..]))
    } else {
        (String::new(), type_key(text, decl))
    }
}

/// The argument's mode (`""` for the default `IN`) and the tokens after it.
fn strip_mode(tokens: &[Token]) -> (&'static str, &[Token]) {
    if tokens.len() > 1 {
        for word in ["in", "out", "inout", "variadic"] {
            if tokens[0].is(word) {
                let mode = if word == "in" { "" } else { word };
                return (mode, &tokens[1..]);
            }
        }
    }
    ("", tokens)
}

/// One argument: mode, name, type and default.
fn argument_key(text: &str, tokens: &[Token]) -> String {
    let (mode, rest) = strip_mode(tokens);
    let (name, ty) = argument_parts(text, tokens);
    let mut out = format!("{mode} {name} {ty}");
    if let Some(i) = rest.iter().position(|t| t.is("default") || t.is("=")) {
        out.push_str(&format!(
            " default {}",
            stored_query_key(source(text, &rest[i + 1..]))
        ));
    }
    out.trim().to_string()
}

/// The clauses after the argument list, each as one comparable string, with the
/// defaults left out (see the module docs).
fn clause_keys(text: &str, tokens: &[Token]) -> Vec<String> {
    let is_clause = |t: &Token| CLAUSES.iter().any(|c| t.is(c));
    let word = |i: usize| tokens.get(i).map(|t| t.text.to_lowercase());
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let lower = t.text.to_lowercase();
        if t.is("returns") && tokens.get(i + 1).is_some_and(|n| n.is("null")) {
            // RETURNS NULL ON NULL INPUT
            out.push("strict".to_string());
            i += 5;
        } else if t.is("returns") {
            let end = (i + 1..tokens.len())
                .find(|&j| is_clause(&tokens[j]))
                .unwrap_or(tokens.len());
            out.push(format!(
                "returns {}",
                returns_key(text, &tokens[i + 1..end])
            ));
            i = end;
        } else if t.is("language") {
            out.push(format!(
                "language {}",
                word(i + 1).unwrap_or_default().trim_matches('\'')
            ));
            i += 2;
        } else if t.is("called") {
            // CALLED ON NULL INPUT, the default
            i += 4;
        } else if t.is("volatile") {
            i += 1;
        } else if t.is("security")
            || (t.is("external") && word(i + 1).as_deref() == Some("security"))
        {
            let at = if t.is("external") { i + 1 } else { i };
            if word(at + 1).as_deref() == Some("definer") {
                out.push("security definer".to_string());
            }
            i = at + 2;
        } else if t.is("not") && word(i + 1).as_deref() == Some("leakproof") {
            i += 2;
        } else if t.is("parallel") {
            let how = word(i + 1).unwrap_or_default();
            if how != "unsafe" {
                out.push(format!("parallel {how}"));
            }
            i += 2;
        } else if t.is("cost") || t.is("rows") {
            let n = word(i + 1).unwrap_or_default();
            let default = if t.is("cost") { "100" } else { "1000" };
            if n != default {
                out.push(format!("{lower} {n}"));
            }
            i += 2;
        } else if t.is("set") {
            // SET name TO value | SET name = value | SET name FROM CURRENT
            let end = (i + 1..tokens.len())
                .find(|&j| is_clause(&tokens[j]))
                .unwrap_or(tokens.len());
            let parts: Vec<String> = tokens[i + 1..end]
                .iter()
                .filter(|p| !p.is("to") && !p.is("=") && !p.is(","))
                .map(|p| p.text.trim_matches('\'').to_lowercase())
                .collect();
            out.push(format!("set {}", parts.join(" ")));
            i = end;
        } else if t.is("as") || t.is(";") {
            i += 1;
        } else {
            // IMMUTABLE, STABLE, STRICT, LEAKPROOF, WINDOW, and any clause this
            // reader does not know, kept as written (so a change is seen).
            if t.kind == TokenKind::String {
                out.push(t.text.clone());
            } else {
                out.push(lower);
            }
            i += 1;
        }
    }
    out
}

/// A return type: `SETOF type`, `TABLE (name type, ...)` or a type.
fn returns_key(text: &str, tokens: &[Token]) -> String {
    match tokens.first() {
        Some(t) if t.is("setof") => format!("setof {}", type_key(text, &tokens[1..])),
        Some(t) if t.is("table") && tokens.get(1).is_some_and(|p| p.is("(")) => {
            let close = matching(tokens, 1).min(tokens.len());
            let columns: Vec<String> = split_top_level(&tokens[2..close])
                .iter()
                .map(|c| argument_key(text, c))
                .collect();
            format!("table({})", columns.join(", "))
        }
        _ => type_key(text, tokens),
    }
}

#[cfg(test)]
mod tests {
    use super::{header_key, identity_arguments};

    /// What PostgreSQL 15's `pg_get_functiondef` prints for the function written
    /// as `written`.
    fn same(printed: &str, written: &str) -> bool {
        let (a, b) = (header_key(printed), header_key(written));
        a == b
    }

    const PRINTED: &str =
        "CREATE OR REPLACE FUNCTION public.add(a integer, b text DEFAULT 'x'::text)\n \
        RETURNS integer\n LANGUAGE plpgsql\n IMMUTABLE STRICT SECURITY DEFINER\n \
        SET search_path TO 'public'\nAS $function$ BEGIN RETURN a; END $function$\n";

    #[test]
    fn postgres_spelling_of_an_unchanged_header_is_no_change() {
        assert!(same(
            PRINTED,
            "CREATE FUNCTION add(IN a int, B TEXT = 'x') RETURNS int4 AS $$ BEGIN RETURN a; END $$ \
             LANGUAGE 'plpgsql' SET search_path = public RETURNS NULL ON NULL INPUT \
             SECURITY DEFINER IMMUTABLE PARALLEL UNSAFE COST 100;"
        ));
        assert!(same(
            "CREATE OR REPLACE FUNCTION public.f()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$ x $function$\n",
            "CREATE FUNCTION f() RETURNS trigger AS $$ x $$ LANGUAGE plpgsql VOLATILE CALLED ON NULL INPUT SECURITY INVOKER"
        ));
        assert!(same(
            "CREATE OR REPLACE FUNCTION public.h(x numeric)\n RETURNS character varying\n LANGUAGE sql\nAS $function$ x $function$",
            "CREATE FUNCTION h(x NUMERIC(10, 2)) RETURNS varchar(20) LANGUAGE sql AS $$ x $$"
        ));
        assert!(same(
            "CREATE OR REPLACE FUNCTION public.t(n double precision)\n RETURNS TABLE(id bigint, name character varying)\n LANGUAGE sql\nAS $function$ select 1 $function$",
            "create function t(n float8) returns table (id int8, name varchar) language sql as $$ select 1 $$"
        ));
    }

    #[test]
    fn a_changed_header_is_a_change() {
        let changed = [
            ("integer, b text", "bigint, b text"),
            ("RETURNS integer", "RETURNS bigint"),
            ("LANGUAGE plpgsql", "LANGUAGE sql"),
            ("IMMUTABLE", "STABLE"),
            (" STRICT", ""),
            ("SECURITY DEFINER", "SECURITY INVOKER"),
            ("TO 'public'", "TO 'audit'"),
            ("DEFAULT 'x'", "DEFAULT 'y'"),
            ("(a integer", "(c integer"),
            ("IMMUTABLE", "IMMUTABLE PARALLEL SAFE"),
        ];
        for (from, to) in changed {
            let other = PRINTED.replacen(from, to, 1);
            assert_ne!(other, PRINTED, "{from}");
            assert!(
                !same(PRINTED, &other),
                "{from} -> {to}: {:?}",
                header_key(&other)
            );
        }
    }

    #[test]
    fn overloads_are_told_apart_by_their_input_types() {
        assert_eq!(
            identity_arguments(PRINTED),
            Some(vec!["integer".to_string(), "text".to_string()])
        );
        assert_eq!(
            identity_arguments(
                "CREATE FUNCTION f(IN a int4, OUT b text, INOUT c varchar(10), VARIADIC d int[]) \
                 AS $$ x $$ LANGUAGE sql"
            ),
            Some(vec![
                "integer".to_string(),
                "character varying".to_string(),
                "integer[]".to_string()
            ])
        );
        assert_eq!(
            identity_arguments("CREATE FUNCTION f() AS $$ x $$"),
            Some(vec![])
        );
        assert_eq!(
            identity_arguments(
                "CREATE FUNCTION f(numeric(10, 2), timestamp(3) with time zone, varchar(5)[]) \
                 AS $$ x $$"
            ),
            Some(vec![
                "numeric".to_string(),
                "timestamp with time zone".to_string(),
                "character varying[]".to_string()
            ])
        );
    }

    #[test]
    fn a_header_without_a_dollar_quoted_body_is_not_read() {
        assert_eq!(
            header_key("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1'"),
            None
        );
    }
}
