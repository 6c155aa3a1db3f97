//! Tables in a PostgreSQL schema (namespace) other than the database's current one.
//!
//! A table's identity is its schema and its name. In the schema model the two are
//! one string, `billing.invoice` (the name alone for a table of the current schema,
//! usually `public`), so every map, operation and foreign key that names a table
//! tells `billing.invoice` from `invoice` without a second key. That string is also
//! how SQL names the table unquoted. Revision files keep the two apart: a table's
//! definition (`create_table`, `drop_table`) carries `schema = "billing"` beside
//! `name = "invoice"`, and other steps name the table as `billing.invoice`.
//!
//! Only PostgreSQL has such schemas: rendering a table in one for MySQL or SQLite
//! is an error ([`refuse_elsewhere`]), and so is a model that asks for one in a
//! project on those databases (the build script says so at the model).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::dialect::{DialectKind, RenderError};
use crate::objects::{ObjectKind, SchemaObject};
use crate::ops::Operation;
use crate::schema::{Check, Column, ForeignKey, Index, PrimaryKey, Schema, Table, Unique};

/// `billing.invoice` → `(Some("billing"), "invoice")`; `invoice` → `(None, "invoice")`.
pub fn split(name: &str) -> (Option<&str>, &str) {
    match name.split_once('.') {
        Some((schema, table)) => (Some(schema), table),
        None => (None, name),
    }
}

/// The model's name for `table` in `schema` (`None`: the current schema).
pub fn join(schema: Option<&str>, table: &str) -> String {
    match schema {
        Some(s) if !s.is_empty() => format!("{s}.{table}"),
        _ => table.to_string(),
    }
}

/// The schema of the table called `name`, if not the current one.
pub fn schema_of(name: &str) -> Option<&str> {
    split(name).0
}

/// The schemas the tables of `schema` live in, besides the current one, in order.
pub fn table_schemas(schema: &Schema) -> Vec<String> {
    let names: std::collections::BTreeSet<&str> =
        schema.tables.keys().filter_map(|t| schema_of(t)).collect();
    names.into_iter().map(str::to_string).collect()
}

/// Adds a PostgreSQL schema object for every schema a table lives in and no
/// declared object creates, so that autogenerate creates the schema before its
/// tables and drops it after them (schemas come first, see
/// [`ObjectKind::before_tables`]). The object has a PostgreSQL body only.
pub fn add_implied_schemas(schema: &mut Schema) {
    for name in table_schemas(schema) {
        let declared = schema
            .objects
            .iter()
            .any(|o| o.kind == ObjectKind::Schema && o.name == name);
        if !declared {
            schema.objects.push(implied_schema(&name));
        }
    }
    schema
        .objects
        .sort_by(|a, b| (a.kind, &a.name).cmp(&(b.kind, &b.name)));
}

/// The schema object [`add_implied_schemas`] adds for `name`.
pub fn implied_schema(name: &str) -> SchemaObject {
    SchemaObject {
        sql: None,
        postgres: Some(String::new()),
        ..SchemaObject::new(ObjectKind::Schema, name, "")
    }
}

/// Rule: only PostgreSQL has schemas a table can live in. Creating (or renaming
/// into) a table named `schema.table` on another database is an error that says
/// so, rather than a table whose name holds a dot.
pub fn refuse_elsewhere(kind: DialectKind, op: &Operation) -> Result<(), RenderError> {
    if kind == DialectKind::Postgres {
        return Ok(());
    }
    let name = match op {
        Operation::CreateTable { table } => &table.name,
        Operation::RenameTable { to, .. } => to,
        _ => return Ok(()),
    };
    match schema_of(name) {
        None => Ok(()),
        Some(schema) => Err(RenderError::Unsupported {
            dialect: kind,
            table: name.clone(),
            what: format!("create a table in the schema '{schema}'"),
            how_to_fix: "schemas other than the current one exist on PostgreSQL only: \
                         leave out `#[model(schema = ...)]` (and the table's `schema` key \
                         in the revision) for this database"
                .to_string(),
        }),
    }
}

/// A table as revision files and JSON write it: `name` and `schema` apart.
#[derive(Serialize)]
struct TableOut<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema: Option<&'a str>,
    columns: &'a Vec<Column>,
    #[serde(skip_serializing_if = "Option::is_none")]
    primary_key: &'a Option<PrimaryKey>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    uniques: &'a Vec<Unique>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    indexes: &'a Vec<Index>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    foreign_keys: &'a Vec<ForeignKey>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    checks: &'a Vec<Check>,
    #[serde(skip_serializing_if = "Option::is_none")]
    comment: &'a Option<String>,
}

