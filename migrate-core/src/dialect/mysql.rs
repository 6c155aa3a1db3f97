//! MySQL 8 and MariaDB 10.5+: backtick identifiers, DDL that commits implicitly,
//! `MODIFY COLUMN` restating the whole column, unique constraints as indexes,
//! comments inside the column definition.

use super::column_extras;
use super::common::{self, foreign_key_clause, ident, ident_list};
use super::index_sql;
use super::mysql_keys::{check_columns_allowed, has_declared_index, key_columns};
use super::quote::{backticked, mysql_expression, mysql_string_literal};
use super::{Capabilities, Dialect, DialectKind, RenderError, Statement};
use crate::column_extras::Generated;
use crate::index_shape::IndexMethod;
use crate::ops::Operation;
use crate::schema::NamedObject;
use crate::schema::{normalize_default, Column, Index, Schema, Table};
use crate::types::ColumnType;

/// A MariaDB Galera node (multi-primary cluster), as the runtime and introspection
/// meet it: how to tell one, and how to make a session's reads current.
pub mod galera {
    /// Reads whether the server is a Galera node: one row (name, value) whose value
    /// [`is_on`] reads. MySQL, and MariaDB without Galera, give no row or `OFF`.
    pub const PROBE: &str = "SHOW VARIABLES LIKE 'wsrep_on'";

    /// Makes the session's reads first wait until the node has applied every
    /// transaction the cluster committed before them (`wsrep_sync_wait = 1`), so a
    /// node that is behind is never read as the database's state.
    pub const SYNC_READS: &str = "SET SESSION wsrep_sync_wait = 1";

    /// Whether [`PROBE`]'s value (`None` when it gave no row) says the server is a
    /// Galera node.
    pub fn is_on(value: Option<&str>) -> bool {
        value.is_some_and(|v| v.eq_ignore_ascii_case("ON"))
    }
}

/// The MySQL/MariaDB dialect.
#[derive(Clone, Copy, Debug, Default)]
pub struct MySql;

pub(super) const KIND: DialectKind = DialectKind::MySql;

/// DDL on MySQL commits the open transaction.
fn ddl(sql: String) -> Statement {
    Statement {
        implicit_commit: true,
        ..Statement::new(sql)
    }
}

/// Types MySQL stores off-row (TEXT, BLOB, JSON): no plain literal default and no
/// index without a prefix length.
pub(super) fn is_long(ty: &ColumnType) -> bool {
    matches!(ty, ColumnType::Text | ColumnType::Bytes | ColumnType::Json)
}

impl MySql {
    fn column_def(&self, table: &str, c: &Column) -> Result<String, RenderError> {
        column_extras::check_column(KIND, table, c)?;
        let mut sql = format!("{} {}", ident(self, &c.name)?, self.column_type(&c.ty));
        sql.push_str(&column_extras::collate_clause(self, c));
        match &c.generated {
            // MariaDB accepts no NULL / NOT NULL on a generated column: it is
            // always nullable there (see `migrate_introspect::storable`).
            Some(g) => sql.push_str(&column_extras::generated_clause(
                KIND,
                &Generated {
                    expr: mysql_expression(g.expr_for(KIND)),
                    per_database: Default::default(),
                    ..g.clone()
                },
            )),
            None => sql.push_str(if c.nullable { " NULL" } else { " NOT NULL" }),
        }
        if let Some(default) = &c.default {
            sql.push_str(&format!(" DEFAULT {}", self.default_expr(&c.ty, default)));
        }
        if let Some(on_update) = &c.on_update {
            sql.push_str(&format!(
                " ON UPDATE {}",
                self.default_expr(&c.ty, on_update)
            ));
        }
        if c.autoincrement {
            common::autoincrement_allowed(KIND, table, c)?;
            sql.push_str(" AUTO_INCREMENT");
        }
        if let Some(comment) = &c.comment {
            sql.push_str(&format!(" COMMENT {}", mysql_string_literal(comment)));
        }
        Ok(sql)
    }

    /// A default as MySQL wants it: `CURRENT_TIMESTAMP(6)` for the `DATETIME(6)`
    /// columns, and an expression default in parentheses for TEXT/BLOB/JSON, which
    /// accept no literal default (MySQL 8.0.13+, MariaDB 10.2+).
    fn default_expr(&self, ty: &ColumnType, default: &str) -> String {
        let expr = mysql_expression(default);
        if matches!(
            ty,
            ColumnType::Timestamp | ColumnType::TimestampTz | ColumnType::Time
        ) && normalize_default(default) == "current_timestamp"
        {
            return "CURRENT_TIMESTAMP(6)".to_string();
        }
        if is_long(ty) {
            format!("({expr})")
        } else {
            expr
        }
    }

