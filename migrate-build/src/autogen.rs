//! Autogenerate: write the revision that turns the head schema into the models'
//! schema, on explicit request only.
//!
//! The new revision's parent is the current head, its id comes from
//! [`migrate_core::revision::new_id`] and its downgrade is the inverse of its upgrade.
//! Destructive changes are written only when confirmed, and are then marked in the
//! file; a drop and an add of the same shape (a likely rename) stop and ask.

use std::fmt;
use std::fs;
use std::path::PathBuf;

use migrate_core::diff::{downgrade_for, rename_suspects};
use migrate_core::revision::{file_name, now_utc, Revision};
use migrate_core::Operation;

use crate::check::check;
use crate::config::CONFIG_FILE;
use crate::error::BuildError;
use crate::Config;
use migrate_core::online::SafetyTable;

/// What [`autogenerate`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The models match the head schema: nothing was written.
    NoChanges,
    /// A revision file was written.
    Written(WrittenRevision),
    /// A change that breaks the running release, written as an expand step (when
    /// it has operations) and a contract step waiting in `migrations/next/`
    /// ([`autogenerate_expand`]).
    Expanded {
        /// The expand step, in the migrations directory.
        expand: Option<WrittenRevision>,
        /// The contract step, in `migrations/next/`.
        contract: WrittenRevision,
        /// What the application must do between the two, one line each.
        notes: Vec<String>,
    },
}

/// A revision file written by [`autogenerate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WrittenRevision {
    /// The new revision's id.
    pub id: String,
    /// Its parent (`None` for the first revision).
    pub parent: Option<String>,
    /// The file written.
    pub path: PathBuf,
    /// The operations detected (the revision's upgrade).
    pub upgrade: Vec<Operation>,
    /// The destructive operations the user confirmed, one reason each.
    pub destructive: Vec<String>,
    /// What the lints say of the new revision (also written into it as comments).
    pub lints: Vec<migrate_core::lint::Finding>,
}

