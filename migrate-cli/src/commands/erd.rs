//! `cargo migrate erd [--rev REV] [--format mermaid|svg|html] [-o FILE]`: a picture
//! of the schema a revision leaves, replayed from the revision files (no database).

use std::path::{Path, PathBuf};

use clap::ValueEnum;
use migrate_core::schema::Schema;

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::picture::{mermaid, svg};
use crate::project::{graph_error, Revisions};

/// `--format` of `erd`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ErdFormat {
    /// Mermaid `erDiagram` text, for Markdown.
    Mermaid,
    /// A self-contained SVG image.
    Svg,
    /// An HTML page holding the SVG (no network resources).
    Html,
}

/// Options of `erd`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// The revision whose schema is drawn: an id or unique prefix, `head`, `heads`
    /// (every branch) or `base` (empty) [default: head].
    #[arg(long, value_name = "REV", default_value = "head")]
    pub rev: String,
    /// Picture format [default: from the extension of -o (.svg, .html, else
    /// mermaid), else mermaid].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<ErdFormat>,
    /// Write the picture to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Runs `erd`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let revs = Revisions::load(ctx.source, &settings)?;
    let (schema, at) = schema_at(&revs, &args.rev)?;
    let format = args
        .format
        .or_else(|| args.output.as_deref().and_then(format_of))
        .unwrap_or(ErdFormat::Mermaid);
    let title = format!("schema at revision {at}: {} table(s)", schema.tables.len());
    let picture = match format {
        ErdFormat::Mermaid => mermaid::render(&schema, &title),
        ErdFormat::Svg => svg::render_svg(&schema, &title),
        ErdFormat::Html => svg::render_html(&schema, &title),
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, &picture).map_err(|e| {
                CliError::io(format!("cannot write {}: {e}", path.display()))
                    .fix("check that the directory exists and is writable")
            })?;
            ctx.out
                .status(format!("wrote {} ({title})", path.display()));
        }
        None => ctx.out.data_raw(picture),
    }
    Ok(Status::Ok)
}

/// The replayed schema at `rev`, and how the title names it.
fn schema_at(revs: &Revisions, rev: &str) -> CliResult<(Schema, String)> {
    match rev {
        "base" => Ok((Schema::new(), "<base>".to_string())),
        "heads" => {
            let schema = revs.graph().replay_heads().map_err(graph_error)?;
            let heads: Vec<&str> = revs.heads().iter().map(|e| e.id()).collect();
            let named = if heads.is_empty() {
                "<base>".to_string()
            } else {
                heads.join(" + ")
            };
            Ok((schema, named))
        }
        _ => {
            let id = revs.resolve(rev)?.id().to_string();
            let schema = revs.graph().replay(&id).map_err(graph_error)?;
            Ok((schema, id))
        }
    }
}

/// The format a file name asks for.
fn format_of(path: &Path) -> Option<ErdFormat> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "svg" => Some(ErdFormat::Svg),
        "html" | "htm" => Some(ErdFormat::Html),
        "md" | "mmd" | "mermaid" => Some(ErdFormat::Mermaid),
        _ => None,
    }
}
