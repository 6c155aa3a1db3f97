//! Parsing a revision file, with errors that name the file, the line and the fix.
//!
//! A valid file is read in one pass, then checked for keys serde would have skipped
//! ([`super::unknown_keys`]). When that fails the file is read again, more slowly, to
//! say where: first the TOML and the top-level keys (with spans), then each
//! `[[upgrade]]`/`[[downgrade]]` table on its own, so an error inside an operation
//! says which step it is (`upgrade step 2 (op = "add_column")`) and points at its
//! line. A leading BOM is ignored and CRLF line ends read as LF, like the checksum.

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::ops::Operation;
use crate::revision::unknown_keys::{find_unknown_key, UnknownKey};
use crate::revision::value_ref::{from_table, from_value};
use crate::revision::{Revision, RevisionError};

/// Longest id accepted (the version table's column is `VARCHAR(64)`).
pub const MAX_ID_LEN: usize = 64;

/// The revision with spans, before each operation is read.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRevision {
    id: Spanned<String>,
    #[serde(default)]
    parents: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    replaces: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    branch_labels: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    depends_on: Option<Spanned<Vec<String>>>,
    message: String,
    created: Spanned<String>,
    #[serde(default)]
    upgrade: Vec<Spanned<toml::Table>>,
    #[serde(default)]
    downgrade: Vec<Spanned<toml::Table>>,
    /// `[safety]`: read by `crate::online::SafetyTable`, not part of [`Revision`]
    /// (its span bounds the operation table before it).
    #[serde(default)]
    safety: Option<Spanned<toml::Value>>,
    /// `[models]`: read by `crate::lint::release`, not part of [`Revision`].
    #[serde(default)]
    models: Option<Spanned<toml::Value>>,
}

impl RawRevision {
    /// Where the keys of each operation table are.
    fn bodies(&self) -> TableBodies {
        let tables = self
            .upgrade
            .iter()
            .chain(&self.downgrade)
            .map(Spanned::span);
        let others = self.safety.iter().chain(&self.models).map(Spanned::span);
        TableBodies::new(tables.chain(others))
    }
}

/// Where each `[[upgrade]]`/`[[downgrade]]` table is, for errors that point into
/// one. `toml` spans an element of an array of tables by its header (`[[upgrade]]`)
/// alone; its keys run from there to the next top-level table.
struct TableBodies {
    /// Byte offsets of the top-level tables, sorted.
    starts: Vec<usize>,
}

impl TableBodies {
    fn new(spans: impl Iterator<Item = Range<usize>>) -> TableBodies {
        let mut starts: Vec<usize> = spans.map(|s| s.start).collect();
        starts.sort_unstable();
        TableBodies { starts }
    }

    /// The table whose header `span` spans, up to the next top-level table (an
    /// inline table's span is its text already).
    fn body(&self, text: &str, span: Range<usize>) -> Range<usize> {
        if !text.get(span.clone()).is_some_and(|h| h.starts_with('[')) {
            return span;
        }
        let end = self
            .starts
            .iter()
            .copied()
            .find(|&s| s > span.start)
            .unwrap_or(text.len());
        span.start..end.max(span.end)
    }
}

/// The line and message of the first syntax error in `text`: `toml` reports one
/// error, not always the first (an unterminated string is reported at the next
/// line's key), so the text is read again for all of them. A text that is valid
/// TOML gets `e`'s own line and message (a missing or unknown field).
fn first_error(text: &str, e: &toml::de::Error) -> (usize, String) {
    let (_, errors) = toml::de::DeTable::parse_recoverable(text);
    let first = errors
        .iter()
        .filter_map(|err| err.span().map(|span| (span.start, err)))
        .min_by_key(|(start, _)| *start);
    match first {
        Some((start, err)) => (line_of(text, start), err.message().trim().to_string()),
        None => (
            e.span().map_or(1, |s| line_of(text, s.start)),
            e.message().trim().to_string(),
        ),
    }
}

impl Revision {
    /// Parses the text of a revision file; `path` is only used in error messages.
    pub fn parse(text: &str, path: &Path) -> Result<Revision, RevisionError> {
        parse(text, path)
    }
}