/// A table as read from a file: see [`TableOut`].
#[derive(Deserialize)]
struct TableIn {
    name: String,
    #[serde(default)]
    schema: Option<String>,
    columns: Vec<Column>,
    #[serde(default)]
    primary_key: Option<PrimaryKey>,
    #[serde(default)]
    uniques: Vec<Unique>,
    #[serde(default)]
    indexes: Vec<Index>,
    #[serde(default)]
    foreign_keys: Vec<ForeignKey>,
    #[serde(default)]
    checks: Vec<Check>,
    #[serde(default)]
    comment: Option<String>,
}

impl Serialize for Table {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (schema, name) = split(&self.name);
        TableOut {
            name,
            schema,
            columns: &self.columns,
            primary_key: &self.primary_key,
            uniques: &self.uniques,
            indexes: &self.indexes,
            foreign_keys: &self.foreign_keys,
            checks: &self.checks,
            comment: &self.comment,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Table {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let t = TableIn::deserialize(deserializer)?;
        if t.schema
            .as_deref()
            .is_some_and(|s| s.is_empty() || s.contains('.'))
        {
            return Err(serde::de::Error::custom(format!(
                "table '{}' has schema {:?}: write a schema name without dots, or leave \
                 out `schema` for the current schema",
                t.name,
                t.schema.unwrap_or_default()
            )));
        }
        Ok(Table {
            name: join(t.schema.as_deref(), &t.name),
            columns: t.columns,
            primary_key: t.primary_key,
            uniques: t.uniques,
            indexes: t.indexes,
            foreign_keys: t.foreign_keys,
            checks: t.checks,
            comment: t.comment,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::ColumnType;

    #[test]
    fn names_split_and_join() {
        assert_eq!(split("billing.invoice"), (Some("billing"), "invoice"));
        assert_eq!(split("invoice"), (None, "invoice"));
        assert_eq!(join(Some("billing"), "invoice"), "billing.invoice");
        assert_eq!(join(None, "invoice"), "invoice");
    }

    #[test]
    fn a_table_writes_its_schema_apart_and_reads_it_back() {
        let mut t = Table::new("billing.invoice");
        t.columns.push(Column::new("id", ColumnType::Integer));
        let text = toml::to_string(&t).unwrap();
        assert!(text.contains("name = \"invoice\""), "{text}");
        assert!(text.contains("schema = \"billing\""), "{text}");
        assert_eq!(toml::from_str::<Table>(&text).unwrap(), t);
        let plain = toml::to_string(&Table::new("invoice")).unwrap();
        assert!(!plain.contains("schema"), "{plain}");
    }

    #[test]
    fn schemas_are_implied_once() {
        let mut s = Schema::from_tables([
            Table::new("billing.invoice"),
            Table::new("billing.customer"),
            Table::new("users"),
        ]);
        add_implied_schemas(&mut s);
        assert_eq!(s.objects, vec![implied_schema("billing")]);
        add_implied_schemas(&mut s);
        assert_eq!(s.objects.len(), 1);
    }

    #[test]
    fn postgres_qualifies_names_and_moves_a_renamed_table() {
        use crate::dialect::render_ops;
        let mut t = Table::new("billing.invoice");
        t.columns.push(Column::new("id", ColumnType::Integer));
        let before = Schema::from_tables([t.clone()]);
        let ops = [
            Operation::RenameTable {
                from: "billing.invoice".into(),
                to: "archive.bill".into(),
            },
            Operation::DropTable {
                table: Table {
                    name: "archive.bill".into(),
                    ..t
                },
            },
        ];
        let sql: Vec<String> = render_ops(DialectKind::Postgres, &before, &ops)
            .unwrap()
            .into_iter()
            .map(|s| s.sql)
            .collect();
        assert_eq!(
            sql,
            [
                "ALTER TABLE \"billing\".\"invoice\" SET SCHEMA \"archive\"",
                "ALTER TABLE \"archive\".\"invoice\" RENAME TO \"bill\"",
                "DROP TABLE \"archive\".\"bill\"",
            ]
        );
    }

    #[test]
    fn other_databases_refuse_a_schema() {
        let op = Operation::CreateTable {
            table: Table::new("billing.invoice"),
        };
        assert!(refuse_elsewhere(DialectKind::Postgres, &op).is_ok());
        let err = refuse_elsewhere(DialectKind::Sqlite, &op).unwrap_err();
        assert!(err.to_string().contains("PostgreSQL only"), "{err}");
    }
}
