//! The source scan: every `#[derive(Model)]` struct under some directories.
//!
//! Used by the build script and the CLI, which have no macro expansion to rely on:
//! each `*.rs` file is parsed with syn, every struct deriving `Model` (written
//! `Model`, `migrate::Model` or `::migrate::Model`, also inside inline `mod` blocks)
//! goes through the same [`crate::parse::parse_model`] as the derive, and foreign keys
//! to model types are resolved across all the models found. Errors name the file and
//! line.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use syn::punctuated::Punctuated;
use syn::{Item, Token};

use crate::parse::{parse_enum, parse_model, resolve_model_ref, EnumDef, ModelDef};
use migrate_core::hints::DiffHints;
use migrate_core::schema::{Schema, Table};

/// Every model found, and every file read.
#[derive(Debug, Default)]
pub struct ScannedModels {
    /// The models, in file order (files sorted by path), then source order. Empty
    /// when anything was [skipped](ScannedModels::skipped).
    pub models: Vec<ScannedModel>,
    /// The Rust enums deriving `migrate::Enum`, in file order, then source order.
    pub enums: Vec<ScannedEnum>,
    /// Every `.rs` file read (for `cargo:rerun-if-changed`).
    pub files: Vec<PathBuf>,
    /// The derive's output for each model parsed without errors (only from
    /// [`scan_sources_for_build`], and then even when others were skipped).
    pub derive_entries: Vec<crate::derive_store::Entry>,
    /// What [`scan_sources_leaving_invalid`] left out: files that are not valid Rust
    /// ([`ScanError::Parse`]) and model structs the parser rejects
    /// ([`ScanError::Model`]). Always empty from [`scan_sources`].
    pub skipped: Vec<ScanError>,
}

/// One `#[derive(migrate::Enum)]` enum found in the sources.
#[derive(Clone, Debug)]
pub struct ScannedEnum {
    /// The file it is in.
    pub file: PathBuf,
    /// The line of the enum's name (1-based).
    pub line: usize,
    /// The enum, parsed.
    pub def: EnumDef,
}

/// One model struct found in the sources.
#[derive(Clone, Debug)]
pub struct ScannedModel {
    /// The file it is in.
    pub file: PathBuf,
    /// The line of the struct's name (1-based).
    pub line: usize,
    /// The struct's name.
    pub struct_name: String,
    /// Its table, with foreign keys to model types resolved.
    pub table: Table,
    /// The line of each column's field, by column name.
    pub columns_lines: BTreeMap<String, usize>,
    /// Each column's field name, by column name (they differ with `column = "..."`).
    pub fields: BTreeMap<String, String>,
    /// The table's old name, from `renamed_from`.
    pub renamed_from: Option<String>,
    /// `(new column, old column)` from `renamed_from` on fields.
    pub column_renames: Vec<(String, String)>,
}

impl ScannedModels {
    /// The schema the models describe.
    pub fn schema(&self) -> Schema {
        Schema::from_tables(self.models.iter().map(|m| m.table.clone()))
    }

    /// The rename hints the models declare.
    pub fn hints(&self) -> DiffHints {
        let mut hints = DiffHints::new();
        for m in &self.models {
            if let Some(old) = &m.renamed_from {
                hints
                    .table_renames
                    .insert(m.table.name.clone(), old.clone());
            }
            for (new, old) in &m.column_renames {
                hints
                    .column_renames
                    .insert((m.table.name.clone(), new.clone()), old.clone());
            }
        }
        for e in &self.enums {
            for (new, old) in &e.def.label_renames {
                hints
                    .enum_value_renames
                    .insert((e.def.type_name.clone(), new.clone()), old.clone());
            }
        }
        hints
    }

    /// The model whose table is called `table`.
    pub fn by_table(&self, table: &str) -> Option<&ScannedModel> {
        self.models.iter().find(|m| m.table.name == table)
    }
}

