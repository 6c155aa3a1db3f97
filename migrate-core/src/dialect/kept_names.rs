//! The names a database keeps where it cannot rename.
//!
//! A `rename_constraint` step (written when a table's rename carries the
//! conventional names of its keys, indexes and checks along) renames the object in
//! the replayed schema. Not every database can do that in place: SQLite has no
//! rename for an index, and a key's or check's name lives in the `CREATE TABLE`
//! text; MySQL/MariaDB cannot rename a foreign key or a check. Dropping and adding
//! the object again under its new name would rebuild an index or re-validate a key
//! under lock, for a change the user meant as a rename.
//!
//! Rule: a database renames what it can rename in place; what it cannot keeps its
//! old name, and [`KeptNames`] records it, so that the steps after it name the
//! object as the database does ([`KeptNames::translate`]) and the live check
//! compares the database with the schema as that database holds it
//! ([`KeptNames::physical`]).
//!
//! A kept name stays recorded until a rename back: an object dropped and created
//! again under the same name (a downgrade that restores a dropped key, a table
//! dropped and created again) is created under the kept name. So the names in the
//! database depend only on which revisions are applied, never on the path that led
//! there, and replaying the applied revisions' upgrades gives them.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::DialectKind;
use crate::ops::Operation;
use crate::schema::{NamedObject, Schema};

/// Whether `kind` renames an object of kind `object` in place.
///
/// PostgreSQL renames every kind. MySQL/MariaDB rename indexes and unique keys
/// (`RENAME INDEX`), and their primary key is always called `PRIMARY`; a foreign
/// key or a check cannot be renamed. SQLite renames nothing of a table's.
pub fn renames_in_place(kind: DialectKind, object: NamedObject) -> bool {
    match kind {
        DialectKind::Postgres => true,
        DialectKind::MySql => !matches!(object, NamedObject::ForeignKey | NamedObject::Check),
        DialectKind::Sqlite => false,
    }
}

/// For one database, the objects it holds under another name than the replayed
/// schema's: by table, replayed name to the name in the database.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptNames {
    kind: DialectKind,
    tables: BTreeMap<String, BTreeMap<String, String>>,
}

impl KeptNames {
    /// No kept name yet, for `kind`.
    pub fn new(kind: DialectKind) -> Self {
        KeptNames {
            kind,
            tables: BTreeMap::new(),
        }
    }

    /// Whether every object has its replayed name in the database.
    pub fn is_empty(&self) -> bool {
        self.tables.is_empty()
    }

    /// The name the database gives the object `name` of `table`.
    pub fn name<'a>(&'a self, table: &str, name: &'a str) -> &'a str {
        self.tables
            .get(table)
            .and_then(|t| t.get(name))
            .map_or(name, String::as_str)
    }

    /// Whether the database leaves `op` out: a rename of an object it cannot
    /// rename in place (the name it keeps is recorded by [`KeptNames::note`]).
    pub fn skips(&self, before: &Schema, op: &Operation) -> bool {
        let Operation::RenameConstraint { table, from, .. } = op else {
            return false;
        };
        before
            .table(table)
            .and_then(|t| t.named_object(from))
            .is_some_and(|object| !renames_in_place(self.kind, object))
    }

    /// Records what `op`, about to be replayed onto `before`, does to the kept
    /// names.
    pub fn note(&mut self, before: &Schema, op: &Operation) {
        use Operation::*;
        match op {
            RenameTable { from, to } => {
                if let Some(names) = self.tables.remove(from) {
                    self.tables.insert(to.clone(), names);
                }
            }
            RenameConstraint { table, from, to } => {
                let kept = self.skips(before, op);
                let names = self.tables.entry(table.clone()).or_default();
                let physical = names.remove(from).unwrap_or_else(|| from.clone());
                if kept && physical != *to {
                    names.insert(to.clone(), physical);
                }
            }
            _ => {}
        }
        self.tables.retain(|_, names| !names.is_empty());
    }

