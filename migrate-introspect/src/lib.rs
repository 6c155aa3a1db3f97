//! Reading a live database back into migrate's schema model.
//!
//! [`introspect`] connects to PostgreSQL (`pg_catalog`), MySQL/MariaDB
//! (`information_schema`) or SQLite (pragmas and `sqlite_master`) and returns a
//! [`migrate_core::Schema`]: tables, columns with their neutral types, nullability,
//! normalised defaults, autoincrement, primary keys, uniques, indexes, foreign keys,
//! checks and comments, and the schema objects beyond tables (views, triggers,
//! functions, procedures, sequences, extensions, PostgreSQL schemas; see
//! `objects`). What a database adds on its own (MySQL's implicit foreign-key
//! indexes, PostgreSQL's constraint-backing indexes, MariaDB's `json_valid` checks,
//! SQLite's autoindexes) is left out, and so are migrate's own version tables, so a
//! schema rendered by migrate and read back compares equal to what was rendered.
//!
//! [`check`] compares a live database with the head schema (drift), and
//! [`baseline_revision`] turns an introspected schema into the base revision of
//! an adopted database (its models come from `migrate_model::codegen`).

mod baseline;
mod check;
#[cfg(any(feature = "postgres", feature = "mysql"))]
mod column_extras;
mod connect;
#[cfg(feature = "postgres")]
mod domains;
mod drift;
mod enums;
mod error;
#[cfg(feature = "mysql")]
mod mysql;
mod normalize;
mod objects;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(feature = "sqlite")]
mod sqlite_ddl;
#[cfg(feature = "sqlite")]
mod sqlite_index;
mod unmodelled;
#[cfg(any(feature = "postgres", feature = "sqlite"))]
mod unsigned;

pub use baseline::{baseline_ops, baseline_revision};
pub use check::{check, check_embedded, check_with_unmodelled, schema_ops};
pub use connect::{redact_url, Database};
pub use drift::{describe_drift, describe_drift_all};
pub use error::IntrospectError;
pub use unmodelled::{tables_left_out, unmodelled, Effect, Unmodelled};

pub use normalize::{canonical_order, check_key, normalize_column_default, normalize_schema};

use migrate_core::dialect::DialectKind;
use migrate_core::Schema;

/// What to read, beyond the database itself.
#[derive(Clone, Debug)]
pub struct IntrospectOptions {
    /// Name of migrate's version table (`migrate_version` by default); it and its
    /// `<name>_log` companion are left out of the schema.
    pub version_table: String,
    /// PostgreSQL schema to read (`None`: `current_schema()`); ignored elsewhere.
    pub pg_schema: Option<String>,
    /// Only these tables (`None`: all of them).
    pub tables: Option<Vec<String>>,
    /// The tables migrate manages (`[tables]` of `migrate.toml`); the others are
    /// neither read nor compared. Default: every table.
    pub filter: migrate_core::filter::TableFilter,
    /// How long to keep trying to connect when given a URL (10 s by default).
    pub connect_timeout: std::time::Duration,
}

impl Default for IntrospectOptions {
    fn default() -> Self {
        IntrospectOptions {
            version_table: migrate_core::dialect::version_table::DEFAULT_NAME.to_string(),
            pg_schema: None,
            tables: None,
            filter: Default::default(),
            connect_timeout: std::time::Duration::from_secs(10),
        }
    }
}

impl IntrospectOptions {
    /// Whether `table` belongs in the result. Rule: never the version tables (heads,
    /// log and lock table), never
    /// a table the filter leaves alone, and only the listed tables when there is a list.
    pub(crate) fn wants(&self, table: &str) -> bool {
        let own = migrate_core::dialect::version_table::VersionTables::new(&*self.version_table);
        if own.owns(table) {
            return false;
        }
        if !self.filter.manages(table) {
            return false;
        }
        match &self.tables {
            Some(list) => list.iter().any(|t| t == table),
            None => true,
        }
    }
}

