//! Schema objects declared in SQL files.
//!
//! The objects directory (`schema/` beside `migrate.toml` unless `objects_dir`
//! says otherwise) has one directory per kind ([`ObjectKind::directory`]) and one
//! file per object in it: `views/active_users.sql` holds the body for every
//! database, `views/active_users.postgres.sql` (or `.mysql.sql`, `.sqlite.sql`) the
//! body for one. An object with only per-database files exists only on those
//! databases. Leading comment lines may say what the body does not:
//!
//! ```sql
//! -- depends_on: users, audit_log
//! -- table: users
//! ```
//!
//! `depends_on` lists tables and objects to create first (names the body mentions
//! are found on their own); `table` is the table of a trigger, found on its own in
//! `CREATE TRIGGER ... ON table`.
//!
//! Overloads: PostgreSQL keeps functions (and procedures) of one name with other
//! argument types apart, so each overload is a file of its own, named
//! `<name>@<label>.sql` (`functions/half@numeric.postgres.sql` beside
//! `functions/half.postgres.sql`): the routine is `<name>`, the label only tells
//! the files apart. Each overload is then its own object ([`super::ObjectId`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{ObjectKind, SchemaObject, ALL_KINDS};
use crate::dialect::tokens::tokenize;
use crate::dialect::DialectKind;

/// The default objects directory, relative to `migrate.toml`.
pub const DEFAULT_DIR: &str = "schema";

