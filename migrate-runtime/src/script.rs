//! One revision as one SQL script: its statements and its bookkeeping (log row,
//! heads) sent to the database in one message, so that a revision costs one round
//! trip whatever its number of statements.
//!
//! Before step `k` the script asks `SELECT 1 AS migrate_step_k`, and before the
//! bookkeeping `SELECT 1 AS migrate_record`. The database answers each marker as it
//! reaches it, so when a statement fails, the last marker answered names the step,
//! even when one raw SQL step holds several statements. A SQLite table rebuild ends
//! with `PRAGMA foreign_key_check` after a `migrate_fk_check` marker; the rows that
//! follow it are the broken foreign keys.

use futures_util::{Stream, TryStreamExt};
use migrate_core::dialect::Statement;
use sqlx::{Column, Either, Row};

/// SQL text built statement by statement.
#[derive(Default)]
pub(crate) struct Script {
    sql: String,
}

impl Script {
    /// Appends one statement (or several, for a raw SQL step). A newline comes before
    /// the `;` so that a trailing `--` comment cannot swallow it, and a `;` the text
    /// already ends with is dropped, because MySQL refuses an empty statement.
    pub(crate) fn push(&mut self, sql: &str) {
        let sql = sql.trim_end().trim_end_matches(';').trim_end();
        if sql.is_empty() {
            return;
        }
        self.sql.push_str(sql);
        self.sql.push_str("\n;\n");
    }

    pub(crate) fn extend(&mut self, statements: &[Statement]) {
        for s in statements {
            self.push(&s.sql);
        }
    }

    /// Step `k` (1-based) of the revision, after its marker.
    pub(crate) fn step(&mut self, k: usize, sql: &str) {
        self.push(&format!("SELECT 1 AS migrate_step_{k}"));
        self.push(sql);
    }

    /// SQLite: list the rows that break a foreign key.
    pub(crate) fn fk_check(&mut self) {
        self.push("SELECT 1 AS migrate_fk_check");
        self.push("PRAGMA foreign_key_check");
    }

    /// The bookkeeping follows.
    pub(crate) fn record(&mut self) {
        self.push("SELECT 1 AS migrate_record");
    }

    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }
}

/// The part of a script the database had reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reached {
    /// Before the first step: opening the transaction, marking the log row.
    Start,
    /// Step `k` (1-based).
    Step(usize),
    /// SQLite's foreign-key check after a table rebuild.
    FkCheck,
    /// The bookkeeping after the steps.
    Record,
}

/// How far a script went.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Progress {
    pub reached: Reached,
    /// Rows answered by `PRAGMA foreign_key_check`: foreign keys the revision broke.
    pub fk_violations: usize,
}

impl Progress {
    fn see<R: Row>(&mut self, row: &R) {
        let marker = row.columns().first().map(|c| c.name()).unwrap_or("");
        self.reached = match marker {
            "migrate_record" => Reached::Record,
            "migrate_fk_check" => Reached::FkCheck,
            _ => match marker.strip_prefix("migrate_step_").map(str::parse) {
                Some(Ok(k)) => Reached::Step(k),
                _ => {
                    // A row of the revision's own SQL, or of the foreign-key check.
                    if self.reached == Reached::FkCheck {
                        self.fk_violations += 1;
                    }
                    return;
                }
            },
        };
    }
}

/// Reads the results of a script (`sqlx::raw_sql(..).fetch_many(..)`) to its end or
/// its first error, following the markers.
pub(crate) async fn follow<S, Q, R>(mut results: S) -> Result<Progress, (Progress, sqlx::Error)>
where
    S: Stream<Item = Result<Either<Q, R>, sqlx::Error>> + Unpin,
    R: Row,
{
    let mut progress = Progress {
        reached: Reached::Start,
        fk_violations: 0,
    };
    loop {
        match results.try_next().await {
            Ok(None) => return Ok(progress),
            Ok(Some(Either::Left(_))) => {}
            Ok(Some(Either::Right(row))) => progress.see(&row),
            Err(e) => return Err((progress, e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_separated_safely() {
        let mut s = Script::default();
        s.push("UPDATE t SET a = 1 -- trailing comment");
        s.push("UPDATE t SET b = 2;  ");
        s.push("   ");
        s.step(3, "DROP TABLE t");
        assert_eq!(
            s.sql(),
            "UPDATE t SET a = 1 -- trailing comment\n;\nUPDATE t SET b = 2\n;\n\
             SELECT 1 AS migrate_step_3\n;\nDROP TABLE t\n;\n"
        );
    }
}