/// Reads the schema of a live database.
///
/// `db` is a URL (`postgres://...`, `mysql://...`, `mariadb://...`, `sqlite:...`) or
/// an open pool (`&PgPool`, `&MySqlPool`, `&SqlitePool`). A URL's password never
/// appears in an error.
///
/// ```no_run
/// # async fn f() -> Result<(), migrate_introspect::IntrospectError> {
/// use migrate_introspect::{introspect, IntrospectOptions};
/// let schema = introspect("sqlite:app.db", &IntrospectOptions::default()).await?;
/// println!("{} tables", schema.tables.len());
/// # Ok(()) }
/// ```
pub async fn introspect<'a>(
    db: impl Into<Database<'a>>,
    options: &IntrospectOptions,
) -> Result<Schema, IntrospectError> {
    Ok(introspect_backend(db.into(), options).await?.0)
}

/// The neutral type of a column whose type database `kind` spells `sql`: the
/// spelling is made canonical first
/// ([`migrate_core::dialect::sql_type::canonical_sql_type`]: `int4` and
/// `integer`, `char(5)` and `character(5)` are one type), then mapped to a
/// neutral type where one fits; anything else is `raw(...)` in the canonical
/// spelling. Introspection reads every column type through this, and
/// [`storable`] reads the type rendered for a model the same way, so
/// the two compare by meaning.
pub fn read_type(kind: DialectKind, sql: &str) -> migrate_core::ColumnType {
    let canonical = migrate_core::dialect::sql_type::canonical_sql_type(kind, sql);
    match kind {
        #[cfg(feature = "postgres")]
        DialectKind::Postgres => postgres::map_type(&canonical),
        #[cfg(feature = "mysql")]
        DialectKind::MySql => mysql::map_type(&canonical),
        _ => canonical
            .parse()
            .unwrap_or(migrate_core::ColumnType::Raw(canonical)),
    }
}

/// `schema` as database `kind` can store it, so it compares with what
/// [`introspect`] reads back. Every column type is what the core's dialect
/// renders for it, read back by [`read_type`]: so `raw(CHAR(5))` is
/// `raw(character(5))` on PostgreSQL, `uuid` and `json` are `text` on SQLite
/// and `timestamptz` is `timestamp` on MySQL (`DATETIME(6)`). SQLite keeps no
/// comments, and an autoincrement key there is the rowid, declared `INTEGER`
/// (a 64-bit integer on SQLite) whatever the model's integer size. MySQL names
/// every primary key `PRIMARY`, read back under the conventional name
/// `pk_{table}`, so a model's own name for it is not compared there. InnoDB
/// makes no difference between `RESTRICT` and `NO ACTION` (MariaDB reports both
/// as `RESTRICT`), so both read as `NoAction` there.
pub fn storable(kind: DialectKind, schema: &Schema) -> Schema {
    use migrate_core::ColumnType;
    let dialect = migrate_core::dialect::dialect(kind);
    let mut out = schema.clone();
    for table in out.tables.values_mut() {
        for c in &mut table.columns {
            // An unsigned column is read back as itself (PostgreSQL and SQLite fold
            // its range check into the type).
            if !matches!(c.ty, ColumnType::Unsigned(_) | ColumnType::Enum { .. }) {
                c.ty = read_type(kind, &dialect.column_type(&c.ty));
            }
            // Only this database's collation and generation expression exist
            // here; MariaDB keeps every generated column nullable.
            c.collation = match c.collation.get(kind) {
                Some(name) => migrate_core::column_extras::PerDatabase::default().with(kind, name),
                None => Default::default(),
            };
            if let Some(g) = &mut c.generated {
                g.expr = g.expr_for(kind).to_string();
                g.per_database = Default::default();
                if kind == DialectKind::MySql {
                    c.nullable = true;
                }
            }
        }
        match kind {
            DialectKind::Sqlite => {
                table.comment = None;
                for c in &mut table.columns {
                    c.comment = None;
                    // Rule: AUTOINCREMENT needs the type name INTEGER (the rowid
                    // alias), which holds any integer size on SQLite.
                    if c.autoincrement
                        && c.ty.is_integer()
                        && !matches!(c.ty, ColumnType::Unsigned(_))
                    {
                        c.ty = ColumnType::Integer;
                    }
                }
            }
            DialectKind::MySql => {
                // Rule: the database's own naming applies, and MySQL keeps no
                // primary key name.
                if let Some(pk) = &mut table.primary_key {
                    pk.name = migrate_core::naming::primary_key(&table.name);
                }
                for fk in &mut table.foreign_keys {
                    for action in [&mut fk.on_delete, &mut fk.on_update] {
                        if *action == migrate_core::FkAction::Restrict {
                            *action = migrate_core::FkAction::NoAction;
                        }
                    }
                }
            }
            DialectKind::Postgres => {}
        }
        // Rule: an index key takes its column's collation, so a key collation that
        // equals the column's own is read back as none.
        for index in &mut table.indexes {
            for key in index.columns.iter_mut().filter(|k| !k.expression) {
                let own = table
                    .columns
                    .iter()
                    .find(|c| c.name == key.name)
                    .and_then(|c| c.collation.get(kind));
                if let (Some(own), Some(collation)) = (own, key.collation.as_deref()) {
                    if own.eq_ignore_ascii_case(collation) {
                        key.collation = None;
                    }
                }
            }
        }
    }
    if kind != DialectKind::Postgres {
        enums::one_type_per_column(&mut out);
    }
    objects::storable(kind, &mut out);
    out
}

