//! Everything the CLI prints goes through [`Output`].
//!
//! Data a script may read (history, heads, the `--sql` script) goes to stdout; status
//! and progress lines go to stderr, so `cargo migrate upgrade --sql > up.sql` stays
//! clean. Colour is used only on a terminal, never with `NO_COLOR` or `--color never`
//! (anstream strips the escapes). Every line passes through the [`Masker`].

use std::io::Write;

use anstream::{AutoStream, ColorChoice};
use anstyle::{AnsiColor, Style};

use crate::error::CliError;
use crate::mask::Masker;

/// How much to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verbosity {
    /// `--quiet`: data and errors only.
    Quiet,
    /// The default.
    Normal,
    /// `--verbose`: details (full revision headers, where configuration came from).
    Verbose,
}

/// Styles used across commands.
pub mod style {
    use super::*;
    /// A revision id.
    pub const ID: Style = AnsiColor::Yellow.on_default();
    /// A marker such as `(head)` or `(current)`.
    pub const MARKER: Style = AnsiColor::Green.on_default().bold();
    /// The word `error:`.
    pub const ERROR: Style = AnsiColor::Red.on_default().bold();
    /// The word `fix:`.
    pub const FIX: Style = AnsiColor::Cyan.on_default().bold();
    /// The word `warning:`.
    pub const WARNING: Style = AnsiColor::Yellow.on_default().bold();
    /// Secondary text (durations, dates).
    pub const DIM: Style = Style::new().dimmed();
    /// Emphasis (headers, the action of a progress line).
    pub const BOLD: Style = Style::new().bold();
}

/// `text` wrapped in `style`'s escape codes (stripped later when colour is off).
pub fn paint(style: Style, text: impl std::fmt::Display) -> String {
    format!("{style}{text}{style:#}")
}

/// The printer shared by all commands.
#[derive(Clone, Debug)]
pub struct Output {
    verbosity: Verbosity,
    color: ColorChoice,
    masker: Masker,
}

impl Output {
    /// A printer with the given verbosity and colour choice.
    pub fn new(verbosity: Verbosity, color: ColorChoice) -> Self {
        Output {
            verbosity,
            color,
            masker: Masker::new(),
        }
    }

    /// The verbosity in force.
    pub fn verbosity(&self) -> Verbosity {
        self.verbosity
    }

    /// Whether `--verbose` was given.
    pub fn is_verbose(&self) -> bool {
        self.verbosity >= Verbosity::Verbose
    }

    /// The masker, to teach it the database URL's password.
    pub fn masker_mut(&mut self) -> &mut Masker {
        &mut self.masker
    }

    /// The masker.
    pub fn masker(&self) -> &Masker {
        &self.masker
    }

    /// Prints data to stdout (always, even with `--quiet`).
    pub fn data(&self, text: impl AsRef<str>) {
        let mut out = AutoStream::new(std::io::stdout(), self.color);
        let _ = writeln!(out, "{}", self.masker.mask(text.as_ref()));
    }

    /// Prints a `--format json` document to stdout (pretty, one trailing newline).
    pub fn json(&self, document: &impl serde::Serialize) {
        match serde_json::to_string_pretty(document) {
            Ok(text) => self.data(text),
            // Our documents are plain structs of strings, lists and booleans.
            Err(e) => self.stderr(&format!("cannot write the JSON document: {e}")),
        }
    }

    /// Prints text to stdout without a trailing newline (for scripts).
    pub fn data_raw(&self, text: impl AsRef<str>) {
        let mut out = AutoStream::new(std::io::stdout(), self.color);
        let _ = write!(out, "{}", self.masker.mask(text.as_ref()));
        let _ = out.flush();
    }

    /// Prints a status line to stderr, unless `--quiet`.
    pub fn status(&self, text: impl AsRef<str>) {
        if self.verbosity >= Verbosity::Normal {
            self.stderr(text.as_ref());
        }
    }