/// See [`Revision::parse`].
pub fn parse(text: &str, path: &Path) -> Result<Revision, RevisionError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let normalized;
    let text = if text.contains("\r\n") {
        normalized = text.replace("\r\n", "\n");
        normalized.as_str()
    } else {
        text
    };
    // Fast path: a valid file parses in one pass. Only when that fails is the file
    // read again with spans, to say where the problem is.
    if let Ok(mut doc) = toml::from_str::<toml::Table>(text) {
        // `[safety]` is the run policy, read by `crate::online::SafetyTable`.
        doc.remove("safety");
        // `[models]`: the models that wrote it, read by `crate::lint::release`.
        doc.remove("models");
        // Read from the document in place: it is needed again for the key check.
        if let Ok(revision) = from_table::<Revision>(&doc) {
            if is_valid(&revision) {
                return match find_unknown_key(&doc, &revision.upgrade, &revision.downgrade) {
                    None => Ok(revision),
                    Some(unknown) => Err(unknown_key_error(text, path, &unknown)),
                };
            }
        }
    }
    let raw: RawRevision = toml::from_str(text).map_err(|e| {
        let (line, message) = first_error(text, &e);
        RevisionError::Syntax {
            path: path.to_path_buf(),
            line,
            message: top_level_message(&message),
        }
    })?;
    let invalid = |span: Range<usize>, message: String| RevisionError::Invalid {
        path: path.to_path_buf(),
        line: line_of(text, span.start),
        message,
    };

    let bodies = raw.bodies();
    check_id(raw.id.get_ref(), "id").map_err(|m| invalid(raw.id.span(), m))?;
    let (parents, parents_span) = match raw.parents {
        Some(p) => (p.get_ref().clone(), p.span()),
        None => (Vec::new(), 0..0),
    };
    for (i, parent) in parents.iter().enumerate() {
        check_id(parent, "parent id").map_err(|m| invalid(parents_span.clone(), m))?;
        if parent == raw.id.get_ref() {
            return Err(invalid(
                parents_span,
                format!("revision `{parent}` lists itself as a parent; remove it from `parents`"),
            ));
        }
        if parents[..i].contains(parent) {
            return Err(invalid(
                parents_span,
                format!("parent `{parent}` is listed twice in `parents`; remove one"),
            ));
        }
    }
    let replaces = match raw.replaces {
        Some(r) => {
            let span = r.span();
            let list = r.into_inner();
            check_replaces(raw.id.get_ref(), &parents, &list)
                .map_err(|m| invalid(span.clone(), m))?;
            list
        }
        None => Vec::new(),
    };
    let mut lists = Vec::new();
    for (key, list) in [
        ("branch_labels", raw.branch_labels),
        ("depends_on", raw.depends_on),
    ] {
        let (list, span) = match list {
            Some(l) => {
                let span = l.span();
                (l.into_inner(), span)
            }
            None => (Vec::new(), 0..0),
        };
        check_names(raw.id.get_ref(), &parents, key, &list).map_err(|m| invalid(span, m))?;
        lists.push(list);
    }
    let depends_on = lists.pop().unwrap_or_default();
    let branch_labels = lists.pop().unwrap_or_default();
    check_created(raw.created.get_ref()).map_err(|m| invalid(raw.created.span(), m))?;

    let ops = |list: Vec<Spanned<toml::Table>>, kind: &str| {
        list.into_iter()
            .enumerate()
            .map(|(i, table)| {
                let span = bodies.body(text, table.span());
                read_op(text, path, kind, i, span, table.into_inner())
            })
            .collect::<Result<Vec<_>, _>>()
    };
    Ok(Revision {
        id: raw.id.into_inner(),
        parents,
        replaces,
        branch_labels,
        depends_on,
        message: raw.message,
        created: raw.created.into_inner(),
        upgrade: ops(raw.upgrade, "upgrade")?,
        downgrade: ops(raw.downgrade, "downgrade")?,
    })
}

