//! Helpers for the real-database tests: one connection type over the three
//! databases, running rendered statements the way the runtime must, and a small
//! catalog reader (information_schema / pg_catalog / SQLite pragmas).

#![allow(dead_code)]

use std::collections::BTreeSet;

use migrate_core::dialect::{DialectKind, Statement};
use migrate_core::{Schema, Table};
use sqlx::{Connection, Row};

/// A connection to one of the three databases.
pub enum Db {
    Pg(sqlx::PgConnection),
    My(sqlx::MySqlConnection),
    Lite(sqlx::SqliteConnection),
}

/// A column as the catalog reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogColumn {
    pub name: String,
    pub nullable: bool,
    /// Lowercase type as the database spells it.
    pub ty: String,
}

impl Db {
    pub async fn connect(kind: DialectKind, url: &str) -> Db {
        match kind {
            DialectKind::Postgres => Db::Pg(sqlx::PgConnection::connect(url).await.unwrap()),
            DialectKind::MySql => Db::My(sqlx::MySqlConnection::connect(url).await.unwrap()),
            DialectKind::Sqlite => Db::Lite(sqlx::SqliteConnection::connect(url).await.unwrap()),
        }
    }

    /// Runs SQL text (may hold several statements), panicking with the SQL on error.
    pub async fn exec(&mut self, sql: &str) {
        let result = match self {
            Db::Pg(c) => sqlx::raw_sql(sql).execute(c).await.map(|_| ()),
            Db::My(c) => sqlx::raw_sql(sql).execute(c).await.map(|_| ()),
            Db::Lite(c) => sqlx::raw_sql(sql).execute(c).await.map(|_| ()),
        };
        if let Err(e) = result {
            panic!("{e}\nwhile running:\n{sql}");
        }
    }

    /// Rows of a query, every value read as text (NULL as `None`). The query must
    /// cast non-text columns itself.
    pub async fn rows(&mut self, sql: &str) -> Vec<Vec<Option<String>>> {
        macro_rules! fetch {
            ($c:expr) => {{
                let rows = sqlx::query(sql)
                    .fetch_all($c)
                    .await
                    .unwrap_or_else(|e| panic!("{e}\nwhile running:\n{sql}"));
                rows.iter()
                    .map(|r| {
                        (0..r.len())
                            .map(|i| {
                                r.try_get::<Option<String>, _>(i)
                                    .or_else(|_| {
                                        r.try_get::<Option<i64>, _>(i)
                                            .map(|v| v.map(|v| v.to_string()))
                                    })
                                    .or_else(|_| {
                                        r.try_get::<Option<i32>, _>(i)
                                            .map(|v| v.map(|v| v.to_string()))
                                    })
                                    .or_else(|_| {
                                        r.try_get::<Option<Vec<u8>>, _>(i).map(|v| {
                                            v.map(|b| String::from_utf8_lossy(&b).into_owned())
                                        })
                                    })
                                    .unwrap_or_else(|e| panic!("column {i} of {sql}: {e}"))
                            })
                            .collect()
                    })
                    .collect()
            }};
        }
        match self {
            Db::Pg(c) => fetch!(c),
            Db::My(c) => fetch!(c),
            Db::Lite(c) => fetch!(c),
        }
    }

    /// First column of every row.
    pub async fn column(&mut self, sql: &str) -> Vec<String> {
        self.rows(sql)
            .await
            .into_iter()
            .map(|r| r[0].clone().unwrap_or_default())
            .collect()
    }

    /// Runs one revision's statements as the runtime must: in a transaction on
    /// PostgreSQL and SQLite (closing it around statements that must run outside
    /// one), with SQLite foreign keys switched off before `BEGIN` when a
    /// statement asks for it; statement by statement on MySQL.
    pub async fn run_revision(&mut self, statements: &[Statement]) {
        if let Db::My(_) = self {
            for s in statements {
                self.exec(&s.sql).await;
            }
            return;
        }
        let fk_off = statements.iter().any(|s| s.foreign_keys_off);
        if fk_off {
            self.exec("PRAGMA foreign_keys = OFF").await;
        }
        self.exec("BEGIN").await;
        for s in statements {
            if s.transactional {
                self.exec(&s.sql).await;
            } else {
                self.exec("COMMIT").await;
                self.exec(&s.sql).await;
                self.exec("BEGIN").await;
            }
        }
        self.exec("COMMIT").await;
        if fk_off {
            self.exec("PRAGMA foreign_keys = ON").await;
        }
    }

    /// Table names, sorted.
    pub async fn tables(&mut self) -> Vec<String> {
        let sql = match self {
            Db::Pg(_) => {
                "SELECT table_name::text FROM information_schema.tables \
                          WHERE table_schema = 'public' ORDER BY 1"
            }
            Db::My(_) => {
                "SELECT CAST(table_name AS CHAR) FROM information_schema.tables \
                          WHERE table_schema = DATABASE() ORDER BY 1"
            }
            Db::Lite(_) => {
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                            AND name NOT LIKE 'sqlite_%' ORDER BY 1"
            }
        };
        let mut t = self.column(sql).await;
        t.sort();
        t
    }

