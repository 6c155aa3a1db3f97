//! Safe forms: each change written so that a live database keeps serving while it
//! runs (docs/safety.md).
//!
//! A rendering mode of the dialects, not new operations: the revision file holds the
//! same dialect-neutral operations, and [`render_with_policy`] writes the online
//! form of each one when the revision's [`Policy`] asks for it
//! ([`Forms::Online`]), with the database-specific forms in [`postgres`] and
//! [`mysql`]. Rule: a table the revision itself created (earlier in the same list)
//! takes the plain forms, since nothing else can use it yet; so does SQLite, which
//! has a single writer.
//!
//! - [`policy`]: the `[safety]` table of a revision file and of `migrate.toml`.

pub mod locate;
pub mod mysql;
pub mod policy;
pub mod postgres;

use std::collections::BTreeSet;

use crate::dialect::{render_onto, DialectKind, KeptNames, RenderError, Statement};
use crate::ops::Operation;
use crate::schema::Schema;

pub use policy::{Forms, Policy, PolicyError, SafetyTable};

/// Renders `ops` like [`render_onto`], with the online form of each change to a
/// table that existed before the list when `policy` asks for online forms.
pub fn render_with_policy(
    kind: DialectKind,
    schema: &mut Schema,
    kept: &mut KeptNames,
    ops: &[Operation],
    policy: &Policy,
) -> Result<Vec<Statement>, (usize, RenderError)> {
    if !policy.online() || kind == DialectKind::Sqlite {
        return render_onto(kind, schema, kept, ops);
    }
    let mut created = NewTables::default();
    let mut out = Vec::new();
    for (i, op) in ops.iter().enumerate() {
        let plain = render_onto(kind, schema, kept, std::slice::from_ref(op)).map_err(
            |(_, e)| match e {
                RenderError::Replay { source, .. } => (i, RenderError::Replay { step: i, source }),
                e => (i, e),
            },
        )?;
        let statements = if created.holds(op) {
            plain
        } else {
            match kind {
                DialectKind::Postgres => postgres::online(op, plain),
                DialectKind::MySql => mysql::online(op, plain),
                DialectKind::Sqlite => plain,
            }
        };
        created.note(op);
        out.extend(statements);
    }
    Ok(out)
}

/// The tables created earlier in the list, under their current names.
#[derive(Default)]
struct NewTables(BTreeSet<String>);

impl NewTables {
    /// Whether `op` acts on a table created earlier in the list.
    fn holds(&self, op: &Operation) -> bool {
        op.table_name().is_some_and(|t| self.0.contains(t))
    }

    fn note(&mut self, op: &Operation) {
        match op {
            Operation::CreateTable { table } => {
                self.0.insert(table.name.clone());
            }
            Operation::DropTable { table } => {
                self.0.remove(&table.name);
            }
            Operation::RenameTable { from, to } if self.0.remove(from) => {
                self.0.insert(to.clone());
            }
            _ => {}
        }
    }
}

/// `statements` framed by the `SET`s that put `policy`'s timeouts in force for the
/// session and the `RESET`s that take them back ([`Policy::session_settings`]);
/// unchanged when there is no timeout or nothing to run.
pub fn with_session_settings(
    kind: DialectKind,
    policy: &Policy,
    statements: Vec<Statement>,
) -> Vec<Statement> {
    let (set, reset) = policy.session_settings(kind);
    if set.is_empty() || statements.is_empty() {
        return statements;
    }
    let mut out: Vec<Statement> = set.into_iter().map(Statement::new).collect();
    out.extend(statements);
    out.extend(reset.into_iter().map(Statement::new));
    out
}

