//! The rules over operations, each with its code, its squawk counterpart and the
//! reason it matters on PostgreSQL and on MySQL/MariaDB.

use crate::online::Policy;
use crate::ops::Operation;
use crate::types::ColumnType;

use super::{Finding, Level, Rule};

macro_rules! rule {
    ($id:ident, $code:literal, $name:literal, $level:ident) => {
        #[doc = concat!("`", $code, " ", $name, "`")]
        pub const $id: Rule = Rule {
            code: $code,
            name: $name,
            default: Level::$level,
        };
    };
}

rule!(
    ADDING_REQUIRED_FIELD,
    "MG101",
    "adding-required-field",
    Warn
);
rule!(CHANGING_COLUMN_TYPE, "MG102", "changing-column-type", Warn);
rule!(RENAMING_COLUMN, "MG103", "renaming-column", Warn);
rule!(RENAMING_TABLE, "MG104", "renaming-table", Warn);
rule!(DROPPING_COLUMN, "MG105", "ban-drop-column", Warn);
rule!(DROPPING_TABLE, "MG106", "ban-drop-table", Warn);
rule!(IDENTIFIER_TOO_LONG, "MG107", "identifier-too-long", Deny);
rule!(PREFER_BIGINT, "MG108", "prefer-bigint-over-int", Allow);
rule!(BLOCKING_FORM, "MG109", "blocking-form", Warn);
rule!(
    ADDING_PRIMARY_KEY,
    "MG110",
    "adding-primary-key-constraint",
    Warn
);
rule!(MYSQL_TABLE_COPY, "MG111", "mysql-table-copy", Allow);
rule!(
    VOLATILE_DEFAULT,
    "MG112",
    "adding-field-with-volatile-default",
    Warn
);
rule!(CHANGING_ENUM, "MG113", "changing-enum-labels", Warn);
rule!(REQUIRE_LOCK_TIMEOUT, "MG114", "require-lock-timeout", Warn);
rule!(NARROWING_TYPE, "MG131", "rolling-narrowing-type", Warn);
rule!(TIGHTENING_CHECK, "MG132", "rolling-tightening-check", Warn);
rule!(
    NOT_NULL_UNWRITTEN,
    "MG133",
    "rolling-not-null-without-default",
    Warn
);
rule!(
    SQL_INDEX_NOT_CONCURRENT,
    "MG121",
    "require-concurrent-index-creation",
    Warn
);
rule!(
    SQL_DROP_INDEX_NOT_CONCURRENT,
    "MG122",
    "require-concurrent-index-deletion",
    Warn
);
rule!(
    SQL_CONSTRAINT_VALIDATED,
    "MG123",
    "constraint-missing-not-valid",
    Warn
);
rule!(SQL_SET_NOT_NULL, "MG124", "adding-not-nullable-field", Warn);
rule!(SQL_UNPARSED, "MG125", "sql-not-linted", Warn);

/// Every rule, in code order.
pub const ALL: &[Rule] = &[
    ADDING_REQUIRED_FIELD,
    CHANGING_COLUMN_TYPE,
    RENAMING_COLUMN,
    RENAMING_TABLE,
    DROPPING_COLUMN,
    DROPPING_TABLE,
    IDENTIFIER_TOO_LONG,
    PREFER_BIGINT,
    BLOCKING_FORM,
    ADDING_PRIMARY_KEY,
    MYSQL_TABLE_COPY,
    VOLATILE_DEFAULT,
    CHANGING_ENUM,
    REQUIRE_LOCK_TIMEOUT,
    SQL_INDEX_NOT_CONCURRENT,
    SQL_DROP_INDEX_NOT_CONCURRENT,
    SQL_CONSTRAINT_VALIDATED,
    SQL_SET_NOT_NULL,
    SQL_UNPARSED,
    NARROWING_TYPE,
    TIGHTENING_CHECK,
    NOT_NULL_UNWRITTEN,
];

/// The rolling-deploy rules: what breaks the release before a revision while it
/// still runs against the new schema (the models of that release are the schema at
/// the revision's parent). `rolling_deploy = false` in `[safety]` turns them off.
pub const ROLLING_DEPLOY: &[Rule] = &[
    ADDING_REQUIRED_FIELD,
    RENAMING_COLUMN,
    RENAMING_TABLE,
    DROPPING_COLUMN,
    DROPPING_TABLE,
    NARROWING_TYPE,
    TIGHTENING_CHECK,
    NOT_NULL_UNWRITTEN,
];

