//! `cargo migrate edit [REV]`: opens a revision file (default: the head) in the
//! user's editor, as `alembic edit` does, then reads it back so that a mistake is
//! reported at once with its file and line rather than at the next upgrade.
//!
//! The editor is `$VISUAL`, else `$EDITOR`, run through `sh -c` (so `code --wait`
//! works) with the file's path as its last argument.

use std::path::{Path, PathBuf};
use std::process::Command;

use migrate_core::revision::Revision;

use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::project::{revision_error, shown_path, Revisions};

/// Options of `edit`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Revision id, unique prefix, or `head` (the single head).
    #[arg(value_name = "REV", default_value = "head")]
    pub revision: String,
}

/// Runs `edit`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    let settings = ctx.settings()?;
    let (id, shown) = match Revisions::load(ctx.source, &settings) {
        Ok(revs) => {
            let entry = if args.revision == "head" {
                revs.single_head()?
            } else {
                revs.resolve(&args.revision)?
            };
            (entry.id().to_string(), entry.path.clone())
        }
        // A broken file is what one most wants to edit: find it by its name.
        Err(err) => by_file_name(&settings.migrations_dir, &args.revision).ok_or(err)?,
    };
    let path = if shown.is_absolute() {
        shown.clone()
    } else {
        ctx.cwd.join(&shown)
    };
    let editor = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|value| !value.trim().is_empty())
        .ok_or_else(|| {
            CliError::usage("no editor is configured: neither VISUAL nor EDITOR is set").fix(
                format!(
                    "set EDITOR (e.g. `export EDITOR=vim`), or open {} yourself",
                    shown.display()
                ),
            )
        })?;
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg("sh")
        .arg(&path)
        .status()
        .map_err(|e| {
            CliError::io(format!("cannot start the editor `{editor}`: {e}"))
                .fix("check VISUAL / EDITOR")
        })?;
    if !status.success() {
        return Err(CliError::io(format!(
            "the editor `{editor}` exited with {status} on {}",
            shown.display()
        ))
        .fix("check VISUAL / EDITOR; the file is as the editor left it"));
    }
    // Read it back: a broken file is reported now, with its line.
    let text = std::fs::read_to_string(&path).map_err(|e| {
        CliError::io(format!("cannot read {}: {e}", path.display()))
            .fix("check the file's permissions")
    })?;
    Revision::parse(&text, &shown).map_err(|e| {
        revision_error(e).fix(format!(
            "fix the file (`{} edit {}`), or restore it from version control",
            ctx.program(),
            id
        ))
    })?;
    ctx.out.status(format!(
        "edited revision {id} ({}): it parses",
        shown.display()
    ));
    Ok(Status::Ok)
}

/// The revision file in `dir` whose name starts with `prefix` (the only one), when
/// the directory cannot be loaded as a whole.
fn by_file_name(dir: &Path, prefix: &str) -> Option<(String, PathBuf)> {
    if prefix == "head" || prefix.is_empty() {
        return None;
    }
    let mut found = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "toml")
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with(prefix))
        });
    let path = found.next()?;
    if found.next().is_some() {
        return None;
    }
    let name = path.file_name()?.to_str()?;
    let id = name.split('_').next().unwrap_or(name).to_string();
    Some((id, shown_path(&path)))
}
