//! How a revision runs against a live database: the form of each change (online or
//! blocking), the lock and statement timeouts, and how often a lock timeout is
//! retried.
//!
//! The policy is written into each revision file as a `[safety]` table by
//! autogenerate, from the `[safety]` table of `migrate.toml`; a revision file
//! without one (written before safe forms existed, or by hand) runs the plain,
//! blocking forms, so an applied revision never changes meaning. Rule: the file
//! says how it runs, so the CLI on the files, `--sql` and a deployed binary run the
//! same statements whatever `migrate.toml` says today.

use std::ops::Range;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::locate;

/// The lock timeout autogenerate writes when `migrate.toml` names none.
pub const DEFAULT_LOCK_TIMEOUT: Duration = Duration::from_secs(5);

/// How often a statement that hit the lock timeout is tried again, when
/// `migrate.toml` names no number.
pub const DEFAULT_LOCK_RETRIES: u32 = 3;

/// Which form of each change a revision runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Forms {
    /// The forms that keep the table readable and writable: indexes built
    /// concurrently, constraints added `NOT VALID` then validated, `SET NOT NULL`
    /// through a validated check (PostgreSQL); `ALGORITHM=INPLACE/INSTANT, LOCK=NONE`
    /// (MySQL/MariaDB).
    Online,
    /// The plain forms, each in the revision's transaction: for a project that
    /// deploys with downtime, or a revision that must be atomic.
    #[default]
    Blocking,
}

impl Forms {
    /// The name written in files: `online` or `blocking`.
    pub fn name(self) -> &'static str {
        match self {
            Forms::Online => "online",
            Forms::Blocking => "blocking",
        }
    }
}

/// The `[safety]` table of a revision file (and of `migrate.toml`, where it is the
/// default autogenerate copies into new revisions).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SafetyTable {
    /// `online` or `blocking`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forms: Option<Forms>,
    /// How long a statement waits for a lock before it fails (`"5s"`, `"500ms"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_timeout: Option<String>,
    /// How long one statement may run (`"15min"`); none by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement_timeout: Option<String>,
    /// How often a statement that hit the lock timeout is tried again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock_retries: Option<u32>,
    /// Lint levels by rule code (`MG101 = "deny"`); see [`crate::lint`].
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub lints: std::collections::BTreeMap<String, String>,
    /// `false` turns the rolling-deploy check off (a project that deploys with
    /// downtime).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rolling_deploy: Option<bool>,
}

/// A `[safety]` table that does not read: the key, what is wrong with its value and
/// what it accepts, and the key's line in its file when the error was found there.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct PolicyError {
    /// 1-based line of the key in its file, when known.
    pub line: Option<usize>,
    /// The key at fault: `forms`, `lints.MG102`, or `table` for the table as a whole.
    pub key: String,
    /// What is wrong and what is allowed.
    pub message: String,
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(line) = self.line {
            write!(f, "line {line}: ")?;
        }
        write!(f, "[safety] {}: {}", self.key, self.message)
    }
}

impl PolicyError {
    fn new(key: &str, message: String) -> PolicyError {
        PolicyError {
            line: None,
            key: key.to_string(),
            message,
        }
    }

    /// The error with the line of its key in `text` (the file the table was read
    /// from).
    pub fn placed(mut self, text: &str) -> PolicyError {
        if self.line.is_none() {
            self.line = locate::find(text, &self.key).map(|p| p.line);
        }
        self
    }

    /// The error of a `[safety]` table in `text` that serde refused with `message`
    /// at byte range `span`: the key there, its value, and what the key accepts.
    pub fn from_toml(text: &str, message: &str, span: Option<Range<usize>>) -> PolicyError {
        let place = span.and_then(|s| locate::at(text, s.start));
        let message = message.trim();
        match place {
            Some(p) => PolicyError {
                line: Some(p.line),
                message: format!(
                    "{} = {}: {message}; {}",
                    p.key,
                    p.value,
                    locate::allowed(&p.key)
                ),
                key: p.key,
            },
            None => PolicyError::new("table", format!("{message}; {}", locate::allowed(""))),
        }
    }
}

/// A revision's policy, read and checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Online or blocking forms.
    pub forms: Forms,
    /// Lock timeout, if any.
    pub lock_timeout: Option<Duration>,
    /// Statement timeout, if any.
    pub statement_timeout: Option<Duration>,
    /// Tries after the first for a statement that hit the lock timeout.
    pub lock_retries: u32,
}

