//! `[hooks]` of `migrate.toml`: commands run after migrate writes a revision file,
//! as Alembic's `post_write_hooks` (a formatter, a linter, `git add`).
//!
//! The command runs through `sh -c` in the project root, with the file's path as its
//! last argument; its output goes to stderr, so that stdout keeps only the data (the
//! new revision's id). A hook that fails is an error: the file stays written, and
//! the message says which hook and how it failed.

use std::path::Path;
use std::process::{Command, Stdio};

use crate::config::Settings;
use crate::context::Context;
use crate::error::{CliError, CliResult};

/// Runs the `post_write` hook, if one is configured, on the file at `path`.
pub fn post_write(ctx: &Context, settings: &Settings, path: &Path) -> CliResult<()> {
    let Some(hook) = settings
        .file
        .hooks
        .as_ref()
        .and_then(|h| h.post_write.as_deref())
        .filter(|h| !h.trim().is_empty())
    else {
        return Ok(());
    };
    let shown = path
        .strip_prefix(&ctx.cwd)
        .unwrap_or(path)
        .display()
        .to_string();
    ctx.out
        .status(format!("running post_write hook: {hook} {shown}"));
    let config = settings
        .config_path
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| "migrate.toml".to_string());
    let status = Command::new("sh")
        .arg("-c")
        .arg(format!("{hook} \"$@\""))
        .arg("sh")
        .arg(path)
        .current_dir(&settings.root)
        .stdin(Stdio::null())
        .stdout(Stdio::from(std::io::stderr()))
        .status()
        .map_err(|e| {
            CliError::io(format!("cannot run the post_write hook `{hook}`: {e}"))
                .fix(format!("check [hooks] post_write in {config}"))
        })?;
    if !status.success() {
        let how = match status.code() {
            Some(code) => format!("exit code {code}"),
            None => "a signal".to_string(),
        };
        return Err(CliError::io(format!(
            "the post_write hook `{hook}` failed on {shown} ({how}); the file is written"
        ))
        .fix(format!(
            "fix the file or the hook ([hooks] post_write in {config}), then run the hook by hand"
        )));
    }
    Ok(())
}
