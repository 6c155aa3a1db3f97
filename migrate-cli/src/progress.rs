//! The live progress display of long runs: a bar (indicatif) on a terminal, plain
//! lines otherwise.
//!
//! On a terminal (stderr, without `--quiet`), `upgrade`/`downgrade` draw a bar of the
//! revisions under their per-revision lines, and a fleet command draws one line per
//! database being worked on and a bar for the whole fleet under the lines of the
//! databases that finished. Anywhere else (a pipe, CI's log, `TERM=dumb`) only the
//! plain lines are printed, exactly as before, so logs and tests read the same.
//! Every line, on the bar or not, passes through the output's masker.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::{Output, Verbosity};

/// A live display, or nothing but plain lines.
pub struct Display {
    out: Output,
    live: Option<Live>,
}

struct Live {
    multi: MultiProgress,
    total: ProgressBar,
}

/// A line of the display for one piece of work in progress (a fleet's database);
/// removed when dropped.
pub struct Running(Option<ProgressBar>);

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(bar) = self.0.take() {
            bar.finish_and_clear();
        }
    }
}

/// Whether a bar can be drawn: stderr is a terminal that understands cursor
/// movement, and the user did not ask for quiet.
fn wanted(out: &Output) -> bool {
    out.verbosity() >= Verbosity::Normal
        && std::io::stderr().is_terminal()
        && std::env::var("TERM").map_or(true, |t| t != "dumb")
}

impl Display {
    /// A display for `len` units of work called `unit` (`revisions`, `databases`):
    /// a bar on a terminal, plain lines otherwise.
    pub fn new(out: &Output, len: usize, unit: &str) -> Display {
        Display::with(out, len, unit, wanted(out))
    }

    /// Like [`Display::new`], with the choice of a bar made by the caller.
    pub fn with(out: &Output, len: usize, unit: &str, bar: bool) -> Display {
        let live = bar.then(|| {
            let multi = MultiProgress::with_draw_target(ProgressDrawTarget::stderr_with_hz(10));
            let total = multi.add(ProgressBar::new(len as u64));
            total.set_style(
                ProgressStyle::with_template(&format!(
                    "{{bar:30}} {{pos}}/{{len}} {unit}  {{elapsed}}{{msg}}"
                ))
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            );
            total.enable_steady_tick(Duration::from_millis(200));
            Live { multi, total }
        });
        Display {
            out: out.clone(),
            live,
        }
    }

    /// Whether a bar is drawn.
    pub fn is_live(&self) -> bool {
        self.live.is_some()
    }

    /// Prints a status line (above the bar when there is one).
    pub fn line(&self, text: impl AsRef<str>) {
        match &self.live {
            Some(live) => {
                let _ = live.multi.println(self.out.rendered(text.as_ref()));
            }
            None => self.out.status(text),
        }
    }

    /// Counts one unit of work done.
    pub fn inc(&self) {
        if let Some(live) = &self.live {
            live.total.inc(1);
        }
    }

    /// Sets the text after the bar (e.g. `, 2 failed`).
    pub fn note(&self, text: impl Into<String>) {
        if let Some(live) = &self.live {
            live.total.set_message(text.into());
        }
    }

    /// A line for one piece of work while it runs (a spinner with `label`), above the
    /// bar; plain output shows nothing until it ends.
    pub fn running(&self, label: &str) -> Running {
        Running(self.live.as_ref().map(|live| {
            let spinner = live
                .multi
                .insert_before(&live.total, ProgressBar::new_spinner());
            spinner.set_style(
                ProgressStyle::with_template("  {spinner} {msg}  {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            spinner.set_message(self.out.rendered(label));
            spinner.enable_steady_tick(Duration::from_millis(120));
            spinner
        }))
    }

    /// Removes the bar (the lines printed stay).
    pub fn finish(&self) {
        if let Some(live) = &self.live {
            live.total.finish_and_clear();
            let _ = live.multi.clear();
        }
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        self.finish();
    }
}
