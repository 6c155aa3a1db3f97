//! The version tables' queries, the same SQL on the three databases except for
//! placeholders, quoting and a few expressions (see `DialectKind`).

use migrate_core::dialect::version_table::VersionTables;

use super::{Conn, KindSql};
use crate::config::Config;
use crate::error::Error;
use crate::retry::is_deadlock;
use crate::version::{split_parents, LogRow};

impl Conn {
    /// Every row of the log table; `None` if the table does not exist yet.
    pub(crate) async fn read_log(&mut self, config: &Config) -> Result<Option<Vec<LogRow>>, Error> {
        self.read_log_columns(config, false).await
    }

    /// Every row of the log table with only its revision, checksum and state (the
    /// rest empty): what an up-to-date start-up needs, read quicker.
    pub(crate) async fn read_log_brief(
        &mut self,
        config: &Config,
    ) -> Result<Option<Vec<LogRow>>, Error> {
        self.read_log_columns(config, true).await
    }

    /// Reads the log, again after a deadlock error: on a Galera node a read that waits
    /// for what the cluster committed (`wsrep_sync_wait`) can be aborted by a
    /// replicated commit, and the server asks to try again. A read changes nothing, so
    /// trying again is safe.
    async fn read_log_columns(
        &mut self,
        config: &Config,
        brief: bool,
    ) -> Result<Option<Vec<LogRow>>, Error> {
        let mut tries = 0;
        loop {
            match self.read_log_once(config, brief).await {
                Err(Error::Database { source, .. }) if tries < 4 && is_deadlock(&source) => {
                    tries += 1;
                    tokio::time::sleep(std::time::Duration::from_millis(20 << tries)).await;
                }
                result => return result,
            }
        }
    }

    async fn read_log_once(
        &mut self,
        config: &Config,
        brief: bool,
    ) -> Result<Option<Vec<LogRow>>, Error> {
        let kind = self.kind();
        let table = kind.quote(&config.log_table());
        let sql = if brief {
            format!(
                "SELECT {}, {}, {} FROM {table}",
                kind.text("revision"),
                kind.text("COALESCE(checksum, '')"),
                kind.text("state"),
            )
        } else {
            format!(
                "SELECT {}, {}, {}, {}, {}, {}, COALESCE(duration_ms, 0), {}, {} FROM {table}",
                kind.text("revision"),
                kind.text("COALESCE(checksum, '')"),
                kind.text("state"),
                kind.text("parents"),
                kind.text("message"),
                kind.text(kind.applied_at_text()),
                kind.failed_step_bigint(),
                kind.text("error"),
            )
        };
        #[cfg(feature = "sqlite")]
        if let (Conn::Sqlite(c), true) = (&mut *self, brief) {
            // The one query of a start-up on an up-to-date database: without sqlx's
            // hand-off of every row from its worker thread.
            let result = super::sqlite::query_text(c, &sql, 3).await.map(|rows| {
                rows.into_iter()
                    .map(|mut r| {
                        let checksum = std::mem::take(&mut r[1]);
                        LogRow::brief(std::mem::take(&mut r[0]), checksum, &r[2])
                    })
                    .collect()
            });
            return self.log_read(config, result);
        }
        let result = on_conn!(self, c => {
            use sqlx::{Executor, Row};
            // Text protocol: one round trip, no statement to prepare.
            c.fetch_all(sqlx::raw_sql(&sql)).await.and_then(|rows| {
                rows.iter()
                    .map(|r| {
                        let mut row = LogRow::brief(
                            r.try_get(0)?,
                            r.try_get(1)?,
                            &r.try_get::<String, _>(2)?,
                        );
                        if !brief {
                            row.parents = split_parents(&r.try_get::<String, _>(3)?);
                            row.message = r.try_get(4)?;
                            row.applied_at = r.try_get(5)?;
                            row.duration_ms = r.try_get(6)?;
                            row.failed_step = r.try_get(7)?;
                            row.error = r.try_get(8)?;
                        }
                        Ok(row)
                    })
                    .collect::<Result<Vec<_>, sqlx::Error>>()
            })
        });
        self.log_read(config, result)
    }

    /// The log's rows, `None` if the log table does not exist yet.
    fn log_read(
        &self,
        config: &Config,
        result: Result<Vec<LogRow>, sqlx::Error>,
    ) -> Result<Option<Vec<LogRow>>, Error> {
        match result {
            Ok(rows) => Ok(Some(rows)),
            Err(e) if self.is_missing_table(&e) => Ok(None),
            Err(e) => Err(Error::Database {
                context: format!("cannot read the version log `{}`", config.log_table()),
                source: e,
            }),
        }
    }

    /// The heads table's rows.
    pub(crate) async fn read_heads(&mut self, config: &Config) -> Result<Vec<String>, Error> {
        let kind = self.kind();
        let sql = format!(
            "SELECT {} FROM {}",
            kind.text("version_num"),
            kind.quote(config.version_table())
        );
        let result = on_conn!(self, c => {
            sqlx::query_scalar::<_, String>(&sql).fetch_all(&mut **c).await
        });
        match result {
            Ok(v) => Ok(v),
            Err(e) if self.is_missing_table(&e) => Ok(Vec::new()),
            Err(e) => Err(Error::Database {
                context: format!("cannot read the version table `{}`", config.version_table()),
                source: e,
            }),
        }
    }

    /// The recorded downgrade of a revision.
    pub(crate) async fn read_downgrade(
        &mut self,
        config: &Config,
        revision: &str,
    ) -> Result<Option<String>, Error> {
        let kind = self.kind();
        let sql = format!(
            "SELECT {} FROM {} WHERE revision = {}",
            kind.text("downgrade"),
            kind.quote(&config.log_table()),
            kind.ph(1)
        );
        on_conn!(self, c => {
            sqlx::query_scalar::<_, String>(&sql)
                .bind(revision)
                .fetch_optional(&mut **c)
                .await
        })
        .map_err(Error::db(format!(
            "cannot read the downgrade of revision {revision}"
        )))
    }

    /// Creates both version tables if missing, with the DDL of
    /// `migrate_core::dialect::version_table` (shared with the offline scripts).
    pub(crate) async fn create_tables(&mut self, config: &Config) -> Result<(), Error> {
        let tables = VersionTables::new(config.version_table());
        for statement in tables.create(self.kind()) {
            self.exec(&statement.sql)
                .await
                .map_err(Error::db("cannot create the version tables"))?;
        }
        Ok(())
    }
}