/// The rule with this code or name.
pub fn find(key: &str) -> Option<Rule> {
    ALL.iter()
        .copied()
        .find(|r| r.code.eq_ignore_ascii_case(key) || r.name == key)
}

/// Longest identifier PostgreSQL keeps (bytes; MySQL's limit is 64 characters).
const MAX_IDENT: usize = 63;

/// What the previous release sees break, said once for the rules that break it.
const EXPAND_CONTRACT: &str = "expand and contract over two releases: add the new \
     column (nullable or with a default), backfill it and write both from the \
     application, then drop the old one in a later revision, once no running release \
     reads it";

/// The command that writes a rolling-deploy break as expand and contract
/// revisions ([`crate::expand`]).
pub const EXPAND_COMMAND: &str = "cargo migrate revision --autogenerate --expand -m \"...\"";

/// `fix`, then the command that writes it for the user.
fn or_expand(fix: &str) -> String {
    format!("{fix}; `{EXPAND_COMMAND}` writes these revisions")
}

/// A finding of `rule` (step and level are set by [`super::lint_ops`]).
pub fn finding(rule: Rule, target: String, what: String, why: &str, fix: &str) -> Finding {
    Finding {
        rule,
        level: rule.default,
        revision: None,
        step: 0,
        target,
        what,
        why: why.to_string(),
        fix: fix.to_string(),
        breaks: None,
    }
}

