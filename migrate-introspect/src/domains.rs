//! PostgreSQL domains, read as their base type with the domain's checks.
//!
//! Rule (the choice for issue 16): a column whose type is a domain is modelled as
//! the domain's base type, NOT NULL when the domain is, with each of the domain's
//! CHECK constraints as a check of the table on that column (`VALUE` replaced by
//! the column's name), named `{table}_{column}_{constraint}`. A model can say all
//! of that on every database, so a table with a domain column is adopted (its
//! models compile and sqlx decodes the column as the base type), `check` reads the
//! live table the same way and sees no drift, and a database built from the
//! revisions holds the same values under the same rules, with a plain column and
//! table checks instead of the domain (which `adopt` lists as an object only a
//! hand-written SQL revision creates).

use std::collections::BTreeMap;

use migrate_core::dialect::tokens::{tokenize, TokenKind};
use migrate_core::{Check, Table};
use sqlx::PgPool;

use crate::error::{get, IntrospectError};

/// Each domain's CHECK constraints (name, definition), by domain name.
const DOMAIN_CHECKS: &str = "
SELECT t.typname::text, con.conname::text, pg_get_constraintdef(con.oid)
FROM pg_type t
JOIN pg_namespace n ON n.oid = t.typnamespace
JOIN pg_constraint con ON con.contypid = t.oid
WHERE n.nspname = COALESCE($1, current_schema()) AND t.typtype = 'd' AND con.contype = 'c'
ORDER BY t.typname, con.conname";

/// Reads the checks of every domain of the schema.
pub(crate) async fn domain_checks(
    pool: &PgPool,
    schema: &Option<String>,
) -> Result<BTreeMap<String, Vec<(String, String)>>, IntrospectError> {
    let mut out: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for row in sqlx::query(DOMAIN_CHECKS)
        .bind(schema)
        .fetch_all(pool)
        .await
        .map_err(IntrospectError::query(
            "PostgreSQL domain checks (pg_constraint)",
        ))?
    {
        let domain: String = get!(row, 0);
        out.entry(domain)
            .or_default()
            .push((get!(row, 1), get!(row, 2)));
    }
    Ok(out)
}

/// Adds to `table` the checks of `domain` on `column` (see the module docs).
pub(crate) fn add_checks(
    table: &mut Table,
    column: &str,
    checks: &[(String, String)],
    expr_of: impl Fn(&str) -> String,
) {
    for (name, def) in checks {
        table.checks.push(Check {
            name: format!("{}_{column}_{name}", table.name),
            expr: expr_of(&on_column(def, column)),
        });
    }
}

/// `def` with the word `VALUE` (outside strings and quoted names) replaced by
/// `column`, quoted when it needs to be.
fn on_column(def: &str, column: &str) -> String {
    let plain = column
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    let name = if plain {
        column.to_string()
    } else {
        format!("\"{}\"", column.replace('"', "\"\""))
    };
    let mut out = String::with_capacity(def.len());
    let mut last = 0;
    for t in tokenize(def) {
        if t.kind == TokenKind::Word && t.text.eq_ignore_ascii_case("value") {
            out.push_str(&def[last..t.start]);
            out.push_str(&name);
            last = t.end;
        }
    }
    out.push_str(&def[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::on_column;

    #[test]
    fn value_becomes_the_column() {
        assert_eq!(
            on_column(
                "CHECK (((VALUE >= 1901) AND (VALUE <= 2155)))",
                "release_year"
            ),
            "CHECK (((release_year >= 1901) AND (release_year <= 2155)))"
        );
        assert_eq!(
            on_column("CHECK ((VALUE <> 'VALUE'::text))", "Code"),
            "CHECK ((\"Code\" <> 'VALUE'::text))"
        );
    }
}