    /// Starts a progress line on stderr (no newline yet), unless `--quiet`; finish it
    /// with [`Output::progress_end`].
    pub fn progress_start(&self, text: impl AsRef<str>) {
        if self.verbosity >= Verbosity::Normal {
            let mut err = AutoStream::new(std::io::stderr(), self.color);
            let _ = write!(err, "{} ... ", self.masker.mask(text.as_ref()));
            let _ = err.flush();
        }
    }

    /// Ends the progress line started by [`Output::progress_start`].
    pub fn progress_end(&self, text: impl AsRef<str>) {
        if self.verbosity >= Verbosity::Normal {
            self.stderr(text.as_ref());
        }
    }

    /// Prints a detail line to stderr, only with `--verbose`.
    pub fn detail(&self, text: impl AsRef<str>) {
        if self.is_verbose() {
            self.stderr(text.as_ref());
        }
    }

    /// Prints a warning to stderr (even with `--quiet`).
    pub fn warning(&self, text: impl AsRef<str>) {
        self.stderr(&format!(
            "{} {}",
            paint(style::WARNING, "warning:"),
            text.as_ref()
        ));
    }

    /// Prints an error and its fix to stderr.
    pub fn error(&self, err: &CliError) {
        self.stderr(&format!(
            "{} {}",
            paint(style::ERROR, "error:"),
            err.message
        ));
        if let Some(fix) = &err.fix {
            self.stderr(&format!("  {} {fix}", paint(style::FIX, "fix:")));
        }
    }

    /// `text` as a status line would print it to stderr, for a display that writes
    /// itself (the progress bar): masked, with the colour escapes removed unless
    /// stderr gets colour.
    pub fn rendered(&self, text: &str) -> String {
        let masked = self.masker.mask(text);
        let colour = match self.color {
            ColorChoice::Auto => AutoStream::choice(&std::io::stderr()) != ColorChoice::Never,
            choice => choice != ColorChoice::Never,
        };
        if colour {
            masked
        } else {
            anstream::adapter::strip_str(&masked).to_string()
        }
    }

    fn stderr(&self, text: &str) {
        let mut err = AutoStream::new(std::io::stderr(), self.color);
        // One write for the line and its end: stderr is unbuffered, and `writeln!`
        // writes the two apart.
        let mut line = self.masker.mask(text);
        line.push('\n');
        let _ = err.write_all(line.as_bytes());
    }
}

/// Lays out rows of cells in aligned columns. Cells are `(plain, styled)`: widths come
/// from the plain text, the styled text is printed.
pub fn align(rows: &[Vec<(String, String)>]) -> Vec<String> {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    for row in rows {
        for (i, (plain, _)) in row.iter().enumerate() {
            widths[i] = widths[i].max(plain.chars().count());
        }
    }
    rows.iter()
        .map(|row| {
            let mut line = String::new();
            for (i, (plain, styled)) in row.iter().enumerate() {
                if i > 0 {
                    line.push_str("  ");
                }
                line.push_str(styled);
                if i + 1 < row.len() {
                    let pad = widths[i] - plain.chars().count();
                    line.push_str(&" ".repeat(pad));
                }
            }
            line.trim_end().to_string()
        })
        .collect()
}

/// A cell with the same plain and styled text.
pub fn cell(text: impl Into<String>) -> (String, String) {
    let text = text.into();
    (text.clone(), text)
}

/// A cell printed in `style`.
pub fn styled(style: Style, text: impl Into<String>) -> (String, String) {
    let text = text.into();
    let painted = paint(style, &text);
    (text, painted)
}

/// A duration as people read it: `850 ms`, `12.3 s`.
pub fn human_duration(duration: std::time::Duration) -> String {
    let ms = duration.as_millis();
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{:.1} s", duration.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_align_on_plain_width() {
        let rows = vec![
            vec![styled(style::ID, "abc"), cell("x")],
            vec![cell("abcdef"), cell("y")],
        ];
        let lines = align(&rows);
        let plain: Vec<String> = lines
            .iter()
            .map(|l| anstream::adapter::strip_str(l).to_string())
            .collect();
        assert_eq!(plain, vec!["abc     x", "abcdef  y"]);
    }
}
