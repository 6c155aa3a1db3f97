//! The direct connection: one connection opened and closed before a command uses the
//! runtime's pool, to fail fast with the driver's own reason (refused, unknown host,
//! bad password) instead of a pool's timeout.

use std::time::Duration;

use crate::config::DatabaseUrl;
use crate::error::{CliError, CliResult};

/// How long the first connection may take.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// What a command does with the database, for [`preflight`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Only reads (`current`, `history`, `check`, `adopt`): a missing SQLite file is
    /// an error, not created.
    Read,
    /// Applies, undoes or stamps revisions: a missing SQLite file is created, as the
    /// runtime (and so a deployed binary) creates it.
    Write,
}

/// Whether `url` names a SQLite file that is not there yet (a run creates it).
pub(super) fn sqlite_file_missing(url: &str) -> bool {
    #[cfg(feature = "sqlite")]
    {
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        if let Ok(options) =
            <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(url)
        {
            return !memory && !options.get_filename().exists();
        }
    }
    let _ = url;
    false
}

/// Opens and closes one connection to `url`, with [`CONNECT_TIMEOUT`].
pub fn preflight(
    runtime: &tokio::runtime::Runtime,
    url: &DatabaseUrl,
    access: Access,
) -> CliResult<()> {
    runtime.block_on(connect_directly(url, access))
}

/// [`preflight`] on the caller's runtime.
// `access` matters to SQLite only, which a build may leave out.
#[cfg_attr(not(feature = "sqlite"), allow(unused_variables))]
pub(super) async fn connect_directly(url: &DatabaseUrl, access: Access) -> CliResult<()> {
    use sqlx::Connection;
    let text = url.url.as_str();
    use migrate_core::dialect::DialectKind;
    let kind = migrate_core::url::kind_of(text);
    let result = async {
        // Only the databases this build supports (one cargo feature each); another
        // scheme is left to the runtime, which names the missing feature.
        let connect = async {
            match kind {
                #[cfg(feature = "postgres")]
                Some(DialectKind::Postgres) => {
                    sqlx::PgConnection::connect(text).await?.close().await
                }
                #[cfg(feature = "mysql")]
                Some(DialectKind::MySql) => {
                    // sqlx knows the MySQL scheme only; MariaDB speaks the same protocol.
                    let mysql = match text.split_once(':') {
                        Some((_, rest)) => format!("mysql:{rest}"),
                        None => text.to_string(),
                    };
                    sqlx::MySqlConnection::connect(&mysql).await?.close().await
                }
                #[cfg(feature = "sqlite")]
                Some(DialectKind::Sqlite) => {
                    use sqlx::ConnectOptions;
                    let options = <sqlx::sqlite::SqliteConnectOptions as std::str::FromStr>::from_str(text)?;
                    let path = options.get_filename().to_path_buf();
                    // Rule: a read creates no file, unless the URL asks for it.
                    let creates = text
                        .split_once('?')
                        .is_some_and(|(_, q)| q.split('&').any(|p| p == "mode=rwc"));
                    if access == Access::Read && !creates && sqlite_file_missing(text) {
                        return Err(sqlx::Error::Configuration(
                            format!(
                                "the SQLite database file {} does not exist (nothing was applied to it yet)",
                                path.display()
                            )
                            .into(),
                        ));
                    }
                    let options = match access {
                        Access::Write => options.create_if_missing(true),
                        Access::Read => options,
                    };
                    options
                        .connect()
                        .await?
                        .close()
                        .await
                }
                _ => Ok::<(), sqlx::Error>(()),
            }
        };
        tokio::time::timeout(CONNECT_TIMEOUT, connect).await
    }
    .await;
    let fix = if kind == Some(DialectKind::Sqlite) {
        format!(
            "check the file's path and its directory's permissions (the URL came from {}); \
             `upgrade` creates a missing file",
            url.source
        )
    } else {
        format!(
            "check that the server runs and accepts connections there, and the user, password and database name (the URL came from {})",
            url.source
        )
    };
    match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(err)) => {
            Err(CliError::database(format!("cannot connect to {}: {err}", url.masked())).fix(fix))
        }
        Err(_) => Err(CliError::database(format!(
            "cannot connect to {}: no answer within {} s",
            url.masked(),
            CONNECT_TIMEOUT.as_secs()
        ))
        .fix(fix)),
    }
}
