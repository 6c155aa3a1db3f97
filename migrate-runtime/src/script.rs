//! One revision as one SQL script: its statements and its bookkeeping (log row,
//! heads) sent to the database in one message, so that a revision costs one round
//! trip whatever its number of statements.
//!
//! When a statement fails, the script tells which part of the revision it was in
//! without extra statements: each of the three drivers answers every statement it
//! runs with one result (after its rows, if any), so counting results gives the
//! statement that failed. A statement that may hold several (a raw SQL step with a
//! `;`) or none (only a comment) is framed by markers instead, `SELECT 1 AS
//! migrate_slot_<n>`, which set the count again. A SQLite table rebuild ends with
//! `PRAGMA foreign_key_check`, whose rows are the broken foreign keys.

use futures_util::{Stream, TryStreamExt};
use migrate_core::dialect::Statement;
use sqlx::{Column, Either, Row};

/// The part of a revision a statement belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Before the first step: opening the transaction, marking the log row.
    Start,
    /// Step `k` (1-based).
    Step(usize),
    /// SQLite's foreign-key check after a table rebuild.
    FkCheck,
    /// The bookkeeping after the steps, and the commit.
    Record,
}

struct Slot {
    part: Part,
    /// Exactly one statement: its result can be counted.
    single: bool,
}

/// SQL text built statement by statement, and what each statement is.
#[derive(Default)]
pub(crate) struct Script {
    sql: String,
    slots: Vec<Slot>,
}

/// Whether `sql` surely holds exactly one statement: no `;` inside, no comment.
fn single_statement(sql: &str) -> bool {
    !sql.contains(';') && !sql.contains("--") && !sql.contains("/*")
}

impl Script {
    /// Appends one statement (or several, for a raw SQL step) of `part`. A newline
    /// comes before the `;` so that a trailing `--` comment cannot swallow it, and a
    /// `;` the text already ends with is dropped, because MySQL refuses an empty
    /// statement.
    pub(crate) fn push(&mut self, part: Part, sql: &str) {
        let sql = sql.trim_end().trim_end_matches(';').trim_end();
        if sql.is_empty() {
            return;
        }
        let n = self.slots.len();
        let single = single_statement(sql);
        if !single {
            self.marker(n);
        }
        self.sql.push_str(sql);
        self.sql.push_str("\n;\n");
        self.slots.push(Slot { part, single });
        if !single {
            self.marker(n + 1);
        }
    }

    fn marker(&mut self, slot: usize) {
        self.sql
            .push_str(&format!("SELECT 1 AS migrate_slot_{slot}\n;\n"));
    }

    pub(crate) fn extend(&mut self, part: Part, statements: &[Statement]) {
        for s in statements {
            self.push(part, &s.sql);
        }
    }

    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }

    /// Runs through the results of the script (`sqlx::raw_sql(..).fetch_many(..)`) to
    /// its end or its first error. Returns the number of broken foreign keys, or the
    /// part that failed with the error.
    pub(crate) async fn follow<S, Q, R>(&self, mut results: S) -> Result<usize, (Part, sqlx::Error)>
    where
        S: Stream<Item = Result<Either<Q, R>, sqlx::Error>> + Unpin,
        R: Row,
    {
        // The slot whose result comes next; whether results can be counted there
        // (not inside a multi-statement slot); results of markers still to skip.
        let (mut slot, mut counting, mut skip) =
            (0, self.slots.first().map_or(true, |s| s.single), 0);
        let mut broken = 0;
        loop {
            match results.try_next().await {
                Ok(None) => return Ok(broken),
                Ok(Some(Either::Left(_))) if skip > 0 => skip -= 1,
                Ok(Some(Either::Left(_))) => {
                    if counting {
                        slot += 1;
                    }
                }
                Ok(Some(Either::Right(row))) => {
                    let name = row.columns().first().map(|c| c.name()).unwrap_or("");
                    match name.strip_prefix("migrate_slot_").map(str::parse::<usize>) {
                        Some(Ok(n)) => {
                            slot = n;
                            counting = self.slots.get(n).map_or(true, |s| s.single);
                            skip = 1;
                        }
                        _ => {
                            if self.part(slot) == Part::FkCheck {
                                broken += 1;
                            }
                        }
                    }
                }
                Err(e) => return Err((self.part(slot), e)),
            }
        }
    }

    fn part(&self, slot: usize) -> Part {
        self.slots.get(slot).map_or(Part::Record, |s| s.part)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_separated_safely() {
        let mut s = Script::default();
        s.push(Part::Start, "BEGIN");
        s.push(Part::Step(1), "UPDATE t SET a = 1 -- trailing comment");
        s.push(Part::Step(2), "UPDATE t SET b = 2;  ");
        s.push(Part::Step(3), "   ");
        s.push(Part::Step(3), "DROP TABLE t");
        assert_eq!(
            s.sql(),
            "BEGIN\n;\nSELECT 1 AS migrate_slot_1\n;\nUPDATE t SET a = 1 -- trailing comment\n;\n\
             SELECT 1 AS migrate_slot_2\n;\nUPDATE t SET b = 2\n;\nDROP TABLE t\n;\n"
        );
        assert!(!single_statement(
            "INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)"
        ));
        assert!(single_statement("CREATE TABLE t (x INTEGER)"));
    }
}
