//! The build script's work without cargo: scan the models, load the revisions,
//! check the graph, replay it to the head schema and diff.
//!
//! [`check`] reads the sources as they are now (never the last build's output), so
//! what it reports is what the next compilation of the crate will see.

use std::fs;
use std::path::{Path, PathBuf};

use migrate_core::diff::{diff_with_hints, DiffHints};
use migrate_core::embed::EmbeddedOps;
use migrate_core::graph::RevisionGraph;
use migrate_core::head_tables::{write_head_tables, HEAD_TABLES_DIR};
use migrate_core::project::ProjectSettings;
use migrate_core::revision::{load_dir, RevisionFile};
use migrate_core::{Operation, Schema};
use migrate_model::scan::{scan_sources, scan_sources_leaving_invalid, ScanError, ScannedModels};

use crate::codegen::{
    embedded_source, write_if_changed, EmbedEntry, EMBEDDED_FILE, EMBEDDED_FORMAT,
    EMBEDDED_KEY_FILE, HEAD_TABLES_KEY_FILE,
};
use crate::error::BuildError;
use crate::report::{DriftReport, Locations, ModelLocation};
use crate::Config;

/// What one check found.
#[derive(Debug)]
pub struct Checked {
    /// Every revision file, in topological order (parents first, ties by id).
    pub revisions: Vec<RevisionFile>,
    /// The single head (`None` when there is no revision yet).
    pub head: Option<String>,
    /// The schema the revisions leave at the head.
    pub head_schema: Schema,
    /// The contract revisions waiting in `migrations/next/` for a later release,
    /// in the order they apply on top of the head (see [`crate::pending`]).
    pub pending: Vec<RevisionFile>,
    /// The head schema with [`Checked::pending`] applied, which the models are
    /// compared with; `None` when nothing waits (then it is the head schema).
    pub pending_schema: Option<Schema>,
    /// The models found in the sources, with the files read (and, from
    /// [`check_leaving_invalid_models`], the models left out).
    pub models: ScannedModels,
    /// The rename hints the models declare.
    pub hints: DiffHints,
    /// The operations from the head schema to the models' schema; empty: no drift
    /// (or not compared, when a model was left out: see [`ScannedModels::skipped`]).
    pub changes: Vec<Operation>,
    /// The migrations directory (absolute).
    pub migrations_dir: PathBuf,
    /// The models' tables that `[tables]` of migrate.toml leaves alone, as the
    /// models declare them.
    pub left_alone: Schema,
    /// The project's settings (migrate.toml), embedded with the revisions.
    pub settings: ProjectSettings,
    /// The schema object files read (views, triggers, functions...).
    pub object_files: Vec<PathBuf>,
}

/// Runs the whole check for `config`; graph errors (several heads, a missing
/// parent, a cycle, a duplicate id, a revision that does not replay) are errors,
/// drift is not (see [`Checked::changes`]).
pub fn check(config: &Config) -> Result<Checked, BuildError> {
    check_scanning(config, scan_sources)
}

/// Like [`check`], but a source file that is not valid Rust, or a model whose
/// attributes are wrong, does not fail: it is listed in the result's
/// `models.skipped`, and then the models are not compared with the head (the
/// comparison would miss the skipped tables). The build script uses this so that
/// rustc, through the derive, reports the mistake at the exact token.
pub fn check_leaving_invalid_models(config: &Config) -> Result<Checked, BuildError> {
    check_scanning(config, scan_sources_leaving_invalid)
}

/// Like [`check_leaving_invalid_models`], with the models already scanned (by
/// `migrate_model::scan::scan_sources_leaving_invalid` on the config's source
/// directories).
pub fn check_scanned(config: &Config, models: ScannedModels) -> Result<Checked, BuildError> {
    check_scanning(config, move |_| Ok(models))
}

