//! The version tables, per dialect: their DDL and the statements that keep them,
//! shared by the runtime and the offline scripts.
//!
//! - `migrate_version (version_num)`: one row per applied head, like Alembic's
//!   `alembic_version`;
//! - `migrate_version_log`: one row per applied revision (parents, message,
//!   checksum, time, duration, its downgrade as TOML, state, failure).
//!
//! The head table's name is configurable; the log is always `<name>_log`. Values
//! are written as literals, so the statements also work in a script and the runtime
//! can send a revision and its bookkeeping in one message. A text holding a backslash
//! is written in a form that means the same whatever the session's settings
//! (`E'...'` on PostgreSQL, a hex literal on MySQL), because the log keeps SQL and
//! TOML that must come back exactly.

use super::{dialect, DialectKind, Statement};
use crate::types::ColumnType;

/// The default name of the head table.
pub const DEFAULT_NAME: &str = "migrate_version";

/// The longest revision id the tables hold.
pub const ID_LEN: u32 = 64;

/// The version tables of one project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionTables {
    /// Name of the head table (`migrate_version` by default).
    pub name: String,
}

impl Default for VersionTables {
    fn default() -> Self {
        VersionTables::new(DEFAULT_NAME)
    }
}

/// One row of the log table, as written when a revision is applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogEntry<'a> {
    /// Revision id.
    pub revision: &'a str,
    /// Parent ids.
    pub parents: &'a [String],
    /// The revision's message.
    pub message: &'a str,
    /// `sha256:<hex>` of the revision file, when known.
    pub checksum: Option<&'a str>,
    /// How long applying took, when known (not in offline scripts).
    pub duration_ms: Option<i64>,
    /// The revision's downgrade operations as TOML, so an older binary can undo it.
    pub downgrade: &'a str,
    /// `applied`, or `dirty` while a revision runs on MySQL.
    pub state: &'a str,
}

/// The SQL for "now, in UTC" as a timestamp without zone.
fn now_utc(kind: DialectKind) -> &'static str {
    match kind {
        // The clock, not the transaction's start: revisions applied in one
        // transaction keep their order and their own durations.
        DialectKind::Postgres => "(clock_timestamp() AT TIME ZONE 'UTC')",
        DialectKind::MySql => "UTC_TIMESTAMP(6)",
        DialectKind::Sqlite => "strftime('%Y-%m-%d %H:%M:%f', 'now')",
    }
}

/// The SQL for "`ago_ms` milliseconds before now, in UTC" (see [`now_utc`]).
fn before_now(kind: DialectKind, ago_ms: i64) -> String {
    let ago_ms = ago_ms.max(0);
    match kind {
        DialectKind::Postgres => format!("({} - INTERVAL '{ago_ms} milliseconds')", now_utc(kind)),
        DialectKind::MySql => format!(
            "({} - INTERVAL {} MICROSECOND)",
            now_utc(kind),
            ago_ms * 1000
        ),
        DialectKind::Sqlite => format!(
            "strftime('%Y-%m-%d %H:%M:%f', 'now', '-{}.{:03} seconds')",
            ago_ms / 1000,
            ago_ms % 1000
        ),
    }
}

/// The transaction-local setting that holds a revision's start on PostgreSQL (see
/// [`VersionTables::start_clock`]).
const CLOCK_SETTING: &str = "migrate.revision_started_us";

/// The database's clock in whole microseconds since the Unix epoch (PostgreSQL).
fn clock_us(kind: DialectKind) -> &'static str {
    debug_assert_eq!(kind, DialectKind::Postgres);
    "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000000 AS BIGINT)"
}

/// The milliseconds from the row's `applied_at` until now, computed by the database.
fn elapsed_ms(kind: DialectKind, applied_at: &str) -> String {
    match kind {
        DialectKind::Postgres => format!(
            "CAST(EXTRACT(EPOCH FROM {} - {applied_at}) * 1000 AS BIGINT)",
            now_utc(kind)
        ),
        DialectKind::MySql => {
            format!("TIMESTAMPDIFF(MICROSECOND, {applied_at}, UTC_TIMESTAMP(6)) DIV 1000")
        }
        DialectKind::Sqlite => format!(
            "CAST(ROUND((julianday('now') - julianday({applied_at})) * 86400000) AS INTEGER)"
        ),
    }
}