/// Why the sources could not be scanned.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScanError {
    /// A directory or file could not be read.
    #[error("cannot read `{}`: {source}; check that the model source directory exists and is readable", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A file is not valid Rust.
    #[error("{}:{line}:{column}: cannot parse this file as Rust: {message}; fix the syntax error (cargo build shows it too)", file.display())]
    Parse {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What syn said.
        message: String,
    },
    /// A model struct the parser rejects.
    #[error("{}:{line}: model `{struct_name}` is invalid:{}", file.display(), list(file, messages))]
    Model {
        /// The file.
        file: PathBuf,
        /// The struct's line.
        line: usize,
        /// The struct's name.
        struct_name: String,
        /// Every error, with its line.
        messages: Vec<(usize, String)>,
    },
    /// Two models with the same table name.
    #[error(
        "two models use the table name `{table}`: {first} and {second}; give one of them another `#[model(table = \"...\")]`"
    )]
    DuplicateTable {
        /// The table name.
        table: String,
        /// The first struct.
        first: Box<ModelLocation>,
        /// The second struct.
        second: Box<ModelLocation>,
    },
    /// Two columns of one enum type that list different labels.
    #[error(
        "{}:{line}: column '{column}' {detail}; every column of one enum type lists the \
         same labels in the same order",
        file.display()
    )]
    EnumLabels {
        /// The file of the second column.
        file: PathBuf,
        /// Its line.
        line: usize,
        /// `table.column` of the second column.
        column: String,
        /// Its enum type and labels, and where the first column is and what it lists.
        detail: String,
    },
    /// A field whose type is not a known column type nor a scanned Rust enum, or
    /// an enum the parser rejects.
    #[error("{}:{line}: {message}", file.display())]
    Enum {
        /// The file.
        file: PathBuf,
        /// The line of the field or the enum.
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A foreign key to a model type that could not be resolved.
    #[error("{}:{line}: foreign key of `{struct_name}` to `{target}`: {message}", file.display())]
    ModelRef {
        /// The file of the referencing struct.
        file: PathBuf,
        /// The line of the reference.
        line: usize,
        /// The referencing struct.
        struct_name: String,
        /// The target as written.
        target: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// Where a model struct is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelLocation {
    /// The struct's name.
    pub struct_name: String,
    /// Its file.
    pub file: PathBuf,
    /// The line of its name.
    pub line: usize,
}

impl std::fmt::Display for ModelLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "`{}` at {}:{}",
            self.struct_name,
            self.file.display(),
            self.line
        )
    }
}

fn list(file: &Path, messages: &[(usize, String)]) -> String {
    let mut out = String::new();
    for (line, msg) in messages {
        let _ = write!(out, "\n  {}:{line}: {msg}", file.display());
    }
    out
}

/// A model parsed from a file, before cross-model resolution.
struct Found {
    file: PathBuf,
    def: ModelDef,
    /// The struct as parsed, kept only when the derive's output is asked for.
    input: Option<syn::DeriveInput>,
}

/// What the files hold: models and enums, before resolution.
#[derive(Default)]
struct Collected {
    models: Vec<Found>,
    enums: Vec<ScannedEnum>,
    /// Whether the derive's output for each model is asked for (each model's
    /// struct is then kept).
    derive_entries: bool,
}

/// Scans every `*.rs` file under `dirs` (sorted, recursively) for model structs;
/// the first file that is not valid Rust or model the parser rejects is an error.
pub fn scan_sources(dirs: &[PathBuf]) -> Result<ScannedModels, ScanError> {
    let mut scanned = scan_sources_leaving_invalid(dirs)?;
    if scanned.skipped.is_empty() {
        Ok(scanned)
    } else {
        Err(scanned.skipped.swap_remove(0))
    }
}

/// Like [`scan_sources`], but a file that is not valid Rust, or a model struct
/// whose attributes the parser rejects, is listed in [`ScannedModels::skipped`]
/// instead of failing the scan.
///
/// For the build script: rustc reports those at the exact token (the derive's
/// errors carry spans), which is better than the scan's file and line. When
/// anything is skipped, no model is returned, since the schema would lack the
/// skipped tables and foreign keys to them would not resolve.
pub fn scan_sources_leaving_invalid(dirs: &[PathBuf]) -> Result<ScannedModels, ScanError> {
    scan(dirs, Collected::default())
}