/// The check, with the source scan given.
fn check_scanning(
    config: &Config,
    scan_sources: impl FnOnce(&[PathBuf]) -> Result<ScannedModels, ScanError> + Send,
) -> Result<Checked, BuildError> {
    config.validate().map_err(BuildError::Config)?;
    let settings = config.resolved_settings().map_err(BuildError::Config)?;
    let migrations_dir = config.resolved_migrations_dir();
    let source_dirs = config.resolved_source_dirs();
    // Scanning the sources and reading the revision files are independent and take
    // about the same time: do them on two threads.
    let (models, revisions) = std::thread::scope(|s| {
        let scan = s.spawn(move || scan_sources(&source_dirs));
        let revisions = if migrations_dir.is_dir() {
            load_dir(&migrations_dir)
        } else {
            Ok(Vec::new())
        };
        let models = scan
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (models, revisions)
    });
    let models = models?;
    let revisions = revisions?;
    let dir_shown = config.display_path(&migrations_dir);
    let graph_error = |source| BuildError::Graph {
        dir: dir_shown.clone(),
        source,
    };

    // Built from the files, so the graph's errors (missing parent, cycle,
    // duplicate id) name them.
    let graph = RevisionGraph::from_files(revisions.clone()).map_err(graph_error)?;
    // Embed (and report) in topological order, parents first, whatever the file names.
    let mut revisions = revisions;
    let order: std::collections::HashMap<&str, usize> = graph
        .revisions()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    revisions.sort_by_key(|r| order.get(r.revision.id.as_str()).copied());
    let heads = graph.heads();
    let (head, head_schema) = match heads.as_slice() {
        [] => (None, Schema::new()),
        [head] => (
            Some(head.to_string()),
            graph.replay(head).map_err(graph_error)?,
        ),
        _ => {
            return Err(BuildError::MultipleHeads {
                dir: dir_shown.clone(),
                heads: heads
                    .iter()
                    .map(|h| format!("{h} ({})", file_of(&revisions, h)))
                    .collect(),
            })
        }
    };
    let shown = |path: &Path| config.display_path(path);
    let pending = crate::pending::load(&migrations_dir, head.as_deref(), shown)?;
    let pending_schema = if pending.is_empty() {
        None
    } else {
        Some(crate::pending::replay(&head_schema, &pending, shown)?)
    };
    let hints = models.hints();
    // Rule: tables the filter leaves alone are compared on neither side, so
    // autogenerate never writes them and check never reports them. A model the scan
    // could not read is left to the derive's error: no changes are computed then.
    let filter = &settings.tables;
    if let Some(dialect) = settings.dialect {
        crate::dialect_support::check_models(dialect, config, &models)?;
    }
    let mut model_schema = models.schema();
    let objects_dir = config.resolved_objects_dir();
    let (objects, object_files) = migrate_core::objects::files::load_dir(&objects_dir)?;
    model_schema.objects = objects;
    // A model's PostgreSQL schema is created before its tables without a file
    // of its own (one in `schemas/` says the same).
    migrate_core::qualified::add_implied_schemas(&mut model_schema);
    if models.skipped.is_empty() {
        migrate_core::objects::files::check_names(&objects_dir, &model_schema)?;
    }
    let changes = if models.skipped.is_empty() {
        diff_with_hints(
            &filter.apply(pending_schema.as_ref().unwrap_or(&head_schema)),
            &filter.apply(&model_schema),
            &hints,
        )
    } else {
        Vec::new()
    };
    let mut left_alone = model_schema;
    left_alone.tables.retain(|name, _| !filter.manages(name));
    left_alone.objects.clear();
    Ok(Checked {
        revisions,
        head,
        head_schema,
        pending,
        pending_schema,
        models,
        hints,
        changes,
        migrations_dir,
        left_alone,
        settings,
        object_files,
    })
}