/// A string literal for the log: the dialect's own, except that a text with a
/// backslash is written so that no session setting changes it
/// (`standard_conforming_strings` on PostgreSQL, `NO_BACKSLASH_ESCAPES` on MySQL).
fn log_literal(kind: DialectKind, text: &str) -> String {
    if !text.contains('\\') {
        return dialect(kind).quote_literal(text);
    }
    match kind {
        DialectKind::Postgres => format!("E'{}'", text.replace('\\', "\\\\").replace('\'', "''")),
        DialectKind::MySql => {
            let parts: Vec<String> = text
                .split('\\')
                .map(|part| dialect(kind).quote_literal(part))
                .collect();
            format!("CONCAT({})", parts.join(", CHAR(92 USING utf8mb4), "))
        }
        DialectKind::Sqlite => dialect(kind).quote_literal(text),
    }
}

fn ddl(kind: DialectKind, sql: String) -> Statement {
    Statement {
        implicit_commit: kind == DialectKind::MySql,
        ..Statement::new(sql)
    }
}

impl VersionTables {
    /// Version tables whose head table is called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        VersionTables { name: name.into() }
    }

    /// The log table's name: `<name>_log`.
    pub fn log_name(&self) -> String {
        format!("{}_log", self.name)
    }

    /// The lock table's name: `<name>_lock` (the runtime's lock table with a lease,
    /// created only when a run uses it).
    pub fn lock_name(&self) -> String {
        format!("{}_lock", self.name)
    }

    /// Whether `table` is one of the three tables migrate keeps for itself.
    pub fn owns(&self, table: &str) -> bool {
        table == self.name || table == self.log_name() || table == self.lock_name()
    }

    fn q(&self, kind: DialectKind, name: &str) -> String {
        dialect(kind).quote_ident(name)
    }

    fn lit(&self, kind: DialectKind, text: &str) -> String {
        log_literal(kind, text)
    }

    /// `CREATE TABLE IF NOT EXISTS` for both tables.
    pub fn create(&self, kind: DialectKind) -> Vec<Statement> {
        let d = dialect(kind);
        let id = d.column_type(&ColumnType::Varchar(ID_LEN));
        let text = d.column_type(&ColumnType::Text);
        let q = |n: &str| self.q(kind, n);
        let heads = format!(
            "CREATE TABLE IF NOT EXISTS {} (\n    {} {id} NOT NULL,\n    CONSTRAINT {} PRIMARY KEY ({})\n)",
            q(&self.name),
            q("version_num"),
            q(&format!("pk_{}", self.name)),
            q("version_num"),
        );
        let log = format!(
            "CREATE TABLE IF NOT EXISTS {} (\n    {} {id} NOT NULL,\n    {} {text} NOT NULL,\n    \
             {} {text} NOT NULL,\n    {} {} NULL,\n    {} {} NOT NULL,\n    {} {} NULL,\n    \
             {} {text} NOT NULL,\n    {} {} NOT NULL,\n    {} {} NULL,\n    {} {text} NULL,\n    \
             CONSTRAINT {} PRIMARY KEY ({})\n)",
            q(&self.log_name()),
            q("revision"),
            q("parents"),
            q("message"),
            q("checksum"),
            d.column_type(&ColumnType::Varchar(100)),
            q("applied_at"),
            d.column_type(&ColumnType::Timestamp),
            q("duration_ms"),
            d.column_type(&ColumnType::BigInt),
            q("downgrade"),
            q("state"),
            d.column_type(&ColumnType::Varchar(16)),
            q("failed_step"),
            d.column_type(&ColumnType::Integer),
            q("error"),
            q(&format!("pk_{}", self.log_name())),
            q("revision"),
        );
        vec![ddl(kind, heads), ddl(kind, log)]
    }

    /// `SELECT version_num FROM <name> ORDER BY version_num`: the applied heads.
    pub fn select_heads(&self, kind: DialectKind) -> String {
        format!(
            "SELECT {v} FROM {} ORDER BY {v}",
            self.q(kind, &self.name),
            v = self.q(kind, "version_num")
        )
    }

    /// Marks `revision` applied in the head table: its parents stop being heads,
    /// it becomes one.
    pub fn add_head(
        &self,
        kind: DialectKind,
        revision: &str,
        parents: &[String],
    ) -> Vec<Statement> {
        let table = self.q(kind, &self.name);
        let col = self.q(kind, "version_num");
        let mut out = Vec::new();
        if !parents.is_empty() {
            let list = parents
                .iter()
                .map(|p| self.lit(kind, p))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Statement::new(format!(
                "DELETE FROM {table} WHERE {col} IN ({list})"
            )));
        }
        out.push(Statement::new(format!(
            "INSERT INTO {table} ({col}) VALUES ({})",
            self.lit(kind, revision)
        )));
        out
    }

    /// Marks `revision` undone in the head table: it stops being a head and each
    /// parent becomes a head again unless another applied revision (a row of the
    /// log) still has it as parent. Run after [`VersionTables::delete_log`].
    pub fn remove_head(
        &self,
        kind: DialectKind,
        revision: &str,
        parents: &[String],
    ) -> Vec<Statement> {
        let table = self.q(kind, &self.name);
        let log = self.q(kind, &self.log_name());
        let col = self.q(kind, "version_num");
        let parents_col = self.q(kind, "parents");
        let mut out = vec![Statement::new(format!(
            "DELETE FROM {table} WHERE {col} = {}",
            self.lit(kind, revision)
        ))];
        for p in parents {
            let padded = match kind {
                DialectKind::MySql => format!("CONCAT(' ', {parents_col}, ' ')"),
                _ => format!("' ' || {parents_col} || ' '"),
            };
            let from_dual = if kind == DialectKind::MySql {
                " FROM DUAL"
            } else {
                ""
            };
            out.push(Statement::new(format!(
                "INSERT INTO {table} ({col}) SELECT {p_lit}{from_dual} WHERE NOT EXISTS \
                 (SELECT 1 FROM {table} WHERE {col} = {p_lit}) AND NOT EXISTS \
                 (SELECT 1 FROM {log} WHERE {padded} LIKE {like})",
                p_lit = self.lit(kind, p),
                like = self.lit(kind, &format!("% {p} %")),
            )));
        }
        out
    }

    /// Inserts the log row of an applied revision.
    pub fn insert_log(&self, kind: DialectKind, e: &LogEntry<'_>) -> Statement {
        let duration = e.duration_ms.map_or("NULL".to_string(), |d| d.to_string());
        self.insert_log_with(kind, e, &duration)
    }

    /// Inserts the log row of a revision whose statements ran just before, in the
    /// same transaction, with `duration_ms` measured by the database: on PostgreSQL
    /// from the revision's clock ([`VersionTables::start_clock`], which must have run
    /// earlier in the transaction), on MySQL from `started_unix_ms`, the caller's
    /// clock when it sent the statements. SQLite runs in the caller's process, which
    /// times the statements itself: there the duration is the statement's one
    /// parameter (`?`), bound when it runs. `LogEntry::duration_ms` is ignored.
    pub fn insert_log_measured(
        &self,
        kind: DialectKind,
        e: &LogEntry<'_>,
        started_unix_ms: i64,
    ) -> Statement {
        let duration = match kind {
            DialectKind::Postgres => format!(
                "CAST(({} - CAST(current_setting('{CLOCK_SETTING}') AS BIGINT)) / 1000 AS BIGINT)",
                clock_us(kind)
            ),
            DialectKind::MySql => {
                format!("CAST(UNIX_TIMESTAMP(NOW(6)) * 1000 AS SIGNED) - {started_unix_ms}")
            }
            DialectKind::Sqlite => "?".to_string(),
        };
        self.insert_log_with(kind, e, &duration)
    }

    /// PostgreSQL: starts a revision's clock, a setting local to the transaction that
    /// [`VersionTables::insert_log_measured`] reads. The statement also returns the
    /// time, in microseconds since the Unix epoch, as its one row's column
    /// `alias`: a client that sends several revisions in one message, where it sees
    /// no statement's end, learns from these how long each took. `None` elsewhere,
    /// where the duration needs no clock in the database.
    ///
    /// A clock rather than `statement_timestamp()`, which is the arrival of the whole
    /// message for every statement in it.
    pub fn start_clock(&self, kind: DialectKind, alias: &str) -> Option<Statement> {
        (kind == DialectKind::Postgres).then(|| {
            Statement::new(format!(
                "SELECT CAST(set_config('{CLOCK_SETTING}', CAST({} AS TEXT), true) AS BIGINT) AS {}",
                clock_us(kind),
                self.q(kind, alias)
            ))
        })
    }

    /// PostgreSQL: the database's time, in microseconds since the Unix epoch, as the
    /// one row's column `alias`, to time the last revision of a message (see
    /// [`VersionTables::start_clock`]). `None` elsewhere.
    pub fn read_clock(&self, kind: DialectKind, alias: &str) -> Option<Statement> {
        (kind == DialectKind::Postgres).then(|| {
            Statement::new(format!(
                "SELECT {} AS {}",
                clock_us(kind),
                self.q(kind, alias)
            ))
        })
    }

    /// Inserts the log rows of several applied revisions in one statement, for a run
    /// that records them all at its end (PostgreSQL with one transaction for the
    /// run). Each row is given with `duration_ms` set (the caller measured it) and
    /// `ago_ms`, how long before this statement the revision finished: `applied_at`
    /// is the database's clock less that, so rows keep the database's time and their
    /// order.
    pub fn insert_logs_finished(
        &self,
        kind: DialectKind,
        rows: &[(LogEntry<'_>, i64)],
    ) -> Statement {
        let values = rows
            .iter()
            .map(|(e, ago_ms)| {
                let duration = e.duration_ms.map_or("NULL".to_string(), |d| d.to_string());
                format!(
                    "({})",
                    self.log_values(kind, e, &before_now(kind, *ago_ms), &duration)
                )
            })
            .collect::<Vec<_>>()
            .join(",\n");
        Statement::new(format!(
            "INSERT INTO {} ({}) VALUES\n{values}",
            self.q(kind, &self.log_name()),
            self.log_columns(kind)
        ))
    }

    fn insert_log_with(&self, kind: DialectKind, e: &LogEntry<'_>, duration: &str) -> Statement {
        Statement::new(format!(
            "INSERT INTO {} ({}) VALUES ({})",
            self.q(kind, &self.log_name()),
            self.log_columns(kind),
            self.log_values(kind, e, now_utc(kind), duration)
        ))
    }

    fn log_columns(&self, kind: DialectKind) -> String {
        [
            "revision",
            "parents",
            "message",
            "checksum",
            "applied_at",
            "duration_ms",
            "downgrade",
            "state",
        ]
        .map(|c| self.q(kind, c))
        .join(", ")
    }

    /// The values of a log row, in the order of [`VersionTables::log_columns`].
    fn log_values(
        &self,
        kind: DialectKind,
        e: &LogEntry<'_>,
        applied_at: &str,
        duration: &str,
    ) -> String {
        [
            self.lit(kind, e.revision),
            self.lit(kind, &e.parents.join(" ")),
            self.lit(kind, e.message),
            e.checksum.map_or("NULL".to_string(), |c| self.lit(kind, c)),
            applied_at.to_string(),
            duration.to_string(),
            self.lit(kind, e.downgrade),
            self.lit(kind, e.state),
        ]
        .join(", ")
    }

    /// Marks a logged revision applied once its statements have run: clears the
    /// failure columns and sets `duration_ms` to the time since the row was
    /// inserted (by [`VersionTables::insert_log`] with state `dirty`, just before the
    /// statements), as the database's clock measures it, and `applied_at` to now.
    pub fn finish_log(&self, kind: DialectKind, revision: &str) -> Statement {
        // `duration_ms` first: MySQL assigns left to right, so it reads the old time.
        let applied_at = self.q(kind, "applied_at");
        self.mark_applied(
            kind,
            revision,
            elapsed_ms(kind, &applied_at),
            now_utc(kind).into(),
        )
    }

    /// Marks a logged revision applied with a duration the caller measured, and
    /// `applied_at` `ago_ms` milliseconds before now (see
    /// [`VersionTables::insert_logs_finished`]): for revisions whose rows are
    /// finished together after all of them ran.
    pub fn finish_log_at(
        &self,
        kind: DialectKind,
        revision: &str,
        duration_ms: i64,
        ago_ms: i64,
    ) -> Statement {
        self.mark_applied(
            kind,
            revision,
            duration_ms.to_string(),
            before_now(kind, ago_ms),
        )
    }

    /// `state = 'applied'` with the given duration and time, and the failure columns
    /// cleared.
    fn mark_applied(
        &self,
        kind: DialectKind,
        revision: &str,
        duration_ms: String,
        applied_at: String,
    ) -> Statement {
        self.update_log(
            kind,
            revision,
            &[
                ("duration_ms", duration_ms),
                ("applied_at", applied_at),
                ("state", self.lit(kind, "applied")),
                ("failed_step", "NULL".into()),
                ("error", "NULL".into()),
            ],
        )
    }

    /// `UPDATE <name>_log SET <column> = <SQL>, … WHERE revision = <revision>`,
    /// assigned in the order given.
    fn update_log(&self, kind: DialectKind, revision: &str, set: &[(&str, String)]) -> Statement {
        let set = set
            .iter()
            .map(|(column, value)| format!("{} = {value}", self.q(kind, column)))
            .collect::<Vec<_>>()
            .join(", ");
        Statement::new(format!(
            "UPDATE {} SET {set} WHERE {} = {}",
            self.q(kind, &self.log_name()),
            self.q(kind, "revision"),
            self.lit(kind, revision)
        ))
    }

    /// Sets a logged revision's `applied_at` to `ago_ms` milliseconds before now: for
    /// a row written `dirty` ahead of its turn, once its revision has started.
    pub fn set_started_at(&self, kind: DialectKind, revision: &str, ago_ms: i64) -> Statement {
        self.update_log(kind, revision, &[("applied_at", before_now(kind, ago_ms))])
    }

    /// Replaces the head table's rows with `heads`.
    pub fn replace_heads(&self, kind: DialectKind, heads: &[String]) -> Vec<Statement> {
        let table = self.q(kind, &self.name);
        let mut out = vec![Statement::new(format!("DELETE FROM {table}"))];
        if !heads.is_empty() {
            let values = heads
                .iter()
                .map(|h| format!("({})", self.lit(kind, h)))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Statement::new(format!(
                "INSERT INTO {table} ({}) VALUES {values}",
                self.q(kind, "version_num")
            )));
        }
        out
    }

    /// Moves the head table from the heads `before` to the heads `after` with as few
    /// statements as it takes: one `UPDATE` when one head replaces another (a
    /// revision applied on top of a head, the common case).
    pub fn change_heads(
        &self,
        kind: DialectKind,
        before: &[String],
        after: &[String],
    ) -> Vec<Statement> {
        let table = self.q(kind, &self.name);
        let col = self.q(kind, "version_num");
        let gone: Vec<&String> = before.iter().filter(|h| !after.contains(h)).collect();
        let new: Vec<&String> = after.iter().filter(|h| !before.contains(h)).collect();
        let list = |ids: &[&String]| {
            ids.iter()
                .map(|id| self.lit(kind, id))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut out = Vec::new();
        if let ([old], [new]) = (gone.as_slice(), new.as_slice()) {
            out.push(Statement::new(format!(
                "UPDATE {table} SET {col} = {} WHERE {col} = {}",
                self.lit(kind, new),
                self.lit(kind, old)
            )));
            return out;
        }
        if !gone.is_empty() {
            out.push(Statement::new(format!(
                "DELETE FROM {table} WHERE {col} IN ({})",
                list(&gone)
            )));
        }
        if !new.is_empty() {
            let values = new
                .iter()
                .map(|id| format!("({})", self.lit(kind, id)))
                .collect::<Vec<_>>()
                .join(", ");
            out.push(Statement::new(format!(
                "INSERT INTO {table} ({col}) VALUES {values}"
            )));
        }
        out
    }

    /// Deletes the log row of an undone revision.
    pub fn delete_log(&self, kind: DialectKind, revision: &str) -> Statement {
        Statement::new(format!(
            "DELETE FROM {} WHERE {} = {}",
            self.q(kind, &self.log_name()),
            self.q(kind, "revision"),
            self.lit(kind, revision)
        ))
    }

    /// Sets the state of a logged revision: `dirty` (with the failing step and the
    /// error, when known) while or after a MySQL revision fails part-way,
    /// `applied` once it is done.
    pub fn set_state(
        &self,
        kind: DialectKind,
        revision: &str,
        state: &str,
        failed_step: Option<i64>,
        error: Option<&str>,
    ) -> Statement {
        self.update_log(
            kind,
            revision,
            &[
                ("state", self.lit(kind, state)),
                (
                    "failed_step",
                    failed_step.map_or("NULL".to_string(), |n| n.to_string()),
                ),
                (
                    "error",
                    error.map_or("NULL".to_string(), |e| self.lit(kind, e)),
                ),
            ],
        )
    }

    /// `SELECT revision, parents, message, checksum, state, failed_step, error,
    /// downgrade FROM <name>_log ORDER BY applied_at, revision`; `parents` is
    /// space-separated, `failed_step` an integer or NULL.
    pub fn select_log(&self, kind: DialectKind) -> String {
        let cols = [
            "revision",
            "parents",
            "message",
            "checksum",
            "state",
            "failed_step",
            "error",
            "downgrade",
        ]
        .map(|c| self.q(kind, c))
        .join(", ");
        format!(
            "SELECT {cols} FROM {} ORDER BY {}, {}",
            self.q(kind, &self.log_name()),
            self.q(kind, "applied_at"),
            self.q(kind, "revision")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::VersionTables;

    #[test]
    fn owns_the_heads_log_and_lock_tables_only() {
        let t = VersionTables::new("migrate_version");
        for own in [
            "migrate_version",
            "migrate_version_log",
            "migrate_version_lock",
        ] {
            assert!(t.owns(own), "{own}");
        }
        for other in [
            "migrate_versions",
            "version_lock",
            "users",
            "migrate_version_lock2",
        ] {
            assert!(!t.owns(other), "{other}");
        }
    }
}
