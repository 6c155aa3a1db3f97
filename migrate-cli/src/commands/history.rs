//! `cargo migrate history [-r A:B]`: the revisions, newest first, one aligned line
//! each (`parents -> id (markers)  message`), full blocks with `--verbose`, plain ids
//! with `-q`, or a JSON document with `--format json`; `--graph` draws the branches
//! and merges in lanes on the left, as `git log --graph` does.

use std::collections::BTreeSet;

use super::render;
use crate::cli::FormatArgs;
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::json::{HistoryJson, RevisionJson};
use crate::output::Verbosity;
use crate::output::{paint, style};
use crate::picture::history_graph;
use crate::project::{Entry, Revisions};

/// Options of `history`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Range `A:B`: from A to B, both included; either side may be empty, `base`,
    /// `head` or a revision id (or unique prefix).
    #[arg(short = 'r', long = "rev-range", value_name = "A:B")]
    pub range: Option<String>,
    /// Draw branches and merges on the left, as `git log --graph` does.
    #[arg(long)]
    pub graph: bool,
    /// Output format.
    #[command(flatten)]
    pub format: FormatArgs,
}

/// Runs `history`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let mut entries = revs.newest_first();
    if let Some(range) = &args.range {
        let (lower, upper) = range.split_once(':').ok_or_else(|| {
            CliError::usage(format!("`{range}` is not a range"))
                .fix("write the range as A:B, e.g. `-r base:head`, `-r ae1027:` or `-r :head`")
        })?;
        if !matches!(lower, "" | "base") {
            let from = revs.resolve(lower)?.id().to_string();
            let keep = revs.descendants(&from);
            entries.retain(|e| keep.contains(e.id()));
        }
        if !matches!(upper, "" | "heads") {
            let to = revs.resolve(upper)?.id().to_string();
            let keep = revs.ancestors(&to);
            entries.retain(|e| keep.contains(e.id()));
        }
    }
    let none = BTreeSet::new();
    if args.graph && args.format.is_json() {
        return Err(CliError::usage(
            "--graph draws text; it cannot be combined with --format json",
        )
        .fix("drop --graph: the JSON document lists each revision's parents"));
    }
    if args.format.is_json() {
        ctx.out.json(&HistoryJson {
            revisions: RevisionJson::list(&revs, &entries, &none),
        });
        return Ok(Status::Ok);
    }
    if args.graph {
        for line in graph_lines(&revs, &entries, &none) {
            ctx.out.data(line);
        }
        return Ok(Status::Ok);
    }
    match ctx.out.verbosity() {
        Verbosity::Quiet => render::ids(ctx, &entries),
        Verbosity::Verbose => {
            for e in &entries {
                ctx.out.data(render::block(&revs, e, &none, false));
            }
        }
        Verbosity::Normal => {
            for line in render::lines(&revs, &entries, &none) {
                ctx.out.data(line);
            }
        }
    }
    if revs.is_empty() {
        ctx.out.status("no revisions yet");
    }
    Ok(Status::Ok)
}

/// The lanes of [`history_graph::draw`] on the left, each revision's line
/// (`id (markers)  message`, plain ids with `-q`) after them, ids in one column.
fn graph_lines(revs: &Revisions, entries: &[&Entry], none: &BTreeSet<String>) -> Vec<String> {
    let nodes: Vec<(&str, Vec<&str>)> = entries
        .iter()
        .map(|e| {
            // As the graph links them: a squash after what it replaced, what followed
            // the replaced range after the squash.
            (e.id(), revs.graph().linked_parents(e.id()))
        })
        .collect();
    let drawn = history_graph::draw(&nodes);
    let width = drawn
        .iter()
        .map(|l| l.graph.chars().count())
        .max()
        .unwrap_or(0);
    drawn
        .into_iter()
        .map(|line| match line.revision {
            Some(i) => {
                let e = entries[i];
                let marks = render::markers(revs, e, none).join(" ");
                let mut text = format!("{:width$}  {}", line.graph, paint(style::ID, e.id()));
                if !marks.is_empty() {
                    text.push_str(&format!(" {}", paint(style::MARKER, marks)));
                }
                format!("{text}  {}", e.revision.message)
            }
            None => line.graph,
        })
        .collect()
}
