//! SQL column types in one canonical spelling per database, so types are compared
//! by meaning and not as text.
//!
//! A `raw(...)` type is SQL the user wrote (`CHAR(5)`, `int4`, `DOUBLE PRECISION`),
//! and each database reads a type back in its own spelling (PostgreSQL
//! `character(5)`, MariaDB `char(5)` or `int(11)`). [`canonical_sql_type`] maps
//! every common synonym of a database to one spelling, the one its catalog uses:
//!
//! | PostgreSQL | canonical |
//! |---|---|
//! | `int`, `int4`, `integer`, `serial` | `integer` (likewise `int2`, `int8`) |
//! | `float4`, `real`, `float(1..24)` | `real` |
//! | `float8`, `double precision`, `float`, `float(25..53)` | `double precision` |
//! | `bool` | `boolean` |
//! | `varchar(n)` | `character varying(n)` |
//! | `char`, `char(n)`, `bpchar(n)` | `character(1)`, `character(n)` |
//! | `decimal(p,s)`, `numeric(p)` | `numeric(p,s)`, `numeric(p,0)` |
//! | `timestamp`, `timestamptz`, `time`, `timetz` | `timestamp without time zone`, `timestamp with time zone`, ... |
//! | `int4[]`, `integer[3]` | `integer[]` |
//!
//! | MySQL / MariaDB | canonical |
//! |---|---|
//! | `int(11)`, `integer` | `int` (display widths dropped on every integer type) |
//! | `bool`, `boolean`, `tinyint(1)` | `tinyint(1)` |
//! | `character(n)`, `char` | `char(n)`, `char(1)` |
//! | `numeric`, `dec`, `fixed`, `decimal(p)` | `decimal(10,0)`, `decimal(p,0)` |
//! | `double precision`, `real`, `float(25..53)` | `double` |
//! | `datetime(0)`, `time(0)`, `timestamp(0)` | `datetime`, `time`, `timestamp` |
//! | `int signed` | `int` |
//!
//! SQLite keeps the declared text as written, so only case and spacing are
//! canonical there. Everywhere, keywords are lowercased, whitespace is one space
//! between words and none around parentheses and commas; quoted names and string
//! literals (`enum('A','b')`) are kept as written.

use super::tokens::{matching, tokenize, Token, TokenKind};
use super::DialectKind;

/// `sql`, a column type, in `kind`'s canonical spelling (see the module docs).
pub fn canonical_sql_type(kind: DialectKind, sql: &str) -> String {
    let tokens = tokenize(sql);
    // The type's name: the words before the first `(` (or all of them).
    let open = tokens.iter().position(|t| t.is("(") || is_array(sql, t));
    let name_end = open.unwrap_or(tokens.len());
    let mut name = join_words(&tokens[..name_end]);
    let (args, rest_start) = match open {
        Some(o) if tokens[o].is("(") => {
            let close = matching(&tokens, o);
            (
                Some(split_args(&tokens[o + 1..close.min(tokens.len())])),
                close + 1,
            )
        }
        _ => (None, name_end),
    };
    let mut rest = if rest_start < tokens.len() {
        format_tokens(sql, &tokens[rest_start..])
    } else {
        String::new()
    };
    // Without arguments, modifiers follow the name directly (`int unsigned`,
    // `timestamp with time zone`): they belong with what follows the arguments.
    while let Some(modifier) = MODIFIERS.iter().find(|m| name.ends_with(*m)) {
        name.truncate(name.len() - modifier.len());
        rest = format!(
            "{}{}{rest}",
            modifier.trim_start(),
            if rest.is_empty() { "" } else { " " }
        );
    }
    let ty = match kind {
        DialectKind::Postgres => postgres(&name, args, &rest),
        DialectKind::MySql => mysql(&name, args, &rest),
        DialectKind::Sqlite => Spelled { name, args, rest },
    };
    ty.to_string()
}

/// Words that modify a type rather than name it.
const MODIFIERS: [&str; 5] = [
    " with time zone",
    " without time zone",
    " unsigned",
    " signed",
    " zerofill",
];

/// A type as name, arguments and what follows them.
struct Spelled {
    name: String,
    args: Option<Vec<String>>,
    rest: String,
}

impl std::fmt::Display for Spelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)?;
        if let Some(args) = &self.args {
            write!(f, "({})", args.join(","))?;
        }
        if !self.rest.is_empty() {
            if !self.rest.starts_with('[') {
                f.write_str(" ")?;
            }
            f.write_str(&self.rest)?;
        }
        Ok(())
    }
}

fn spelled(name: &str, args: Option<Vec<String>>, rest: &str) -> Spelled {
    Spelled {
        name: name.to_string(),
        args,
        rest: rest.to_string(),
    }
}

/// Whether `t` is an array bracket (`[]`, `[3]`), which the tokenizer reads as a
/// bracket-quoted name.
fn is_array(sql: &str, t: &Token) -> bool {
    t.kind == TokenKind::QuotedIdent && sql[t.start..].starts_with('[')
}

