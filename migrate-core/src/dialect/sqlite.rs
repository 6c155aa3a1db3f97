//! SQLite 3.35+: double-quoted identifiers, transactional DDL, no comments, and a
//! table rebuild ([`super::sqlite_rebuild`]) for what `ALTER TABLE` cannot change.

use super::column_extras;
use super::common::{self, foreign_key_clause, ident, ident_list};
use super::enums;
use super::index_sql;
use super::quote::{double_quoted, string_literal};
use super::sqlite_rebuild;
use super::unsigned;
use super::{Capabilities, Dialect, DialectKind, RenderError, Statement};
use crate::ops::Operation;
use crate::schema::{normalize_default, Column, Index, Schema, Table};
use crate::types::ColumnType;

/// The SQLite dialect.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sqlite;

const KIND: DialectKind = DialectKind::Sqlite;

/// Whether `expr` is a literal SQLite accepts after `DEFAULT` without parentheses.
fn is_plain_literal(expr: &str) -> bool {
    let e = normalize_default(expr);
    let numeric = e
        .trim_start_matches(['-', '+'])
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.')
        && !e.is_empty();
    let string = e.starts_with('\'') && e.ends_with('\'') && e.len() >= 2;
    numeric
        || string
        || matches!(
            e.as_str(),
            "null" | "true" | "false" | "current_timestamp" | "current_date" | "current_time"
        )
}

/// Whether the single-column primary key of `t` is `c`, which makes `c` an alias
/// of the rowid when its type is INTEGER.
fn is_rowid_key(t: &Table, c: &Column) -> bool {
    t.primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.len() == 1 && pk.columns[0] == c.name)
}

impl Sqlite {
    fn column_def(&self, t: &Table, c: &Column) -> Result<String, RenderError> {
        column_extras::check_column(KIND, &t.name, c)?;
        let rowid = c.autoincrement;
        if rowid && !(c.ty.is_integer() && is_rowid_key(t, c)) {
            return Err(RenderError::Unsupported {
                dialect: KIND,
                table: t.name.clone(),
                what: format!("make column '{}' autoincrement", c.name),
                how_to_fix: "SQLite generates values only for a single-column integer \
                             primary key; make the column the table's only primary key"
                    .to_string(),
            });
        }
        // AUTOINCREMENT needs the exact type name INTEGER (a rowid alias).
        let ty = if rowid {
            "INTEGER".to_string()
        } else {
            self.column_type(&c.ty)
        };
        let mut sql = format!("{} {ty}", ident(self, &c.name)?);
        sql.push_str(&column_extras::collate_clause(self, c));
        if let Some(g) = &c.generated {
            sql.push_str(&column_extras::generated_clause(KIND, g));
        }
        if !c.nullable {
            sql.push_str(" NOT NULL");
        }
        if let Some(default) = &c.default {
            if is_plain_literal(default) {
                sql.push_str(&format!(" DEFAULT {default}"));
            } else {
                sql.push_str(&format!(" DEFAULT ({default})"));
            }
        }
        if rowid {
            let pk = t
                .primary_key
                .as_ref()
                .map(|pk| pk.name.as_str())
                .unwrap_or("");
            sql.push_str(&format!(
                " CONSTRAINT {} PRIMARY KEY AUTOINCREMENT",
                ident(self, pk)?
            ));
        }
        // The range of an unsigned column ([`super::unsigned`]).
        if let ColumnType::Unsigned(bits) = c.ty {
            sql.push_str(&format!(
                " CONSTRAINT {} CHECK ({})",
                ident(self, &unsigned::check_name(&c.name))?,
                unsigned::range_expr(KIND, &ident(self, &c.name)?, bits)
            ));
        }
        // The labels of an enum column ([`super::enums`]).
        if let ColumnType::Enum { values, .. } = &c.ty {
            sql.push_str(&format!(
                " CONSTRAINT {} CHECK ({})",
                ident(self, &enums::check_name(&c.name))?,
                enums::in_expr(&ident(self, &c.name)?, values)
            ));
        }
        Ok(sql)
    }