impl Default for Policy {
    /// The policy of a revision file without `[safety]`: plain forms, no timeouts,
    /// no retries (what every revision did before safe forms).
    fn default() -> Self {
        Policy {
            forms: Forms::Blocking,
            lock_timeout: None,
            statement_timeout: None,
            lock_retries: 0,
        }
    }
}

impl Policy {
    /// Whether changes to tables that existed before the revision take their online
    /// form.
    pub fn online(&self) -> bool {
        self.forms == Forms::Online
    }

    /// The `SET` statements that put the policy's timeouts in force for the rest of
    /// the session, and those that take them back, for `kind`. Empty when the policy
    /// has no timeout; SQLite has none (a writer waits on the busy timeout).
    pub fn session_settings(
        &self,
        kind: crate::dialect::DialectKind,
    ) -> (Vec<String>, Vec<String>) {
        use crate::dialect::DialectKind::*;
        let (mut set, mut reset) = (Vec::new(), Vec::new());
        let ms = |d: Duration| d.as_millis();
        match kind {
            Postgres => {
                if let Some(d) = self.lock_timeout {
                    set.push(format!("SET lock_timeout = '{}ms'", ms(d)));
                    reset.push("RESET lock_timeout".to_string());
                }
                if let Some(d) = self.statement_timeout {
                    set.push(format!("SET statement_timeout = '{}ms'", ms(d)));
                    reset.push("RESET statement_timeout".to_string());
                }
            }
            MySql => {
                // lock_wait_timeout counts whole seconds (at least 1); MariaDB's
                // max_statement_time counts seconds with a fraction.
                if let Some(d) = self.lock_timeout {
                    let secs = d.as_secs().max(1);
                    set.push(format!("SET SESSION lock_wait_timeout = {secs}"));
                    set.push(format!("SET SESSION innodb_lock_wait_timeout = {secs}"));
                    reset.push("SET SESSION lock_wait_timeout = DEFAULT".to_string());
                    reset.push("SET SESSION innodb_lock_wait_timeout = DEFAULT".to_string());
                }
                if let Some(d) = self.statement_timeout {
                    set.push(format!(
                        "SET SESSION max_statement_time = {}",
                        d.as_secs_f64()
                    ));
                    reset.push("SET SESSION max_statement_time = DEFAULT".to_string());
                }
            }
            Sqlite => {}
        }
        (set, reset)
    }
}

impl SafetyTable {
    /// The policy this table gives, with `defaults` (the project's table) filling
    /// what it leaves out.
    pub fn policy(&self, defaults: Option<&SafetyTable>) -> Result<Policy, PolicyError> {
        let pick = |f: fn(&SafetyTable) -> Option<String>| f(self).or_else(|| defaults.and_then(f));
        let forms = self
            .forms
            .or_else(|| defaults.and_then(|d| d.forms))
            .unwrap_or(Forms::Online);
        let lock_timeout = match pick(|t| t.lock_timeout.clone()) {
            Some(text) => parse_duration("lock_timeout", &text)?,
            None => Some(DEFAULT_LOCK_TIMEOUT),
        };
        let statement_timeout = match pick(|t| t.statement_timeout.clone()) {
            Some(text) => parse_duration("statement_timeout", &text)?,
            None => None,
        };
        let lock_retries = self
            .lock_retries
            .or_else(|| defaults.and_then(|d| d.lock_retries))
            .unwrap_or(DEFAULT_LOCK_RETRIES);
        Ok(Policy {
            forms,
            lock_timeout,
            statement_timeout,
            lock_retries,
        })
    }

    /// The table autogenerate writes into a new revision: the project's settings
    /// with every default spelt out, so the file says how it runs.
    pub fn for_new_revision(project: Option<&SafetyTable>) -> Result<SafetyTable, PolicyError> {
        let policy = SafetyTable::default().policy(project)?;
        Ok(SafetyTable {
            forms: Some(policy.forms),
            lock_timeout: Some(
                project
                    .and_then(|p| p.lock_timeout.clone())
                    .unwrap_or_else(|| format_duration(DEFAULT_LOCK_TIMEOUT)),
            ),
            statement_timeout: project.and_then(|p| p.statement_timeout.clone()),
            lock_retries: Some(policy.lock_retries),
            lints: std::collections::BTreeMap::new(),
            rolling_deploy: None,
        })
    }