/// Like [`scan_sources_leaving_invalid`], and also writes the derive's output for
/// every model parsed without errors ([`ScannedModels::derive_entries`]), for the
/// build script to store (see [`crate::derive_store`]).
pub fn scan_sources_for_build(dirs: &[PathBuf]) -> Result<ScannedModels, ScanError> {
    scan(
        dirs,
        Collected {
            derive_entries: true,
            ..Collected::default()
        },
    )
}

fn scan(dirs: &[PathBuf], mut found: Collected) -> Result<ScannedModels, ScanError> {
    let files = source_files(dirs)?;
    let mut skipped = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|source| ScanError::Io {
            path: file.clone(),
            source,
        })?;
        match syn::parse_file(&text) {
            Ok(ast) => collect_models(file, &ast.items, &mut found, &mut skipped),
            Err(e) => {
                let start = e.span().start();
                skipped.push(ScanError::Parse {
                    file: file.clone(),
                    line: start.line,
                    column: start.column + 1,
                    message: e.to_string(),
                });
            }
        }
    }
    let derive_entries = match found.derive_entries {
        true => derive_entries(&found.models),
        false => Vec::new(),
    };
    if !skipped.is_empty() {
        return Ok(ScannedModels {
            files,
            skipped,
            derive_entries,
            ..ScannedModels::default()
        });
    }
    check_table_names(&found.models)?;
    let models = resolve(found.models, &found.enums)?;
    check_enum_labels(&models)?;
    Ok(ScannedModels {
        models,
        enums: found.enums,
        files,
        skipped,
        derive_entries,
    })
}

/// Every `*.rs` file under `dirs`, recursively, sorted by path within each directory.
pub fn source_files(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, ScanError> {
    let mut files = Vec::new();
    for dir in dirs {
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|e| ScanError::Io {
                path: e.path().unwrap_or(dir).to_path_buf(),
                source: e.into_io_error().unwrap_or_else(|| {
                    std::io::Error::other("a symbolic link loops back on itself")
                }),
            })?;
            let is_rs = entry.path().extension().is_some_and(|e| e == "rs");
            if entry.file_type().is_file() && is_rs {
                files.push(entry.into_path());
            }
        }
    }
    Ok(files)
}

/// Parses the model structs among `items`, descending into inline modules; a
/// struct the parser rejects goes to `skipped`.
fn collect_models(
    file: &Path,
    items: &[Item],
    found: &mut Collected,
    skipped: &mut Vec<ScanError>,
) {
    for item in items {
        match item {
            Item::Enum(e) if derives(&e.attrs, "Enum") => {
                let input = syn::DeriveInput::from(e.clone());
                match parse_enum(&input) {
                    Ok(def) => found.enums.push(ScannedEnum {
                        file: file.to_path_buf(),
                        line: e.ident.span().start().line,
                        def,
                    }),
                    Err(errors) => skipped.extend(errors.into_iter().map(|err| ScanError::Enum {
                        file: file.to_path_buf(),
                        line: err.span().start().line,
                        message: format!("enum `{}` is invalid: {err}", e.ident),
                    })),
                }
            }
            Item::Struct(s) if derives(&s.attrs, "Model") => {
                let input = syn::DeriveInput::from(s.clone());
                match parse_model(&input) {
                    Ok(def) => found.models.push(Found {
                        file: file.to_path_buf(),
                        def,
                        input: found.derive_entries.then_some(input),
                    }),
                    Err(e) => {
                        let mut messages: Vec<(usize, String)> = e
                            .into_iter()
                            .map(|e| (e.span().start().line, e.to_string()))
                            .collect();
                        messages.sort_by_key(|(line, _)| *line);
                        skipped.push(ScanError::Model {
                            file: file.to_path_buf(),
                            line: s.ident.span().start().line,
                            struct_name: s.ident.to_string(),
                            messages,
                        });
                    }
                }
            }
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    collect_models(file, inner, found, skipped);
                }
            }
            _ => {}
        }
    }
}