/// The error for a key no field reads, pointing at its line.
fn unknown_key_error(text: &str, path: &Path, unknown: &UnknownKey) -> RevisionError {
    let span = toml::from_str::<RawRevision>(text)
        .ok()
        .and_then(|raw| {
            let bodies = raw.bodies();
            let list = if unknown.list == "upgrade" {
                raw.upgrade
            } else {
                raw.downgrade
            };
            list.get(unknown.index).map(|t| bodies.body(text, t.span()))
        })
        .unwrap_or(0..0);
    let key = unknown.path.last().map(String::as_str).unwrap_or_default();
    let line = find_in(text, &span, Some(key)).unwrap_or(span.start);
    let within: Vec<&str> = unknown.path[..unknown.path.len().saturating_sub(1)]
        .iter()
        .filter(|p| p.parse::<usize>().is_err())
        .map(String::as_str)
        .collect();
    let place = if within.is_empty() {
        String::new()
    } else {
        format!(" in `{}`", within.join("."))
    };
    let op = op_name_at(text, &span);
    RevisionError::Syntax {
        path: path.to_path_buf(),
        line: line_of(text, line),
        message: format!(
            "{} step {}{op}: unknown field `{key}`{place}; check its spelling (the fields \
             of each op are listed in docs/revision-format.md)",
            unknown.list,
            unknown.index + 1
        ),
    }
}

/// ` (op = "...")` for the operation table at `span`, if its text shows one.
fn op_name_at(text: &str, span: &Range<usize>) -> String {
    let region = text.get(span.clone()).unwrap_or_default();
    region
        .lines()
        .find_map(|l| l.trim().strip_prefix("op"))
        .and_then(|rest| rest.trim_start().strip_prefix('='))
        .map(|v| format!(" (op = {})", v.trim()))
        .unwrap_or_default()
}

/// Whether a parsed revision passes the checks [`parse`] makes on ids and time.
fn is_valid(r: &Revision) -> bool {
    check_id(&r.id, "id").is_ok()
        && check_created(&r.created).is_ok()
        && r.parents.iter().enumerate().all(|(i, p)| {
            check_id(p, "parent id").is_ok() && *p != r.id && !r.parents[..i].contains(p)
        })
        && check_replaces(&r.id, &r.parents, &r.replaces).is_ok()
        && check_names(&r.id, &r.parents, "branch_labels", &r.branch_labels).is_ok()
        && check_names(&r.id, &r.parents, "depends_on", &r.depends_on).is_ok()
}

/// Reads a list of operations written by
/// [`operations_to_toml`](crate::revision::write::operations_to_toml) under `key`;
/// `path` names where the text came from in errors.
pub fn parse_operations(
    text: &str,
    key: &str,
    path: &Path,
) -> Result<Vec<Operation>, RevisionError> {
    #[derive(Deserialize)]
    struct Lists(BTreeMap<String, Vec<Spanned<toml::Table>>>);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let lists: Lists = toml::from_str(text).map_err(|e| {
        let (line, message) = first_error(text, &e);
        RevisionError::Syntax {
            path: path.to_path_buf(),
            line,
            message,
        }
    })?;
    let mut lists = lists.0;
    let bodies = TableBodies::new(lists.values().flatten().map(Spanned::span));
    lists
        .remove(key)
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, table)| {
            let span = bodies.body(text, table.span());
            read_op(text, path, key, i, span, table.into_inner())
        })
        .collect()
}

/// Reads one `[[upgrade]]`/`[[downgrade]]` table as an operation; `span` holds its
/// keys.
fn read_op(
    text: &str,
    path: &Path,
    kind: &str,
    index: usize,
    span: Range<usize>,
    table: toml::Table,
) -> Result<Operation, RevisionError> {
    let op_name = table
        .get("op")
        .and_then(toml::Value::as_str)
        .map(str::to_owned);
    // The deserializer of the fast path (one copy of `Operation`'s derived code).
    let table = toml::Value::Table(table);
    from_value::<Operation>(&table).map_err(|e| {
        let message = e.message().trim().to_string();
        let step = match &op_name {
            Some(op) => format!("{kind} step {} (op = \"{op}\")", index + 1),
            None => format!("{kind} step {}", index + 1),
        };
        let (line, message) = if let Some(rest) = message.strip_prefix("unknown variant") {
            let line = find_in(text, &span, op_name.as_deref()).unwrap_or(span.start);
            (line, format!("{step}: unknown op{rest}"))
        } else if message == "missing field `op`" {
            let hint = format!(
                "{step}: missing field `op`: every [[{kind}]] table starts with \
                 `op = \"...\"` naming the operation (`add_column`, `sql`, ...)"
            );
            (span.start, hint)
        } else if let Some(field) = message
            .strip_prefix("missing field `")
            .and_then(|r| r.strip_suffix('`'))
        {
            let hint = format!(
                "{step}: missing field `{field}`; add `{field} = ...` to this operation \
                 (see docs/revision-format.md for the fields of each op)"
            );
            (span.start, hint)
        } else {
            // Point at the offending value when the message quotes it (an unknown
            // column type or foreign-key action), else at the table.
            let quoted = message.split('`').nth(1).filter(|q| !q.is_empty());
            let line = find_in(text, &span, quoted).unwrap_or(span.start);
            (line, format!("{step}: {message}"))
        };
        RevisionError::Syntax {
            path: path.to_path_buf(),
            line: line_of(text, line),
            message,
        }
    })
}

