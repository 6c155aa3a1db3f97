//! SQL dialects: the SQL text of each operation per database, plus capability flags.
//!
//! Everything database-specific about *writing* SQL lives here, one module per
//! database ([`postgres`], [`mysql`], [`sqlite`], with the SQLite table rebuild in
//! [`sqlite_rebuild`]); operations and the diff stay dialect-neutral. What the
//! runtime must do around the SQL (transactions, foreign-key enforcement) is told by
//! [`Capabilities`] and by the flags of each [`Statement`].
//!
//! [`render_ops`] renders a list of operations, replaying each onto the schema as it
//! goes, so every operation is rendered against the table as it is at that point.

pub mod column_extras;
mod common;
pub mod enums;
mod index_sql;
pub mod kept_names;
mod kind;
pub mod mysql;
mod mysql_keys;
pub mod objects;
pub mod postgres;
pub mod quote;
pub mod sql_type;
pub mod sqlite;
pub mod sqlite_rebuild;
pub mod tokens;
pub mod unsigned;
pub mod version_table;

pub use kept_names::KeptNames;
pub use kind::{DialectKind, ParseDialectError};

use crate::apply::{apply, ApplyError};
use crate::ops::Operation;
use crate::schema::Schema;

/// One SQL statement to run, with what the runtime must know about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The SQL text, without a trailing `;`.
    pub sql: String,
    /// May run inside the revision's transaction. `false` for statements that must
    /// run outside any transaction (a raw SQL step marked `no_transaction`, e.g.
    /// `CREATE INDEX CONCURRENTLY`).
    pub transactional: bool,
    /// Running it commits the open transaction (DDL on MySQL/MariaDB), so it cannot
    /// be rolled back; the runtime records progress accordingly.
    pub implicit_commit: bool,
    /// SQLite only: must run while foreign-key enforcement is off. `PRAGMA
    /// foreign_keys` is a no-op inside a transaction, so the runtime runs `PRAGMA
    /// foreign_keys = OFF` *before* `BEGIN` and `PRAGMA foreign_keys = ON` after
    /// `COMMIT` for a revision with any such statement (see `docs/dialects.md`).
    pub foreign_keys_off: bool,
    /// SQLite table rebuild only: this statement is where the views and triggers
    /// that depend on the rebuilt table are dropped or created again. The runtime
    /// does that from their SQL saved in [`sqlite_rebuild::DEPENDENTS_TABLE`]; run
    /// as plain SQL (an offline script), the statement's own text stands in (see
    /// [`Dependents`]).
    pub dependents: Option<Dependents>,
}

/// What the runtime does at a statement of a SQLite table rebuild marked with it.
///
/// Rule: a rebuild keeps what depends on the table. `DROP TABLE` takes the table's
/// triggers with it, and renaming the new table into place fails while a view or
/// trigger names the missing table, so the rebuild saves the SQL of every view and
/// trigger whose text names the table (into [`sqlite_rebuild::DEPENDENTS_TABLE`]),
/// drops them, and creates them again, in their original order, once the new table
/// has the old name. SQLite cannot run SQL text it reads from a table, so the
/// runtime does the dropping and creating; plain SQL (an offline script) cannot,
/// and its text fails instead when there is anything to keep.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dependents {
    /// Drop each saved view and trigger. As plain SQL: fails (a CHECK whose name
    /// says what to do) when one was saved.
    Drop,
    /// Create each saved view and trigger again from its SQL, in the order they
    /// were saved, then run the statement's text (which drops the saved list).
    Restore,
}

impl Statement {
    /// A statement that runs inside a transaction, commits nothing by itself and
    /// needs no special foreign-key handling.
    pub fn new(sql: impl Into<String>) -> Self {
        Statement {
            sql: sql.into(),
            transactional: true,
            implicit_commit: false,
            foreign_keys_off: false,
            dependents: None,
        }
    }
}

/// What a database can and cannot do, for the runtime and the offline scripts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// DDL takes part in transactions (PostgreSQL, SQLite), so a failed revision
    /// rolls back completely. `false` on MySQL, where each DDL statement commits.
    pub transactional_ddl: bool,
    /// `CREATE TABLE IF NOT EXISTS` is understood.
    pub supports_if_not_exists: bool,
    /// Longest identifier accepted (PostgreSQL 63 bytes, MySQL 64 characters).
    pub max_identifier_len: usize,
    /// Identifier lengths are counted in bytes (PostgreSQL) rather than characters.
    pub identifier_len_in_bytes: bool,
    /// Table and column comments are stored (not on SQLite, where setting one is a
    /// no-op).
    pub supports_comments: bool,
    /// Some changes are made by rebuilding the table (SQLite); see
    /// [`Dialect::needs_rebuild`].
    pub table_rebuild: bool,
}

