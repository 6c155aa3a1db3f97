//! SQLite: connecting (with a busy timeout), and the migration lock, a write
//! transaction (`BEGIN IMMEDIATE`) held for the whole run.
//!
//! Only one connection can hold a write transaction, so other processes wait (up to the
//! busy timeout) and then see the revisions committed. A crashed process leaves nothing
//! behind: SQLite rolls back its transaction from the journal.

use std::ffi::{c_char, c_int, CString};
use std::ptr::{self, NonNull};
use std::str::FromStr;
use std::time::{Duration, Instant};

use libsqlite3_sys as ffi;
use migrate_core::dialect::quote::double_quoted;
use migrate_core::dialect::sqlite_rebuild::DEPENDENTS_TABLE;
use migrate_core::dialect::Dependents;
use sqlx::sqlite::{LockedSqliteHandle, SqliteConnectOptions, SqlitePoolOptions};
use sqlx::{ConnectOptions, Executor, SqliteConnection, SqlitePool};

use crate::apply::{Bookkeeping, TxState};
use crate::backend::{Backend, Conn};
use crate::config::Config;
use crate::error::Error;
use crate::migrator::Migrator;
use crate::redact::RedactedUrl;
use crate::run::Step;
use crate::script::{Part, Script, Stop};

/// Opens a small pool for a run, creating the file if missing.
pub(crate) async fn connect(url: &str, config: &Config) -> Result<SqlitePool, Error> {
    let redacted = RedactedUrl::new(url);
    let options = SqliteConnectOptions::from_str(url)
        .map_err(|source| Error::Connect {
            url: redacted.clone(),
            source,
        })?
        .create_if_missing(true)
        .busy_timeout(config.lock_timeout)
        .log_statements(tracing::log::LevelFilter::Trace);
    SqlitePoolOptions::new()
        // A pool for one run: no maintenance task, which in sqlx 0.8 can spin
        // forever when its idle count underflows as the pool closes.
        .idle_timeout(None)
        .max_lifetime(None)
        // Its connections are seconds old: no ping before each is handed out.
        .test_before_acquire(false)
        .max_connections(2)
        .connect_with(options)
        .await
        .map_err(|source| Error::Connect {
            url: redacted,
            source,
        })
}

/// Sets the busy timeout (also on a pool the caller passed), turns foreign-key
/// enforcement off if a table rebuild needs it (possible only outside a transaction;
/// the run checks the keys itself with `PRAGMA foreign_key_check`), and opens the
/// write transaction.
async fn lock(c: &mut SqliteConnection, config: &Config, fk_off: bool) -> Result<(), Error> {
    let ms = config.lock_timeout.as_millis().min(i32::MAX as u128);
    let fk = if fk_off {
        "PRAGMA foreign_keys = OFF; "
    } else {
        ""
    };
    c.execute(sqlx::raw_sql(&format!("{fk}PRAGMA busy_timeout = {ms}")))
        .await
        .map_err(Error::db("cannot set the SQLite busy timeout"))?;
    let start = Instant::now();
    match c.execute(sqlx::raw_sql("BEGIN IMMEDIATE")).await {
        Ok(_) => Ok(()),
        Err(e) => {
            if is_busy(&e) {
                Err(Error::LockTimeout {
                    lock: "SQLite write transaction (BEGIN IMMEDIATE)".into(),
                    waited: start.elapsed(),
                })
            } else {
                Err(Error::Database {
                    context: "cannot take the migration lock (BEGIN IMMEDIATE)".into(),
                    source: e,
                })
            }
        }
    }
}

/// Whether an error is `SQLITE_BUSY` or `SQLITE_LOCKED` (codes 5 and 6): another
/// connection kept the database locked for the whole busy timeout, which the runtime
/// sets to `lock_timeout`.
pub(crate) fn is_busy(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .and_then(|d| d.code())
        .is_some_and(|code| code == "5" || code == "6")
}

/// The write transaction was ended by the run; turn foreign keys back on (sqlx's
/// default) in case they were turned off.
async fn unlock(c: &mut SqliteConnection) -> Result<(), Error> {
    c.execute(sqlx::raw_sql("PRAGMA foreign_keys = ON"))
        .await
        .map(|_| ())
        .map_err(Error::db("cannot turn SQLite foreign keys back on"))
}

impl Backend for SqliteConnection {
    async fn lock(&mut self, config: &Config, fk_off: bool) -> Result<(), Error> {
        lock(self, config, fk_off).await
    }

    async fn unlock(&mut self, _config: &Config) -> Result<(), Error> {
        unlock(self).await
    }

