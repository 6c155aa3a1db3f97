//! How revisions are printed by `history`, `heads`, `branches`, `show` and `current`:
//! one aligned line per revision, a block with `--verbose`, or the bare id with `-q`
//! (for `cargo migrate heads -q | xargs ...`).

use std::collections::BTreeSet;

use crate::context::Context;
use crate::output::{align, cell, paint, style, styled};
use crate::project::{Entry, Revisions};

/// Markers after an id: `(head)`, `(branchpoint)`, `(mergepoint)`, `(current)`.
pub fn markers(revs: &Revisions, e: &Entry, current: &BTreeSet<String>) -> Vec<&'static str> {
    let mut out = Vec::new();
    if current.contains(e.id()) {
        out.push("(current)");
    }
    if revs.children(e.id()).is_empty() {
        out.push("(head)");
    }
    if revs.children(e.id()).len() > 1 {
        out.push("(branchpoint)");
    }
    if e.revision.is_merge() {
        out.push("(mergepoint)");
    }
    out
}

/// `parents -> id (markers)  message`, aligned across the given revisions.
pub fn lines(revs: &Revisions, entries: &[&Entry], current: &BTreeSet<String>) -> Vec<String> {
    let rows: Vec<Vec<(String, String)>> = entries
        .iter()
        .map(|e| {
            let parents = if e.revision.parents.is_empty() {
                "<base>".to_string()
            } else {
                e.revision.parents.join(", ")
            };
            let marks = markers(revs, e, current).join(" ");
            vec![
                cell(parents),
                cell("->"),
                styled(style::ID, e.id()),
                styled(style::MARKER, marks),
                cell(e.revision.message.clone()),
            ]
        })
        .collect();
    align(&rows)
}

/// `-q`: one plain id per line, nothing else.
pub fn ids(ctx: &Context, entries: &[&Entry]) {
    for e in entries {
        ctx.out.data(e.id());
    }
}

/// The full block of one revision, as `show` and `--verbose` print it.
pub fn block(revs: &Revisions, e: &Entry, current: &BTreeSet<String>, with_ops: bool) -> String {
    let mut out = String::new();
    let marks = markers(revs, e, current).join(" ");
    let mut head = paint(style::ID, e.id());
    if !marks.is_empty() {
        head = format!("{head} {}", paint(style::MARKER, marks));
    }
    out.push_str(&format!("Rev:      {head}\n"));
    let parents = if e.revision.parents.is_empty() {
        "<base>".to_string()
    } else {
        e.revision.parents.join(", ")
    };
    out.push_str(&format!("Parents:  {parents}\n"));
    let children = revs.children(e.id());
    if !children.is_empty() {
        out.push_str(&format!("Children: {}\n", children.join(", ")));
    }
    out.push_str(&format!("Path:     {}\n", e.path.display()));
    out.push_str(&format!("Created:  {}\n", e.revision.created));
    out.push_str(&format!("Checksum: {}\n", e.checksum));
    out.push('\n');
    for line in e.revision.message.lines() {
        out.push_str(&format!("    {line}\n"));
    }
    if with_ops {
        for (title, ops) in [
            ("Upgrade", &e.revision.upgrade),
            ("Downgrade", &e.revision.downgrade),
        ] {
            out.push('\n');
            out.push_str(&format!("{}:\n", paint(style::BOLD, title)));
            if ops.is_empty() {
                out.push_str("    (no operations)\n");
            }
            for op in ops {
                out.push_str(&format!("    - {}\n", op.describe()));
            }
        }
    }
    out
}