    /// The `[safety]` table of a revision file's text, if it has one. The rest of
    /// the file is read by [`crate::revision::read`], which leaves this table alone.
    pub fn from_revision_text(text: &str) -> Result<Option<SafetyTable>, PolicyError> {
        // Rule: the runtime reads this for every revision it applies, most of them
        // embedded with their operations already parsed, so a file without the
        // table costs a substring search and one with it a parse of the table only
        // (it comes last, as written); anything else is read whole.
        if !text.contains("safety") {
            return Ok(None);
        }
        let tail = text
            .find("\n[safety")
            .and_then(|at| toml::from_str::<toml::Table>(&text[at..]).ok());
        let doc: toml::Table = match tail {
            Some(doc) => doc,
            None => match toml::from_str(text) {
                Ok(doc) => doc,
                // The revision reader reports a file that is not TOML, with its line.
                Err(_) => return Ok(None),
            },
        };
        let Some(value) = doc.get("safety") else {
            return Ok(None);
        };
        let table = match SafetyTable::deserialize(value.clone()) {
            Ok(table) => table,
            Err(e) => return Err(serde_error(text, e.message())),
        };
        table.validate().map_err(|e| e.placed(text))?;
        Ok(Some(table))
    }

    /// Checks what serde cannot: the durations, and the lint levels and rules.
    pub fn validate(&self) -> Result<(), PolicyError> {
        self.policy(None)?;
        crate::lint::Levels::new(Some(self), None).map_err(|e| {
            PolicyError::new(
                &format!("lints.{}", e.key),
                format!("\"{}\": {}", e.value, e.problem),
            )
        })?;
        Ok(())
    }

    /// The policy of a revision file's text: its `[safety]` table, or the plain
    /// forms when it has none.
    pub fn policy_of_revision_text(text: &str) -> Result<Policy, PolicyError> {
        match SafetyTable::from_revision_text(text)? {
            Some(table) => table.policy(None),
            None => Ok(Policy::default()),
        }
    }

    /// The table as it is written at the end of a revision file.
    pub fn to_toml(&self) -> String {
        let mut out = String::from("\n[safety]\n");
        out.push_str(
            "# How this revision runs on a live database (docs/safety.md). forms = \"blocking\"\n\
             # writes the plain forms (for a deploy with downtime).\n",
        );
        if let Some(forms) = self.forms {
            out.push_str(&format!("forms = \"{}\"\n", forms.name()));
        }
        if let Some(t) = &self.lock_timeout {
            out.push_str(&format!("lock_timeout = \"{t}\"\n"));
        }
        if let Some(t) = &self.statement_timeout {
            out.push_str(&format!("statement_timeout = \"{t}\"\n"));
        }
        if let Some(n) = self.lock_retries {
            out.push_str(&format!("lock_retries = {n}\n"));
        }
        if let Some(r) = self.rolling_deploy {
            out.push_str(&format!("rolling_deploy = {r}\n"));
        }
        if !self.lints.is_empty() {
            out.push_str("\n[safety.lints]\n");
            for (code, level) in &self.lints {
                out.push_str(&format!("{code} = \"{level}\"\n"));
            }
        }
        out
    }
}

/// `"5s"`, `"500ms"`, `"2min"` as a duration; `"0"` or `"off"` as none.
pub fn parse_duration(key: &str, text: &str) -> Result<Option<Duration>, PolicyError> {
    let text = text.trim();
    if text == "0" || text == "off" {
        return Ok(None);
    }
    humantime::parse_duration(text).map(Some).map_err(|e| {
        PolicyError::new(
            key,
            format!(
                "`{text}` is not a duration ({e}); write e.g. \"5s\", \"500ms\" or \"2min\", \
                     or \"off\""
            ),
        )
    })
}

/// The error of a `[safety]` table of a revision file's `text` that serde refused
/// with `message`: read again from the text, for the position of the key.
fn serde_error(text: &str, message: &str) -> PolicyError {
    #[derive(Deserialize)]
    struct File {
        #[allow(dead_code)]
        safety: Option<SafetyTable>,
    }
    match toml::from_str::<File>(text) {
        Err(e) => PolicyError::from_toml(text, e.message(), e.span()),
        Ok(_) => PolicyError::from_toml(text, message, None),
    }
}

