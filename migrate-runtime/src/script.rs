//! One revision as one SQL script: its statements and its bookkeeping (log row,
//! heads) sent to the database in one message, so that a revision costs one round
//! trip whatever its number of statements.
//!
//! When a statement fails, the script tells which part of the revision it was in
//! without extra statements: PostgreSQL's and MySQL's drivers answer every statement
//! they run with one result (after its rows, if any), so counting results gives the
//! statement that failed. A statement that may hold several (a raw SQL step with a
//! `;`) or none (only a comment) is framed by markers instead, `SELECT 1 AS
//! migrate_slot_<n>`, which set the count again. A SQLite table rebuild ends with
//! `PRAGMA foreign_key_check`, whose rows are the broken foreign keys.
//!
//! Several revisions can share a script (PostgreSQL sends a run's revisions in one
//! message): each statement also knows its revision's index there, and each
//! revision starts with a statement that returns the database's clock
//! ([`CLOCK_COLUMN`]), from which the caller learns how long each took.
//!
//! SQLite runs in the process, so its scripts go to the library statement by
//! statement instead ([`crate::backend::sqlite::run_scripts`]): each statement's
//! position in the text names its part, and no markers are needed. A SQLite table
//! rebuild ends with `PRAGMA foreign_key_check`, whose rows are the broken foreign
//! keys.

use futures_util::{Stream, TryStreamExt};
use migrate_core::dialect::{Dependents, Statement};
use sqlx::{Column, Either, Row};

/// The column of the rows that carry the database's clock, in microseconds
/// (`VersionTables::start_clock`).
pub(crate) const CLOCK_COLUMN: &str = "migrate_clock";

/// Where a script stopped: the index of the revision in the script, the part of it
/// that failed, and the error.
#[derive(Debug)]
pub(crate) struct Stop {
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub revision: usize,
    pub part: Part,
    pub error: sqlx::Error,
    /// The server refused the whole script before running any of it (PostgreSQL
    /// parses a message whole first): no revision in it ran, not even those before
    /// the one named.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub nothing_ran: bool,
    /// The slot the results had reached.
    slot: usize,
}

impl Stop {
    /// A stop at `part` of a script's only revision, found by position (SQLite).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn located(part: Part, error: sqlx::Error) -> Stop {
        Stop {
            revision: 0,
            part,
            error,
            nothing_ran: false,
            slot: 0,
        }
    }
}

/// The part of a revision a statement belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Part {
    /// Before the first step: opening the transaction, marking the log row.
    Start,
    /// PostgreSQL under a lease: the check, inside the revision's transaction, that
    /// this process still holds the lock table's row.
    Lease,
    /// Step `k` (1-based).
    Step(usize),
    /// SQLite's foreign-key check after a table rebuild: a row there is a broken key.
    FkCheck,
    /// The bookkeeping after the steps, and the commit.
    Record,
}

struct Slot {
    /// The revision's index in the script.
    revision: usize,
    part: Part,
    /// Exactly one statement: its result can be counted.
    single: bool,
    /// Where its text starts in the script.
    start: usize,
    /// What the runtime does there for a SQLite table rebuild, instead of (`Drop`)
    /// or before (`Restore`) running the text.
    dependents: Option<Dependents>,
}

/// SQL text built statement by statement, and what each statement is.
#[derive(Default)]
pub(crate) struct Script {
    sql: String,
    slots: Vec<Slot>,
    /// The revision that statements pushed now belong to.
    revision: usize,
    /// No markers: the script is run statement by statement, and a statement's
    /// position tells its part (SQLite).
    located: bool,
}

/// Whether `sql` surely holds exactly one statement: no `;` inside, no comment.
fn single_statement(sql: &str) -> bool {
    !sql.contains(';') && !sql.contains("--") && !sql.contains("/*")
}

