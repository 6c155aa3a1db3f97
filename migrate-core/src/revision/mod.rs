//! Revision files: one schema change, its undo, and its place in the history.
//!
//! A revision is a TOML file in the migrations directory named `{id}_{slug}.toml`.
//! It is dialect-neutral (operations, not SQL, except for hand-written [`SqlStep`]s),
//! meant to be read in a pull request, and deterministic: [`Revision::to_toml`] writes
//! the same bytes for the same revision, and [`Revision::parse`] reads them back to an
//! equal value. The layout is described in `docs/revision-format.md`.
//!
//! - [`write`](mod@write), the TOML layout (inline tables, multi-line SQL, destructive warning);
//! - [`read`], parsing with errors that name the file and line, and
//!   [`unknown_keys`], which catches misspelt keys serde would skip (`value_ref`
//!   lets both read one parsed document without copying it; [`tree`] is the
//!   operation written back, in declared key order, for the check and the writer);
//! - [`error`], the [`RevisionError`] type;
//! - this module: the [`Revision`] value, ids, file names and [`load_dir`].
//!
//! [`SqlStep`]: crate::ops::SqlStep

pub mod error;
pub mod lazy;
pub mod read;
pub(crate) mod tree;
pub mod unknown_keys;
pub(crate) mod value_ref;
pub mod write;

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::checksum::{checksum, Checksum};
use crate::ops::{Operation, Safety};

pub use error::RevisionError;

/// Number of hex characters in a generated revision id.
pub const ID_LEN: usize = 12;

/// Longest slug [`file_name`] takes from the message.
pub const MAX_SLUG_LEN: usize = 40;

/// One revision: what it changes, how to undo it, and which revisions come before it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// Revision id: [`ID_LEN`] lowercase hex characters when generated.
    pub id: String,
    /// Ids of the revisions this one follows: none for a base, several for a merge.
    #[serde(default)]
    pub parents: Vec<String>,
    /// Ids of the revisions this one squashes (`cargo migrate squash`), oldest first:
    /// a consecutive chain whose first revision has this one's parents. Empty for an
    /// ordinary revision. See [`crate::graph::squash`].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<String>,
    /// Names for the branch this revision starts or belongs to (Alembic's
    /// `branch_labels`): `name` is this revision, `name@head` the head of its branch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub branch_labels: Vec<String>,
    /// Revisions of other branches that must be applied before this one, without
    /// merging their branch into this one (Alembic's `depends_on`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<String>,
    /// What the revision is for, as given by the user.
    pub message: String,
    /// Creation time, RFC 3339 in UTC with second precision (`2026-11-25T04:21:16Z`).
    pub created: String,
    /// Operations that apply the change, in order.
    #[serde(default)]
    pub upgrade: Vec<Operation>,
    /// Operations that undo it, in order.
    #[serde(default)]
    pub downgrade: Vec<Operation>,
}

impl Revision {
    /// A revision with the given operations and a fresh id derived from the message,
    /// the creation time and the parents (see [`new_id`]).
    pub fn new(
        message: impl Into<String>,
        parents: Vec<String>,
        created: impl Into<String>,
        upgrade: Vec<Operation>,
        downgrade: Vec<Operation>,
    ) -> Self {
        let message = message.into();
        let created = created.into();
        let id = new_id(&format!("{message}\n{created}\n{}", parents.join(",")));
        Revision {
            id,
            parents,
            replaces: Vec::new(),
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
            message,
            created,
            upgrade,
            downgrade,
        }
    }

    /// A revision with no operations, for hand-written SQL. Its file
    /// ([`Revision::to_toml`]) carries a commented template of a raw SQL step.
    pub fn new_empty(
        message: impl Into<String>,
        parents: Vec<String>,
        created: impl Into<String>,
    ) -> Self {
        Revision::new(message, parents, created, Vec::new(), Vec::new())
    }

    /// Whether this revision joins several branches.
    pub fn is_merge(&self) -> bool {
        self.parents.len() > 1
    }

    /// The upgrade operations that can lose data, with the reason for each:
    /// `(position in upgrade, operation, reason)`.
    pub fn destructive_upgrades(&self) -> Vec<(usize, &Operation, String)> {
        self.upgrade
            .iter()
            .enumerate()
            .filter_map(|(i, op)| match op.safety() {
                Safety::Destructive(reason) => Some((i, op, reason)),
                _ => None,
            })
            .collect()
    }
}

/// One revision file read from the migrations directory.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionFile {
    /// Where the file is.
    pub path: PathBuf,
    /// Its parsed content.
    pub revision: Revision,
    /// Checksum of its text (see [`crate::checksum`]).
    pub checksum: Checksum,
}