impl Outcome {
    /// One line per detected change, Alembic style: `Detected added column 'users.phone'`.
    pub fn detected_lines(&self) -> Vec<String> {
        match self {
            Outcome::NoChanges => vec!["No changes in schema detected.".to_string()],
            Outcome::Written(w) => detected(w),
            Outcome::Expanded {
                expand, contract, ..
            } => expand.iter().chain([contract]).flat_map(detected).collect(),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.detected_lines() {
            writeln!(f, "{line}")?;
        }
        match self {
            Outcome::NoChanges => {}
            Outcome::Written(w) => {
                for reason in &w.destructive {
                    writeln!(f, "Confirmed destructive change: {reason}")?;
                }
                write!(f, "Generated {}", w.path.display())?;
            }
            Outcome::Expanded {
                expand,
                contract,
                notes,
            } => {
                for reason in &contract.destructive {
                    writeln!(f, "Confirmed destructive change: {reason}")?;
                }
                if let Some(w) = expand {
                    writeln!(
                        f,
                        "Generated {} (expand: deploy it with this release)",
                        w.path.display()
                    )?;
                }
                writeln!(
                    f,
                    "Generated {} (contract: waits there; move it into the migrations \
                     directory in a later release)",
                    contract.path.display()
                )?;
                for note in notes {
                    writeln!(f, "Until then: {note}")?;
                }
            }
        }
        Ok(())
    }
}

/// `Detected ...` for each operation of `w`, then the first line of each lint.
fn detected(w: &WrittenRevision) -> Vec<String> {
    w.upgrade
        .iter()
        .map(|op| format!("Detected {}", op.describe()))
        .chain(w.lints.iter().map(|f| {
            let first = f.to_string();
            first.lines().next().unwrap_or_default().to_string()
        }))
        .collect()
}

/// Writes a new revision into the migrations directory for every difference between
/// the models and the head schema (nothing if there is none).
///
/// Stops without writing when a difference is destructive and `allow_destructive`
/// is false, or when a drop and an add look like a rename (declare `renamed_from`,
/// or confirm the drop with `allow_destructive`). The CLI's
/// `cargo migrate revision --autogenerate -m "..."` calls this too.
pub fn autogenerate(
    config: &Config,
    message: &str,
    allow_destructive: bool,
) -> Result<Outcome, BuildError> {
    let Some(found) = detect(config, message, allow_destructive)? else {
        return Ok(Outcome::NoChanges);
    };
    write_whole(config, &found, message, now_utc()).map(Outcome::Written)
}

/// Writes every detected change as one revision on top of the head.
fn write_whole(
    config: &Config,
    found: &Detected,
    message: &str,
    now: String,
) -> Result<WrittenRevision, BuildError> {
    let parents: Vec<String> = found.checked.head.iter().cloned().collect();
    let downgrade = downgrade_for(&found.upgrade);
    let revision = Revision::new(message, parents, now, found.upgrade.clone(), downgrade);
    write(
        config,
        found,
        &revision,
        &found.checked.head_schema,
        Kind::Whole,
    )
}

/// Like [`autogenerate`], but a change that breaks the release still running (a
/// rolling-deploy finding, docs/safety.md) is written as two revisions: the expand
/// step, on top of the head, and the contract step, which waits in
/// `migrations/next/` ([`crate::pending`]) until a later release moves it into the
/// migrations directory. The split is [`migrate_core::expand::split`]'s; a change
/// it cannot split stops everything ([`BuildError::NotExpandable`]). Nothing to
/// split: one revision, as [`autogenerate`] writes it.
pub fn autogenerate_expand(
    config: &Config,
    message: &str,
    allow_destructive: bool,
) -> Result<Outcome, BuildError> {
    let Some(found) = detect(config, message, allow_destructive)? else {
        return Ok(Outcome::NoChanges);
    };
    let head_schema = &found.checked.head_schema;
    let split = migrate_core::expand::split(head_schema, &found.upgrade).map_err(|refused| {
        BuildError::NotExpandable {
            refused: refused.iter().map(ToString::to_string).collect(),
        }
    })?;
    let now = now_utc();
    let mut parents: Vec<String> = found.checked.head.iter().cloned().collect();
    if split.is_plain() {
        return write_whole(config, &found, message, now).map(Outcome::Written);
    }
    let mut expanded = head_schema.clone();
    let expand = if split.expand.is_empty() {
        None
    } else {
        let revision = Revision::new(
            format!("{message} (expand)"),
            parents.clone(),
            now.clone(),
            split.expand.clone(),
            split.expand_downgrade.clone(),
        );
        migrate_core::apply_all(&mut expanded, &split.expand)
            .map_err(|e| BuildError::Config(format!("the expand step does not replay: {e}")))?;
        let written = write(config, &found, &revision, head_schema, Kind::Expand(&split))?;
        parents = vec![written.id.clone()];
        Some(written)
    };
    let revision = Revision::new(
        format!("{message} (contract)"),
        parents,
        now,
        split.contract.clone(),
        split.contract_downgrade.clone(),
    );
    let contract = write(config, &found, &revision, &expanded, Kind::Contract(&split))?;
    Ok(Outcome::Expanded {
        expand,
        contract,
        notes: split.notes,
    })
}

/// What autogenerate found to write: the check and the operations.
struct Detected {
    checked: crate::check::Checked,
    upgrade: Vec<Operation>,
    destructive: Vec<String>,
}

/// The changes to write, once the user's confirmations hold; `None`: no change.
fn detect(
    config: &Config,
    message: &str,
    allow_destructive: bool,
) -> Result<Option<Detected>, BuildError> {
    if message.trim().is_empty() {
        return Err(BuildError::Config(
            "autogenerate needs a message describing the change, e.g. \
             MIGRATE_AUTOGENERATE=\"add users.email\""
                .to_string(),
        ));
    }
    let checked = check(config)?;
    if checked.is_clean() {
        return Ok(None);
    }
    // Rule: a new revision goes on top of the head; a contract waiting for the next
    // release would then no longer follow the head, and the changes were found
    // against the schema after it. Promote (or delete) it first.
    if let Some(waiting) = checked.pending.first() {
        return Err(BuildError::Pending {
            file: config.display_path(&waiting.path),
            message: format!(
                "a contract revision waits here for a later release, so autogenerate \
                 wrote nothing; move it into {} once its expand step runs everywhere (or \
                 delete it to give the contract up), then autogenerate again",
                config.display_path(&checked.migrations_dir)
            ),
        });
    }
    let upgrade = checked.changes.clone();

    // A drop and an add of the same shape is most often a rename the model forgot
    // to declare: writing the drop would lose the data, so ask first.
    let suspects = rename_suspects(&upgrade);
    if !suspects.is_empty() && !allow_destructive {
        return Err(BuildError::RenameSuspected {
            suspects: suspects.iter().map(|s| s.to_string()).collect(),
        });
    }
    let destructive: Vec<String> = upgrade
        .iter()
        .filter_map(|op| match op.safety() {
            migrate_core::Safety::Destructive(why) => Some(why),
            _ => None,
        })
        .collect();
    if !destructive.is_empty() && !allow_destructive {
        return Err(BuildError::DestructiveNotConfirmed {
            reasons: destructive,
        });
    }
    Ok(Some(Detected {
        checked,
        upgrade,
        destructive,
    }))
}

/// Which file [`write`] writes.
#[derive(Clone, Copy)]
enum Kind<'a> {
    /// An ordinary revision.
    Whole,
    /// The expand step of this split.
    Expand(&'a migrate_core::expand::Split),
    /// The contract step of this split, into `migrations/next/`.
    Contract(&'a migrate_core::expand::Split),
}

/// Writes `revision` (whose upgrade runs on `before`) with its lints as comments,
/// its `[safety]` table and its `[models]` record.
fn write(
    config: &Config,
    found: &Detected,
    revision: &Revision,
    before: &migrate_core::Schema,
    kind: Kind<'_>,
) -> Result<WrittenRevision, BuildError> {
    let checked = &found.checked;
    let upgrade = &revision.upgrade;
    // The file says how it runs (`[safety]`, from migrate.toml's): see
    // migrate_core::online.
    let safety_error = |message: String| BuildError::Safety {
        file: CONFIG_FILE.to_string(),
        message,
    };
    let project = config.resolved_safety().map_err(safety_error)?;
    let mut safety =
        SafetyTable::for_new_revision(project.as_ref()).map_err(|e| safety_error(e.to_string()))?;
    // Rule: the contract breaks, on purpose, what the expand step's release no
    // longer uses; its rolling-deploy findings would only repeat that.
    if let Kind::Contract(split) = kind {
        for code in &split.contract_allows {
            safety.lints.insert(code.to_string(), "allow".to_string());
        }
    }
    let mut lints = crate::lint::lint_revision(
        before,
        upgrade,
        &safety,
        project.as_ref(),
        checked.settings.dialect,
    )
    .map_err(safety_error)?;
    // The release before this revision is the head's: name its structs and fields.
    if !matches!(kind, Kind::Contract(_)) {
        if let Ok(graph) = migrate_core::graph::RevisionGraph::from_files(checked.revisions.clone())
        {
            let records = crate::lint::read_records(checked);
            crate::lint::name_the_release_before(
                &mut lints,
                checked,
                &records,
                &graph,
                &revision.parents,
            );
        }
    }
    let mut dir = checked.migrations_dir.clone();
    let header = match kind {
        Kind::Whole => String::new(),
        Kind::Expand(split) => expand_header(split),
        Kind::Contract(split) => {
            dir = crate::pending::dir(&dir);
            contract_header(split, &config.display_path(&checked.migrations_dir))
        }
    };
    let mut toml = revision.to_toml();
    if let Kind::Contract(split) = kind {
        insert_backfills(&mut toml, split);
    }
    let text = format!(
        "{header}{toml}{}{}{}",
        lint_comments(&lints),
        safety.to_toml(),
        crate::lint::record_models(checked, config, upgrade).to_toml()
    );
    fs::create_dir_all(&dir).map_err(|e| BuildError::io("create directory", &dir, e))?;
    let path = dir.join(file_name(revision));
    fs::write(&path, text).map_err(|e| BuildError::io("write", &path, e))?;
    let destructive = upgrade
        .iter()
        .filter_map(|op| match op.safety() {
            migrate_core::Safety::Destructive(why) => Some(why),
            _ => None,
        })
        .filter(|why| found.destructive.contains(why))
        .collect();
    Ok(WrittenRevision {
        id: revision.id.clone(),
        parent: revision.parents.first().cloned(),
        path,
        upgrade: upgrade.clone(),
        destructive,
        lints,
    })
}

/// The comment at the top of an expand step.
fn expand_header(split: &migrate_core::expand::Split) -> String {
    let mut out = String::from(
        "# EXPAND step of an expand/contract pair (docs/safety.md#expand-and-contract):\n\
         # it keeps the release still running working; deploy it with this release.\n\
         # Its contract step waits in next/ for a later release.\n",
    );
    push_notes(&mut out, split);
    out.push('\n');
    out
}

/// The comment at the top of a contract step.
fn contract_header(split: &migrate_core::expand::Split, migrations: &str) -> String {
    let mut out = format!(
        "# CONTRACT step of an expand/contract pair (docs/safety.md#expand-and-contract).\n\
         # It waits here, unapplied, until no running release uses the old shape: move\n\
         # this file into {migrations}/ in the release after the one that stopped using it.\n"
    );
    push_notes(&mut out, split);
    out.push('\n');
    out
}

/// A commented `UPDATE` step at the top of the contract's upgrade for each column
/// whose earlier rows need a value the user gives.
fn insert_backfills(toml: &mut String, split: &migrate_core::expand::Split) {
    let Some(at) = toml.find("\n[[upgrade]]") else {
        return;
    };
    let mut steps = String::new();
    for (table, column) in &split.backfills {
        steps.push_str(&format!(
            "\n# The rows written before the new release need a value for {table}.{column}:\n\
             # uncomment this step and write the value (the NOT NULL below fails on a NULL).\n\
             # [[upgrade]]\n\
             # op = \"sql\"\n\
             # sql = \"UPDATE {table} SET {column} = ... WHERE {column} IS NULL\"\n"
        ));
    }
    toml.insert_str(at, &steps);
}

fn push_notes(out: &mut String, split: &migrate_core::expand::Split) {
    out.push_str("# Until then:\n");
    for note in &split.notes {
        out.push_str(&format!("#   - {}\n", note.replace(['\r', '\n'], " ")));
    }
}

/// The lints' findings as comments of the revision file, so a reviewer reads them
/// beside the operations.
fn lint_comments(lints: &[migrate_core::lint::Finding]) -> String {
    if lints.is_empty() {
        return String::new();
    }
    let mut out =
        String::from("\n# Lints (docs/safety.md); set a rule's level in [safety.lints] below.\n");
    for f in lints {
        out.push_str(&f.as_comment());
    }
    out
}