/// Whether an item has `{name}`, `migrate::{name}` or `::migrate::{name}` in a
/// `#[derive(...)]` (`name` is `Model` or `Enum`).
fn derives(attrs: &[syn::Attribute], name: &str) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            a.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
                .map(|paths| {
                    paths.iter().any(|p| {
                        let segs: Vec<String> =
                            p.segments.iter().map(|s| s.ident.to_string()).collect();
                        match segs.as_slice() {
                            [one] => one == name && p.leading_colon.is_none(),
                            [krate, last] => krate == "migrate" && last == name,
                            _ => false,
                        }
                    })
                })
                .unwrap_or(false)
        })
}

/// Rule: table names are unique across models (two structs for one table would
/// fight over its columns).
fn check_table_names(found: &[Found]) -> Result<(), ScanError> {
    let mut seen: BTreeMap<&str, &Found> = BTreeMap::new();
    for f in found {
        if let Some(first) = seen.insert(&f.def.table.name, f) {
            let place = |m: &Found| {
                Box::new(ModelLocation {
                    struct_name: m.def.struct_name.clone(),
                    file: m.file.clone(),
                    line: m.def.struct_span.start().line,
                })
            };
            return Err(ScanError::DuplicateTable {
                table: f.def.table.name.clone(),
                first: place(first),
                second: place(f),
            });
        }
    }
    Ok(())
}

/// Rule: the columns of one enum type agree on its labels (the schema holds the
/// type once, and each database writes the labels from it).
fn check_enum_labels(models: &[ScannedModel]) -> Result<(), ScanError> {
    use migrate_core::schema::label_list;
    use migrate_core::ColumnType;
    let mut first: BTreeMap<&str, (String, &[String])> = BTreeMap::new();
    for m in models {
        for c in &m.table.columns {
            let ColumnType::Enum { name, values } = &c.ty else {
                continue;
            };
            let line = m.columns_lines.get(&c.name).copied().unwrap_or(m.line);
            let here = format!(
                "'{}.{}' at {}:{line}",
                m.table.name,
                c.name,
                m.file.display()
            );
            let (place, labels) = first.entry(name).or_insert((here, values));
            if *labels != values.as_slice() {
                return Err(ScanError::EnumLabels {
                    file: m.file.clone(),
                    line,
                    column: format!("{}.{}", m.table.name, c.name),
                    detail: format!(
                        "is of enum '{name}' ({}), but {place} lists ({})",
                        label_list(values),
                        label_list(labels)
                    ),
                });
            }
        }
    }
    Ok(())
}

/// Resolves the columns whose type is a Rust enum, by the enum's name, to the enum
/// type of the `#[derive(migrate::Enum)]` enum of that name.
fn resolve_enums(f: &Found, table: &mut Table, enums: &[ScannedEnum]) -> Result<(), ScanError> {
    for r in &f.def.enum_refs {
        let err = |message: String| ScanError::Enum {
            file: f.file.clone(),
            line: r.span.start().line,
            message,
        };
        let found: Vec<&ScannedEnum> = enums
            .iter()
            .filter(|e| e.def.rust_name == r.target_name)
            .collect();
        let e = match found.as_slice() {
            [one] => one,
            [] => {
                return Err(err(format!(
                    "column '{}.{}': no column type is known for the Rust type `{}`, and no \
                     enum of that name derives `migrate::Enum` in the scanned sources; \
                     derive it on a fieldless enum (`#[derive(sqlx::Type, \
                     migrate::Enum)]`), or add `#[model(sql_type = \"...\")]`, or \
                     `#[model(skip)]` if it is not a column",
                    table.name, r.column, r.target_name
                )))
            }
            many => {
                let places: Vec<String> = many
                    .iter()
                    .map(|e| format!("{}:{}", e.file.display(), e.line))
                    .collect();
                return Err(err(format!(
                    "column '{}.{}': several enums called `{}` derive `migrate::Enum` \
                     ({}); rename one of them",
                    table.name,
                    r.column,
                    r.target_name,
                    places.join(", ")
                )));
            }
        };
        let col = table
            .columns
            .iter_mut()
            .find(|c| c.name == r.column)
            .expect("an enum reference names a column of its model");
        col.ty = migrate_core::EnumType::new(e.def.type_name.clone(), e.def.labels.clone())
            .column_type();
    }
    Ok(())
}