    /// Through the library, statement by statement ([`run_scripts`]).
    async fn run_script(&mut self, script: &Script) -> (Vec<i64>, Result<(), Stop>) {
        let (_, result) = run_scripts(self, &[script]).await;
        (
            Vec::new(),
            result.map_err(|(part, error)| Stop::located(part, error)),
        )
    }

    /// SQLite has no code of its own for it: the message says so.
    fn is_missing_table(_code: &str, message: &str) -> bool {
        message.contains("no such table")
    }
}

/// Runs revision scripts (see [`crate::script`]) one after the other through the
/// SQLite library itself, statement by statement, on the calling thread, until one
/// fails. Returns how long each finished script took, and the part of the script
/// that failed with the error, if one did. A row from `PRAGMA foreign_key_check` (a
/// key a table rebuild broke) stops its script there, as an error.
///
/// sqlx runs SQLite on a worker thread and hands every statement's result, and the
/// connection itself, across threads; a revision is several statements (savepoint,
/// steps, log row, heads), so for many small revisions those hand-offs were most of
/// a run's cost. Here the connection is locked away from sqlx's worker once for all
/// the scripts. They run inside the run's write transaction, so they never wait for
/// another connection, but they do hold the thread: on tokio's multi-threaded
/// runtime they run in `block_in_place`, so the thread's other tasks go on elsewhere.
///
/// A bookkeeping statement with a parameter (the log row's `duration_ms`) gets the
/// milliseconds since its script started.
pub(crate) async fn run_scripts(
    c: &mut SqliteConnection,
    scripts: &[&Script],
) -> (Vec<Duration>, Result<(), (Part, sqlx::Error)>) {
    let mut durations = Vec::with_capacity(scripts.len());
    let mut handle = match c.lock_handle().await {
        Ok(handle) => handle,
        Err(e) => return (durations, Err((Part::Start, e))),
    };
    let mut run = || {
        for script in scripts {
            let start = Instant::now();
            run_one(&mut handle, script, start)?;
            durations.push(start.elapsed());
        }
        Ok(())
    };
    // The statements block this thread: on a multi-threaded runtime, its other
    // tasks move to another worker meanwhile.
    let multi_thread = tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    let result = if multi_thread {
        tokio::task::block_in_place(run)
    } else {
        run()
    };
    (durations, result)
}

fn run_one(
    handle: &mut LockedSqliteHandle<'_>,
    script: &Script,
    start: Instant,
) -> Result<(), (Part, sqlx::Error)> {
    let sql = CString::new(script.sql()).map_err(|_| {
        (
            Part::Start,
            sqlx::Error::Protocol("the revision's SQL holds a NUL character".into()),
        )
    })?;
    let text = sql.as_bytes_with_nul();
    let mut offset = 0;
    loop {
        // Skip what separates statements; the part is named by where one starts.
        while text[offset] != 0 && (text[offset].is_ascii_whitespace() || text[offset] == b';') {
            offset += 1;
        }
        if text[offset] == 0 {
            return Ok(());
        }
        let part = script.part_at(offset);
        match script.dependents_at(offset) {
            Some((Dependents::Drop, end)) => {
                // The text stands in for plain SQL only: skip it.
                drop_dependents(handle).map_err(|e| (part, e))?;
                offset = end;
                continue;
            }
            Some((Dependents::Restore, _)) => restore_dependents(handle).map_err(|e| (part, e))?,
            None => {}
        }
        let statement = Prepared::new(handle, &text[offset..]).map_err(|e| (part, e))?;
        if let Some(stmt) = statement.stmt {
            let stmt = stmt.as_ptr();
            // SAFETY (this block and the loop): `stmt` is a live statement of this
            // connection, which the locked handle gives to this thread alone.
            if part == Part::Record && unsafe { ffi::sqlite3_bind_parameter_count(stmt) } == 1 {
                let ms = i64::try_from(start.elapsed().as_millis()).unwrap_or(i64::MAX);
                unsafe { ffi::sqlite3_bind_int64(stmt, 1, ms) };
            }
            loop {
                match unsafe { ffi::sqlite3_step(stmt) } {
                    ffi::SQLITE_ROW if part == Part::FkCheck => {
                        let msg = "the revision leaves rows that break a foreign key \
                                   (PRAGMA foreign_key_check)";
                        return Err((part, sqlx::Error::Protocol(msg.into())));
                    }
                    ffi::SQLITE_ROW => {}
                    ffi::SQLITE_DONE => break,
                    _ => return Err((part, last_error(handle))),
                }
            }
        }
        if statement.used == 0 {
            return Ok(());
        }
        offset += statement.used;
    }
}

