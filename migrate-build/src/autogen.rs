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
            Outcome::Written(w) => w
                .upgrade
                .iter()
                .map(|op| format!("Detected {}", op.describe()))
                .chain(w.lints.iter().map(|f| {
                    let first = f.to_string();
                    first.lines().next().unwrap_or_default().to_string()
                }))
                .collect(),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.detected_lines() {
            writeln!(f, "{line}")?;
        }
        if let Outcome::Written(w) = self {
            for reason in &w.destructive {
                writeln!(f, "Confirmed destructive change: {reason}")?;
            }
            write!(f, "Generated {}", w.path.display())?;
        }
        Ok(())
    }
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
    if message.trim().is_empty() {
        return Err(BuildError::Config(
            "autogenerate needs a message describing the change, e.g. \
             MIGRATE_AUTOGENERATE=\"add users.email\""
                .to_string(),
        ));
    }
    let checked = check(config)?;
    if checked.is_clean() {
        return Ok(Outcome::NoChanges);
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
    let downgrade = downgrade_for(&upgrade);

    let parents: Vec<String> = checked.head.iter().cloned().collect();
    // `Revision::new` derives the id with `new_id` from the message, the time and the
    // parents; `to_toml` marks destructive steps in a comment at the top of the file.
    let revision = Revision::new(message, parents, now_utc(), upgrade.clone(), downgrade);
    let id = revision.id.clone();
    // The file says how it runs (`[safety]`, from migrate.toml's): see
    // migrate_core::online.
    let safety_error = |message: String| BuildError::Safety {
        file: CONFIG_FILE.to_string(),
        message,
    };
    let project = config.resolved_safety().map_err(safety_error)?;
    let safety =
        SafetyTable::for_new_revision(project.as_ref()).map_err(|e| safety_error(e.to_string()))?;
    let mut lints = crate::lint::lint_revision(
        &checked.head_schema,
        &upgrade,
        &safety,
        project.as_ref(),
        checked.settings.dialect,
    )
    .map_err(safety_error)?;
    // The release before this revision is the head's: name its structs and fields.
    if let Ok(graph) = migrate_core::graph::RevisionGraph::from_files(checked.revisions.clone()) {
        let records = crate::lint::read_records(&checked);
        let parents: Vec<String> = checked.head.iter().cloned().collect();
        crate::lint::name_the_release_before(&mut lints, &checked, &records, &graph, &parents);
    }
    let text = format!(
        "{}{}{}{}",
        revision.to_toml(),
        lint_comments(&lints),
        safety.to_toml(),
        crate::lint::record_models(&checked, config, &upgrade).to_toml()
    );

    let dir = &checked.migrations_dir;
    fs::create_dir_all(dir).map_err(|e| BuildError::io("create directory", dir, e))?;
    let path = dir.join(file_name(&revision));
    fs::write(&path, text).map_err(|e| BuildError::io("write", &path, e))?;
    Ok(Outcome::Written(WrittenRevision {
        id,
        parent: checked.head,
        path,
        upgrade,
        destructive,
        lints,
    }))
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
