//! What SQLite's pragmas do not say, read from the stored `CREATE TABLE` text:
//! constraint names, CHECK constraints and the `AUTOINCREMENT` keyword.
//!
//! The text is split into tokens by the core's tokenizer
//! ([`migrate_core::dialect::tokens`]; quoted identifiers and string literals kept
//! whole) and the table body into its top-level items; only the constraint
//! clauses are looked at, so any column syntax SQLite accepts passes through.

/// A constraint found in the DDL, with its name if it had one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct TableDdl {
    /// `CONSTRAINT name PRIMARY KEY`.
    pub pk_name: Option<String>,
    /// Unique constraints: name and columns.
    pub uniques: Vec<(Option<String>, Vec<String>)>,
    /// Foreign keys: name, columns, referenced table.
    pub foreign_keys: Vec<(Option<String>, Vec<String>, String)>,
    /// When each of `foreign_keys` is checked (`DEFERRABLE INITIALLY ...`), in the
    /// same order.
    pub fk_deferrable: Vec<Deferrable>,
    /// Checks: name, expression, and the column for a column-level check.
    pub checks: Vec<(Option<String>, String, Option<String>)>,
    /// `AUTOINCREMENT` was written.
    pub autoincrement: bool,
    /// Per column: its `COLLATE` name and its generation (`AS (...) STORED`).
    pub column_extras: Vec<(String, Option<String>, Option<Generated>)>,
}

use migrate_core::column_extras::Generated;
use migrate_core::dialect::tokens::{matching, tokenize, Token};
use migrate_core::schema::Deferrable;

/// Reads `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]` in the clause of a
/// foreign key, from `from` to the next `CONSTRAINT` (or the end of the item).
fn deferrable_after(tokens: &[Token], from: usize) -> Deferrable {
    let clause: Vec<&Token> = tokens
        .iter()
        .skip(from)
        .take_while(|t| !t.is("CONSTRAINT"))
        .collect();
    let Some(at) = clause.iter().position(|t| t.is("DEFERRABLE")) else {
        return Deferrable::No;
    };
    if at > 0 && clause[at - 1].is("NOT") {
        return Deferrable::No;
    }
    let deferred = clause.get(at + 1).is_some_and(|t| t.is("INITIALLY"))
        && clause.get(at + 2).is_some_and(|t| t.is("DEFERRED"));
    if deferred {
        Deferrable::Deferred
    } else {
        Deferrable::Immediate
    }
}

/// The names listed between `(` at `open` and its `)`, first word of each item.
fn name_list(tokens: &[Token], open: usize) -> (Vec<String>, usize) {
    let close = matching(tokens, open);
    let mut names = Vec::new();
    let mut expect = true;
    for t in &tokens[open + 1..close.min(tokens.len())] {
        if t.is(",") {
            expect = true;
        } else if expect {
            names.push(t.text.clone());
            expect = false;
        }
    }
    (names, close)
}

/// Reads the constraint clauses of a `CREATE TABLE` statement.
pub(crate) fn parse_create_table(sql: &str) -> TableDdl {
    let tokens = tokenize(sql);
    let mut ddl = TableDdl::default();
    let Some(open) = tokens.iter().position(|t| t.is("(")) else {
        return ddl;
    };
    let close = matching(&tokens, open);
    // Split the body into items at top-level commas.
    let mut items: Vec<&[Token]> = Vec::new();
    let mut depth = 0;
    let mut start = open + 1;
    for i in open + 1..close.min(tokens.len()) {
        let t = &tokens[i];
        if t.is("(") {
            depth += 1;
        } else if t.is(")") {
            depth -= 1;
        } else if t.is(",") && depth == 0 {
            items.push(&tokens[start..i]);
            start = i + 1;
        }
    }
    items.push(&tokens[start..close.min(tokens.len())]);
    for item in items {
        if item.is_empty() {
            continue;
        }
        let table_level = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"]
            .iter()
            .any(|w| item[0].is(w));
        if table_level {
            read_constraints(sql, item, None, &mut ddl);
        } else {
            read_constraints(sql, &item[1..], Some(item[0].text.clone()), &mut ddl);
            let (collation, generated) = column_extras(sql, &item[1..]);
            if collation.is_some() || generated.is_some() {
                ddl.column_extras
                    .push((item[0].text.clone(), collation, generated));
            }
        }
    }
    ddl
}