/// The findings of one operation on the schema before it; `new_table` when the
/// revision created its table earlier (locks do not matter there).
pub fn check(op: &Operation, policy: &Policy, new_table: bool) -> Vec<Finding> {
    use Operation::*;
    let mut out = Vec::new();
    let mut push = |rule, target: String, what: String, why: &str, fix: &str| {
        out.push(finding(rule, target, what, why, fix))
    };
    for name in new_names(op) {
        if name.len() > MAX_IDENT {
            push(
                IDENTIFIER_TOO_LONG,
                op.table_name().unwrap_or_default().to_string(),
                format!("name '{name}' is {} bytes long", name.len()),
                "PostgreSQL keeps 63 bytes of a name and MySQL refuses more than 64 \
                 characters, so the database would not hold the name the models use",
                "give it a shorter name (`table = \"...\"`, `column = \"...\"`, or the \
                 index or key's `name = \"...\"`)",
            );
        }
    }
    for (table, column) in new_columns(op) {
        if matches!(column.ty, ColumnType::Integer | ColumnType::SmallInt) {
            push(
                PREFER_BIGINT,
                format!("{table}.{}", column.name),
                format!("new {} column", column.ty),
                "a 32-bit (or 16-bit) key or counter runs out, and widening it later \
                 rewrites the table under an exclusive lock",
                "use i64 (BIGINT) for ids and counters",
            );
        }
    }
    if new_table {
        return out;
    }
    match op {
        AddColumn { table, column } => {
            let target = format!("{table}.{}", column.name);
            if let Some(why) = crate::online::mysql::copies_on_mariadb(op) {
                push(
                    MYSQL_TABLE_COPY,
                    target.clone(),
                    "adds a generated column to an existing table".into(),
                    why,
                    "on MariaDB, plan the time writes are blocked, or add the column in \
                     a maintenance window",
                );
            }
            if !column.nullable && column.default.is_none() && !column.autoincrement {
                push(
                    ADDING_REQUIRED_FIELD,
                    target.clone(),
                    "adds a NOT NULL column without a default".into(),
                    "it fails on a table with rows, and the release still running does \
                     not write the column, so its INSERTs fail once it exists",
                    &or_expand(
                        "give the column a default (`default = \"...\"`), or make it \
                         nullable, backfill it, and make it NOT NULL in a later revision",
                    ),
                );
            }
            if let Some(default) = column.default.as_deref().filter(|d| is_volatile(d)) {
                push(
                    VOLATILE_DEFAULT,
                    target,
                    format!("adds a column with the volatile default {default}"),
                    "PostgreSQL computes a volatile default for every row, rewriting the \
                     table under an ACCESS EXCLUSIVE lock (a constant default is free)",
                    "add the column without a default (or with a constant one), set the \
                     default in the same revision, and backfill in batches",
                );
            }
        }
        AlterColumn {
            table,
            column,
            from,
            to,
        } => {
            if from.ty != to.ty && !is_free_widening(&from.ty, &to.ty) {
                push(
                    CHANGING_COLUMN_TYPE,
                    format!("{table}.{column}"),
                    format!("changes the type {} -> {}", from.ty, to.ty),
                    "PostgreSQL rewrites the table and its indexes under an ACCESS \
                     EXCLUSIVE lock; MariaDB copies the table (ALGORITHM=COPY), blocking \
                     writes",
                    EXPAND_CONTRACT,
                );
                push(
                    MYSQL_TABLE_COPY,
                    format!("{table}.{column}"),
                    "changes a column's type".into(),
                    "MariaDB has no in-place form for it: the table is copied",
                    "plan the copy's time, or add a new column and backfill it",
                );
            }
            if let Some(reason) = from.ty.narrowing_reason(&to.ty) {
                push(
                    NARROWING_TYPE,
                    format!("{table}.{column}"),
                    format!("narrows the type {} -> {}: {reason}", from.ty, to.ty),
                    "the release before this one still writes values of the old type, \
                     which the new one refuses",
                    "narrow in the release after the application stopped writing such \
                     values; until then, validate them in the application",
                );
            }
            if from.nullable && !to.nullable && to.default.is_none() {
                push(
                    NOT_NULL_UNWRITTEN,
                    format!("{table}.{column}"),
                    "makes the column NOT NULL without a default".into(),
                    "the release before this one maps the column as optional and may \
                     insert NULL or leave it out; its INSERTs fail once this applies",
                    &or_expand(
                        "give the column a default, or deploy a release that always \
                         writes it first, then make it NOT NULL in the next",
                    ),
                );
            }
            if from.nullable && !to.nullable && !policy.online() {
                blocking(
                    &mut push,
                    op,
                    table,
                    "SET NOT NULL scans the table under an ACCESS EXCLUSIVE lock",
                );
            }
        }
        RenameColumn { table, from, to } => push(
            RENAMING_COLUMN,
            format!("{table}.{from}"),
            format!("renames the column to '{to}'"),
            "the release still running reads and writes the old name, and fails from \
             the moment the rename commits until it is replaced",
            &or_expand(EXPAND_CONTRACT),
        ),
        RenameTable { from, to } => push(
            RENAMING_TABLE,
            from.clone(),
            format!("renames the table to '{to}'"),
            "the release still running queries the old name, and fails from the \
             moment the rename commits until it is replaced",
            "create the new table (or a view under the old name), copy and dual-write, \
             then drop the old one in a later release",
        ),
        DropColumn { table, column } => push(
            DROPPING_COLUMN,
            format!("{table}.{}", column.name),
            "drops the column".into(),
            "its data is lost, and the release still running fails on every query that \
             names it",
            &or_expand(
                "stop reading and writing it in one release (`#[model(skip)]` is not \
                 enough while the old binary runs), then drop it in the next",
            ),
        ),
        DropTable { table } => push(
            DROPPING_TABLE,
            table.name.clone(),
            "drops the table".into(),
            "its rows are lost, and the release still running fails on every query \
             that names it",
            &or_expand("remove every use in one release, then drop it in the next"),
        ),
        AddPrimaryKey { table, .. } => push(
            ADDING_PRIMARY_KEY,
            table.clone(),
            "adds a primary key to an existing table".into(),
            "building its unique index and checking NOT NULL scan the table under an \
             ACCESS EXCLUSIVE lock (PostgreSQL) or copy it (MariaDB)",
            "build a unique index concurrently in a raw SQL step (`no_transaction = \
             true`), then `ADD CONSTRAINT ... PRIMARY KEY USING INDEX`",
        ),
        AddCheck { table, check } => {
            push(
                TIGHTENING_CHECK,
                table.clone(),
                format!("adds check '{}' ({})", check.name, check.expr),
                "the release before this one does not know the rule and may write rows \
                 that break it; its writes fail once this applies",
                &or_expand(
                    "deploy a release that already keeps the rule, then add the check in \
                     the next",
                ),
            );
            push(
                MYSQL_TABLE_COPY,
                table.clone(),
                "adds a check to an existing table".into(),
                "MariaDB can add it only by copying the table under a lock",
                "on MariaDB, plan the copy's time (PostgreSQL adds it NOT VALID and \
                 validates it without blocking writes)",
            );
            if !policy.online() {
                blocking(
                    &mut push,
                    op,
                    table,
                    "the whole table is scanned to check every row while writes wait",
                );
            }
        }
        AddForeignKey { table, .. } => {
            push(
                MYSQL_TABLE_COPY,
                table.clone(),
                "adds a foreign key or check to an existing table".into(),
                "MariaDB can add neither in place: the table is copied under a lock",
                "on MariaDB, plan the copy's time (PostgreSQL adds it NOT VALID and \
                 validates it without blocking writes)",
            );
            if !policy.online() {
                blocking(
                    &mut push,
                    op,
                    table,
                    "the whole table is scanned to check every row while writes wait",
                );
            }
        }
        CreateIndex { table, index } if crate::online::mysql::copies_on_mariadb(op).is_some() => {
            let why = crate::online::mysql::copies_on_mariadb(op).unwrap_or_default();
            push(
                MYSQL_TABLE_COPY,
                format!("{table}.{}", index.name),
                "builds a FULLTEXT or SPATIAL index on an existing table".into(),
                why,
                "on MariaDB, plan the time writes are blocked, or build it in a \
                 maintenance window",
            );
            if !policy.online() {
                blocking(
                    &mut push,
                    op,
                    table,
                    "writes to the table wait until the index is built or dropped",
                );
            }
        }
        CreateIndex { table, .. } | DropIndex { table, .. } | AddUnique { table, .. }
            if !policy.online() =>
        {
            blocking(
                &mut push,
                op,
                table,
                "writes to the table wait until the index is built or dropped",
            );
        }
        AlterEnum { name, from, to } if crate::dialect::enums::added_labels(from, to).is_none() => {
            push(
                CHANGING_ENUM,
                name.clone(),
                "removes or reorders labels of an enum type".into(),
                "PostgreSQL replaces the type and converts every column of it, \
                 rewriting those tables under an ACCESS EXCLUSIVE lock",
                "only add labels (ALTER TYPE ... ADD VALUE is instant); drop unused \
                 labels in a maintenance window",
            );
        }
        _ => {}
    }
    out
}