    /// Columns of `table` in order.
    pub async fn columns(&mut self, table: &str) -> Vec<CatalogColumn> {
        let lit = table.replace('\'', "''");
        let sql = match self {
            Db::Pg(_) => format!(
                "SELECT column_name::text, is_nullable::text, data_type::text \
                 FROM information_schema.columns WHERE table_schema = 'public' \
                 AND table_name = '{lit}' ORDER BY ordinal_position"
            ),
            Db::My(_) => format!(
                "SELECT CAST(column_name AS CHAR), CAST(is_nullable AS CHAR), \
                 CAST(column_type AS CHAR) FROM information_schema.columns \
                 WHERE table_schema = DATABASE() AND table_name = '{lit}' \
                 ORDER BY ordinal_position"
            ),
            Db::Lite(_) => format!(
                "SELECT name, CASE WHEN \"notnull\" = 1 OR pk = 1 THEN 'NO' ELSE 'YES' END, \
                 type FROM pragma_table_info('{lit}') ORDER BY cid"
            ),
        };
        self.rows(&sql)
            .await
            .into_iter()
            .map(|r| CatalogColumn {
                name: r[0].clone().unwrap(),
                nullable: r[1].as_deref() == Some("YES"),
                ty: r[2].clone().unwrap_or_default().to_lowercase(),
            })
            .collect()
    }

    /// Names of the constraints of `table` (primary key, unique, foreign key,
    /// check). MySQL calls every primary key `PRIMARY`; SQLite keeps names only in
    /// the table's SQL, so there the names are those found in it.
    pub async fn constraint_names(
        &mut self,
        table: &str,
        expected: &BTreeSet<String>,
    ) -> BTreeSet<String> {
        let lit = table.replace('\'', "''");
        match self {
            Db::Pg(_) => self
                .column(&format!(
                    "SELECT conname::text FROM pg_constraint WHERE conrelid = \
                     to_regclass(quote_ident('{lit}')) AND contype IN ('p', 'u', 'f', 'c')"
                ))
                .await
                .into_iter()
                .collect(),
            Db::My(_) => self
                .column(&format!(
                    "SELECT CAST(constraint_name AS CHAR) FROM information_schema.table_constraints \
                     WHERE table_schema = DATABASE() AND table_name = '{lit}'"
                ))
                .await
                .into_iter()
                .collect(),
            Db::Lite(_) => {
                let sql = self
                    .column(&format!(
                        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = '{lit}'"
                    ))
                    .await
                    .remove(0);
                let mut found: BTreeSet<String> = expected
                    .iter()
                    .filter(|n| sql.contains(&format!("CONSTRAINT \"{n}\"")))
                    .cloned()
                    .collect();
                // Any other CONSTRAINT in the SQL is unexpected: report it by name.
                for part in sql.split("CONSTRAINT \"").skip(1) {
                    let name = part.split('"').next().unwrap_or("").to_string();
                    found.insert(name);
                }
                found
            }
        }
    }

    /// Names of the plain indexes of `table` (not those behind a primary key or a
    /// unique constraint).
    pub async fn index_names(
        &mut self,
        table: &str,
        unique_constraints: &BTreeSet<String>,
    ) -> BTreeSet<String> {
        let lit = table.replace('\'', "''");
        let names = match self {
            Db::Pg(_) => {
                self.column(&format!(
                    "SELECT i.relname::text FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid \
                     WHERE x.indrelid = to_regclass(quote_ident('{lit}')) AND NOT EXISTS \
                     (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
                ))
                .await
            }
            Db::My(_) => {
                self.column(&format!(
                    "SELECT DISTINCT CAST(index_name AS CHAR) FROM information_schema.statistics \
                     WHERE table_schema = DATABASE() AND table_name = '{lit}' \
                     AND index_name <> 'PRIMARY'"
                ))
                .await
            }
            Db::Lite(_) => {
                self.column(&format!(
                    "SELECT name FROM pragma_index_list('{lit}') WHERE origin = 'c'"
                ))
                .await
            }
        };
        names
            .into_iter()
            .filter(|n| !unique_constraints.contains(n))
            .collect()
    }
}

/// Checks that the catalog shows `expected`: the same tables, and per table the
/// same columns (names, order, nullability) and the same named constraints and
/// indexes.
pub async fn assert_catalog_matches(
    db: &mut Db,
    kind: DialectKind,
    expected: &Schema,
    ignore: &[&str],
) {
    let tables: Vec<String> = db
        .tables()
        .await
        .into_iter()
        .filter(|t| !ignore.contains(&t.as_str()))
        .collect();
    let want: Vec<String> = expected.tables.keys().cloned().collect();
    assert_eq!(tables, want, "{kind}: tables");
    for t in expected.tables.values() {
        let cols = db.columns(&t.name).await;
        let got: Vec<(String, bool)> = cols.iter().map(|c| (c.name.clone(), c.nullable)).collect();
        let want: Vec<(String, bool)> = t
            .columns
            .iter()
            .map(|c| (c.name.clone(), c.nullable))
            .collect();
        assert_eq!(got, want, "{kind}: columns of {}", t.name);

        let constraints = expected_constraints(kind, t);
        let got = db.constraint_names(&t.name, &constraints).await;
        assert_eq!(got, constraints, "{kind}: constraints of {}", t.name);

        let uniques: BTreeSet<String> = t.uniques.iter().map(|u| u.name.clone()).collect();
        let got = db.index_names(&t.name, &uniques).await;
        let want: BTreeSet<String> = t.indexes.iter().map(|i| i.name.clone()).collect();
        assert_eq!(got, want, "{kind}: indexes of {}", t.name);
    }
}

fn expected_constraints(kind: DialectKind, t: &Table) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    if let Some(pk) = &t.primary_key {
        names.insert(if kind == DialectKind::MySql {
            "PRIMARY".to_string()
        } else {
            pk.name.clone()
        });
    }
    names.extend(t.uniques.iter().map(|u| u.name.clone()));
    names.extend(t.foreign_keys.iter().map(|f| f.name.clone()));
    names.extend(t.checks.iter().map(|c| c.name.clone()));
    names
}
