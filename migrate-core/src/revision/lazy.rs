//! Reading a migrations directory for a run without parsing every operation: each
//! file's text, checksum and header (id, parents, message). The operations are
//! parsed later, and only for the revisions a run applies or undoes, so `cargo
//! migrate upgrade head` on an up-to-date database does not read 500 operation lists.
//!
//! The header is read from the text before the first table header (`[[upgrade]]`):
//! in TOML every top-level key comes before the first table, so that prefix holds
//! them all. Whenever the prefix does not read cleanly (a key other than the header's,
//! a multi-line string cut short, a bad id, a file name that does not match), the
//! whole file is parsed instead, so a broken file gets the same error as ever.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::checksum::{checksum, Checksum};
use crate::revision::read::{check_id, check_names, check_replaces};
use crate::revision::{load_text, read_dir_texts, RevisionError};

/// A revision file's text with its header read and its checksum computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionText {
    /// Where the file is.
    pub path: PathBuf,
    /// Revision id.
    pub id: String,
    /// Parent ids.
    pub parents: Vec<String>,
    /// The revisions it squashes (empty for an ordinary revision).
    pub replaces: Vec<String>,
    /// Its branch labels.
    pub branch_labels: Vec<String>,
    /// The revisions of other branches it depends on.
    pub depends_on: Vec<String>,
    /// Its message.
    pub message: String,
    /// Checksum of the text (see [`crate::checksum`]).
    pub checksum: Checksum,
    /// The whole text, to parse the operations from when they are needed.
    pub text: String,
}

/// The keys before the first table of a revision file.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    id: String,
    #[serde(default)]
    parents: Vec<String>,
    #[serde(default)]
    replaces: Vec<String>,
    #[serde(default)]
    branch_labels: Vec<String>,
    #[serde(default)]
    depends_on: Vec<String>,
    message: String,
    #[allow(dead_code)] // checked by the full parse; present in every valid file
    created: String,
}

/// Reads every `*.toml` file of `dir`, sorted by file name, reading only headers.
pub fn load_dir_lazy(dir: &Path) -> Result<Vec<RevisionText>, RevisionError> {
    read_dir_texts(dir)?
        .into_iter()
        .map(|(path, text)| read_text(path, text))
        .collect()
}

/// One file's header and checksum, from its text.
pub fn read_text(path: PathBuf, text: String) -> Result<RevisionText, RevisionError> {
    if let Some(header) = quick_header(&path, &text) {
        return Ok(RevisionText {
            checksum: checksum(&text),
            id: header.id,
            parents: header.parents,
            replaces: header.replaces,
            branch_labels: header.branch_labels,
            depends_on: header.depends_on,
            message: header.message,
            path,
            text,
        });
    }
    // The slow path reports what is wrong, or reads a valid file the quick one
    // could not cut (a table header inside a multi-line string).
    let file = load_text(&path, &text)?;
    Ok(RevisionText {
        id: file.revision.id,
        parents: file.revision.parents,
        replaces: file.revision.replaces,
        branch_labels: file.revision.branch_labels,
        depends_on: file.revision.depends_on,
        message: file.revision.message,
        checksum: file.checksum,
        path,
        text,
    })
}

/// The header from the text before the first table, if it reads cleanly and
/// agrees with the file name.
fn quick_header(path: &Path, text: &str) -> Option<Header> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut end = text.len();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.trim_start().starts_with('[') {
            end = at;
            break;
        }
        at += line.len();
    }
    let prefix = &text[..end];
    let header: Header = plain_header(prefix).or_else(|| toml::from_str(prefix).ok())?;
    check_id(&header.id, "id").ok()?;
    if header
        .parents
        .iter()
        .any(|p| check_id(p, "parent id").is_err() || *p == header.id)
        || check_replaces(&header.id, &header.parents, &header.replaces).is_err()
        || check_names(
            &header.id,
            &header.parents,
            "branch_labels",
            &header.branch_labels,
        )
        .is_err()
        || check_names(
            &header.id,
            &header.parents,
            "depends_on",
            &header.depends_on,
        )
        .is_err()
    {
        return None;
    }
    let name = path.file_name()?.to_string_lossy();
    let rest = name.strip_prefix(header.id.as_str())?;
    (rest.starts_with('_') || rest == ".toml").then_some(header)
}