/// The finding for a change that runs in its blocking form because the revision
/// opted out of online forms.
fn blocking(
    push: &mut impl FnMut(Rule, String, String, &str, &str),
    op: &Operation,
    table: &str,
    why: &str,
) {
    push(
        BLOCKING_FORM,
        table.to_string(),
        format!("{} in its blocking form", op.describe()),
        why,
        "remove `forms = \"blocking\"` from the revision's [safety] table (or from \
         migrate.toml) so it runs in its online form",
    );
}

/// Names the operation gives to new objects.
fn new_names(op: &Operation) -> Vec<&str> {
    use Operation::*;
    match op {
        CreateTable { table } => {
            let mut names = vec![table.name.as_str()];
            names.extend(table.columns.iter().map(|c| c.name.as_str()));
            names.extend(table.indexes.iter().map(|i| i.name.as_str()));
            names.extend(table.uniques.iter().map(|u| u.name.as_str()));
            names.extend(table.foreign_keys.iter().map(|f| f.name.as_str()));
            names.extend(table.checks.iter().map(|c| c.name.as_str()));
            names
        }
        RenameTable { to, .. } | RenameColumn { to, .. } | RenameConstraint { to, .. } => {
            vec![to.as_str()]
        }
        AddColumn { column, .. } => vec![column.name.as_str()],
        CreateIndex { index, .. } => vec![index.name.as_str()],
        AddUnique { unique, .. } => vec![unique.name.as_str()],
        AddForeignKey { foreign_key, .. } => vec![foreign_key.name.as_str()],
        AddCheck { check, .. } => vec![check.name.as_str()],
        _ => Vec::new(),
    }
}

/// Columns the operation adds.
fn new_columns(op: &Operation) -> Vec<(&str, &crate::schema::Column)> {
    match op {
        Operation::CreateTable { table } => table
            .columns
            .iter()
            .map(|c| (table.name.as_str(), c))
            .collect(),
        Operation::AddColumn { table, column } => vec![(table.as_str(), column)],
        _ => Vec::new(),
    }
}

/// A default PostgreSQL must compute row by row.
fn is_volatile(default: &str) -> bool {
    let d = default.to_ascii_lowercase();
    [
        "random(",
        "gen_random_uuid(",
        "uuid_generate_v",
        "clock_timestamp(",
        "nextval(",
    ]
    .iter()
    .any(|f| d.contains(f))
}

/// A type change PostgreSQL makes without a rewrite: a longer VARCHAR, or VARCHAR
/// to TEXT.
fn is_free_widening(from: &ColumnType, to: &ColumnType) -> bool {
    match (from, to) {
        (ColumnType::Varchar(a), ColumnType::Varchar(b)) => b >= a,
        (ColumnType::Varchar(_), ColumnType::Text) => true,
        _ => false,
    }
}