    /// Fails for a TEXT/BLOB/JSON column in a key: MySQL needs a prefix length there.
    fn check_key_columns<S: AsRef<str>>(
        &self,
        t: &Table,
        what: &str,
        columns: &[S],
    ) -> Result<(), RenderError> {
        for name in columns {
            if let Some(c) = t.column(name.as_ref()) {
                if is_long(&c.ty) {
                    return Err(RenderError::Unsupported {
                        dialect: KIND,
                        table: t.name.clone(),
                        what: format!("use {} column '{}' in {what}", c.ty, c.name),
                        how_to_fix: "MySQL indexes TEXT/BLOB only by a prefix; give the column \
                                     a maximum length (`max_len`, i.e. varchar(N)) instead"
                            .to_string(),
                    });
                }
            }
        }
        Ok(())
    }

    fn create_table(&self, t: &Table) -> Result<Vec<Statement>, RenderError> {
        // Index names within the new table, in the order they are created.
        let mut seen = Table {
            uniques: Vec::new(),
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            ..t.clone()
        };
        for u in &t.uniques {
            self.check_index_name(&seen, &u.name, "unique constraint")?;
            seen.uniques.push(u.clone());
        }
        for fk in &t.foreign_keys {
            if !has_declared_index(t, &fk.columns, None) {
                self.check_index_name(&seen, &fk.name, "foreign key")?;
            }
            seen.foreign_keys.push(fk.clone());
        }
        for i in &t.indexes {
            self.check_index_name(&seen, &i.name, "index")?;
            seen.indexes.push(i.clone());
        }
        let mut parts = Vec::new();
        for c in &t.columns {
            parts.push(self.column_def(&t.name, c)?);
        }
        if let Some(pk) = &t.primary_key {
            self.check_key_columns(t, "a primary key", &pk.columns)?;
            // MySQL names every primary key PRIMARY; the neutral name is not kept.
            parts.push(format!("PRIMARY KEY {}", ident_list(self, &pk.columns)?));
        }
        for u in &t.uniques {
            self.check_key_columns(t, "a unique constraint", &u.columns)?;
            parts.push(format!(
                "CONSTRAINT {} UNIQUE {}",
                ident(self, &u.name)?,
                ident_list(self, &u.columns)?
            ));
        }
        for fk in &t.foreign_keys {
            index_sql::check_foreign_key(self, &t.name, fk)?;
            parts.push(format!(
                "CONSTRAINT {} {}",
                ident(self, &fk.name)?,
                foreign_key_clause(self, fk)?
            ));
        }
        check_columns_allowed(t)?;
        for ck in &t.checks {
            parts.push(format!(
                "CONSTRAINT {} CHECK ({})",
                ident(self, &ck.name)?,
                mysql_expression(&ck.expr)
            ));
        }
        let mut sql = format!(
            "CREATE TABLE {} (\n    {}\n)",
            ident(self, &t.name)?,
            parts.join(",\n    ")
        );
        if let Some(comment) = &t.comment {
            sql.push_str(&format!(" COMMENT = {}", mysql_string_literal(comment)));
        }
        let mut out = vec![ddl(sql)];
        for index in &t.indexes {
            out.push(self.create_index(t, index)?);
        }
        Ok(out)
    }

    fn create_index(&self, t: &Table, index: &Index) -> Result<Statement, RenderError> {
        index_sql::check_index(self, &t.name, index)?;
        let names: Vec<&str> = index.columns.iter().map(|c| c.name.as_str()).collect();
        // Rule: FULLTEXT and SPATIAL indexes take TEXT and geometry columns whole;
        // only a B-tree needs a prefix on TEXT/BLOB.
        let kind = match index.method {
            Some(IndexMethod::Fulltext) => "FULLTEXT ",
            Some(IndexMethod::Spatial) => "SPATIAL ",
            _ => {
                self.check_key_columns(t, &format!("index '{}'", index.name), &names)?;
                if index.unique {
                    "UNIQUE "
                } else {
                    ""
                }
            }
        };
        let cols = index_sql::index_keys(self, index)?;
        let own = self.drop_own_indexes(t, &names)?;
        if !own.is_empty() {
            return Ok(ddl(format!(
                "ALTER TABLE {} ADD {kind}INDEX {} ({cols}){own}",
                ident(self, &t.name)?,
                ident(self, &index.name)?,
            )));
        }
        Ok(ddl(format!(
            "CREATE {kind}INDEX {} ON {} ({cols})",
            ident(self, &index.name)?,
            ident(self, &t.name)?,
        )))
    }