/// The header as `Revision::to_toml` writes it, read without the TOML parser (a
/// measurable part of a no-op start-up over hundreds of files): one `key = value`
/// per line, values that are basic strings without escapes, or a one-line array of
/// them for `parents`. Anything else (escapes, comments, other keys, a key twice)
/// gives `None`, and the TOML parser reads the prefix instead.
fn plain_header(prefix: &str) -> Option<Header> {
    fn string(value: &str) -> Option<String> {
        let inner = value.strip_prefix('"')?.strip_suffix('"')?;
        (!inner.contains(['"', '\\'])).then(|| inner.to_string())
    }
    let (mut id, mut parents, mut message, mut created) = (None, None, None, None);
    for line in prefix.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let (key, value) = line.split_once('=')?;
        let value = value.trim();
        let slot = match key.trim() {
            "id" => &mut id,
            "message" => &mut message,
            "created" => &mut created,
            "parents" => {
                let inner = value.strip_prefix('[')?.strip_suffix(']')?.trim();
                let list = if inner.is_empty() {
                    Vec::new()
                } else {
                    inner
                        .split(',')
                        .map(|p| string(p.trim()))
                        .collect::<Option<Vec<_>>>()?
                };
                if parents.replace(list).is_some() {
                    return None;
                }
                continue;
            }
            _ => return None,
        };
        if slot.replace(string(value)?).is_some() {
            return None;
        }
    }
    Some(Header {
        id: id?,
        parents: parents.unwrap_or_default(),
        message: message?,
        created: created?,
        // A header with any of these keys is not plain: the TOML parser reads it.
        replaces: Vec::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::revision::Revision;
    use crate::{Operation, SqlStep};

    #[test]
    fn headers_match_the_full_parse() {
        let mut r = Revision::new(
            "add [things]\nwith a second line",
            vec!["aaaaaaaaaaaa".into()],
            "2026-01-02T03:04:05Z",
            vec![Operation::Sql(SqlStep::new("SELECT 1"))],
            vec![],
        );
        r.id = "bbbbbbbbbbbb".into();
        let text = r.to_toml();
        let path = PathBuf::from(format!("x/{}_add.toml", r.id));
        let lazy = read_text(path.clone(), text.clone()).unwrap();
        let full = load_text(&path, &text).unwrap();
        assert_eq!(lazy.id, full.revision.id);
        assert_eq!(lazy.parents, full.revision.parents);
        assert_eq!(lazy.message, full.revision.message);
        assert_eq!(lazy.checksum, full.checksum);
    }

    #[test]
    fn the_plain_reader_agrees_with_toml_or_leaves_it_to_toml() {
        let cases = [
            "id = \"aaaaaaaaaaaa\"\nparents = [\"bbbbbbbbbbbb\", \"cccccccccccc\"]\nmessage = \"m\"\ncreated = \"2026-01-02T03:04:05Z\"\n",
            "id = \"aaaaaaaaaaaa\"\nparents = []\nmessage = \"m = n, [x]\"\ncreated = \"c\"\n",
            "id = \"aaaaaaaaaaaa\"\nmessage = \"\"\ncreated = \"c\"\n",
        ];
        for text in cases {
            let plain = plain_header(text).expect(text);
            let full: Header = toml::from_str(text).unwrap();
            assert_eq!(
                (plain.id, plain.parents, plain.message, plain.created),
                (full.id, full.parents, full.message, full.created),
                "{text}"
            );
        }
        // Escapes, comments, other keys, a key twice, a missing key: TOML decides.
        for text in [
            "id = \"a\"\nmessage = \"say \\\"hi\\\"\"\ncreated = \"c\"\n",
            "id = \"a\" # note\nmessage = \"m\"\ncreated = \"c\"\n",
            "id = \"a\"\nmessage = \"m\"\ncreated = \"c\"\nbranch = \"b\"\n",
            "id = \"a\"\nid = \"b\"\nmessage = \"m\"\ncreated = \"c\"\n",
            "id = \"a\"\nmessage = 'm'\ncreated = \"c\"\n",
            "id = \"a\"\nmessage = \"m\"\n",
        ] {
            assert!(plain_header(text).is_none(), "{text}");
        }
    }

    #[test]
    fn broken_files_get_the_full_parse_error() {
        let path = PathBuf::from("x/cccccccccccc_x.toml");
        let text = "id = \"cccccccccccc\"\nmessage = \"m\"\ncreated = \"2026-01-02T03:04:05Z\"\nbogus = 1\n";
        let e = read_text(path.clone(), text.into())
            .unwrap_err()
            .to_string();
        assert!(e.contains("bogus"), "{e}");
        let wrong_name = PathBuf::from("x/dddddddddddd_x.toml");
        let text = "id = \"cccccccccccc\"\nmessage = \"m\"\ncreated = \"2026-01-02T03:04:05Z\"\n";
        assert!(read_text(wrong_name, text.into()).is_err());
    }
}