/// A file of the objects directory that cannot be read as an object.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}:{line}: {message}", path.display())]
pub struct ObjectFileError {
    /// The file (or directory).
    pub path: PathBuf,
    /// 1-based line (1 when the problem is the name).
    pub line: usize,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// The objects declared under `dir`, in kind then name order, and every file read
/// (for `cargo:rerun-if-changed`). A missing directory declares nothing.
pub fn load_dir(dir: &Path) -> Result<(Vec<SchemaObject>, Vec<PathBuf>), ObjectFileError> {
    let err = |path: &Path, line: usize, message: String| ObjectFileError {
        path: path.to_path_buf(),
        line,
        message,
    };
    // Keyed by the file name without its database suffix: one object per name,
    // one per overload label; the first file of each, for messages.
    let mut objects: BTreeMap<(ObjectKind, String), SchemaObject> = BTreeMap::new();
    let mut first_file: BTreeMap<(ObjectKind, String), PathBuf> = BTreeMap::new();
    let mut files = Vec::new();
    if !dir.is_dir() {
        return Ok((Vec::new(), files));
    }
    let entries = read_sorted(dir).map_err(|e| err(dir, 1, e))?;
    for sub in entries {
        let name = file_name(&sub);
        if name.starts_with('.') {
            continue;
        }
        let Some(kind) = ALL_KINDS.into_iter().find(|k| k.directory() == name) else {
            let known: Vec<&str> = ALL_KINDS.iter().map(|k| k.directory()).collect();
            return Err(err(
                &sub,
                1,
                format!(
                    "'{name}' is not a kind of schema object; the objects directory holds \
                     only the directories {}",
                    known.join(", ")
                ),
            ));
        };
        if !sub.is_dir() {
            return Err(err(
                &sub,
                1,
                format!("'{name}' must be a directory of .sql files"),
            ));
        }
        for path in read_sorted(&sub).map_err(|e| err(&sub, 1, e))? {
            let file = file_name(&path);
            if file.starts_with('.') {
                continue;
            }
            let Some(stem) = file.strip_suffix(".sql") else {
                return Err(err(
                    &path,
                    1,
                    format!(
                        "'{file}' is not a .sql file; move it out of {}",
                        sub.display()
                    ),
                ));
            };
            let (object_name, dialect) = match stem.rsplit_once('.') {
                // Rule: one spelling per database, so one object has one file each.
                Some((n, d)) => match d {
                    "postgres" => (n, Some(DialectKind::Postgres)),
                    "mysql" => (n, Some(DialectKind::MySql)),
                    "sqlite" => (n, Some(DialectKind::Sqlite)),
                    // Rule: one dot and no database after it is an object in a
                    // PostgreSQL schema (`views/sales.daily.sql`), named like a
                    // table there ([`crate::qualified`]).
                    _ if !n.contains('.') && kind.in_pg_schema() => (stem, None),
                    _ => {
                        return Err(err(
                            &path,
                            1,
                            format!(
                                "'{d}' in '{file}' is not a database: name the file \
                                 '{n}.sql', '{n}.postgres.sql', '{n}.mysql.sql' or \
                                 '{n}.sqlite.sql'"
                            ),
                        ))
                    }
                },
                None => (stem, None),
            };
            let text = std::fs::read_to_string(&path).map_err(|e| err(&path, 1, e.to_string()))?;
            files.push(path.clone());
            let parsed = parse_file(&text).map_err(|(line, m)| err(&path, line, m))?;
            let routine =
                overload_name(kind, object_name, &parsed.body).map_err(|m| err(&path, 1, m))?;
            first_file
                .entry((kind, object_name.to_string()))
                .or_insert_with(|| path.clone());
            let object = objects
                .entry((kind, object_name.to_string()))
                .or_insert_with(|| SchemaObject {
                    sql: None,
                    ..SchemaObject::new(kind, routine, "")
                });
            for d in parsed.depends_on {
                if !object.depends_on.contains(&d) {
                    object.depends_on.push(d);
                }
            }
            if parsed.table.is_some() {
                object.table = parsed.table;
            }
            if kind == ObjectKind::Trigger && object.table.is_none() {
                // A trigger named `sales.x` is on a table of `sales`.
                object.table = trigger_table(&parsed.body)
                    .map(|t| crate::qualified::join(crate::qualified::schema_of(object_name), &t));
            }
            if matches!(
                kind,
                ObjectKind::View
                    | ObjectKind::MaterializedView
                    | ObjectKind::Function
                    | ObjectKind::Procedure
                    | ObjectKind::Trigger
            ) && parsed.body.is_empty()
            {
                return Err(err(
                    &path,
                    1,
                    format!(
                        "the file is empty: the body of a {kind} is {}",
                        kind.body_is()
                    ),
                ));
            }
            object.set_body(dialect, parsed.body);
        }
    }
    for ((kind, name), object) in &objects {
        if *kind == ObjectKind::Trigger && object.table.is_none() {
            return Err(ObjectFileError {
                path: dir.join(kind.directory()).join(format!("{name}.sql")),
                line: 1,
                message: format!(
                    "cannot tell which table trigger '{name}' is on: write \
                     `CREATE TRIGGER {name} ... ON <table>` or a line `-- table: <table>`"
                ),
            });
        }
    }
    check_overloads(&objects, &first_file)?;
    let mut list: Vec<SchemaObject> = objects.into_values().collect();
    for o in &mut list {
        o.depends_on.sort();
    }
    super::sort(&mut list);
    Ok((list, files))
}

/// The name of the object a file declares: the file name, or for an overload's
/// file (`half@numeric`) the part before `@`, which must be the name its
/// `CREATE FUNCTION`/`CREATE PROCEDURE` statement gives.
fn overload_name<'a>(kind: ObjectKind, stem: &'a str, body: &str) -> Result<&'a str, String> {
    let Some((name, label)) = stem.split_once('@') else {
        return Ok(stem);
    };
    if !kind.is_routine() {
        return Err(format!(
            "'@' in '{stem}': only functions and procedures have overloads \
             (`<name>@<label>.sql`); name the file '{}.sql'",
            stem.replace('@', "_")
        ));
    }
    if name.is_empty() || label.is_empty() {
        return Err(format!(
            "'{stem}' names no routine or no label: an overload's file is \
             `<name>@<label>.sql`, say `half@numeric.postgres.sql`"
        ));
    }
    match routine_name(body) {
        Some(declared) if declared != crate::qualified::split(name).1 => Err(format!(
            "the file declares the {kind} '{declared}', but its name says '{name}': \
             name the file '{declared}@{label}.sql' or correct the statement"
        )),
        _ => Ok(name),
    }
}

/// The routine's name in `CREATE [OR REPLACE] FUNCTION|PROCEDURE name(` (the last
/// part of a qualified name).
pub fn routine_name(body: &str) -> Option<String> {
    let tokens = tokenize(body);
    let at = tokens
        .iter()
        .position(|t| t.is("function") || t.is("procedure"))?;
    let mut name = tokens.get(at + 1).filter(|t| t.is_name())?.text.clone();
    let mut i = at + 2;
    while tokens.get(i).is_some_and(|t| t.is(".")) {
        name = tokens.get(i + 1).filter(|t| t.is_name())?.text.clone();
        i += 2;
    }
    Some(name)
}

