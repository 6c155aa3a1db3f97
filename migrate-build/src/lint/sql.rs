//! Lints of hand-written SQL steps, read with a real SQL parser (sqlparser-rs's
//! PostgreSQL dialect) rather than patterns: the same rules as the operations
//! (`migrate_core::lint::rules`), for what a person wrote by hand.
//!
//! SQL the parser cannot read is reported (`MG125 sql-not-linted`) with the parser's
//! message, never passed over in silence.

use migrate_core::lint::rules::{self, finding};
use migrate_core::lint::Finding;
use migrate_core::SqlStep;
use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnOption, ObjectType, Statement, TableConstraint,
};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

/// The stack of the thread that parses a step. The parser recurses once per level of
/// nesting, up to its own limit of 50 levels, and unoptimised (as in a build script)
/// its frames are large: 45 nested parentheses overflow a 2 MiB stack. sqlparser's
/// `recursive-protection` feature (growing the stack on demand) is left off to keep
/// the build light; this fixed stack is ample for the limit and costs only address
/// space until used.
const PARSER_STACK: usize = 64 << 20;

/// The findings of one raw SQL step (its PostgreSQL variant, else its SQL).
pub fn lint_step(step: &SqlStep) -> Vec<Finding> {
    std::thread::scope(|scope| {
        let parser = std::thread::Builder::new()
            .name("sql-lint".into())
            .stack_size(PARSER_STACK)
            .spawn_scoped(scope, || lint_on_this_thread(step));
        match parser {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            // No thread to be had: the caller's stack, as deep as it goes.
            Err(_) => lint_on_this_thread(step),
        }
    })
}

fn lint_on_this_thread(step: &SqlStep) -> Vec<Finding> {
    let sql = step.postgres.as_deref().unwrap_or(&step.sql);
    let statements = match Parser::parse_sql(&PostgreSqlDialect {}, sql) {
        Ok(statements) => statements,
        Err(e) => {
            return vec![finding(
                rules::SQL_UNPARSED,
                "raw SQL".into(),
                format!("the step's SQL could not be read: {e}"),
                "a statement the linter cannot read may lock or rewrite a table unseen",
                "check the statement by hand, or allow MG125 for this revision \
                 ([safety.lints] MG125 = \"allow\")",
            )]
        }
    };
    statements
        .iter()
        .flat_map(|s| lint_statement(s, step.no_transaction))
        .collect()
}

