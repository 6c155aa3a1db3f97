//! Which databases a fleet run works on: [`FleetTarget`], and [`discover`], which
//! turns a fleet spec into targets.
//!
//! A spec is one of:
//! - `file:PATH`: one database URL per line; blank lines and lines starting with
//!   `#` are ignored.
//! - `glob:PATTERN`: every SQLite file matching the pattern (`tenants/*.db`).
//! - `schemas:URL#LIKE`: every schema of one PostgreSQL database whose name matches
//!   the `LIKE` pattern (`tenant_%`); each run sets `search_path` to its schema, so
//!   the version tables and the revisions' tables live in that schema.
//! - `query:URL#SQL`: the URLs returned by a query (first column, text) against a
//!   catalog database.
//!
//! Targets are sorted by their label and duplicates are removed; a spec that yields
//! no target is an error, never an empty run.

use std::path::Path;

use crate::error::Error;
use crate::redact::RedactedUrl;
use migrate_core::dialect::DialectKind;
use migrate_core::url::kind_of;

/// One database of a fleet: the URL a run connects to, and the label that names it
/// in progress lines and reports (password hidden).
#[derive(Clone, PartialEq, Eq)]
pub struct FleetTarget {
    url: String,
    label: String,
}

impl std::fmt::Debug for FleetTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FleetTarget({})", self.label)
    }
}

impl FleetTarget {
    /// A whole database, named by its URL (`sqlite:`, `postgres://`, `mysql://`).
    pub fn url(url: impl Into<String>) -> FleetTarget {
        let url = url.into();
        FleetTarget {
            label: RedactedUrl::new(&url).to_string(),
            url,
        }
    }

    /// One schema of a PostgreSQL database: runs set `search_path` to it, so the
    /// version tables and every unqualified table of the revisions live in it.
    pub fn postgres_schema(url: &str, schema: &str) -> Result<FleetTarget, Error> {
        let mut parsed = url::Url::parse(url).map_err(|e| Error::FleetSpec {
            spec: RedactedUrl::new(url).to_string(),
            reason: format!("not a URL: {e}"),
        })?;
        // The server reads `-c search_path=VALUE`: a space or backslash in VALUE
        // is escaped with a backslash; the quoted identifier keeps the case.
        let quoted = format!("\"{}\"", schema.replace('"', "\"\""));
        let value = quoted.replace('\\', "\\\\").replace(' ', "\\ ");
        parsed
            .query_pairs_mut()
            .append_pair("options[search_path]", &value);
        Ok(FleetTarget {
            label: format!("{} schema {schema}", RedactedUrl::new(url)),
            url: parsed.into(),
        })
    }

    /// The URL a run connects to.
    pub fn connect_url(&self) -> &str {
        &self.url
    }

    /// How the target is named in reports: the URL with its password hidden (and
    /// the schema, for a schema target).
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// The targets a spec names (see the module documentation for the forms).
pub async fn discover(spec: &str) -> Result<Vec<FleetTarget>, Error> {
    let shown = RedactedUrl::new(spec).to_string();
    let bad = |reason: String| Error::FleetSpec {
        spec: shown.clone(),
        reason,
    };
    let (kind, rest) = spec.split_once(':').ok_or_else(|| {
        bad("expected file:PATH, glob:PATTERN, schemas:URL#LIKE or query:URL#SQL".into())
    })?;
    let mut targets = match kind {
        "file" => from_file(Path::new(rest))?,
        "glob" => from_glob(rest).map_err(bad)?,
        "schemas" => {
            let (url, pattern) = rest.split_once('#').ok_or_else(|| {
                bad("expected schemas:URL#LIKE, e.g. schemas:postgres://app@db/app#tenant_%".into())
            })?;
            if kind_of(url) != Some(DialectKind::Postgres) {
                return Err(bad("schemas: needs a postgres:// URL".into()));
            }
            let names = schemas(url, pattern).await?;
            names
                .iter()
                .map(|name| FleetTarget::postgres_schema(url, name))
                .collect::<Result<Vec<_>, _>>()?
        }
        "query" => {
            let (url, sql) = rest.split_once('#').ok_or_else(|| {
                bad("expected query:URL#SQL, e.g. query:postgres://catalog@db/catalog#SELECT url FROM tenants".into())
            })?;
            query_urls(url, sql)
                .await?
                .into_iter()
                .map(FleetTarget::url)
                .collect()
        }
        other => {
            return Err(bad(format!(
                "unknown kind `{other}`: expected file:, glob:, schemas: or query:"
            )))
        }
    };
    for t in &targets {
        if kind_of(&t.url).is_none() {
            return Err(bad(format!(
                "`{}` is not a sqlite:, postgres:// or mysql:// URL",
                t.label
            )));
        }
    }
    targets.sort_by(|a, b| a.label.cmp(&b.label));
    targets.dedup_by(|a, b| a.url == b.url);
    if targets.is_empty() {
        return Err(bad("it names no database".into()));
    }
    Ok(targets)
}

/// [`discover`] for callers outside an async runtime (the CLI, `run_fleet`'s users).
pub fn discover_blocking(spec: &str) -> Result<Vec<FleetTarget>, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::FleetSpec {
            spec: RedactedUrl::new(spec).to_string(),
            reason: format!("cannot start an async runtime: {e}"),
        })?;
    runtime.block_on(discover(spec))
}