/// Runs one query through the SQLite library (see [`run_scripts`] for why) and
/// returns the first `columns` columns of its rows as text (NULL, or a column the
/// query does not have, as empty text).
/// Reading the version log this way costs one hand-off from sqlx's worker instead of
/// one per row.
pub(crate) async fn query_text(
    c: &mut SqliteConnection,
    sql: &str,
    columns: usize,
) -> Result<Vec<Vec<String>>, sqlx::Error> {
    let mut handle = c.lock_handle().await?;
    rows(&mut handle, sql, columns)
}

/// [`query_text`] on a connection already locked.
fn rows(
    handle: &mut LockedSqliteHandle<'_>,
    sql: &str,
    columns: usize,
) -> Result<Vec<Vec<String>>, sqlx::Error> {
    let sql = CString::new(sql)
        .map_err(|_| sqlx::Error::Protocol("a query holds a NUL character".into()))?;
    let statement = Prepared::new(handle, sql.as_bytes_with_nul())?;
    let mut rows = Vec::new();
    let Some(stmt) = statement.stmt else {
        return Ok(rows);
    };
    let stmt = stmt.as_ptr();
    // SAFETY (here and below): `stmt` is a live statement of the locked connection;
    // only columns it has are read, and a column's text stays valid until the next
    // step, and is copied before it.
    let present = unsafe { ffi::sqlite3_column_count(stmt) };
    let read = c_int::try_from(columns).map_or(present, |c| c.min(present));
    loop {
        match unsafe { ffi::sqlite3_step(stmt) } {
            ffi::SQLITE_ROW => {
                let mut row = vec![String::new(); columns];
                for (i, cell) in (0..read).zip(row.iter_mut()) {
                    let text = unsafe { ffi::sqlite3_column_text(stmt, i) };
                    let len = unsafe { ffi::sqlite3_column_bytes(stmt, i) };
                    if !text.is_null() {
                        let bytes = unsafe { std::slice::from_raw_parts(text, len as usize) };
                        *cell = String::from_utf8_lossy(bytes).into_owned();
                    }
                }
                rows.push(row);
            }
            ffi::SQLITE_DONE => return Ok(rows),
            _ => return Err(last_error(handle)),
        }
    }
}

/// Runs `sql` (one statement or several) to its end, ignoring rows.
fn execute(handle: &mut LockedSqliteHandle<'_>, sql: &str) -> Result<(), sqlx::Error> {
    let sql = CString::new(sql)
        .map_err(|_| sqlx::Error::Protocol("a statement holds a NUL character".into()))?;
    let text = sql.as_bytes_with_nul();
    let mut offset = 0;
    while offset + 1 < text.len() {
        let statement = Prepared::new(handle, &text[offset..])?;
        if let Some(stmt) = statement.stmt {
            // SAFETY: a live statement of the locked connection.
            loop {
                match unsafe { ffi::sqlite3_step(stmt.as_ptr()) } {
                    ffi::SQLITE_ROW => {}
                    ffi::SQLITE_DONE => break,
                    _ => return Err(last_error(handle)),
                }
            }
        }
        if statement.used == 0 {
            break;
        }
        offset += statement.used;
    }
    Ok(())
}

/// The views and triggers a table rebuild saved (`DEPENDENTS_TABLE`), in the
/// order they were created: (type, name, sql).
fn saved_dependents(handle: &mut LockedSqliteHandle<'_>) -> Result<Vec<Vec<String>>, sqlx::Error> {
    rows(
        handle,
        &format!(
            "SELECT type, name, sql FROM temp.{} ORDER BY rowid",
            double_quoted(DEPENDENTS_TABLE)
        ),
        3,
    )
}

/// A table rebuild's [`Dependents::Drop`]: drops the views and triggers it saved.
/// A trigger on a saved view goes with the view, hence `IF EXISTS`.
fn drop_dependents(handle: &mut LockedSqliteHandle<'_>) -> Result<(), sqlx::Error> {
    for row in saved_dependents(handle)? {
        let kind = if row[0] == "view" { "VIEW" } else { "TRIGGER" };
        execute(
            handle,
            &format!("DROP {kind} IF EXISTS main.{}", double_quoted(&row[1])),
        )?;
    }
    Ok(())
}