    /// `CREATE TABLE name (...)` for `t` under the name `name` (the rebuild creates
    /// the new table under a temporary name).
    pub(super) fn create_table_sql(&self, t: &Table, name: &str) -> Result<String, RenderError> {
        let mut parts = Vec::new();
        let mut pk_inline = false;
        for c in &t.columns {
            pk_inline |= c.autoincrement;
            parts.push(self.column_def(t, c)?);
        }
        if let (Some(pk), false) = (&t.primary_key, pk_inline) {
            parts.push(format!(
                "CONSTRAINT {} PRIMARY KEY {}",
                ident(self, &pk.name)?,
                ident_list(self, &pk.columns)?
            ));
        }
        for u in &t.uniques {
            parts.push(format!(
                "CONSTRAINT {} UNIQUE {}",
                ident(self, &u.name)?,
                ident_list(self, &u.columns)?
            ));
        }
        for fk in &t.foreign_keys {
            parts.push(format!(
                "CONSTRAINT {} {}",
                ident(self, &fk.name)?,
                foreign_key_clause(self, fk)?
            ));
        }
        for ck in &t.checks {
            parts.push(format!(
                "CONSTRAINT {} CHECK ({})",
                ident(self, &ck.name)?,
                ck.expr
            ));
        }
        Ok(format!(
            "CREATE TABLE {} (\n    {}\n)",
            ident(self, name)?,
            parts.join(",\n    ")
        ))
    }

    pub(super) fn create_index(
        &self,
        table: &str,
        index: &Index,
    ) -> Result<Statement, RenderError> {
        index_sql::check_index(self, table, index)?;
        Ok(Statement::new(format!(
            "CREATE {}INDEX {} ON {} ({}){}",
            if index.unique { "UNIQUE " } else { "" },
            ident(self, &index.name)?,
            ident(self, table)?,
            index_sql::index_keys(self, index)?,
            index_sql::index_tail(self, index)?
        )))
    }

    /// Whether `ALTER TABLE ADD COLUMN` can add `c`: SQLite refuses a NOT NULL
    /// column without a default, a non-constant default, and key columns.
    fn can_add_column(c: &Column) -> bool {
        // SQLite adds a VIRTUAL generated column in place, never a STORED one.
        if let Some(g) = &c.generated {
            return !g.stored;
        }
        let default_ok = match &c.default {
            Some(d) => is_constant_default(d),
            None => c.nullable,
        };
        !c.autoincrement && default_ok
    }
}

/// A default `ALTER TABLE ADD COLUMN` accepts: a literal, not `CURRENT_*` or an
/// expression.
fn is_constant_default(expr: &str) -> bool {
    is_plain_literal(expr) && !normalize_default(expr).starts_with("current_")
}