/// A duration as [`parse_duration`] reads it.
pub fn format_duration(d: Duration) -> String {
    humantime::format_duration(d).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::DialectKind;

    #[test]
    fn a_file_without_safety_runs_the_plain_forms() {
        let p = SafetyTable::policy_of_revision_text("id = \"a\"\n").unwrap();
        assert_eq!(p, Policy::default());
        assert!(p.session_settings(DialectKind::Postgres).0.is_empty());
    }

    #[test]
    fn the_revision_table_wins_over_the_project_defaults() {
        let project = SafetyTable {
            lock_timeout: Some("2s".into()),
            lock_retries: Some(7),
            ..SafetyTable::default()
        };
        let file = SafetyTable {
            lock_timeout: Some("750ms".into()),
            forms: Some(Forms::Blocking),
            ..SafetyTable::default()
        };
        let p = file.policy(Some(&project)).unwrap();
        assert_eq!(p.forms, Forms::Blocking);
        assert_eq!(p.lock_timeout, Some(Duration::from_millis(750)));
        assert_eq!(p.lock_retries, 7);
        assert_eq!(
            p.session_settings(DialectKind::Postgres).0,
            vec!["SET lock_timeout = '750ms'".to_string()]
        );
    }

    #[test]
    fn a_new_revision_spells_out_every_default_and_reads_back() {
        let table = SafetyTable::for_new_revision(None).unwrap();
        let text = format!("id = \"a\"\n{}", table.to_toml());
        let back = SafetyTable::from_revision_text(&text).unwrap().unwrap();
        assert_eq!(back, table);
        let p = back.policy(None).unwrap();
        assert_eq!(p.forms, Forms::Online);
        assert_eq!(p.lock_timeout, Some(DEFAULT_LOCK_TIMEOUT));
        assert_eq!(p.lock_retries, DEFAULT_LOCK_RETRIES);
    }

    #[test]
    fn the_table_is_found_wherever_the_file_puts_it() {
        let last = "id = \"a\"\n\n[[upgrade]]\nop = \"sql\"\nsql = \"SELECT 1\"\n\n[safety]\nforms = \"blocking\"\n";
        let first = "id = \"a\"\n\n[safety]\nforms = \"blocking\"\n\n[[upgrade]]\nop = \"sql\"\nsql = \"SELECT 1\"\n";
        let inline = "id = \"a\"\nsafety = { forms = \"blocking\" }\n";
        for text in [last, first, inline] {
            let table = SafetyTable::from_revision_text(text).unwrap().unwrap();
            assert_eq!(table.forms, Some(Forms::Blocking), "{text}");
        }
        assert_eq!(
            SafetyTable::from_revision_text("id = \"a\"\n").unwrap(),
            None
        );
    }

    #[test]
    fn a_bad_table_names_the_line_the_key_its_value_and_what_it_takes() {
        let head = "id = \"a\"\n\n[[upgrade]]\nop = \"sql\"\nsql = \"SELECT 1\"\n\n[safety]\n";
        let cases = [
            (
                "forms = \"fast\"\n",
                8,
                "forms",
                "\"online\" or \"blocking\"",
            ),
            (
                "forms = \"online\"\nlock_timeout = \"soon\"\n",
                9,
                "lock_timeout",
                "\"500ms\"",
            ),
            ("lock_retries = -1\n", 8, "lock_retries", "0 or more"),
            (
                "lock_retry = 3\n",
                8,
                "lock_retry",
                "the keys of [safety] are",
            ),
            (
                "rolling_deploy = \"no\"\n",
                8,
                "rolling_deploy",
                "true or false",
            ),
            (
                "\n[safety.lints]\nMG102 = \"loud\"\n",
                10,
                "lints.MG102",
                "\"deny\"",
            ),
            (
                "\n[safety.lints]\nMG999 = \"warn\"\n",
                10,
                "lints.MG999",
                "MG101",
            ),
        ];
        for (body, line, key, allowed) in cases {
            let text = format!("{head}{body}");
            let err = SafetyTable::from_revision_text(&text).unwrap_err();
            assert_eq!((err.line, err.key.as_str()), (Some(line), key), "{err}");
            let shown = err.to_string();
            assert!(
                shown.starts_with(&format!("line {line}: [safety] {key}")),
                "{shown}"
            );
            assert!(shown.contains(allowed), "{shown}");
        }
    }

    #[test]
    fn a_bad_duration_says_how_to_write_one() {
        let err = parse_duration("lock_timeout", "five seconds").unwrap_err();
        assert!(err.to_string().contains("write e.g. \"5s\""), "{err}");
        assert_eq!(parse_duration("lock_timeout", "off").unwrap(), None);
    }
}