impl Script {
    /// A script whose statements are found by their position in the text rather
    /// than by counting results (see [`Script::part_at`]).
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn located() -> Script {
        Script {
            located: true,
            ..Script::default()
        }
    }

    /// Appends one statement (or several, for a raw SQL step) of `part`. A newline
    /// comes before the `;` so that a trailing `--` comment cannot swallow it, and a
    /// `;` the text already ends with is dropped, because MySQL refuses an empty
    /// statement.
    pub(crate) fn push(&mut self, part: Part, sql: &str) {
        self.push_marked(part, sql, None);
    }

    /// Appends a rendered statement of `part`, keeping what it tells the runtime
    /// to do around a SQLite table rebuild ([`Script::dependents_at`]).
    pub(crate) fn push_statement(&mut self, part: Part, statement: &Statement) {
        self.push_marked(part, &statement.sql, statement.dependents);
    }

    fn push_marked(&mut self, part: Part, sql: &str, dependents: Option<Dependents>) {
        let sql = sql.trim_end().trim_end_matches(';').trim_end();
        if sql.is_empty() {
            return;
        }
        let n = self.slots.len();
        let single = single_statement(sql);
        let marked = !single && !self.located;
        if marked {
            self.marker(n);
        }
        let start = self.sql.len();
        self.sql.push_str(sql);
        self.sql.push_str("\n;\n");
        self.slots.push(Slot {
            revision: self.revision,
            part,
            single,
            start,
            dependents,
        });
        if marked {
            self.marker(n + 1);
        }
    }

    /// Statements pushed from now on belong to the script's next revision.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn next_revision(&mut self) {
        self.revision += 1;
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