pub(crate) async fn introspect_backend(
    db: Database<'_>,
    options: &IntrospectOptions,
) -> Result<(Schema, DialectKind), IntrospectError> {
    let backend = match &db {
        Database::Url(url) => connect::backend_of(url)?,
        #[cfg(feature = "postgres")]
        Database::Postgres(_) => DialectKind::Postgres,
        #[cfg(feature = "mysql")]
        Database::MySql(_) => DialectKind::MySql,
        #[cfg(feature = "sqlite")]
        Database::Sqlite(_) => DialectKind::Sqlite,
    };
    let mut schema = match db {
        Database::Url(url) => {
            let pool = connect::Pool::connect(url, options.connect_timeout).await?;
            let result = introspect_pool(&pool, options).await;
            pool.close().await;
            result
        }
        #[cfg(feature = "postgres")]
        Database::Postgres(pool) => postgres::introspect(pool, options).await,
        #[cfg(feature = "mysql")]
        Database::MySql(pool) => mysql::introspect(pool, options).await,
        #[cfg(feature = "sqlite")]
        Database::Sqlite(pool) => sqlite::introspect(pool, options).await,
    }?;
    canonical_order(&mut schema);
    Ok((schema, backend))
}

async fn introspect_pool(
    pool: &connect::Pool,
    options: &IntrospectOptions,
) -> Result<Schema, IntrospectError> {
    match pool {
        #[cfg(feature = "postgres")]
        connect::Pool::Postgres(p) => postgres::introspect(p, options).await,
        #[cfg(feature = "mysql")]
        connect::Pool::MySql(p) => mysql::introspect(p, options).await,
        #[cfg(feature = "sqlite")]
        connect::Pool::Sqlite(p) => sqlite::introspect(p, options).await,
    }
}

#[cfg(test)]
mod tests {
    use super::IntrospectOptions;

    #[test]
    fn leaves_out_the_version_log_and_lock_tables() {
        let options = IntrospectOptions {
            version_table: "app_version".to_string(),
            ..IntrospectOptions::default()
        };
        assert!(!options.wants("app_version"));
        assert!(!options.wants("app_version_log"));
        assert!(!options.wants("app_version_lock"));
        assert!(options.wants("migrate_version_lock"));
        assert!(options.wants("users"));
    }
}