    /// `op` with the objects it names (to rename, create or drop) under the names
    /// the database gives them.
    pub fn translate<'a>(&self, op: &'a Operation) -> Cow<'a, Operation> {
        use Operation::*;
        let Some(names) = op.table_name().and_then(|t| self.tables.get(t)) else {
            return Cow::Borrowed(op);
        };
        let mut op = op.clone();
        let name = match &mut op {
            CreateTable { table } | DropTable { table } => {
                for (name, physical) in names {
                    table.rename_object(name, physical);
                }
                return Cow::Owned(op);
            }
            RenameConstraint { from, .. } => from,
            AddPrimaryKey { primary_key: o, .. } | DropPrimaryKey { primary_key: o, .. } => {
                &mut o.name
            }
            AddUnique { unique: o, .. } | DropUnique { unique: o, .. } => &mut o.name,
            CreateIndex { index: o, .. } | DropIndex { index: o, .. } => &mut o.name,
            AddForeignKey { foreign_key: o, .. } | DropForeignKey { foreign_key: o, .. } => {
                &mut o.name
            }
            AddCheck { check: o, .. } | DropCheck { check: o, .. } => &mut o.name,
            _ => return Cow::Owned(op),
        };
        if let Some(physical) = names.get(name.as_str()) {
            *name = physical.clone();
        }
        Cow::Owned(op)
    }

    /// `schema` with each object under the name the database gives it.
    pub fn physical<'a>(&self, schema: &'a Schema) -> Cow<'a, Schema> {
        if self.tables.is_empty() {
            return Cow::Borrowed(schema);
        }
        let mut out = schema.clone();
        for (table, names) in &self.tables {
            if let Some(t) = out.tables.get_mut(table) {
                for (name, physical) in names {
                    t.rename_object(name, physical);
                }
            }
        }
        Cow::Owned(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apply::apply;
    use crate::schema::{Check, Index, IndexColumn, Table};
    use crate::types::ColumnType;

    fn users() -> Schema {
        let mut t = Table::new("users");
        t.columns = vec![crate::schema::Column::new("name", ColumnType::Text)];
        t.indexes = vec![Index {
            name: "ix_users_name".into(),
            columns: vec![IndexColumn::asc("name")],
            unique: false,
            ..Default::default()
        }];
        t.checks = vec![Check {
            name: "ck_users_name".into(),
            expr: "length(name) > 0".into(),
        }];
        Schema::from_tables([t])
    }

    fn run(kind: DialectKind, ops: &[Operation]) -> (Schema, KeptNames) {
        let mut schema = users();
        let mut kept = KeptNames::new(kind);
        for op in ops {
            kept.note(&schema, op);
            apply(&mut schema, op).unwrap();
        }
        (schema, kept)
    }

    fn renames() -> Vec<Operation> {
        vec![
            Operation::RenameTable {
                from: "users".into(),
                to: "people".into(),
            },
            Operation::RenameConstraint {
                table: "people".into(),
                from: "ix_users_name".into(),
                to: "ix_people_name".into(),
            },
            Operation::RenameConstraint {
                table: "people".into(),
                from: "ck_users_name".into(),
                to: "ck_people_name".into(),
            },
        ]
    }

    #[test]
    fn each_database_keeps_what_it_cannot_rename() {
        let (schema, kept) = run(DialectKind::Postgres, &renames());
        assert!(kept.is_empty());
        assert_eq!(kept.physical(&schema).as_ref(), &schema);

        let (schema, kept) = run(DialectKind::MySql, &renames());
        assert_eq!(kept.name("people", "ix_people_name"), "ix_people_name");
        assert_eq!(kept.name("people", "ck_people_name"), "ck_users_name");
        let t = kept.physical(&schema).into_owned().tables["people"].clone();
        assert_eq!(t.checks[0].name, "ck_users_name");

        let (_, kept) = run(DialectKind::Sqlite, &renames());
        assert_eq!(kept.name("people", "ix_people_name"), "ix_users_name");
    }

    /// The downgrade renames back: nothing is left kept. A later drop names the
    /// object as the database does, and so does adding it again.
    #[test]
    fn renaming_back_forgets_the_kept_name_and_dropping_does_not() {
        let mut ops = renames();
        let back: Vec<Operation> = ops.iter().rev().map(|op| op.inverse().unwrap()).collect();
        ops.extend(back);
        let (_, kept) = run(DialectKind::Sqlite, &ops);
        assert!(kept.is_empty(), "{kept:?}");

        let (schema, kept) = run(DialectKind::MySql, &renames());
        let drop = Operation::DropCheck {
            table: "people".into(),
            check: schema.tables["people"].checks[0].clone(),
        };
        let Operation::DropCheck { check, .. } = kept.translate(&drop).into_owned() else {
            unreachable!()
        };
        assert_eq!(check.name, "ck_users_name");
        let add = drop.inverse().unwrap();
        let (_, kept) = run(DialectKind::MySql, &[renames(), vec![drop]].concat());
        let Operation::AddCheck { check, .. } = kept.translate(&add).into_owned() else {
            unreachable!()
        };
        assert_eq!(check.name, "ck_users_name");
    }
}