/// `statement` to run on its own, outside any transaction.
pub(crate) fn alone(sql: String) -> Statement {
    Statement {
        transactional: false,
        ..Statement::new(sql)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{Column, Table};
    use crate::types::ColumnType;

    fn accounts() -> Schema {
        let mut s = Schema::new();
        let mut t = Table::new("accounts");
        t.columns = vec![
            Column::new("id", ColumnType::BigInt),
            Column::new("email", ColumnType::Varchar(100)).nullable(),
        ];
        s.tables.insert("accounts".into(), t);
        s
    }

    fn online() -> Policy {
        Policy {
            forms: Forms::Online,
            ..Policy::default()
        }
    }

    /// Each statement as `[tx]`/`[alone]` and its SQL.
    fn render(kind: DialectKind, before: &Schema, ops: &[Operation]) -> Vec<String> {
        let mut schema = before.clone();
        render_with_policy(kind, &mut schema, &mut KeptNames::new(kind), ops, &online())
            .unwrap()
            .into_iter()
            .map(|s| {
                format!(
                    "[{}] {}",
                    if s.transactional { "tx" } else { "alone" },
                    s.sql
                )
            })
            .collect()
    }

    fn index() -> Operation {
        Operation::CreateIndex {
            table: "accounts".into(),
            index: serde_json::from_str(
                r#"{"name": "ix_accounts_email", "columns": [{"name": "email", "desc": false}]}"#,
            )
            .unwrap(),
        }
    }

    #[test]
    fn postgres_online_forms_of_an_index_and_set_not_null() {
        let before = accounts();
        let not_null = Operation::AlterColumn {
            table: "accounts".into(),
            column: "email".into(),
            from: before.tables["accounts"].columns[1].state(),
            to: Column::new("email", ColumnType::Varchar(100)).state(),
        };
        assert_eq!(
            render(DialectKind::Postgres, &before, &[index(), not_null]),
            [
                "[alone] DROP INDEX CONCURRENTLY IF EXISTS \"ix_accounts_email\"",
                "[alone] CREATE INDEX CONCURRENTLY \"ix_accounts_email\" ON \"accounts\" (\"email\")",
                "[tx] ALTER TABLE \"accounts\" ADD CONSTRAINT \"accounts_email_not_null\" CHECK (\"email\" IS NOT NULL) NOT VALID",
                "[alone] ALTER TABLE \"accounts\" VALIDATE CONSTRAINT \"accounts_email_not_null\"",
                "[tx] ALTER TABLE \"accounts\" ALTER COLUMN \"email\" SET NOT NULL",
                "[tx] ALTER TABLE \"accounts\" DROP CONSTRAINT \"accounts_email_not_null\"",
            ]
        );
    }

    #[test]
    fn a_table_created_in_the_same_list_takes_the_plain_forms() {
        let create = Operation::CreateTable {
            table: accounts().tables["accounts"].clone(),
        };
        let out = render(DialectKind::Postgres, &Schema::new(), &[create, index()]);
        assert_eq!(
            out[1],
            "[tx] CREATE INDEX \"ix_accounts_email\" ON \"accounts\" (\"email\")"
        );
    }

    #[test]
    fn mariadb_names_the_algorithm_and_no_lock() {
        let before = accounts();
        let add = Operation::AddColumn {
            table: "accounts".into(),
            column: Column::new("note", ColumnType::Text).nullable(),
        };
        let out = render(DialectKind::MySql, &before, &[add, index()]);
        assert!(
            out[0].ends_with(", ALGORITHM=INSTANT, LOCK=NONE"),
            "{out:?}"
        );
        assert!(out[1].ends_with(" ALGORITHM=INPLACE LOCK=NONE"), "{out:?}");
    }

    /// MariaDB refuses ALGORITHM=INSTANT for a generated column and LOCK=NONE for a
    /// FULLTEXT index: both keep their plain form (and the lint says they block).
    #[test]
    fn mariadb_keeps_the_plain_form_where_it_has_no_online_one() {
        let before = accounts();
        let add = Operation::AddColumn {
            table: "accounts".into(),
            column: Column {
                generated: Some(crate::column_extras::Generated::stored("length(email)")),
                ..Column::new("email_len", ColumnType::Integer).nullable()
            },
        };
        let mut fulltext = index();
        if let Operation::CreateIndex { index, .. } = &mut fulltext {
            index.method = Some(crate::index_shape::IndexMethod::Fulltext);
        }
        let out = render(DialectKind::MySql, &before, &[add, fulltext]);
        assert!(
            out.iter()
                .all(|s| !s.contains("ALGORITHM") && !s.contains("LOCK=")),
            "{out:?}"
        );
    }
}