impl Dialect for Sqlite {
    fn kind(&self) -> DialectKind {
        KIND
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            transactional_ddl: true,
            supports_if_not_exists: true,
            max_identifier_len: usize::MAX,
            identifier_len_in_bytes: false,
            supports_comments: false,
            table_rebuild: true,
        }
    }

    fn quote_ident(&self, name: &str) -> String {
        double_quoted(name)
    }

    fn quote_literal(&self, text: &str) -> String {
        string_literal(text)
    }

    fn column_type(&self, ty: &ColumnType) -> String {
        match ty {
            ColumnType::SmallInt => "SMALLINT".into(),
            ColumnType::Integer => "INTEGER".into(),
            ColumnType::BigInt => "BIGINT".into(),
            ColumnType::Unsigned(bits) => self.column_type(&unsigned::wider_type(KIND, *bits)),
            ColumnType::Float => "FLOAT".into(),
            ColumnType::Double => "DOUBLE".into(),
            ColumnType::Decimal { precision, scale } => format!("NUMERIC({precision},{scale})"),
            ColumnType::Boolean => "BOOLEAN".into(),
            ColumnType::Text | ColumnType::Uuid | ColumnType::Json => "TEXT".into(),
            ColumnType::Varchar(n) => format!("VARCHAR({n})"),
            ColumnType::Bytes => "BLOB".into(),
            ColumnType::Date => "DATE".into(),
            ColumnType::Time => "TIME".into(),
            ColumnType::Timestamp => "TIMESTAMP".into(),
            ColumnType::TimestampTz => "TIMESTAMPTZ".into(),
            ColumnType::Enum { .. } => "TEXT".into(),
            ColumnType::Raw(sql) => sql.clone(),
            ColumnType::PerDatabase(types) => column_extras::type_sql(KIND, types),
        }
    }

    fn needs_rebuild(&self, op: &Operation, _before: &Schema) -> bool {
        use Operation::*;
        match op {
            AlterColumn { .. }
            | AddPrimaryKey { .. }
            | DropPrimaryKey { .. }
            | AddUnique { .. }
            | DropUnique { .. }
            | AddForeignKey { .. }
            | DropForeignKey { .. }
            | AddCheck { .. }
            | DropCheck { .. } => true,
            AddColumn { column, .. } => !Self::can_add_column(column),
            // A column still in use is refused (`refuse_dropping_a_used_column`);
            // any other is dropped in place.
            DropColumn { .. } => false,
            _ => false,
        }
    }

    fn render(&self, op: &Operation, before: &Schema) -> Result<Vec<Statement>, RenderError> {
        use Operation::*;
        if let DropColumn { table, column } = op {
            common::refuse_dropping_a_used_column(KIND, before, table, &column.name)?;
        }
        if self.needs_rebuild(op, before) {
            return sqlite_rebuild::rebuild(self, std::slice::from_ref(op), before);
        }
        let alter = |table: &str, rest: String| -> Result<Vec<Statement>, RenderError> {
            common::table(KIND, before, table)?;
            Ok(vec![Statement::new(format!(
                "ALTER TABLE {} {rest}",
                ident(self, table)?
            ))])
        };
        match op {
            CreateTable { table } => {
                let mut out = vec![Statement::new(self.create_table_sql(table, &table.name)?)];
                for index in &table.indexes {
                    out.push(self.create_index(&table.name, index)?);
                }
                Ok(out)
            }
            DropTable { table } => Ok(vec![Statement::new(format!(
                "DROP TABLE {}",
                ident(self, &table.name)?
            ))]),
            RenameTable { from, to } => alter(from, format!("RENAME TO {}", ident(self, to)?)),
            // Rule: SQLite has no way to rename an index, and a key's or check's
            // name lives in the CREATE text: each keeps its old name
            // (`KeptNames`, which `render_onto` applies: later steps name it as
            // the database does). Dropping and creating an index again would
            // rebuild it, for what was meant as a rename.
            RenameConstraint { table, from, .. } => {
                let t = common::table(KIND, before, table)?;
                common::named_object(KIND, t, from)?;
                Ok(Vec::new())
            }
            AddColumn { table, column } => {
                let t = common::table(KIND, before, table)?;
                alter(table, format!("ADD COLUMN {}", self.column_def(t, column)?))
            }
            DropColumn { table, column } => {
                alter(table, format!("DROP COLUMN {}", ident(self, &column.name)?))
            }
            RenameColumn { table, from, to } => alter(
                table,
                format!(
                    "RENAME COLUMN {} TO {}",
                    ident(self, from)?,
                    ident(self, to)?
                ),
            ),
            CreateIndex { table, index } => {
                common::table(KIND, before, table)?;
                Ok(vec![self.create_index(table, index)?])
            }
            DropIndex { index, .. } => Ok(vec![Statement::new(format!(
                "DROP INDEX {}",
                double_quoted(&index.name)
            ))]),
            // SQLite stores no comments; the schema model keeps them.
            SetTableComment { .. } | SetColumnComment { .. } => Ok(Vec::new()),
            // The labels live in each column's check: each table of the type is
            // rebuilt (its copy fails while a row holds a removed label).
            CreateEnum { .. } | DropEnum { .. } => Ok(Vec::new()),
            AlterEnum { name, .. } => {
                let mut out = Vec::new();
                let mut tables: Vec<&str> = before
                    .enum_columns(name)
                    .iter()
                    .map(|(t, _)| t.name.as_str())
                    .collect();
                tables.dedup();
                for table in tables {
                    out.extend(sqlite_rebuild::rebuild_table(
                        self,
                        std::slice::from_ref(op),
                        before,
                        table,
                    )?);
                }
                Ok(out)
            }
            RenameEnumValue { name, from, to } => {
                enums::rename_by_widening(self, before, name, from, to)
            }
            CreateObject { object } => super::objects::create(self, object),
            DropObject { object } => super::objects::drop(self, object),
            Sql(step) => Ok(vec![common::raw_sql(KIND, step)]),
            // Everything else is a rebuild, handled above.
            _ => sqlite_rebuild::rebuild(self, std::slice::from_ref(op), before),
        }
    }
}