/// Why an operation cannot be written as SQL for a dialect.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RenderError {
    /// The operation names a table the schema does not have at that point.
    #[error("{dialect}: table '{table}' does not exist at this point of the revision")]
    NoSuchTable {
        /// Dialect being rendered.
        dialect: DialectKind,
        /// Table name.
        table: String,
    },
    /// The operation names a column the table does not have at that point.
    #[error("{dialect}: column '{table}.{column}' does not exist at this point of the revision")]
    NoSuchColumn {
        /// Dialect being rendered.
        dialect: DialectKind,
        /// Table name.
        table: String,
        /// Column name.
        column: String,
    },
    /// The database cannot do what the operation asks.
    #[error("{dialect}: cannot {what} on table '{table}': {how_to_fix}")]
    Unsupported {
        /// Dialect being rendered.
        dialect: DialectKind,
        /// Table name.
        table: String,
        /// What was asked.
        what: String,
        /// What to do instead.
        how_to_fix: String,
    },
    /// A name is longer than the database accepts.
    #[error(
        "{dialect}: identifier '{name}' is {len} long but the limit is {max}; \
         give it a shorter name"
    )]
    IdentifierTooLong {
        /// Dialect being rendered.
        dialect: DialectKind,
        /// The name.
        name: String,
        /// Its length (bytes on PostgreSQL, characters elsewhere).
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The database cannot hold a schema object as declared.
    #[error("{dialect}: cannot create {object}: {how_to_fix}")]
    UnsupportedObject {
        /// Dialect being rendered.
        dialect: DialectKind,
        /// `kind 'name'`.
        object: String,
        /// What to do instead.
        how_to_fix: String,
    },
    /// Replaying step `step` (0-based) onto the schema failed: the operations do
    /// not fit the schema they are applied to.
    #[error("step {step}: {source}")]
    Replay {
        /// Index of the operation in the list.
        step: usize,
        /// What did not fit.
        source: ApplyError,
    },
}

/// A database's SQL: how to quote names and how to write each operation.
pub trait Dialect: Sync {
    /// Which database this is.
    fn kind(&self) -> DialectKind;

    /// What the database can do.
    fn capabilities(&self) -> Capabilities;

    /// `name` quoted as an identifier, so reserved words, mixed case, spaces and
    /// non-ASCII characters are taken literally.
    fn quote_ident(&self, name: &str) -> String;

    /// `text` as a string literal.
    fn quote_literal(&self, text: &str) -> String;

    /// The database type written for a neutral column type.
    fn column_type(&self, ty: &crate::types::ColumnType) -> String;

    /// Whether `op` is carried out by rebuilding its table (SQLite only), given
    /// the schema just before it.
    fn needs_rebuild(&self, _op: &Operation, _before: &Schema) -> bool {
        false
    }

    /// The statements that carry out `op` on a database whose schema is `before`.
    /// An empty list means the operation has no effect on this database (a
    /// comment on SQLite).
    fn render(&self, op: &Operation, before: &Schema) -> Result<Vec<Statement>, RenderError>;
}

/// The dialect for `kind`.
pub fn dialect(kind: DialectKind) -> &'static dyn Dialect {
    match kind {
        DialectKind::Postgres => &postgres::Postgres,
        DialectKind::MySql => &mysql::MySql,
        DialectKind::Sqlite => &sqlite::Sqlite,
    }
}

/// Renders `ops` in order for `kind`, starting from the schema `before` and
/// replaying each operation after rendering it, so that each one sees the tables
/// as the previous ones left them. The database is taken to hold every object of
/// `before` under its name there (see [`render_onto`] for one that does not).
pub fn render_ops(
    kind: DialectKind,
    before: &Schema,
    ops: &[Operation],
) -> Result<Vec<Statement>, RenderError> {
    let mut schema = before.clone();
    render_onto(kind, &mut schema, &mut KeptNames::new(kind), ops).map_err(|(_, e)| e)
}

/// Renders `ops` in order for `kind` against `schema`, moving `schema` (and the
/// names the database keeps, `kept`) past each operation as it goes, so each one
/// sees the tables as the previous ones left them. Each operation is rendered
/// against the schema as the database holds it ([`KeptNames`]): a rename the
/// database cannot make is no statement, and later steps name the object as the
/// database does. On SQLite, consecutive operations on one table of which one
/// needs a rebuild share one rebuild ([`sqlite_rebuild::batch_len`]). An error
/// comes with the index of the operation it is about.
pub fn render_onto(
    kind: DialectKind,
    schema: &mut Schema,
    kept: &mut KeptNames,
    ops: &[Operation],
) -> Result<Vec<Statement>, (usize, RenderError)> {
    let d = dialect(kind);
    let mut out = Vec::new();
    let mut step = 0;
    while step < ops.len() {
        let len = if d.capabilities().table_rebuild {
            sqlite_rebuild::batch_len(&sqlite::Sqlite, &ops[step..], schema)
        } else {
            1
        };
        let batch = &ops[step..step + len];
        for (i, op) in batch.iter().enumerate() {
            crate::qualified::refuse_elsewhere(kind, op).map_err(|e| (step + i, e))?;
        }
        if !kept.skips(schema, &batch[0]) {
            let physical = kept.physical(schema);
            let translated: Vec<_> = batch.iter().map(|op| kept.translate(op)).collect();
            let statements = if len > 1 {
                let ops: Vec<Operation> =
                    translated.into_iter().map(|op| op.into_owned()).collect();
                sqlite_rebuild::rebuild(&sqlite::Sqlite, &ops, &physical)
            } else {
                d.render(&translated[0], &physical)
            };
            out.extend(statements.map_err(|e| (step, e))?);
        }
        for op in batch {
            kept.note(schema, op);
            apply(schema, op).map_err(|source| (step, RenderError::Replay { step, source }))?;
            step += 1;
        }
    }
    Ok(out)
}