/// Words lowercased and joined by one space; quoted names keep their case.
fn join_words(tokens: &[Token]) -> String {
    let mut out = String::new();
    for t in tokens {
        let word = match t.kind {
            TokenKind::QuotedIdent => format!("\"{}\"", t.text),
            TokenKind::Word => t.text.to_ascii_lowercase(),
            _ => t.text.clone(),
        };
        if !out.is_empty() && t.kind != TokenKind::Punct && !out.ends_with('.') {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

/// Arguments between parentheses, split at top-level commas.
fn split_args(tokens: &[Token]) -> Vec<String> {
    let mut args = Vec::new();
    let mut depth = 0;
    let mut current: Vec<Token> = Vec::new();
    for t in tokens {
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            depth -= 1;
        } else if t.is(",") && depth == 0 {
            args.push(join_words(&current));
            current.clear();
            continue;
        }
        current.push(t.clone());
    }
    args.push(join_words(&current));
    args
}

/// Tokens after the arguments: words lowercased, array brackets as `[]`.
fn format_tokens(sql: &str, tokens: &[Token]) -> String {
    let mut out = String::new();
    for t in tokens {
        if is_array(sql, t) {
            out.push_str("[]");
            continue;
        }
        let word = join_words(std::slice::from_ref(t));
        if !out.is_empty() && !out.ends_with(']')
            || out.ends_with(']') && t.kind != TokenKind::Punct
        {
            out.push(' ');
        }
        out.push_str(&word);
    }
    out
}

fn number(arg: Option<&String>) -> Option<u32> {
    arg.and_then(|a| a.parse().ok())
}

/// PostgreSQL's synonyms, to the spelling of `format_type`.
fn postgres(name: &str, args: Option<Vec<String>>, rest: &str) -> Spelled {
    // Array dimensions are not enforced and `format_type` writes one `[]`.
    let array = rest.contains('[');
    let rest = if array {
        "[]".to_string()
    } else {
        rest.to_string()
    };
    let zone = |rest: &str, with: bool| -> String {
        let zone = if with || rest == "with time zone" {
            "with time zone"
        } else {
            "without time zone"
        };
        match rest {
            "with time zone" | "without time zone" | "" => zone.to_string(),
            other => format!("{zone} {other}"),
        }
    };
    let first = args.as_ref().and_then(|a| a.first());
    match name {
        "int" | "integer" | "int4" | "serial" | "serial4" => spelled("integer", None, &rest),
        "smallint" | "int2" | "smallserial" | "serial2" => spelled("smallint", None, &rest),
        "bigint" | "int8" | "bigserial" | "serial8" => spelled("bigint", None, &rest),
        "real" | "float4" => spelled("real", None, &rest),
        "double precision" | "float8" => spelled("double precision", None, &rest),
        "float" => match number(first) {
            Some(p) if p <= 24 => spelled("real", None, &rest),
            _ => spelled("double precision", None, &rest),
        },
        "bool" | "boolean" => spelled("boolean", None, &rest),
        "varchar" | "character varying" => spelled("character varying", args, &rest),
        "char" | "character" | "bpchar" if args.is_some() => spelled("character", args, &rest),
        "char" | "character" => spelled("character", Some(vec!["1".into()]), &rest),
        "decimal" | "numeric" => {
            let args = args.map(|mut a| {
                if a.len() == 1 {
                    a.push("0".into());
                }
                a
            });
            spelled("numeric", args, &rest)
        }
        "timestamp" | "time" if !array => spelled(name, args, &zone(&rest, false)),
        "timestamptz" if !array => spelled("timestamp", args, &zone(&rest, true)),
        "timetz" if !array => spelled("time", args, &zone(&rest, true)),
        "varbit" | "bit varying" => spelled("bit varying", args, &rest),
        "bit" if args.is_none() => spelled("bit", Some(vec!["1".into()]), &rest),
        _ => spelled(name, args, &rest),
    }
}

/// MySQL's and MariaDB's synonyms, to the spelling of `COLUMN_TYPE` (without the
/// integer display widths MySQL 8 no longer shows).
fn mysql(name: &str, args: Option<Vec<String>>, rest: &str) -> Spelled {
    // `signed` is the default; `unsigned` and `zerofill` stay.
    let rest: Vec<&str> = rest
        .split(' ')
        .filter(|w| *w != "signed" && !w.is_empty())
        .collect();
    let rest = rest.join(" ");
    let first = args.as_ref().and_then(|a| a.first());
    let one = number(first) == Some(1) && args.as_ref().is_some_and(|a| a.len() == 1);
    match name {
        "bool" | "boolean" => spelled("tinyint", Some(vec!["1".into()]), &rest),
        "tinyint" | "int1" if one && rest.is_empty() => spelled("tinyint", args, &rest),
        "tinyint" | "int1" => spelled("tinyint", None, &rest),
        "smallint" | "int2" => spelled("smallint", None, &rest),
        "mediumint" | "middleint" | "int3" => spelled("mediumint", None, &rest),
        "int" | "integer" | "int4" => spelled("int", None, &rest),
        "bigint" | "int8" => spelled("bigint", None, &rest),
        "varchar" | "character varying" | "nvarchar" | "national varchar" => {
            spelled("varchar", args, &rest)
        }
        "char" | "character" | "nchar" | "national char" | "national character" => {
            spelled("char", args.or_else(|| Some(vec!["1".into()])), &rest)
        }
        "decimal" | "numeric" | "dec" | "fixed" => {
            let args = match args {
                None => vec!["10".into(), "0".into()],
                Some(mut a) => {
                    if a.len() == 1 {
                        a.push("0".into());
                    }
                    a
                }
            };
            spelled("decimal", Some(args), &rest)
        }
        "double" | "double precision" | "real" | "float8" => spelled("double", args, &rest),
        "float" | "float4" => match (args.as_ref().map(Vec::len), number(first)) {
            (Some(1), Some(p)) if p > 24 => spelled("double", None, &rest),
            (Some(1), _) => spelled("float", None, &rest),
            _ => spelled("float", args, &rest),
        },
        "datetime" | "timestamp" | "time" if number(first) == Some(0) => spelled(name, None, &rest),
        "bit" if args.is_none() => spelled("bit", Some(vec!["1".into()]), &rest),
        "year" => spelled("year", None, &rest),
        _ => spelled(name, args, &rest),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(kind: DialectKind, pairs: &[(&str, &str)]) {
        for (a, b) in pairs {
            assert_eq!(
                canonical_sql_type(kind, a),
                canonical_sql_type(kind, b),
                "{kind:?}: {a} vs {b}"
            );
        }
    }

    #[test]
    fn postgres_synonyms_meet_in_the_catalog_spelling() {
        use DialectKind::Postgres as P;
        assert_eq!(canonical_sql_type(P, "CHAR(5)"), "character(5)");
        assert_eq!(
            canonical_sql_type(P, "VARCHAR( 20 )"),
            "character varying(20)"
        );
        assert_eq!(
            canonical_sql_type(P, "TIMESTAMPTZ(3)"),
            "timestamp(3) with time zone"
        );
        assert_eq!(canonical_sql_type(P, "int4[]"), "integer[]");
        same(
            P,
            &[
                ("int4", "INTEGER"),
                ("int", "serial"),
                ("float8", "double precision"),
                ("float(10)", "real"),
                ("bool", "BOOLEAN"),
                ("bpchar(3)", "character(3)"),
                ("char", "character(1)"),
                ("decimal(10,2)", "NUMERIC(10, 2)"),
                ("numeric(7)", "numeric(7,0)"),
                ("timestamp", "timestamp without time zone"),
                ("time", "TIME WITHOUT TIME ZONE"),
                ("timetz", "time with time zone"),
                ("integer[3]", "int[]"),
                ("CITEXT", "citext"),
            ],
        );
        assert_ne!(
            canonical_sql_type(P, "json"),
            canonical_sql_type(P, "jsonb")
        );
        assert_ne!(
            canonical_sql_type(P, "\"MyType\""),
            canonical_sql_type(P, "mytype")
        );
    }

    #[test]
    fn mysql_synonyms_meet_in_the_catalog_spelling() {
        use DialectKind::MySql as M;
        assert_eq!(canonical_sql_type(M, "CHAR(5)"), "char(5)");
        assert_eq!(canonical_sql_type(M, "INT(10) UNSIGNED"), "int unsigned");
        assert_eq!(canonical_sql_type(M, "enum('A','b')"), "enum('A','b')");
        same(
            M,
            &[
                ("int(11)", "INTEGER"),
                ("bool", "tinyint(1)"),
                ("tinyint(4)", "TINYINT"),
                ("bigint(20)", "bigint"),
                ("character(3)", "char(3)"),
                ("char", "char(1)"),
                ("numeric", "decimal(10,0)"),
                ("dec(8)", "decimal(8,0)"),
                ("double precision", "DOUBLE"),
                ("float(30)", "double"),
                ("datetime(0)", "DATETIME"),
                ("int signed", "int"),
            ],
        );
        assert_ne!(
            canonical_sql_type(M, "datetime(6)"),
            canonical_sql_type(M, "datetime")
        );
        assert_ne!(
            canonical_sql_type(M, "text"),
            canonical_sql_type(M, "longtext")
        );
    }

    #[test]
    fn sqlite_keeps_the_declared_name_up_to_case_and_spacing() {
        use DialectKind::Sqlite as S;
        assert_eq!(canonical_sql_type(S, "CHAR( 5 )"), "char(5)");
        assert_eq!(
            canonical_sql_type(S, "Unsigned  Big Int"),
            "unsigned big int"
        );
    }
}