/// The derive's output for each model of `found` whose struct was kept, with
/// its references to model types resolved by struct name as [`resolve`] does
/// them; a model with a reference that does not resolve to exactly one model gets
/// none (the derive then parses it). Made before [`resolve`], which fails the scan
/// on such a reference, so that the models a lenient scan reads are stored even
/// when others are skipped.
fn derive_entries(found: &[Found]) -> Vec<crate::derive_store::Entry> {
    let mut by_name: BTreeMap<&str, Vec<&Found>> = BTreeMap::new();
    for f in found {
        by_name.entry(&f.def.struct_name).or_default().push(f);
    }
    let target = |name: &str| match by_name.get(name).map(Vec::as_slice) {
        Some([one]) => Some(crate::expand::Target {
            table: one.def.table.name.clone(),
            key: one
                .def
                .table
                .primary_key
                .as_ref()
                .map(|pk| pk.columns.clone())
                .unwrap_or_default(),
        }),
        _ => None,
    };
    found
        .iter()
        .filter_map(|f| {
            let input = f.input.as_ref()?;
            let targets = f
                .def
                .model_refs
                .iter()
                .map(|r| target(&r.target_name))
                .collect::<Option<Vec<_>>>()?;
            crate::derive_store::entry(input, &f.def, &targets)
        })
        .collect()
}

/// Resolves foreign keys to model types by struct name across all models.
fn resolve(found: Vec<Found>, enums: &[ScannedEnum]) -> Result<Vec<ScannedModel>, ScanError> {
    let mut by_name: BTreeMap<&str, Vec<&Found>> = BTreeMap::new();
    for f in &found {
        by_name.entry(&f.def.struct_name).or_default().push(f);
    }
    let mut out = Vec::new();
    for f in &found {
        let mut table = f.def.table.clone();
        resolve_enums(f, &mut table, enums)?;
        for r in &f.def.model_refs {
            let err = |message: String| ScanError::ModelRef {
                file: f.file.clone(),
                line: r.span.start().line,
                struct_name: f.def.struct_name.clone(),
                target: r.target_name.clone(),
                message,
            };
            let target = match by_name.get(r.target_name.as_str()).map(Vec::as_slice) {
                Some([one]) => one,
                Some(many) => {
                    let places: Vec<String> = many
                        .iter()
                        .map(|m| format!("{}:{}", m.file.display(), m.def.struct_span.start().line))
                        .collect();
                    return Err(err(format!(
                        "several model structs are called `{}` ({}); reference the table by name instead: `references = \"table(column)\"`",
                        r.target_name,
                        places.join(", ")
                    )));
                }
                None => {
                    return Err(err(format!(
                        "no struct deriving `Model` called `{}` was found in the scanned sources; derive `Model` on it, or reference the table by name: `references = \"table(column)\"`",
                        r.target_name
                    )))
                }
            };
            let key = target
                .def
                .table
                .primary_key
                .as_ref()
                .map(|pk| pk.columns.clone())
                .unwrap_or_default();
            resolve_model_ref(&mut table, r, &target.def.table.name, &key).map_err(err)?;
        }
        out.push(ScannedModel {
            file: f.file.clone(),
            line: f.def.struct_span.start().line,
            struct_name: f.def.struct_name.clone(),
            table,
            columns_lines: f
                .def
                .field_spans
                .iter()
                .map(|(c, s)| (c.clone(), s.start().line))
                .collect(),
            // The span is the field's identifier, read from the file's text.
            fields: f
                .def
                .field_spans
                .iter()
                .map(|(c, s)| (c.clone(), s.source_text().unwrap_or_else(|| c.clone())))
                .collect(),
            renamed_from: f.def.renamed_from.clone(),
            column_renames: f.def.column_renames.clone(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests;