/// A table rebuild's [`Dependents::Restore`]: creates the saved views and triggers
/// again from their SQL, in their original order. SQLite accepts a view that
/// names a column the rebuild removed and fails only when it is read, so each
/// view is compiled once more here: the revision fails now, naming the view,
/// rather than the application later.
fn restore_dependents(handle: &mut LockedSqliteHandle<'_>) -> Result<(), sqlx::Error> {
    let saved = saved_dependents(handle)?;
    for row in &saved {
        execute(handle, &row[2]).map_err(|e| {
            sqlx::Error::InvalidArgument(format!(
                "cannot create {} {} again after the table rebuild: {}; change it in an SQL \
                 step of this revision (drop it before the change, create it after)",
                row[0],
                row[1],
                database_message(&e)
            ))
        })?;
    }
    for row in saved.iter().filter(|row| row[0] == "view") {
        let probe = format!("SELECT * FROM main.{} LIMIT 0", double_quoted(&row[1]));
        let probe = CString::new(probe).expect("a name from sqlite_master has no NUL");
        Prepared::new(handle, probe.as_bytes_with_nul()).map_err(|e| {
            sqlx::Error::InvalidArgument(format!(
                "view {} no longer works after the table rebuild: {}; change the view in an \
                 SQL step of this revision (drop it before the change, create it after)",
                row[1],
                database_message(&e)
            ))
        })?;
    }
    Ok(())
}

/// The database's own message of `e`, without sqlx's prefix.
fn database_message(e: &sqlx::Error) -> String {
    match e.as_database_error() {
        Some(d) => d.message().to_string(),
        None => e.to_string(),
    }
}

/// One statement prepared from the front of a NUL-terminated text, finalized on drop.
struct Prepared {
    /// `None` when the text held only a comment or whitespace.
    stmt: Option<NonNull<ffi::sqlite3_stmt>>,
    /// Bytes of the text the statement took.
    used: usize,
}

impl Prepared {
    fn new(handle: &mut LockedSqliteHandle<'_>, text: &[u8]) -> Result<Prepared, sqlx::Error> {
        let db = handle.as_raw_handle().as_ptr();
        let len = c_int::try_from(text.len()).map_err(|_| {
            sqlx::Error::Protocol("a revision's SQL is larger than SQLite accepts".into())
        })?;
        let mut stmt = ptr::null_mut();
        let mut tail: *const c_char = ptr::null();
        // SAFETY: `text` ends with its NUL (counted in `len`, which lets SQLite parse
        // it in place), `db` is the locked connection, and `tail` is set to a point
        // inside `text`.
        let rc =
            unsafe { ffi::sqlite3_prepare_v2(db, text.as_ptr().cast(), len, &mut stmt, &mut tail) };
        if rc != ffi::SQLITE_OK {
            return Err(last_error(handle));
        }
        let used = if tail.is_null() {
            text.len() - 1
        } else {
            // SAFETY: both point into `text`.
            unsafe { tail.cast::<u8>().offset_from(text.as_ptr()) as usize }
        };
        Ok(Prepared {
            stmt: NonNull::new(stmt),
            used,
        })
    }
}

impl Drop for Prepared {
    fn drop(&mut self) {
        if let Some(stmt) = self.stmt {
            // SAFETY: prepared by `Prepared::new` and finalized once, here.
            unsafe { ffi::sqlite3_finalize(stmt.as_ptr()) };
        }
    }
}

/// The connection's last error, as sqlx reports SQLite errors.
fn last_error(handle: &mut LockedSqliteHandle<'_>) -> sqlx::Error {
    match handle.last_error() {
        Some(e) => sqlx::Error::Database(Box::new(e)),
        None => sqlx::Error::Protocol("SQLite reported an error without a message".into()),
    }
}

impl Migrator {
    /// A revision with a statement that SQLite refuses inside a transaction (`VACUUM`,
    /// flagged `no_transaction = true`): the run's write transaction, which is its
    /// lock, is committed first (keeping the revisions before it), the revision runs
    /// statement by statement ([`Migrator::apply_in_pieces`]), and the write
    /// transaction is taken again for the rest of the run, as the offline script
    /// (`upgrade --sql --dialect sqlite`) does. Meanwhile another process would find
    /// the revision's log row `dirty` and stop.
    pub(crate) async fn apply_outside_lock(
        &self,
        conn: &mut Conn,
        tx: &mut TxState,
        step: &Step,
        book: &Bookkeeping,
    ) -> Result<(), Error> {
        tx.in_tx = true;
        self.apply_in_pieces(conn, tx, step, book).await?;
        if !tx.in_tx {
            conn.exec("BEGIN IMMEDIATE").await.map_err(Error::db(
                "cannot take the migration lock again (BEGIN IMMEDIATE)",
            ))?;
        }
        // The write transaction is the run's, which `run` ends.
        tx.in_tx = false;
        Ok(())
    }
}
