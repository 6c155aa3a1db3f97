//! Contract revisions waiting for a later release, in `migrations/next/`
//! ([`migrate_core::expand::PENDING_DIR`]).
//!
//! `revision --autogenerate --expand` writes the contract step of a change that
//! breaks the running release there: the files of that directory are not part of
//! the graph, so no build embeds them and no `upgrade` applies them. The models
//! already describe the schema after the contract, so the drift check replays the
//! waiting revisions on top of the head before it compares: the build is clean
//! after the expand step. Moving a file into the migrations directory (in the
//! release after the one that stopped using the old shape) makes it the new head.
//!
//! Rule: the waiting revisions form one chain on top of the head; anything else
//! (a contract whose parent is no longer the head, two contracts on one parent)
//! stops the check, naming the file, rather than comparing against a guess.

use std::path::{Path, PathBuf};

use migrate_core::expand::PENDING_DIR;
use migrate_core::revision::{load_dir, RevisionFile};
use migrate_core::Schema;

use crate::error::BuildError;

/// The directory of waiting contract revisions inside `migrations_dir`.
pub fn dir(migrations_dir: &Path) -> PathBuf {
    migrations_dir.join(PENDING_DIR)
}

/// The waiting contract revisions in the order they apply on top of `head`
/// (none when the directory does not exist). `shown` gives a path as the user
/// sees it.
pub fn load(
    migrations_dir: &Path,
    head: Option<&str>,
    shown: impl Fn(&Path) -> String,
) -> Result<Vec<RevisionFile>, BuildError> {
    let dir = dir(migrations_dir);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut left = load_dir(&dir)?;
    let mut chain = Vec::with_capacity(left.len());
    let mut parent: Option<String> = head.map(str::to_string);
    while !left.is_empty() {
        let expected: Vec<String> = parent.iter().cloned().collect();
        let next: Vec<usize> = (0..left.len())
            .filter(|&i| left[i].revision.parents == expected)
            .collect();
        let waits_on = match &parent {
            Some(p) => format!("revision {p}"),
            None => "the base".to_string(),
        };
        match next.as_slice() {
            [i] => {
                let file = left.remove(*i);
                parent = Some(file.revision.id.clone());
                chain.push(file);
            }
            [] => {
                let file = &left[0];
                return Err(BuildError::Pending {
                    file: shown(&file.path),
                    message: format!(
                        "this waiting contract revision follows {}, but the revisions \
                         now end at {waits_on}; it is applied nowhere yet, so set \
                         `parents = [\"{}\"]` in it (if its steps still fit), or delete \
                         it to give the contract up",
                        describe_parents(&file.revision.parents),
                        parent.as_deref().unwrap_or_default()
                    ),
                });
            }
            several => {
                return Err(BuildError::Pending {
                    file: shown(&left[several[0]].path),
                    message: format!(
                        "{} contract revisions wait on {waits_on}: keep one chain in \
                         {PENDING_DIR}/ (set the `parents` of one to the other's id)",
                        several.len()
                    ),
                });
            }
        }
    }
    Ok(chain)
}

/// `head_schema` with the waiting revisions applied: the schema the models
/// describe once the contracts have run.
pub fn replay(
    head_schema: &Schema,
    pending: &[RevisionFile],
    shown: impl Fn(&Path) -> String,
) -> Result<Schema, BuildError> {
    let mut schema = head_schema.clone();
    for file in pending {
        for (i, op) in file.revision.upgrade.iter().enumerate() {
            migrate_core::apply(&mut schema, op).map_err(|e| BuildError::Pending {
                file: shown(&file.path),
                message: format!(
                    "upgrade step {} ({}) does not fit the schema at the head: {e}",
                    i + 1,
                    op.describe()
                ),
            })?;
        }
    }
    Ok(schema)
}

fn describe_parents(parents: &[String]) -> String {
    match parents {
        [] => "the base".to_string(),
        [one] => format!("revision {one}"),
        many => format!("revisions {}", many.join(", ")),
    }
}