/// A new revision id: the first [`ID_LEN`] hex characters of the SHA-256 of `seed`.
/// Callers pass the message, creation time and parents, so two revisions made at
/// once on different branches still get different ids.
pub fn new_id(seed: &str) -> String {
    let digest = Sha256::digest(seed.as_bytes());
    digest[..ID_LEN / 2]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The file name of a revision: `{id}_{slug}.toml`, or `{id}.toml` when the message
/// gives no slug.
pub fn file_name(revision: &Revision) -> String {
    let slug = slug(&revision.message);
    if slug.is_empty() {
        format!("{}.toml", revision.id)
    } else {
        format!("{}_{slug}.toml", revision.id)
    }
}

/// The message cut down to lowercase ASCII letters, digits and single underscores,
/// at most [`MAX_SLUG_LEN`] characters, cut at a word boundary when one is near.
pub fn slug(message: &str) -> String {
    let mut out = String::new();
    for ch in message.chars() {
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    if out.len() > MAX_SLUG_LEN {
        let word_ends_at_limit = out.as_bytes()[MAX_SLUG_LEN] == b'_';
        out.truncate(MAX_SLUG_LEN);
        // Prefer ending on a whole word when that does not lose more than half.
        if !word_ends_at_limit {
            if let Some(cut) = out.rfind('_').filter(|&cut| cut >= MAX_SLUG_LEN / 2) {
                out.truncate(cut);
            }
        }
    }
    out.trim_end_matches('_').to_string()
}

/// The current time as written in `created`: RFC 3339, UTC, whole seconds.
pub fn now_utc() -> String {
    format_utc(SystemTime::now())
}

/// `time` as written in `created`: RFC 3339, UTC, whole seconds.
pub fn format_utc(time: SystemTime) -> String {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Reads every `*.toml` file of the migrations directory, sorted by file name.
///
/// Each file must parse, and its name must start with its id followed by `_` or
/// `.toml`; the first problem is returned, naming the file.
pub fn load_dir(dir: &Path) -> Result<Vec<RevisionFile>, RevisionError> {
    read_dir_texts(dir)?
        .into_iter()
        .map(|(path, text)| load_text(&path, &text))
        .collect()
}

/// The `*.toml` files of the migrations directory, sorted by file name, each with
/// its text: what [`load_dir`] and [`lazy::load_dir_lazy`] both read.
pub(crate) fn read_dir_texts(dir: &Path) -> Result<Vec<(PathBuf, String)>, RevisionError> {
    let io_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| RevisionError::Io { path, source }
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io_err(dir))? {
        let entry = entry.map_err(io_err(dir))?;
        let path = entry.path();
        // The directory listing tells a plain file without a `stat` per file; a
        // symbolic link is followed to see what it names.
        let is_file = match entry.file_type() {
            Ok(kind) if kind.is_symlink() => path.is_file(),
            Ok(kind) => kind.is_file(),
            Err(_) => path.is_file(),
        };
        if path.extension().is_some_and(|e| e == "toml") && is_file {
            paths.push(path);
        }
    }
    // Each name taken once: comparing `file_name()`s re-parses both paths on every
    // comparison, which over 500 files cost more than hashing them.
    paths.sort_by_cached_key(|path| path.file_name().map(ToOwned::to_owned));
    let mut buffer = Vec::with_capacity(64 * 1024);
    paths
        .into_iter()
        .map(|path| {
            let text = read_file(&path, &mut buffer).map_err(io_err(&path))?;
            Ok((path, text))
        })
        .collect()
}

/// A file's text, read through `buffer` (kept from file to file) without asking
/// for its size first, as `std::fs::read_to_string` does: over hundreds of small
/// revision files that `stat` is a fifth of the system calls of a no-op start-up.
fn read_file(path: &Path, buffer: &mut Vec<u8>) -> std::io::Result<String> {
    use std::io::Read;
    buffer.clear();
    // Through `Take`, `read_to_end` reads into the buffer's room until the end of
    // the file, with no size hint taken from the file.
    std::fs::File::open(path)?
        .take(u64::MAX)
        .read_to_end(buffer)?;
    std::str::from_utf8(buffer).map(str::to_owned).map_err(|_| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        )
    })
}

/// Parses one revision file's text and checks that its name starts with its id.
pub fn load_text(path: &Path, text: &str) -> Result<RevisionFile, RevisionError> {
    let revision = Revision::parse(text, path)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let matches = name
        .strip_prefix(revision.id.as_str())
        .is_some_and(|rest| rest.starts_with('_') || rest == ".toml");
    if !matches {
        return Err(RevisionError::FileName {
            path: path.to_path_buf(),
            id: revision.id.clone(),
            expected: file_name(&revision),
        });
    }
    Ok(RevisionFile {
        path: path.to_path_buf(),
        checksum: checksum(text),
        revision,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn slugs_are_short_lowercase_words() {
        assert_eq!(slug("Add phone to Users!"), "add_phone_to_users");
        assert_eq!(slug("  --  "), "");
        assert_eq!(slug("Ünïcode café"), "n_code_caf");
        let long = slug("add a very long message that goes on and on past the limit");
        assert!(long.len() <= MAX_SLUG_LEN, "{long}");
        assert_eq!(long, "add_a_very_long_message_that_goes_on_and");
    }

    #[test]
    fn ids_are_twelve_hex_chars_and_depend_on_the_seed() {
        let a = new_id("a");
        assert_eq!(a.len(), ID_LEN);
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase()));
        assert_ne!(a, new_id("b"));
        assert_eq!(a, new_id("a"));
    }

    #[test]
    fn utc_formatting_matches_known_instants() {
        assert_eq!(format_utc(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + Duration::from_secs(1_795_580_476);
        assert_eq!(format_utc(t), "2026-11-25T04:21:16Z");
        let leap = UNIX_EPOCH + Duration::from_secs(951_825_600);
        assert_eq!(format_utc(leap), "2000-02-29T12:00:00Z");
    }
}