/// Rules: two files may not declare one routine (same name and argument types),
/// and only PostgreSQL tells overloads apart, so overloads of one name that both
/// have a body for MySQL/MariaDB are an error saying to scope them.
fn check_overloads(
    objects: &BTreeMap<(ObjectKind, String), SchemaObject>,
    first_file: &BTreeMap<(ObjectKind, String), PathBuf>,
) -> Result<(), ObjectFileError> {
    let mut seen: BTreeMap<super::ObjectId, &PathBuf> = BTreeMap::new();
    let mut on_mysql: BTreeMap<(ObjectKind, &str), &PathBuf> = BTreeMap::new();
    for (key, object) in objects.iter().filter(|(_, o)| o.kind.is_routine()) {
        let path = &first_file[key];
        let id = object.id();
        if let Some(other) = seen.insert(id.clone(), path) {
            let fix = if id.signature.is_none() {
                "write their bodies in dollar quotes (`AS $$ ... $$`) so their argument types \
                 can be read, or remove one"
            } else {
                "remove one, or change its argument types"
            };
            return Err(ObjectFileError {
                path: path.clone(),
                line: 1,
                message: format!(
                    "declares {id}, which {} declares too: {fix}",
                    other.display()
                ),
            });
        }
        if object.body_for(DialectKind::MySql).is_some() {
            if let Some(other) = on_mysql.insert((object.kind, object.name.as_str()), path) {
                return Err(ObjectFileError {
                    path: path.clone(),
                    line: 1,
                    message: format!(
                        "MySQL/MariaDB has no overloads, and both this file and {} give {} \
                         '{}' a body for it: name the overloads' files \
                         `<name>@<label>.postgres.sql` so they exist on PostgreSQL only",
                        other.display(),
                        object.kind,
                        object.name
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Writes `objects` under `dir`, one file each (`views/name.sql`, or
/// `views/name.postgres.sql` for a body of one database; overloads of one name as
/// `functions/name@<argument types>.sql`), as [`load_dir`] reads them; returns the
/// files written. Refuses to overwrite a file.
pub fn write_dir(dir: &Path, objects: &[SchemaObject]) -> Result<Vec<PathBuf>, ObjectFileError> {
    let mut written = Vec::new();
    let mut per_name: BTreeMap<(ObjectKind, &str), usize> = BTreeMap::new();
    for o in objects {
        *per_name.entry((o.kind, o.name.as_str())).or_default() += 1;
    }
    for o in objects {
        let stem = if per_name[&(o.kind, o.name.as_str())] > 1 {
            format!("{}@{}", o.name, overload_label(o))
        } else {
            o.name.clone()
        };
        let bodies = [
            (None, &o.sql),
            (Some("postgres"), &o.postgres),
            (Some("mysql"), &o.mysql),
            (Some("sqlite"), &o.sqlite),
        ];
        for (suffix, body) in bodies {
            let Some(body) = body else { continue };
            let file = match suffix {
                None => format!("{stem}.sql"),
                Some(d) => format!("{stem}.{d}.sql"),
            };
            let path = dir.join(o.kind.directory()).join(file);
            let err = |message: String| ObjectFileError {
                path: path.clone(),
                line: 1,
                message,
            };
            if path.exists() {
                return Err(err(
                    "already exists; move it away first (nothing is overwritten)".to_string(),
                ));
            }
            let mut text = String::new();
            if !o.depends_on.is_empty() {
                text.push_str(&format!("-- depends_on: {}\n", o.depends_on.join(", ")));
            }
            if let Some(table) = &o.table {
                text.push_str(&format!("-- table: {table}\n"));
            }
            text.push_str(body.trim());
            text.push('\n');
            std::fs::create_dir_all(path.parent().expect("a file in a directory"))
                .map_err(|e| err(format!("cannot create the directory: {e}")))?;
            std::fs::write(&path, text).map_err(|e| err(format!("cannot write: {e}")))?;
            written.push(path);
        }
    }
    Ok(written)
}

/// The label of an overload's file: its argument types, in letters, digits and
/// `_` (`integer_text`, `none` for no arguments).
fn overload_label(o: &SchemaObject) -> String {
    let types = o.signature().unwrap_or_default();
    if types.is_empty() {
        return "none".to_string();
    }
    let text = types.join("_").replace("[]", "_array");
    let mut label = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            label.push(c);
        } else if !label.ends_with('_') {
            label.push('_');
        }
    }
    label.trim_matches('_').to_string()
}

/// Checks that every `-- depends_on:` name and every trigger's table is a table
/// or an object of `schema` (the models' tables with the objects of `dir`); an
/// error names the object's file.
pub fn check_names(dir: &Path, schema: &crate::schema::Schema) -> Result<(), ObjectFileError> {
    let known = |name: &str| {
        schema.tables.contains_key(name) || schema.objects.iter().any(|o| o.name == name)
    };
    for o in &schema.objects {
        let file = || {
            let kind_dir = dir.join(o.kind.directory());
            let common = kind_dir.join(format!("{}.sql", o.name));
            if common.is_file() {
                return common;
            }
            ["postgres", "mysql", "sqlite"]
                .iter()
                .map(|d| kind_dir.join(format!("{}.{d}.sql", o.name)))
                .find(|p| p.is_file())
                .unwrap_or(common)
        };
        // Rule: `views/sales.daily.sql` is a view in the schema `sales`, which a
        // model or `schemas/` must declare; `views/v.pg.sql` is more likely a
        // misspelt database than a schema `v`, so the message says both.
        if let Some(ns) = crate::qualified::schema_of(&o.name).filter(|_| o.kind.in_pg_schema()) {
            let declared = schema
                .objects
                .iter()
                .any(|s| s.kind == ObjectKind::Schema && s.name == ns);
            if !declared {
                let (_, last) = crate::qualified::split(&o.name);
                return Err(ObjectFileError {
                    path: file(),
                    line: 1,
                    message: format!(
                        "'{name}' names a {kind} '{last}' in the PostgreSQL schema '{ns}', \
                         which neither a model nor `schemas/{ns}.sql` declares: declare \
                         the schema, or if '{last}' is meant as a database name the file \
                         '{ns}.postgres.sql', '{ns}.mysql.sql' or '{ns}.sqlite.sql'",
                        name = o.name,
                        kind = o.kind,
                    ),
                });
            }
        }
        if let Some(missing) = o.depends_on.iter().find(|d| !known(d)) {
            return Err(ObjectFileError {
                path: file(),
                line: 1,
                message: format!(
                    "`-- depends_on:` names '{missing}', which is neither a model's table nor \
                     a schema object; correct the name or remove it"
                ),
            });
        }
        if let Some(table) = o
            .table
            .as_deref()
            .filter(|t| !schema.tables.contains_key(*t))
        {
            return Err(ObjectFileError {
                path: file(),
                line: 1,
                message: format!(
                    "trigger '{}' is on table '{table}', which no model declares; add the \
                     model, or correct the table (`-- table: <table>`)",
                    o.name
                ),
            });
        }
    }
    Ok(())
}

/// What one file says.
struct ParsedFile {
    depends_on: Vec<String>,
    table: Option<String>,
    body: String,
}

/// Reads the header comments and the body of a file; an error is (line, message).
fn parse_file(text: &str) -> Result<ParsedFile, (usize, String)> {
    let mut depends_on = Vec::new();
    let mut table = None;
    let mut body_start = 0;
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        let Some(comment) = trimmed.strip_prefix("--") else {
            if trimmed.is_empty() {
                body_start += line.len() + 1;
                continue;
            }
            break;
        };
        body_start += line.len() + 1;
        let comment = comment.trim();
        if let Some(list) = comment.strip_prefix("depends_on:") {
            for name in list.split(',').map(str::trim) {
                if name.is_empty() {
                    return Err((
                        i + 1,
                        "an empty name in `-- depends_on:`; list names separated by commas"
                            .to_string(),
                    ));
                }
                depends_on.push(name.to_string());
            }
        } else if let Some(name) = comment.strip_prefix("table:") {
            let name = name.trim();
            if name.is_empty() {
                return Err((i + 1, "`-- table:` names no table".to_string()));
            }
            table = Some(name.to_string());
        }
    }
    let body = text.get(body_start.min(text.len())..).unwrap_or("").trim();
    let body = body.strip_suffix(';').unwrap_or(body).trim_end();
    Ok(ParsedFile {
        depends_on,
        table,
        body: body.to_string(),
    })
}

/// The table of `CREATE TRIGGER ... ON table` (the last part of a qualified name).
pub fn trigger_table(body: &str) -> Option<String> {
    let tokens = tokenize(body);
    let on = tokens.iter().position(|t| t.is("on"))?;
    let mut name = tokens.get(on + 1).filter(|t| t.is_name())?.text.clone();
    let mut i = on + 2;
    while tokens.get(i).is_some_and(|t| t.is(".")) {
        name = tokens.get(i + 1).filter(|t| t.is_name())?.text.clone();
        i += 2;
    }
    Some(name)
}

fn read_sorted(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut list: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read the directory: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    list.sort();
    Ok(list)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, rel: &str, text: &str) {
        let path = dir.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn reads_bodies_per_database_headers_and_trigger_tables() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "views/active.sql",
            "-- depends_on: audit\nSELECT id FROM users;\n",
        );
        write(
            dir.path(),
            "triggers/touch.postgres.sql",
            "CREATE TRIGGER touch BEFORE UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION f()",
        );
        write(
            dir.path(),
            "triggers/touch.sqlite.sql",
            "CREATE TRIGGER touch AFTER UPDATE ON users BEGIN SELECT 1; END",
        );
        write(dir.path(), "extensions/pgcrypto.postgres.sql", "");
        let (objects, files) = load_dir(dir.path()).unwrap();
        assert_eq!(files.len(), 4);
        let names: Vec<(ObjectKind, &str)> =
            objects.iter().map(|o| (o.kind, o.name.as_str())).collect();
        assert_eq!(
            names,
            [
                (ObjectKind::Extension, "pgcrypto"),
                (ObjectKind::View, "active"),
                (ObjectKind::Trigger, "touch")
            ]
        );
        assert_eq!(objects[1].sql.as_deref(), Some("SELECT id FROM users"));
        assert_eq!(objects[1].depends_on, ["audit"]);
        assert_eq!(objects[2].table.as_deref(), Some("users"));
        assert!(objects[2].body_for(DialectKind::MySql).is_none());
        assert_eq!(
            objects[2].body_for(DialectKind::Sqlite),
            Some("CREATE TRIGGER touch AFTER UPDATE ON users BEGIN SELECT 1; END")
        );
        assert_eq!(objects[0].body_for(DialectKind::Postgres), Some(""));
    }

    #[test]
    fn what_is_written_reads_back_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let mut t = SchemaObject::new(
            ObjectKind::Trigger,
            "t",
            "CREATE TRIGGER t AFTER INSERT ON orders BEGIN SELECT 1; END",
        );
        t.table = Some("orders".into());
        t.depends_on = vec!["audit".into()];
        let mut f = SchemaObject::new(ObjectKind::Function, "f", "");
        f.sql = None;
        f.postgres = Some("CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$".into());
        let objects = vec![f, t];
        let written = write_dir(dir.path(), &objects).unwrap();
        assert_eq!(written.len(), 2);
        assert_eq!(load_dir(dir.path()).unwrap().0, objects);
        assert!(write_dir(dir.path(), &objects)
            .unwrap_err()
            .to_string()
            .contains("already exists"));
    }

    #[test]
    fn unknown_dependencies_and_trigger_tables_name_the_file() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "views/v.sql",
            "-- depends_on: audit\nSELECT id FROM users",
        );
        let (objects, _) = load_dir(dir.path()).unwrap();
        let mut schema = crate::schema::Schema::from_tables([crate::schema::Table::new("users")]);
        schema.objects = objects;
        let e = check_names(dir.path(), &schema).unwrap_err();
        assert!(
            e.to_string()
                .contains("v.sql:1: `-- depends_on:` names 'audit'"),
            "{e}"
        );
        schema
            .tables
            .insert("audit".into(), crate::schema::Table::new("audit"));
        check_names(dir.path(), &schema).unwrap();
        write(
            dir.path(),
            "triggers/t.sqlite.sql",
            "CREATE TRIGGER t AFTER INSERT ON orders BEGIN SELECT 1; END",
        );
        let (objects, _) = load_dir(dir.path()).unwrap();
        schema.objects = objects;
        let e = check_names(dir.path(), &schema).unwrap_err();
        assert!(
            e.to_string().contains(
                "t.sqlite.sql:1: trigger 't' is on table 'orders', which no model declares"
            ),
            "{e}"
        );
    }

    const HALF_INT: &str =
        "CREATE FUNCTION half(x int) RETURNS int LANGUAGE sql AS $$ SELECT x / 2 $$";
    const HALF_NUM: &str =
        "CREATE FUNCTION half(x NUMERIC(10, 2)) RETURNS numeric LANGUAGE sql AS $$ SELECT x / 2 $$";

    #[test]
    fn overloads_are_files_of_their_own_and_objects_of_their_own() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "functions/half.postgres.sql", HALF_INT);
        write(dir.path(), "functions/half@numeric.postgres.sql", HALF_NUM);
        let (objects, _) = load_dir(dir.path()).unwrap();
        let ids: Vec<String> = objects.iter().map(|o| o.describe()).collect();
        assert_eq!(
            ids,
            ["function 'half(integer)'", "function 'half(numeric)'"]
        );
        // Written back (as adopt does), each overload gets a file named by its types.
        let out = tempfile::tempdir().unwrap();
        let written = write_dir(out.path(), &objects).unwrap();
        let names: Vec<String> = written.iter().map(|p| file_name(p)).collect();
        assert_eq!(
            names,
            ["half@integer.postgres.sql", "half@numeric.postgres.sql"]
        );
        assert_eq!(load_dir(out.path()).unwrap().0, objects);
    }

    #[test]
    fn overloads_that_cannot_be_told_apart_or_live_on_mysql_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "functions/half.postgres.sql", HALF_INT);
        write(
            dir.path(),
            "functions/half@again.postgres.sql",
            &HALF_INT.replace("int)", "int4)"),
        );
        let e = load_dir(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("half@again.postgres.sql:1: declares function 'half(integer)', which")
                && e.contains("half.postgres.sql declares too"),
            "{e}"
        );
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "functions/half.sql", HALF_INT);
        write(dir.path(), "functions/half@numeric.sql", HALF_NUM);
        let e = load_dir(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("MySQL/MariaDB has no overloads") && e.contains(".postgres.sql"),
            "{e}"
        );
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "functions/half@numeric.postgres.sql",
            &HALF_NUM.replace("half", "third"),
        );
        let e = load_dir(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("declares the function 'third', but its name says 'half'"),
            "{e}"
        );
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "views/v@x.sql", "SELECT 1");
        let e = load_dir(dir.path()).unwrap_err().to_string();
        assert!(
            e.contains("only functions and procedures have overloads"),
            "{e}"
        );
    }

    #[test]
    fn a_file_stem_with_one_dot_is_an_object_in_that_schema() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "schemas/sales.postgres.sql", "");
        write(dir.path(), "views/sales.open.postgres.sql", "SELECT 1");
        write(
            dir.path(),
            "triggers/sales.touch.postgres.sql",
            "CREATE TRIGGER touch BEFORE UPDATE ON orders FOR EACH ROW EXECUTE FUNCTION sales.f()",
        );
        write(
            dir.path(),
            "functions/sales.half@numeric.postgres.sql",
            "CREATE FUNCTION sales.half(x numeric) RETURNS numeric AS $$ SELECT x / 2 $$ LANGUAGE sql",
        );
        let (objects, _) = load_dir(dir.path()).unwrap();
        let names: Vec<(ObjectKind, &str, Option<&str>)> = objects
            .iter()
            .map(|o| (o.kind, o.name.as_str(), o.table.as_deref()))
            .collect();
        assert_eq!(
            names,
            [
                (ObjectKind::Schema, "sales", None),
                (ObjectKind::Function, "sales.half", None),
                (ObjectKind::View, "sales.open", None),
                // A trigger of `sales` is on a table of `sales`.
                (ObjectKind::Trigger, "sales.touch", Some("sales.orders")),
            ]
        );
    }

    #[test]
    fn a_wrong_name_says_which_file_and_how_to_fix_it() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "views/v.pg.x.sql", "SELECT 1");
        let e = load_dir(dir.path()).unwrap_err();
        assert!(
            e.to_string()
                .contains("v.pg.x.sql:1: 'x' in 'v.pg.x.sql' is not a database"),
            "{e}"
        );
        // One dot: a view in the schema `v`, unknown, so perhaps a misspelt database.
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "views/v.pg.sql", "SELECT 1");
        let schema = crate::schema::Schema {
            objects: load_dir(dir.path()).unwrap().0,
            ..Default::default()
        };
        let e = check_names(dir.path(), &schema).unwrap_err().to_string();
        assert!(
            e.contains("v.pg.sql:1: 'v.pg' names a view 'pg' in the PostgreSQL schema 'v'")
                && e.contains("'v.postgres.sql'"),
            "{e}"
        );
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "tables/t.sql", "SELECT 1");
        let e = load_dir(dir.path()).unwrap_err();
        assert!(
            e.to_string()
                .contains("'tables' is not a kind of schema object"),
            "{e}"
        );
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "views/v.sql", "-- only a comment\n");
        let e = load_dir(dir.path()).unwrap_err();
        assert!(
            e.to_string().contains("the body of a view is its query"),
            "{e}"
        );
    }
}