/// The file name of revision `id`, for messages.
fn file_of(revisions: &[RevisionFile], id: &str) -> String {
    revisions
        .iter()
        .find(|r| r.revision.id == id)
        .map(|r| file_name(&r.path))
        .unwrap_or_else(|| "?".to_string())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

impl Checked {
    /// Whether the models match the head schema.
    pub fn is_clean(&self) -> bool {
        self.changes.is_empty()
    }

    /// Whether `#[derive(Model)]` reports every one of [`Checked::changes`] on a
    /// struct: each change is on a table some model declares (the derive compares
    /// a struct with the head table of its name, or finds that table missing), and
    /// none is a foreign-key change (foreign keys to model types are resolved only
    /// here, so the derive leaves them out).
    pub fn derive_reports_all(&self) -> bool {
        let models: std::collections::BTreeSet<&str> = self
            .models
            .models
            .iter()
            .map(|m| m.table.name.as_str())
            .collect();
        self.changes.iter().all(|op| match op {
            Operation::AddForeignKey { .. }
            | Operation::DropForeignKey { .. }
            | Operation::DropTable { .. }
            | Operation::Sql(_) => false,
            Operation::RenameTable { to, .. } => models.contains(to.as_str()),
            other => other.table_name().is_some_and(|t| models.contains(t)),
        })
    }

    /// The report of the differences, with the models' locations.
    pub fn drift_report(&self, config: &Config) -> DriftReport {
        DriftReport {
            head: self.head.clone(),
            migrations_dir: config.display_path(&self.migrations_dir),
            changes: self.changes.clone(),
            locations: self.locations(config),
            lints: self.pending_lints(config),
        }
    }

    /// What the lints say of a revision autogenerate would write now for
    /// [`Checked::changes`]; a `[safety]` table that does not read says nothing here
    /// (autogenerate reports it).
    pub fn pending_lints(&self, config: &Config) -> Vec<migrate_core::lint::Finding> {
        let Ok(project) = config.resolved_safety() else {
            return Vec::new();
        };
        let Ok(safety) = migrate_core::online::SafetyTable::for_new_revision(project.as_ref())
        else {
            return Vec::new();
        };
        crate::lint::lint_revision(
            self.pending_schema.as_ref().unwrap_or(&self.head_schema),
            &self.changes,
            &safety,
            project.as_ref(),
            self.settings.dialect,
        )
        .unwrap_or_default()
    }

    /// Where each table's model is declared.
    pub fn locations(&self, config: &Config) -> Locations {
        self.models
            .models
            .iter()
            .map(|m| {
                (
                    m.table.name.clone(),
                    ModelLocation {
                        struct_name: m.struct_name.clone(),
                        file: config.display_path(&m.file),
                        line: m.line,
                        columns: m.columns_lines.clone(),
                    },
                )
            })
            .collect()
    }

    /// The revisions as the generated code embeds them.
    pub fn embed_entries(&self) -> Vec<EmbedEntry> {
        self.revisions
            .iter()
            .map(|r| {
                let ops = EmbeddedOps {
                    upgrade: r.revision.upgrade.clone(),
                    downgrade: r.revision.downgrade.clone(),
                };
                EmbedEntry {
                    id: r.revision.id.clone(),
                    parents: r.revision.parents.clone(),
                    replaces: r.revision.replaces.clone(),
                    branch_labels: r.revision.branch_labels.clone(),
                    depends_on: r.revision.depends_on.clone(),
                    message: r.revision.message.clone(),
                    checksum: r.checksum.to_string(),
                    path: absolute(&r.path),
                    ops_json: ops.to_json(),
                    downgrade_log: ops.downgrade_log(),
                }
            })
            .collect()
    }

    /// The head schema as the derive's field-level errors see it. Rule: a model of a
    /// table the filter leaves alone is written as the model declares it, so the
    /// derive finds no drift on it either.
    fn head_schema_for_derive(&self) -> Schema {
        let mut schema = self
            .pending_schema
            .as_ref()
            .unwrap_or(&self.head_schema)
            .clone();
        schema.tables.extend(self.left_alone.tables.clone());
        schema
    }

    /// The key of the head schema: every revision's id and checksum, in order (the
    /// head schema is a function of them alone), with this crate's version, and the
    /// tables of [`Checked::left_alone`] (written into it for the derive).
    pub fn head_schema_key(&self) -> String {
        let mut key = format!("migrate-build {}\n", env!("CARGO_PKG_VERSION"));
        for r in &self.revisions {
            key.push_str(&format!("{} {}\n", r.revision.id, r.checksum));
        }
        for r in &self.pending {
            key.push_str(&format!("waiting {} {}\n", r.revision.id, r.checksum));
        }
        if !self.left_alone.tables.is_empty() {
            key.push_str(&toml::to_string(&self.left_alone).unwrap_or_default());
        }
        key
    }

    /// Writes `migrate_embedded.rs` into `out_dir`, unless the revisions it was
    /// generated from are unchanged.
    pub fn write_outputs(&self, out_dir: &Path) -> Result<(), BuildError> {
        // The embedded revisions are generated again only when a revision or its path
        // changed: converting every revision's operations is the costly part.
        let embedded = out_dir.join(EMBEDDED_FILE);
        let embedded_key_path = out_dir.join(EMBEDDED_KEY_FILE);
        let mut embedded_key = format!(
            "format {EMBEDDED_FORMAT}\n{:?}\n{}",
            self.settings,
            self.head_schema_key()
        );
        for r in &self.revisions {
            embedded_key.push_str(&format!("{}\n", absolute(&r.path).display()));
        }
        let fresh = embedded.is_file()
            && fs::read_to_string(&embedded_key_path).is_ok_and(|k| k == embedded_key);
        if !fresh {
            let source =
                embedded_source(&self.embed_entries(), &self.settings).map_err(|path| {
                    BuildError::Config(format!(
                        "revision file path {} is not valid UTF-8, which include_str! needs",
                        path.display()
                    ))
                })?;
            write_if_changed(&embedded, &source)
                .map_err(|e| BuildError::io("write", &embedded, e))?;
            fs::write(&embedded_key_path, embedded_key)
                .map_err(|e| BuildError::io("write", &embedded_key_path, e))?;
        }
        Ok(())
    }

    /// Writes the head schema one file per table under `out_dir` (see
    /// `migrate_core::head_tables`), for the derive's field-level drift errors, and
    /// returns their directory. Skipped when its key (see
    /// [`Checked::head_schema_key`]) is the one stored beside it, i.e. when only the
    /// models changed.
    pub fn write_head_tables(&self, out_dir: &Path) -> Result<PathBuf, BuildError> {
        let dir = out_dir.join(HEAD_TABLES_DIR);
        let key_path = out_dir.join(HEAD_TABLES_KEY_FILE);
        let key = self.head_schema_key();
        let fresh = dir.is_dir() && fs::read_to_string(&key_path).is_ok_and(|k| k == key);
        if !fresh {
            write_head_tables(&dir, &self.head_schema_for_derive())
                .map_err(|e| BuildError::io("write", &dir, e))?;
            fs::write(&key_path, key).map_err(|e| BuildError::io("write", &key_path, e))?;
        }
        Ok(absolute(&dir))
    }

    /// Every path cargo must watch: the migrations directory, the source
    /// directories, each scanned file and `migrate.toml` when there is one.
    pub fn watched_paths(&self, config: &Config) -> Vec<PathBuf> {
        let mut paths = vec![self.migrations_dir.clone()];
        let waiting = crate::pending::dir(&self.migrations_dir);
        if waiting.is_dir() {
            paths.push(waiting);
        }
        // A missing file would make cargo rerun the script on every build.
        if config.config_file().is_file() {
            paths.push(config.config_file());
        }
        paths.extend(config.resolved_source_dirs());
        paths.extend(self.models.files.iter().map(|f| absolute(f)));
        if config.resolved_objects_dir().is_dir() {
            paths.push(config.resolved_objects_dir());
        }
        paths.extend(self.object_files.iter().map(|f| absolute(f)));
        paths.sort();
        paths.dedup();
        paths
    }
}

/// `path` made absolute (against the current directory) without touching the disk.
fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    }
}