/// The byte offset of the first occurrence of `needle` inside `span`.
fn find_in(text: &str, span: &Range<usize>, needle: Option<&str>) -> Option<usize> {
    let needle = needle?;
    let region = text.get(span.clone())?;
    region.find(needle).map(|at| span.start + at)
}

/// A top-level message with a hint when the cause is common.
fn top_level_message(message: &str) -> String {
    let message = message.trim();
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.strip_suffix('`'))
    {
        return format!(
            "missing field `{field}`: a revision file needs `id`, `message` and \
             `created` at the top (and `parents`, empty for the first revision)"
        );
    }
    if message.starts_with("unknown field") {
        return format!(
            "{message}; operations go in [[upgrade]] and [[downgrade]] tables, each \
             starting with `op = \"...\"`"
        );
    }
    message.to_string()
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    text.as_bytes()[..offset]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The rules of a squash's `replaces` list that need no other file: valid ids, none
/// twice, neither the squash itself nor one of its parents.
pub fn check_replaces(id: &str, parents: &[String], replaces: &[String]) -> Result<(), String> {
    for (i, replaced) in replaces.iter().enumerate() {
        check_id(replaced, "replaced revision id")?;
        if replaced == id {
            return Err(format!(
                "revision `{id}` lists itself in `replaces`; a squash replaces older revisions"
            ));
        }
        if parents.contains(replaced) {
            return Err(format!(
                "revision `{replaced}` is both a parent of `{id}` and replaced by it; a squash \
                 takes the parents of the first revision it replaces"
            ));
        }
        if replaces[..i].contains(replaced) {
            return Err(format!(
                "revision `{replaced}` is listed twice in `replaces`; remove one"
            ));
        }
    }
    Ok(())
}

/// The rules of `branch_labels` and `depends_on`: each an id-like name (letters,
/// digits, `_`), none twice; a revision depends on neither itself nor its parents.
pub fn check_names(
    id: &str,
    parents: &[String],
    key: &str,
    names: &[String],
) -> Result<(), String> {
    let what = if key == "branch_labels" {
        "branch label"
    } else {
        "revision id in `depends_on`"
    };
    for (i, name) in names.iter().enumerate() {
        check_id(name, what)?;
        if names[..i].contains(name) {
            return Err(format!("`{name}` is listed twice in `{key}`; remove one"));
        }
        if key == "depends_on" && (name == id || parents.contains(name)) {
            return Err(format!(
                "revision `{id}` lists `{name}` in `depends_on`, but it is {}; `depends_on` \
                 names revisions of other branches",
                if name == id { "itself" } else { "a parent" }
            ));
        }
        if key == "branch_labels" && matches!(name.as_str(), "head" | "heads" | "base") {
            return Err(format!(
                "`{name}` cannot be a branch label: it is a target word; choose another name"
            ));
        }
    }
    Ok(())
}

/// Checks an id: letters, digits and `_`, at most [`MAX_ID_LEN`] characters. `+`, `-`
/// and `@` would clash with relative targets such as `ae10+2`.
pub fn check_id(id: &str, what: &str) -> Result<(), String> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "{what} `{id}` is not valid: use 1 to {MAX_ID_LEN} letters, digits or `_` \
             (generated ids are 12 lowercase hex characters)"
        ))
    }
}

/// Checks `created`: an RFC 3339 date and time with an offset.
fn check_created(created: &str) -> Result<(), String> {
    let hint = || {
        format!(
            "`created = \"{created}\"` is not an RFC 3339 time: write it like \
             \"2026-11-25T04:21:16Z\" (UTC, whole seconds)"
        )
    };
    let parsed: toml::value::Datetime = created.parse().map_err(|_| hint())?;
    if parsed.date.is_none() || parsed.time.is_none() || parsed.offset.is_none() {
        return Err(hint());
    }
    Ok(())
}
