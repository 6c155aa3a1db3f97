//! The one error type of introspection.

/// Why a schema could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum IntrospectError {
    /// The URL names no database this build supports.
    #[error(
        "unsupported database URL `{url}`: use postgres://, mysql://, mariadb:// or sqlite: \
         (and enable the matching feature of migrate-introspect)"
    )]
    UnsupportedUrl {
        /// The URL, password removed.
        url: String,
    },
    /// Connecting failed.
    #[error("cannot connect to `{url}`: {source}; check the URL and that the server is running")]
    Connect {
        /// The URL, password removed.
        url: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// A catalog query failed.
    #[error("reading {what} failed: {source}")]
    Query {
        /// What was being read (`columns of table users`, `foreign keys`, ...).
        what: String,
        /// The driver's error.
        source: sqlx::Error,
    },
    /// The revisions to compare with do not form a valid graph.
    #[error("the embedded revisions: {0}")]
    Revisions(#[from] Box<migrate_core::graph::GraphError>),
    /// The catalog said something this crate cannot map.
    #[error("table `{table}`: {message}")]
    Unexpected {
        /// Table concerned.
        table: String,
        /// What was found.
        message: String,
    },
}

impl IntrospectError {
    /// Wraps a driver error with what was being read.
    pub(crate) fn query(what: impl Into<String>) -> impl FnOnce(sqlx::Error) -> Self {
        let what = what.into();
        move |source| IntrospectError::Query { what, source }
    }
}

/// Reads column `$i` of a catalog row, turning a decoding failure into
/// [`IntrospectError::Query`] instead of a panic: `get!(row, 0)`, or with the type
/// spelled out, `get!(row, 4 => Option<String>)`.
macro_rules! get {
    ($row:expr, $i:expr) => {
        sqlx::Row::try_get(&$row, $i).map_err($crate::error::IntrospectError::query(format!(
            "column {} of a catalog row",
            $i
        )))?
    };
    ($row:expr, $i:expr => $ty:ty) => {
        sqlx::Row::try_get::<$ty, _>(&$row, $i).map_err($crate::error::IntrospectError::query(
            format!("column {} of a catalog row", $i),
        ))?
    };
}
pub(crate) use get;
