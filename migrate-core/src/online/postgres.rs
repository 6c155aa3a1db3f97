//! The online forms on PostgreSQL.
//!
//! - An index is built and dropped `CONCURRENTLY`, each alone outside a
//!   transaction (PostgreSQL refuses it in one). Recovery: a concurrent build that
//!   fails (a lock timeout, a duplicate for a unique index) leaves an INVALID
//!   index behind; the build is preceded by `DROP INDEX CONCURRENTLY IF EXISTS`, so
//!   running the revision again drops that leftover and builds it anew.
//! - A unique constraint: its unique index built concurrently, then attached with
//!   `ADD CONSTRAINT ... UNIQUE USING INDEX` (a brief lock, no scan).
//! - A foreign key or check: added `NOT VALID` (a brief lock, no scan), then
//!   `VALIDATE CONSTRAINT` alone in its own transaction, which scans while writes go
//!   on (SHARE UPDATE EXCLUSIVE).
//! - `SET NOT NULL`: a check `(col IS NOT NULL)` added `NOT VALID` and validated,
//!   then `SET NOT NULL`, which PostgreSQL 12+ proves from the check without a scan,
//!   then the check dropped.
//!
//! Everything else keeps its plain form; [`crate::lint`] says which of those lock
//! or rewrite the table.

use crate::dialect::{quote::double_quoted, Statement};
use crate::ops::Operation;

use super::alone;

/// Longest identifier PostgreSQL keeps (bytes).
const MAX_NAME: usize = 63;

/// The online form of `op`, given its plain statements.
pub fn online(op: &Operation, plain: Vec<Statement>) -> Vec<Statement> {
    use Operation::*;
    match op {
        CreateIndex { index, .. } => match plain.as_slice() {
            [create] if create.sql.starts_with("CREATE ") => vec![
                drop_leftover(&index.name),
                alone(create.sql.replacen(" INDEX ", " INDEX CONCURRENTLY ", 1)),
            ],
            _ => plain,
        },
        DropIndex { index, .. } => vec![alone(format!(
            "DROP INDEX CONCURRENTLY IF EXISTS {}",
            double_quoted(&index.name)
        ))],
        AddUnique { table, unique } => {
            let name = double_quoted(&unique.name);
            let cols: Vec<String> = unique.columns.iter().map(|c| double_quoted(c)).collect();
            vec![
                drop_leftover(&unique.name),
                alone(format!(
                    "CREATE UNIQUE INDEX CONCURRENTLY {name} ON {} ({})",
                    double_quoted(table),
                    cols.join(", ")
                )),
                Statement::new(format!(
                    "ALTER TABLE {} ADD CONSTRAINT {name} UNIQUE USING INDEX {name}",
                    double_quoted(table)
                )),
            ]
        }
        AddForeignKey { table, foreign_key } => not_valid(table, &foreign_key.name, plain),
        AddCheck { table, check } => not_valid(table, &check.name, plain),
        AlterColumn {
            table,
            column,
            from,
            to,
        } if from.nullable && !to.nullable => set_not_null(table, column, plain),
        _ => plain,
    }
}

/// Drops what a failed concurrent build of `index` left behind (nothing if none).
fn drop_leftover(index: &str) -> Statement {
    alone(format!(
        "DROP INDEX CONCURRENTLY IF EXISTS {}",
        double_quoted(index)
    ))
}

/// `ADD CONSTRAINT ... NOT VALID`, then `VALIDATE CONSTRAINT` in its own transaction.
fn not_valid(table: &str, name: &str, plain: Vec<Statement>) -> Vec<Statement> {
    let [add] = plain.as_slice() else {
        return plain;
    };
    vec![
        Statement::new(format!("{} NOT VALID", add.sql)),
        validate(table, name),
    ]
}

fn validate(table: &str, name: &str) -> Statement {
    alone(format!(
        "ALTER TABLE {} VALIDATE CONSTRAINT {}",
        double_quoted(table),
        double_quoted(name)
    ))
}

/// The name of the temporary check that proves `column` holds no NULL.
pub fn not_null_check_name(table: &str, column: &str) -> String {
    let mut name = format!("{table}_{column}_not_null");
    if name.len() > MAX_NAME {
        let mut cut = MAX_NAME - "_not_null".len();
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name = format!("{}_not_null", &name[..cut]);
    }
    name
}

/// `SET NOT NULL` through a validated check: the statements before the plain
/// `SET NOT NULL` (a backfill of the default, a type change) run first.
fn set_not_null(table: &str, column: &str, plain: Vec<Statement>) -> Vec<Statement> {
    let Some(at) = plain.iter().position(|s| s.sql.ends_with(" SET NOT NULL")) else {
        return plain;
    };
    let check = not_null_check_name(table, column);
    let t = double_quoted(table);
    let mut out = plain;
    let tail = out.split_off(at);
    out.push(Statement::new(format!(
        "ALTER TABLE {t} ADD CONSTRAINT {} CHECK ({} IS NOT NULL) NOT VALID",
        double_quoted(&check),
        double_quoted(column)
    )));
    out.push(validate(table, &check));
    let mut tail = tail.into_iter();
    out.extend(tail.next());
    out.push(Statement::new(format!(
        "ALTER TABLE {t} DROP CONSTRAINT {}",
        double_quoted(&check)
    )));
    out.extend(tail);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_check_name_fits_the_limit() {
        let name = not_null_check_name(&"t".repeat(40), &"c".repeat(40));
        assert!(
            name.len() <= MAX_NAME && name.ends_with("_not_null"),
            "{name}"
        );
    }
}