    /// `ALTER TABLE t MODIFY COLUMN <the whole column>`: MySQL forgets whatever the
    /// new definition leaves out, so it restates type, null, default,
    /// auto-increment and comment.
    fn modify(&self, table: &str, c: &Column) -> Result<Vec<Statement>, RenderError> {
        Ok(vec![ddl(format!(
            "ALTER TABLE {} MODIFY COLUMN {}",
            ident(self, table)?,
            self.column_def(table, c)?
        ))])
    }
}

impl Dialect for MySql {
    fn kind(&self) -> DialectKind {
        KIND
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            transactional_ddl: false,
            supports_if_not_exists: true,
            max_identifier_len: 64,
            identifier_len_in_bytes: false,
            supports_comments: true,
            table_rebuild: false,
        }
    }

    fn quote_ident(&self, name: &str) -> String {
        backticked(name)
    }

    fn quote_literal(&self, text: &str) -> String {
        mysql_string_literal(text)
    }

    fn column_type(&self, ty: &ColumnType) -> String {
        match ty {
            ColumnType::SmallInt => "SMALLINT".into(),
            ColumnType::Integer => "INT".into(),
            ColumnType::BigInt => "BIGINT".into(),
            ColumnType::Unsigned(bits) => {
                format!("{} UNSIGNED", bits.mysql_name().to_ascii_uppercase())
            }
            ColumnType::Float => "FLOAT".into(),
            ColumnType::Double => "DOUBLE".into(),
            ColumnType::Decimal { precision, scale } => format!("DECIMAL({precision},{scale})"),
            ColumnType::Boolean => "BOOLEAN".into(),
            ColumnType::Text => "LONGTEXT".into(),
            ColumnType::Varchar(n) => format!("VARCHAR({n})"),
            ColumnType::Bytes => "LONGBLOB".into(),
            ColumnType::Date => "DATE".into(),
            ColumnType::Time => "TIME(6)".into(),
            ColumnType::Timestamp | ColumnType::TimestampTz => "DATETIME(6)".into(),
            ColumnType::Uuid => "CHAR(36)".into(),
            ColumnType::Json => "JSON".into(),
            ColumnType::Enum { values, .. } => format!(
                "ENUM({})",
                values
                    .iter()
                    .map(|v| mysql_string_literal(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ColumnType::Raw(sql) => sql.clone(),
            ColumnType::PerDatabase(types) => column_extras::type_sql(KIND, types),
        }
    }

    fn render(&self, op: &Operation, before: &Schema) -> Result<Vec<Statement>, RenderError> {
        use Operation::*;
        let alter = |table: &str, rest: String| -> Result<Vec<Statement>, RenderError> {
            common::table(KIND, before, table)?;
            Ok(vec![ddl(format!(
                "ALTER TABLE {} {rest}",
                ident(self, table)?
            ))])
        };
        match op {
            CreateTable { table } => self.create_table(table),
            DropTable { table } => Ok(vec![ddl(format!(
                "DROP TABLE {}",
                ident(self, &table.name)?
            ))]),
            RenameTable { from, to } => alter(from, format!("RENAME TO {}", ident(self, to)?)),
            // Rule: MySQL renames indexes and unique keys in place and its primary
            // key is always PRIMARY; a foreign key or check cannot be renamed, so it
            // keeps its old name (`KeptNames`, which `render_onto` applies: later
            // steps name it as the database does). Dropping and adding it again
            // would re-validate the key under lock, for what was meant as a rename.
            RenameConstraint { table, from, to } => {
                let t = common::table(KIND, before, table)?;
                match common::named_object(KIND, t, from)? {
                    NamedObject::Index | NamedObject::Unique => alter(
                        table,
                        format!(
                            "RENAME INDEX {} TO {}",
                            ident(self, from)?,
                            ident(self, to)?
                        ),
                    ),
                    NamedObject::PrimaryKey | NamedObject::ForeignKey | NamedObject::Check => {
                        Ok(Vec::new())
                    }
                }
            }
            AddColumn { table, column } => alter(
                table,
                format!("ADD COLUMN {}", self.column_def(table, column)?),
            ),
            DropColumn { table, column } => {
                common::refuse_dropping_a_used_column(KIND, before, table, &column.name)?;
                alter(table, format!("DROP COLUMN {}", ident(self, &column.name)?))
            }
            AlterColumn {
                table, column, to, ..
            } => {
                let t = common::table(KIND, before, table)?;
                let current = common::column(KIND, t, column)?;
                // A column in a key cannot become TEXT/BLOB/JSON: MySQL refuses,
                // and MariaDB silently turns the index into a prefix index.
                if is_long(&to.ty) {
                    let mut retyped = t.clone();
                    if let Some(c) = retyped.column_mut(column) {
                        c.ty = to.ty.clone();
                    }
                    for (name, columns) in key_columns(t) {
                        if columns.contains(&column) {
                            self.check_key_columns(&retyped, &format!("index '{name}'"), &columns)?;
                        }
                    }
                    if let Some(pk) = &t.primary_key {
                        self.check_key_columns(&retyped, "a primary key", &pk.columns)?;
                    }
                }
                let new = Column {
                    ty: to.ty.clone(),
                    nullable: to.nullable,
                    default: to.default.clone(),
                    autoincrement: to.autoincrement,
                    generated: to.generated.as_deref().cloned(),
                    on_update: to.on_update.clone(),
                    collation: to.collation.clone(),
                    ..current.clone()
                };
                // Rule: MariaDB changes no generation in place. A column that stops
                // being generated keeps its values: a plain column is added next
                // to it, filled from it, and takes its place.
                if current.generated.is_some() && new.generated.is_none() {
                    common::refuse_dropping_a_used_column(KIND, before, table, column)?;
                    let temp = format!("_migrate_new_{column}");
                    let staged = Column {
                        name: temp.clone(),
                        ..new.clone()
                    };
                    let mut out = alter(
                        table,
                        format!(
                            "ADD COLUMN {} AFTER {}",
                            self.column_def(table, &staged)?,
                            ident(self, column)?
                        ),
                    )?;
                    out.push(Statement::new(format!(
                        "UPDATE {} SET {} = {}",
                        ident(self, table)?,
                        ident(self, &temp)?,
                        ident(self, column)?
                    )));
                    out.extend(alter(
                        table,
                        format!("DROP COLUMN {}", ident(self, column)?),
                    )?);
                    out.extend(alter(
                        table,
                        format!(
                            "RENAME COLUMN {} TO {}",
                            ident(self, &temp)?,
                            ident(self, column)?
                        ),
                    )?);
                    return Ok(out);
                }
                // A generated column holds nothing of its own, so a new generation
                // drops and adds it again (refused while an index or constraint
                // uses it).
                if new.generated.is_some() && current.generated != new.generated {
                    common::refuse_dropping_a_used_column(KIND, before, table, column)?;
                    let mut out = alter(table, format!("DROP COLUMN {}", ident(self, column)?))?;
                    // Back in its place: after the column before it, or first.
                    let at = t.columns.iter().position(|c| c.name == *column);
                    let place = match at.and_then(|i| i.checked_sub(1)) {
                        Some(i) => format!(" AFTER {}", ident(self, &t.columns[i].name)?),
                        None => " FIRST".to_string(),
                    };
                    out.extend(alter(
                        table,
                        format!("ADD COLUMN {}{place}", self.column_def(table, &new)?),
                    )?);
                    return Ok(out);
                }
                self.modify(table, &new)
            }
            RenameColumn { table, from, to } => alter(
                table,
                format!(
                    "RENAME COLUMN {} TO {}",
                    ident(self, from)?,
                    ident(self, to)?
                ),
            ),
            AddPrimaryKey { table, primary_key } => {
                let t = common::table(KIND, before, table)?;
                self.check_key_columns(t, "a primary key", &primary_key.columns)?;
                alter(
                    table,
                    format!(
                        "ADD PRIMARY KEY {}",
                        ident_list(self, &primary_key.columns)?
                    ),
                )
            }
            DropPrimaryKey { table, .. } => alter(table, "DROP PRIMARY KEY".to_string()),
            AddUnique { table, unique } => {
                let t = common::table(KIND, before, table)?;
                self.check_key_columns(t, "a unique constraint", &unique.columns)?;
                self.check_index_name(t, &unique.name, "unique constraint")?;
                let own = self.drop_own_indexes(t, &unique.columns)?;
                alter(
                    table,
                    format!(
                        "ADD CONSTRAINT {} UNIQUE {}{own}",
                        ident(self, &unique.name)?,
                        ident_list(self, &unique.columns)?
                    ),
                )
            }
            // A unique constraint is an index on MySQL.
            DropUnique { table, unique } => {
                let t = common::table(KIND, before, table)?;
                let keep = self.keep_foreign_key_indexes(t, &unique.name)?;
                alter(
                    table,
                    format!("{keep}DROP INDEX {}", ident(self, &unique.name)?),
                )
            }
            CreateIndex { table, index } => {
                let t = common::table(KIND, before, table)?;
                self.check_index_name(t, &index.name, "index")?;
                Ok(vec![self.create_index(t, index)?])
            }
            DropIndex { table, index } => {
                let t = common::table(KIND, before, table)?;
                let keep = self.keep_foreign_key_indexes(t, &index.name)?;
                if keep.is_empty() {
                    return Ok(vec![ddl(format!(
                        "DROP INDEX {} ON {}",
                        ident(self, &index.name)?,
                        ident(self, table)?
                    ))]);
                }
                alter(
                    table,
                    format!("{keep}DROP INDEX {}", ident(self, &index.name)?),
                )
            }
            AddForeignKey { table, foreign_key } => {
                let t = common::table(KIND, before, table)?;
                let mut with_key = t.clone();
                index_sql::check_foreign_key(self, table, foreign_key)?;
                with_key.foreign_keys = vec![foreign_key.clone()];
                check_columns_allowed(&with_key)?;
                // InnoDB names the index it makes for the key after the key.
                if !has_declared_index(t, &foreign_key.columns, None) {
                    self.check_index_name(t, &foreign_key.name, "foreign key")?;
                }
                alter(
                    table,
                    format!(
                        "ADD CONSTRAINT {} {}",
                        ident(self, &foreign_key.name)?,
                        foreign_key_clause(self, foreign_key)?
                    ),
                )
            }
            // Rule: the index InnoDB made for a key goes with the key, unless a
            // declared index covers the key (InnoDB then made none, or dropped its
            // own when that index came).
            DropForeignKey { table, foreign_key } => {
                let t = common::table(KIND, before, table)?;
                let name = ident(self, &foreign_key.name)?;
                if has_declared_index(t, &foreign_key.columns, None) {
                    alter(table, format!("DROP FOREIGN KEY {name}"))
                } else {
                    alter(table, format!("DROP FOREIGN KEY {name}, DROP INDEX {name}"))
                }
            }
            AddCheck { table, check } => {
                let mut t = common::table(KIND, before, table)?.clone();
                t.checks = vec![check.clone()];
                check_columns_allowed(&t)?;
                alter(
                    table,
                    format!(
                        "ADD CONSTRAINT {} CHECK ({})",
                        ident(self, &check.name)?,
                        mysql_expression(&check.expr)
                    ),
                )
            }
            // DROP CONSTRAINT works for checks on MySQL 8.0.19+ and MariaDB.
            DropCheck { table, check } => alter(
                table,
                format!("DROP CONSTRAINT {}", ident(self, &check.name)?),
            ),
            SetTableComment { table, to, .. } => alter(
                table,
                format!(
                    "COMMENT = {}",
                    mysql_string_literal(to.as_deref().unwrap_or(""))
                ),
            ),
            SetColumnComment {
                table, column, to, ..
            } => {
                let t = common::table(KIND, before, table)?;
                let current = common::column(KIND, t, column)?;
                let new = Column {
                    comment: to.clone(),
                    ..current.clone()
                };
                self.modify(table, &new)
            }
            // The labels live in each column: `MODIFY COLUMN` restates every column
            // of the type (strict mode refuses it while a row holds a removed label).
            CreateEnum { .. } | DropEnum { .. } => Ok(Vec::new()),
            AlterEnum { name, from, to } => {
                let mut out = Vec::new();
                // Rule: a session that is not strict would store '' for a removed
                // label a row holds (losing it silently); strict mode makes the
                // MODIFY fail instead, so the session is made strict around it.
                let removes = from.iter().any(|l| !to.contains(l));
                if removes {
                    out.push(Statement::new("SET @migrate_sql_mode = @@SESSION.sql_mode"));
                    out.push(Statement::new(
                        "SET SESSION sql_mode = CONCAT_WS(',', @@SESSION.sql_mode, 'STRICT_ALL_TABLES')",
                    ));
                }
                for (t, c) in before.enum_columns(name) {
                    let changed = Column {
                        ty: ColumnType::Enum {
                            name: name.clone(),
                            values: to.clone(),
                        },
                        ..c.clone()
                    };
                    out.extend(self.modify(&t.name, &changed)?);
                }
                if removes {
                    out.push(Statement::new("SET SESSION sql_mode = @migrate_sql_mode"));
                }
                Ok(out)
            }
            RenameEnumValue { name, from, to } => {
                super::enums::rename_by_widening(self, before, name, from, to)
            }
            CreateObject { object } => super::objects::create(self, object),
            DropObject { object } => super::objects::drop(self, object),
            Sql(step) => Ok(vec![common::raw_sql(KIND, step)]),
        }
    }
}