/// `file:PATH`: one URL per line; the error names the file and line.
fn from_file(path: &Path) -> Result<Vec<FleetTarget>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::FleetSpec {
        spec: format!("file:{}", path.display()),
        reason: format!("cannot read the file: {e}"),
    })?;
    let mut targets = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if kind_of(line).is_none() {
            return Err(Error::FleetSpec {
                spec: format!("file:{}", path.display()),
                reason: format!(
                    "line {}: `{}` is not a sqlite:, postgres:// or mysql:// URL (comments \
                     start with #)",
                    n + 1,
                    RedactedUrl::new(line)
                ),
            });
        }
        targets.push(FleetTarget::url(line));
    }
    Ok(targets)
}

/// `glob:PATTERN`: SQLite files.
fn from_glob(pattern: &str) -> Result<Vec<FleetTarget>, String> {
    let paths = glob::glob(pattern).map_err(|e| format!("invalid pattern: {e}"))?;
    let mut targets = Vec::new();
    for path in paths {
        let path = path.map_err(|e| format!("cannot read {}: {e}", e.path().display()))?;
        if path.is_file() {
            targets.push(FleetTarget::url(format!("sqlite://{}", path.display())));
        }
    }
    Ok(targets)
}

/// The schemas of a PostgreSQL database whose names match a `LIKE` pattern.
#[cfg(feature = "postgres")]
async fn schemas(url: &str, pattern: &str) -> Result<Vec<String>, Error> {
    let pool = crate::backend::postgres::connect(url).await?;
    let names = sqlx::query_scalar(
        "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE $1 ORDER BY 1",
    )
    .bind(pattern)
    .fetch_all(&pool)
    .await
    .map_err(Error::db(format!(
        "cannot list the schemas of {} matching `{pattern}`",
        RedactedUrl::new(url)
    )));
    pool.close().await;
    names
}

#[cfg(not(feature = "postgres"))]
async fn schemas(url: &str, _pattern: &str) -> Result<Vec<String>, Error> {
    Err(Error::UnsupportedUrl {
        url: RedactedUrl::new(url),
    })
}

/// The URLs a catalog query returns (its first column, as text).
async fn query_urls(url: &str, sql: &str) -> Result<Vec<String>, Error> {
    let context = || format!("cannot run the fleet query on {}", RedactedUrl::new(url));
    match kind_of(url) {
        #[cfg(feature = "postgres")]
        Some(DialectKind::Postgres) => {
            let pool = crate::backend::postgres::connect(url).await?;
            let rows = sqlx::query_scalar(sql).fetch_all(&pool).await;
            pool.close().await;
            rows.map_err(Error::db(context()))
        }
        #[cfg(feature = "mysql")]
        Some(DialectKind::MySql) => {
            let pool = crate::backend::mysql::connect(url).await?;
            let rows = sqlx::query_scalar(sql).fetch_all(&pool).await;
            pool.close().await;
            rows.map_err(Error::db(context()))
        }
        #[cfg(feature = "sqlite")]
        Some(DialectKind::Sqlite) => {
            let pool =
                crate::backend::sqlite::connect(url, &crate::config::Config::default()).await?;
            let rows = sqlx::query_scalar(sql).fetch_all(&pool).await;
            pool.close().await;
            rows.map_err(Error::db(context()))
        }
        _ => Err(Error::UnsupportedUrl {
            url: RedactedUrl::new(url),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_target_sets_search_path_and_hides_the_password() {
        let t = FleetTarget::postgres_schema("postgres://app:pw@db/app", "tenant 1").unwrap();
        assert_eq!(t.label(), "postgres://app:***@db/app schema tenant 1");
        let url = url::Url::parse(t.connect_url()).unwrap();
        let (k, v) = url.query_pairs().next().unwrap();
        assert_eq!(k, "options[search_path]");
        assert_eq!(v, "\"tenant\\ 1\"");
    }

    #[tokio::test]
    async fn file_spec_names_the_bad_line() {
        let dir = std::env::temp_dir().join(format!("fleet-spec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("targets.txt");
        std::fs::write(&file, "# tenants\n\nsqlite://a.db\nnot a url\n").unwrap();
        let err = discover(&format!("file:{}", file.display()))
            .await
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 4"), "{err}");
        std::fs::write(&file, "# tenants\nsqlite://b.db\n\nsqlite://a.db\n").unwrap();
        let targets = discover(&format!("file:{}", file.display())).await.unwrap();
        let labels: Vec<&str> = targets.iter().map(|t| t.label()).collect();
        assert_eq!(labels, ["sqlite://a.db", "sqlite://b.db"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