fn lint_statement(statement: &Statement, no_transaction: bool) -> Vec<Finding> {
    let mut out = Vec::new();
    match statement {
        Statement::CreateIndex(index) => {
            let table = index.table_name.to_string();
            if !index.concurrently {
                out.push(finding(
                    rules::SQL_INDEX_NOT_CONCURRENT,
                    table,
                    "CREATE INDEX without CONCURRENTLY".into(),
                    "writes to the table wait until the index is built",
                    "write CREATE INDEX CONCURRENTLY in a step with `no_transaction = true`",
                ));
            } else if !no_transaction {
                out.push(finding(
                    rules::SQL_INDEX_NOT_CONCURRENT,
                    table,
                    "CREATE INDEX CONCURRENTLY in a transactional step".into(),
                    "PostgreSQL refuses to build an index concurrently inside a transaction",
                    "set `no_transaction = true` on the step",
                ));
            }
        }
        Statement::Drop {
            object_type, names, ..
        } => {
            let names = names
                .iter()
                .map(|n| n.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            match object_type {
                ObjectType::Index => out.push(finding(
                    rules::SQL_DROP_INDEX_NOT_CONCURRENT,
                    names,
                    "DROP INDEX without CONCURRENTLY".into(),
                    "it takes an ACCESS EXCLUSIVE lock on the table: reads and writes wait",
                    "write DROP INDEX CONCURRENTLY in a step with `no_transaction = true`",
                )),
                ObjectType::Table => out.push(finding(
                    rules::DROPPING_TABLE,
                    names,
                    "DROP TABLE".into(),
                    "its rows are lost, and the release still running fails on every \
                     query that names it",
                    "remove every use in one release, then drop it in the next",
                )),
                _ => {}
            }
        }
        Statement::AlterTable {
            name, operations, ..
        } => {
            let table = name.to_string();
            for op in operations {
                out.extend(lint_alter(&table, op));
            }
        }
        _ => {}
    }
    out
}

fn lint_alter(table: &str, op: &AlterTableOperation) -> Option<Finding> {
    let f = match op {
        AlterTableOperation::AddConstraint {
            constraint,
            not_valid: false,
        } => match constraint {
            TableConstraint::ForeignKey { .. } | TableConstraint::Check { .. } => finding(
                rules::SQL_CONSTRAINT_VALIDATED,
                table.to_string(),
                format!("ADD {constraint} without NOT VALID"),
                "every row is checked while the table is locked against writes",
                "add it NOT VALID, then VALIDATE CONSTRAINT in a later step (or let \
                 autogenerate write it)",
            ),
            TableConstraint::Unique { .. } | TableConstraint::PrimaryKey { .. } => finding(
                rules::SQL_INDEX_NOT_CONCURRENT,
                table.to_string(),
                format!("ADD {constraint}"),
                "its index is built while writes to the table wait",
                "build a unique index CONCURRENTLY (no_transaction = true), then ADD \
                 CONSTRAINT ... USING INDEX",
            ),
            _ => return None,
        },
        AlterTableOperation::AddColumn { column_def, .. } => {
            let options: Vec<&ColumnOption> =
                column_def.options.iter().map(|o| &o.option).collect();
            let not_null = options.iter().any(|o| matches!(o, ColumnOption::NotNull));
            let default = options
                .iter()
                .any(|o| matches!(o, ColumnOption::Default(_)));
            if !not_null || default {
                return None;
            }
            finding(
                rules::ADDING_REQUIRED_FIELD,
                format!("{table}.{}", column_def.name),
                "ADD COLUMN ... NOT NULL without a default".into(),
                "it fails on a table with rows, and the release still running does not \
                 write the column",
                "give the column a default, or add it nullable and backfill",
            )
        }
        AlterTableOperation::AlterColumn { column_name, op } => match op {
            AlterColumnOperation::SetNotNull => finding(
                rules::SQL_SET_NOT_NULL,
                format!("{table}.{column_name}"),
                "SET NOT NULL".into(),
                "the whole table is scanned under an ACCESS EXCLUSIVE lock",
                "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL \
                 (or let autogenerate write it)",
            ),
            AlterColumnOperation::SetDataType { data_type, .. } => finding(
                rules::CHANGING_COLUMN_TYPE,
                format!("{table}.{column_name}"),
                format!("changes the type to {data_type}"),
                "the table and its indexes are rewritten under an ACCESS EXCLUSIVE lock",
                "add a new column, backfill it, and switch over in a later release",
            ),
            _ => return None,
        },
        AlterTableOperation::RenameColumn {
            old_column_name,
            new_column_name,
        } => finding(
            rules::RENAMING_COLUMN,
            format!("{table}.{old_column_name}"),
            format!("renames the column to {new_column_name}"),
            "the release still running uses the old name",
            "expand and contract: add, backfill, dual-write, drop in a later release",
        ),
        AlterTableOperation::RenameTable { .. } => finding(
            rules::RENAMING_TABLE,
            table.to_string(),
            "renames the table".into(),
            "the release still running uses the old name",
            "create the new table (or a view under the old name), then drop the old \
             one in a later release",
        ),
        AlterTableOperation::DropColumn { column_names, .. } => finding(
            rules::DROPPING_COLUMN,
            format!(
                "{table}.{}",
                column_names
                    .iter()
                    .map(|c| c.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            "DROP COLUMN".into(),
            "its data is lost, and the release still running fails on every query that \
             names it",
            "stop using it in one release, then drop it in the next",
        ),
        _ => return None,
    };
    Some(f)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(sql: &str, no_transaction: bool) -> Vec<&'static str> {
        let step = SqlStep {
            no_transaction,
            ..SqlStep::new(sql)
        };
        lint_step(&step).iter().map(|f| f.rule.code).collect()
    }

    #[test]
    fn each_blocking_statement_has_its_rule() {
        assert_eq!(codes("CREATE INDEX ix ON t (a)", false), ["MG121"]);
        assert_eq!(
            codes("CREATE INDEX CONCURRENTLY ix ON t (a)", true),
            [""; 0]
        );
        assert_eq!(
            codes("CREATE INDEX CONCURRENTLY ix ON t (a)", false),
            ["MG121"]
        );
        assert_eq!(codes("DROP INDEX ix", false), ["MG122"]);
        assert_eq!(
            codes(
                "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id)",
                false
            ),
            ["MG123"]
        );
        assert_eq!(
            codes(
                "ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES u (id) NOT VALID",
                false
            ),
            [""; 0]
        );
        assert_eq!(
            codes("ALTER TABLE t ALTER COLUMN a SET NOT NULL", false),
            ["MG124"]
        );
        assert_eq!(
            codes("ALTER TABLE t ALTER COLUMN a TYPE bigint", false),
            ["MG102"]
        );
        assert_eq!(
            codes("ALTER TABLE t ADD COLUMN b int NOT NULL", false),
            ["MG101"]
        );
        assert_eq!(
            codes("ALTER TABLE t ADD COLUMN b int NOT NULL DEFAULT 0", false),
            [""; 0]
        );
        assert_eq!(
            codes("ALTER TABLE t RENAME COLUMN a TO b", false),
            ["MG103"]
        );
        assert_eq!(codes("UPDATE t SET a = 1 WHERE a IS NULL", false), [""; 0]);
    }

    #[test]
    fn sql_the_parser_cannot_read_is_reported_not_skipped() {
        let step = SqlStep::new("ALTER TABLE t FROBNICATE");
        let f = lint_step(&step);
        assert_eq!(f[0].rule.code, "MG125");
        assert!(f[0].what.contains("could not be read"), "{}", f[0]);
    }
}