    /// Whether no statement was pushed.
    #[cfg_attr(not(feature = "mysql"), allow(dead_code))]
    pub(crate) fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }

    #[cfg_attr(not(any(feature = "postgres", feature = "mysql")), allow(dead_code))]
    /// Runs through the results of the script (`sqlx::raw_sql(..).fetch_many(..)`) to
    /// its end or its first error, and names the part that failed. Returns the
    /// clock readings met on the way (rows whose first column is [`CLOCK_COLUMN`],
    /// read by `clock`), in order.
    pub(crate) async fn follow<S, Q, R>(
        &self,
        mut results: S,
        clock: impl Fn(&R) -> Option<i64>,
    ) -> (Vec<i64>, Result<(), Stop>)
    where
        S: Stream<Item = Result<Either<Q, R>, sqlx::Error>> + Unpin,
        R: Row,
    {
        // The slot whose result comes next; whether results can be counted there
        // (not inside a multi-statement slot); results of markers still to skip.
        let (mut slot, mut counting, mut skip) =
            (0, self.slots.first().map_or(true, |s| s.single), 0);
        let mut clocks = Vec::new();
        loop {
            match results.try_next().await {
                Ok(None) => return (clocks, Ok(())),
                Ok(Some(Either::Left(_))) if skip > 0 => skip -= 1,
                Ok(Some(Either::Left(_))) => {
                    if counting {
                        slot += 1;
                    }
                }
                Ok(Some(Either::Right(row))) => {
                    let name = row.columns().first().map(|c| c.name()).unwrap_or("");
                    if name == CLOCK_COLUMN {
                        clocks.extend(clock(&row));
                    } else if let Some(Ok(n)) =
                        name.strip_prefix("migrate_slot_").map(str::parse::<usize>)
                    {
                        slot = n;
                        counting = self.slots.get(n).map_or(true, |s| s.single);
                        skip = 1;
                    }
                }
                Err(error) => {
                    let (revision, part) = self.place(slot);
                    return (
                        clocks,
                        Err(Stop {
                            revision,
                            part,
                            error,
                            nothing_ran: false,
                            slot,
                        }),
                    );
                }
            }
        }
    }

    /// Corrects where a script stopped from the error's position in its text
    /// (`position`: 1-based, in characters, as PostgreSQL reports it). Rule: the
    /// statement at the position is the one that failed; if it lies past the
    /// statement the results had reached, the server refused the whole text before
    /// running it (a syntax error), so nothing in it ran.
    #[cfg_attr(not(feature = "postgres"), allow(dead_code))]
    pub(crate) fn locate(&self, stop: Stop, position: usize) -> Stop {
        let Some((offset, _)) = self.sql.char_indices().nth(position.saturating_sub(1)) else {
            return stop;
        };
        let slot = self
            .slots
            .partition_point(|s| s.start <= offset)
            .saturating_sub(1);
        let (revision, part) = self.place(slot);
        Stop {
            revision,
            part,
            nothing_ran: slot > stop.slot,
            slot,
            error: stop.error,
        }
    }

    /// The part of the statement that starts at byte `offset` of the text.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn part_at(&self, offset: usize) -> Part {
        let slot = self.slots.partition_point(|s| s.start <= offset);
        self.part(slot.saturating_sub(1))
    }

    /// What the statement that starts at byte `offset` of the text asks of the
    /// runtime around a SQLite table rebuild, if anything, with where its text ends.
    #[cfg_attr(not(feature = "sqlite"), allow(dead_code))]
    pub(crate) fn dependents_at(&self, offset: usize) -> Option<(Dependents, usize)> {
        let slot = self.slots.partition_point(|s| s.start <= offset);
        let dependents = self.slots.get(slot.checked_sub(1)?)?.dependents?;
        let end = self
            .slots
            .get(slot)
            .map_or(self.sql.len(), |next| next.start);
        Some((dependents, end))
    }

    fn part(&self, slot: usize) -> Part {
        self.place(slot).1
    }

    /// The revision and part of a slot; past the end, the last revision's record.
    fn place(&self, slot: usize) -> (usize, Part) {
        self.slots
            .get(slot)
            .map_or((self.revision, Part::Record), |s| (s.revision, s.part))
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

    /// An error whose position lies past the statement the results reached was met
    /// while the server parsed the whole text: nothing ran.
    #[test]
    fn an_error_position_names_the_statement() {
        let mut s = Script::default();
        s.push(Part::Start, "BEGIN");
        s.push(Part::Step(1), "CREATE TABLE a (x INTEGER)");
        s.push(Part::Record, "COMMIT");
        s.next_revision();
        s.push(Part::Start, "BEGIN");
        s.push(Part::Step(1), "INSERT INTO a VALUES (1)");
        s.push(Part::Step(2), "CREATE TABLE (");
        let at = |needle: &str| s.sql()[..s.sql().find(needle).unwrap()].chars().count() + 1;
        let stop = |slot| Stop {
            revision: 0,
            part: Part::Start,
            error: sqlx::Error::Protocol("test".into()),
            nothing_ran: false,
            slot,
        };
        let parsed = s.locate(stop(0), at("CREATE TABLE ("));
        assert_eq!((parsed.revision, parsed.part), (1, Part::Step(2)));
        assert!(parsed.nothing_ran);
        let ran = s.locate(stop(4), at("INSERT"));
        assert_eq!((ran.revision, ran.part), (1, Part::Step(1)));
        assert!(!ran.nothing_ran);
    }

    #[test]
    fn located_scripts_name_parts_by_position() {
        let mut s = Script::located();
        s.push(Part::Start, "SAVEPOINT x");
        s.push(Part::Step(1), "UPDATE t SET a = 1; UPDATE t SET b = 2");
        s.push(Part::Record, "RELEASE x");
        let sql = s.sql();
        assert!(!sql.contains("migrate_slot"), "{sql}");
        let at = |needle: &str| s.part_at(sql.find(needle).unwrap());
        assert_eq!(at("SAVEPOINT"), Part::Start);
        assert_eq!(at("UPDATE t SET a"), Part::Step(1));
        assert_eq!(at("UPDATE t SET b"), Part::Step(1));
        assert_eq!(at("RELEASE"), Part::Record);
    }
}