/// The `COLLATE` name and the generation (`[GENERATED ALWAYS] AS (expr)
/// [STORED | VIRTUAL]`, virtual when not said) of a column definition. What is
/// inside parentheses (a type's length, a default or check expression) is skipped.
fn column_extras(sql: &str, tokens: &[Token]) -> (Option<String>, Option<Generated>) {
    let mut collation = None;
    let mut generated = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.is("(") {
            i = matching(tokens, i);
        } else if t.is("COLLATE") {
            collation = tokens.get(i + 1).map(|n| n.text.clone());
            i += 1;
        } else if t.is("AS") && tokens.get(i + 1).is_some_and(|p| p.is("(")) {
            let close = matching(tokens, i + 1);
            if let Some(end) = tokens.get(close) {
                let expr = sql[tokens[i + 1].end..end.start].trim();
                let stored = tokens.get(close + 1).is_some_and(|k| k.is("STORED"));
                generated = Some(if stored {
                    Generated::stored(expr)
                } else {
                    Generated::virtual_(expr)
                });
            }
            i = close;
        }
        i += 1;
    }
    (collation, generated)
}

/// Reads constraint clauses from `tokens`; `column` is set for a column definition.
fn read_constraints(sql: &str, tokens: &[Token], column: Option<String>, ddl: &mut TableDdl) {
    let mut name: Option<String> = None;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        if t.is("CONSTRAINT") && i + 1 < tokens.len() {
            name = Some(tokens[i + 1].text.clone());
            i += 2;
            continue;
        }
        if t.is("AUTOINCREMENT") {
            ddl.autoincrement = true;
        } else if t.is("PRIMARY") {
            ddl.pk_name = name.take().or(ddl.pk_name.take());
        } else if t.is("UNIQUE") {
            let cols = match (&column, tokens.get(i + 1)) {
                (None, Some(p)) if p.is("(") => {
                    let (cols, close) = name_list(tokens, i + 1);
                    i = close;
                    cols
                }
                (Some(c), _) => vec![c.clone()],
                _ => Vec::new(),
            };
            ddl.uniques.push((name.take(), cols));
        } else if t.is("CHECK") && tokens.get(i + 1).is_some_and(|p| p.is("(")) {
            let close = matching(tokens, i + 1);
            let expr = match tokens.get(close) {
                Some(end) => sql[tokens[i + 1].end..end.start].trim().to_string(),
                None => String::new(),
            };
            ddl.checks.push((name.take(), expr, column.clone()));
            i = close;
        } else if t.is("FOREIGN") && tokens.get(i + 2).is_some_and(|p| p.is("(")) {
            let (cols, close) = name_list(tokens, i + 2);
            let target = tokens
                .get(close + 2)
                .filter(|_| tokens.get(close + 1).is_some_and(|r| r.is("REFERENCES")));
            if let Some(target) = target {
                ddl.foreign_keys
                    .push((name.take(), cols, target.text.clone()));
                ddl.fk_deferrable.push(deferrable_after(tokens, close + 2));
            }
            i = close + 2;
        } else if t.is("REFERENCES") && column.is_some() {
            if let Some(target) = tokens.get(i + 1) {
                let cols = vec![column.clone().unwrap_or_default()];
                ddl.foreign_keys
                    .push((name.take(), cols, target.text.clone()));
                ddl.fk_deferrable.push(deferrable_after(tokens, i + 1));
            }
            i += 1;
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_and_unnamed_constraints_are_found() {
        let ddl = parse_create_table(
            r#"CREATE TABLE "orders" (
                "id" INTEGER NOT NULL CONSTRAINT "pk_orders" PRIMARY KEY AUTOINCREMENT,
                "qty" INTEGER NOT NULL CHECK (qty > 0),
                "code" VARCHAR(10) UNIQUE,
                "user_id" BIGINT REFERENCES users(id) ON DELETE CASCADE,
                note TEXT DEFAULT 'a, (b)',
                CONSTRAINT "uq_orders_qty_code" UNIQUE ("qty", "code"),
                CONSTRAINT "ck_orders_small" CHECK ("qty" < 1000),
                CONSTRAINT fk_x FOREIGN KEY (qty, code) REFERENCES [other] (a, b)
            )"#,
        );
        assert_eq!(ddl.pk_name.as_deref(), Some("pk_orders"));
        assert!(ddl.autoincrement);
        assert_eq!(
            ddl.uniques,
            vec![
                (None, vec!["code".to_string()]),
                (
                    Some("uq_orders_qty_code".into()),
                    vec!["qty".into(), "code".into()]
                )
            ]
        );
        assert_eq!(
            ddl.checks,
            vec![
                (None, "qty > 0".to_string(), Some("qty".to_string())),
                (
                    Some("ck_orders_small".into()),
                    "\"qty\" < 1000".into(),
                    None
                )
            ]
        );
        assert_eq!(ddl.foreign_keys.len(), 2);
        assert_eq!(
            ddl.foreign_keys[0],
            (None, vec!["user_id".into()], "users".into())
        );
        assert_eq!(
            ddl.foreign_keys[1],
            (
                Some("fk_x".into()),
                vec!["qty".into(), "code".into()],
                "other".into()
            )
        );
    }
}
