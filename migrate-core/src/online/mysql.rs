//! The online forms on MySQL/MariaDB: `ALGORITHM=INSTANT/NOCOPY/INPLACE, LOCK=NONE`
//! on the changes MariaDB 10.11 makes without copying the table or blocking
//! writes. Naming the algorithm is the point: where the server cannot honour it
//! (an older server, a table format that needs a copy) the statement fails at once
//! with `ALGORITHM=... is not supported` instead of copying the table under a lock.
//!
//! Changes MariaDB can only make by copying (a column type change, adding a
//! foreign key or a check) or under a lock (a generated column added, a FULLTEXT or
//! SPATIAL index built) keep their plain form; [`crate::lint`] warns about them.

use crate::dialect::Statement;
use crate::ops::Operation;

/// The online form of `op`, given its plain statements.
pub fn online(op: &Operation, plain: Vec<Statement>) -> Vec<Statement> {
    use Operation::*;
    if copies_on_mariadb(op).is_some() {
        return plain;
    }
    let algorithm = match op {
        AddColumn { .. } | DropColumn { .. } | RenameColumn { .. } => "INSTANT",
        DropIndex { .. } => "NOCOPY",
        CreateIndex { .. } | AddUnique { .. } => "INPLACE",
        _ => return plain,
    };
    let [statement] = plain.as_slice() else {
        return plain;
    };
    let sql = &statement.sql;
    let sql = if sql.starts_with("ALTER TABLE ") {
        format!("{sql}, ALGORITHM={algorithm}, LOCK=NONE")
    } else if sql.starts_with("CREATE ") {
        format!("{sql} ALGORITHM={algorithm} LOCK=NONE")
    } else if let (Some(rest), DropIndex { table, .. }) = (sql.strip_prefix("DROP INDEX "), op) {
        // `DROP INDEX ... ON` takes no algorithm on MariaDB; ALTER TABLE does.
        let index = rest.split(" ON ").next().unwrap_or(rest);
        format!(
            "ALTER TABLE {} DROP INDEX {index}, ALGORITHM={algorithm}, LOCK=NONE",
            crate::dialect::quote::backticked(table)
        )
    } else {
        return plain;
    };
    vec![Statement {
        sql,
        ..statement.clone()
    }]
}

/// Why MariaDB cannot make `op` with writes going on, for the changes that the
/// online form would otherwise name an algorithm for: the server refuses
/// `ALGORITHM=INSTANT` for a generated column (a stored one is computed for every
/// row by copying the table) and `LOCK=NONE` for a FULLTEXT or SPATIAL index.
pub fn copies_on_mariadb(op: &Operation) -> Option<&'static str> {
    use crate::index_shape::IndexMethod;
    match op {
        Operation::AddColumn { column, .. } if column.generated.is_some() => {
            Some("MariaDB computes a generated column by copying the table under a lock")
        }
        Operation::CreateIndex { index, .. }
            if matches!(
                index.method,
                Some(IndexMethod::Fulltext | IndexMethod::Spatial)
            ) =>
        {
            Some("MariaDB builds a FULLTEXT or SPATIAL index with writes blocked")
        }
        _ => None,
    }
}
