//! Lints: what a revision does that a live database or the release still running
//! pays for, as diagnostics with a rule code, the table and column, why it matters
//! and the fix (docs/safety.md lists every rule).
//!
//! The rules are those of squawk for PostgreSQL migrations that apply to what we
//! generate, with their MySQL/MariaDB counterparts in the reasons; most of squawk's
//! lock rules never fire here because autogenerate writes the online form instead
//! ([`crate::online`]), and fire again (as [`rules::BLOCKING_FORM`]) when a revision
//! opts out. Each rule has a level, `allow`, `warn` or `deny`, set per rule in the
//! `[safety.lints]` table of `migrate.toml` and overridden in the same table of a
//! revision file; a `deny` fails the build and `cargo migrate check`.
//!
//! - [`release`]: the models of the release before a revision (struct and field of
//!   each table and column), which the rolling-deploy findings name.
//! - [`rules`]: the rules over operations (the SQL of hand-written steps is linted by
//!   migrate-build, which has a SQL parser the runtime must not carry).

pub mod release;
pub mod rules;

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::online::{Policy, SafetyTable};
use crate::ops::Operation;
use crate::schema::Schema;

/// How much a rule matters to a project.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Not reported.
    Allow,
    /// Reported; the build goes on.
    Warn,
    /// Reported; the build and `check` fail.
    Deny,
}

impl Level {
    /// `allow`, `warn` or `deny`.
    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }

    fn parse(text: &str) -> Option<Level> {
        match text {
            "allow" => Some(Level::Allow),
            "warn" => Some(Level::Warn),
            "deny" => Some(Level::Deny),
            _ => None,
        }
    }
}

/// One rule: its code, its name (squawk's where one matches), its level when
/// nothing sets one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// `MG101`...
    pub code: &'static str,
    /// `adding-required-field`...
    pub name: &'static str,
    /// Level when `migrate.toml` and the revision say nothing.
    pub default: Level,
}

/// What a rule found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// The rule.
    pub rule: Rule,
    /// Its level for this revision.
    pub level: Level,
    /// The revision, when known.
    pub revision: Option<String>,
    /// Position of the step in the upgrade list (1-based).
    pub step: usize,
    /// Table, or `table.column`.
    pub target: String,
    /// What the step does.
    pub what: String,
    /// Why it matters on a live database.
    pub why: String,
    /// How to do it instead.
    pub fix: String,
    /// For a rolling-deploy rule: the struct and field of the release before that
    /// break ([`release::ReleaseModels::breaks`]), when that release's models are
    /// recorded.
    pub breaks: Option<String>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = match &self.revision {
            Some(r) => format!("revision {r} step {}", self.step),
            None => format!("step {}", self.step),
        };
        writeln!(
            f,
            "{}[{} {}]: {} ({at}): {}",
            match self.level {
                Level::Deny => "error",
                _ => "warning",
            },
            self.rule.code,
            self.rule.name,
            self.target,
            self.what,
        )?;
        if let Some(breaks) = &self.breaks {
            writeln!(f, "  breaks: {breaks}")?;
        }
        write!(f, "  why: {}\n  fix: {}", self.why, self.fix)
    }
}

impl Finding {
    /// The finding as comment lines of a revision file.
    pub fn as_comment(&self) -> String {
        let breaks = match &self.breaks {
            Some(b) => format!("#   breaks: {b}\n"),
            None => String::new(),
        };
        format!(
            "# {} {} ({}) step {}: {}: {}\n{breaks}#   why: {}\n#   fix: {}\n",
            self.rule.code,
            self.rule.name,
            self.level.name(),
            self.step,
            self.target,
            self.what,
            self.why,
            self.fix
        )
    }
}

/// Lint levels by rule code or name, from `migrate.toml` then the revision.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Levels(BTreeMap<String, Level>);

/// A level that does not read, or a rule that does not exist.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("[safety.lints] {key} = \"{value}\": {problem}")]
pub struct LevelError {
    /// The key.
    pub key: String,
    /// Its value.
    pub value: String,
    /// What is wrong, and what is accepted.
    pub problem: String,
}

impl Levels {
    /// The levels of `project` (migrate.toml's `[safety]`) overridden by those of
    /// `revision` (the file's).
    pub fn new(
        project: Option<&SafetyTable>,
        revision: Option<&SafetyTable>,
    ) -> Result<Levels, LevelError> {
        let mut out = BTreeMap::new();
        // Rule: a project that deploys with downtime turns the rolling-deploy
        // rules off as a group; a level set for one of them still wins.
        let rolling = revision
            .and_then(|t| t.rolling_deploy)
            .or_else(|| project.and_then(|t| t.rolling_deploy))
            .unwrap_or(true);
        if !rolling {
            for rule in rules::ROLLING_DEPLOY {
                out.insert(rule.code.to_string(), Level::Allow);
            }
        }
        for table in [project, revision].into_iter().flatten() {
            for (key, value) in &table.lints {
                let rule = rules::find(key).ok_or_else(|| LevelError {
                    key: key.clone(),
                    value: value.clone(),
                    problem: format!(
                        "no such rule; the rules are {}",
                        rules::ALL
                            .iter()
                            .map(|r| r.code)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                })?;
                let level = Level::parse(value).ok_or_else(|| LevelError {
                    key: key.clone(),
                    value: value.clone(),
                    problem: "write \"allow\", \"warn\" or \"deny\"".to_string(),
                })?;
                out.insert(rule.code.to_string(), level);
            }
        }
        Ok(Levels(out))
    }

    /// `rule` at `level` unless `migrate.toml` or the revision set one (e.g. MG111
    /// for a project whose dialect is MySQL).
    pub fn with_default(mut self, rule: Rule, level: Level) -> Levels {
        self.0.entry(rule.code.to_string()).or_insert(level);
        self
    }

    /// The level of `rule`.
    pub fn of(&self, rule: Rule) -> Level {
        self.0.get(rule.code).copied().unwrap_or(rule.default)
    }
}

/// The findings of `ops` (a revision's upgrade) on the schema `before` it, with the
/// revision's `policy`, at `levels`; allowed rules are left out.
pub fn lint_ops(
    before: &Schema,
    ops: &[Operation],
    policy: &Policy,
    levels: &Levels,
) -> Vec<Finding> {
    let mut schema = before.clone();
    let mut created = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    let mut timeout_reported = policy.lock_timeout.is_some();
    for (i, op) in ops.iter().enumerate() {
        let new_table = op.table_name().is_some_and(|t| created.contains(t));
        // Rule: a change to a table in use waits for its lock with a timeout, or
        // every query behind it queues for as long as it waits.
        let existing = op
            .table_name()
            .is_some_and(|t| !new_table && schema.tables.contains_key(t));
        if !timeout_reported && existing {
            timeout_reported = true;
            let mut f = rules::finding(
                rules::REQUIRE_LOCK_TIMEOUT,
                op.table_name().unwrap_or_default().to_string(),
                "changes a table in use with no lock timeout".into(),
                "a statement waiting for its lock behind a long query makes every \
                 later query on the table wait behind it",
                "set `lock_timeout` in the revision's [safety] table (autogenerate \
                 writes 5s by default)",
            );
            f.step = i + 1;
            f.level = levels.of(f.rule);
            if f.level != Level::Allow {
                out.push(f);
            }
        }
        for mut f in rules::check(op, policy, new_table) {
            f.step = i + 1;
            f.level = levels.of(f.rule);
            if f.level != Level::Allow {
                out.push(f);
            }
        }
        match op {
            Operation::CreateTable { table } => {
                created.insert(table.name.clone());
            }
            Operation::RenameTable { from, to } if created.remove(from) => {
                created.insert(to.clone());
            }
            _ => {}
        }
        // A revision that does not replay is reported by the graph, not here.
        if crate::apply(&mut schema, op).is_err() {
            break;
        }
    }
    out
}

/// Whether any finding is at `deny`.
pub fn any_denied(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.level == Level::Deny)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::online::Forms;
    use crate::schema::{Column, Index, Table};
    use crate::types::ColumnType;

    fn accounts() -> Schema {
        let mut s = Schema::new();
        let mut t = Table::new("accounts");
        t.columns = vec![
            Column::new("id", ColumnType::BigInt),
            Column::new("age", ColumnType::Integer),
        ];
        s.tables.insert("accounts".into(), t);
        s
    }

    fn online() -> Policy {
        Policy {
            forms: Forms::Online,
            lock_timeout: Some(std::time::Duration::from_secs(5)),
            ..Policy::default()
        }
    }

    fn codes(f: &[Finding]) -> Vec<&str> {
        f.iter().map(|f| f.rule.code).collect()
    }

    #[test]
    fn a_required_column_and_a_type_change_on_an_existing_table_are_reported() {
        let ops = vec![
            Operation::AddColumn {
                table: "accounts".into(),
                column: Column::new("email", ColumnType::Text),
            },
            Operation::AlterColumn {
                table: "accounts".into(),
                column: "age".into(),
                from: accounts().tables["accounts"].columns[1].state(),
                to: Column::new("age", ColumnType::BigInt).state(),
            },
        ];
        let f = lint_ops(&accounts(), &ops, &online(), &Levels::default());
        assert_eq!(codes(&f), ["MG101", "MG102"]);
        assert_eq!(f[0].target, "accounts.email");
        assert_eq!(f[1].step, 2);
        assert!(f[1].why.contains("ACCESS EXCLUSIVE"), "{}", f[1]);
    }

    #[test]
    fn a_table_the_revision_creates_is_not_linted_for_locks() {
        let mut t = Table::new("fresh");
        t.columns = vec![Column::new("id", ColumnType::BigInt)];
        let ops = vec![
            Operation::CreateTable { table: t },
            Operation::AddColumn {
                table: "fresh".into(),
                column: Column::new("email", ColumnType::Text),
            },
        ];
        assert!(lint_ops(&Schema::new(), &ops, &online(), &Levels::default()).is_empty());
    }

    #[test]
    fn blocking_forms_are_reported_only_when_the_revision_opts_out() {
        let ops = vec![Operation::CreateIndex {
            table: "accounts".into(),
            // Read as the revision file has it, whatever fields an index gains.
            index: serde_json::from_str::<Index>(
                r#"{"name": "ix_accounts_age", "columns": [{"name": "age", "desc": false}]}"#,
            )
            .unwrap(),
        }];
        assert!(lint_ops(&accounts(), &ops, &online(), &Levels::default()).is_empty());
        let f = lint_ops(&accounts(), &ops, &Policy::default(), &Levels::default());
        // The plain forms of a file without [safety] also set no lock timeout.
        assert_eq!(codes(&f), ["MG114", "MG109"]);
    }

    #[test]
    fn the_rolling_deploy_rules_name_what_breaks_the_previous_release_and_can_be_off() {
        let mut from = accounts().tables["accounts"].columns[1].clone().nullable();
        let ops = vec![
            Operation::AlterColumn {
                table: "accounts".into(),
                column: "age".into(),
                from: from.state(),
                to: {
                    from.nullable = false;
                    from.ty = ColumnType::SmallInt;
                    from.state()
                },
            },
            Operation::AddCheck {
                table: "accounts".into(),
                check: serde_json::from_str(r#"{"name": "ck_age", "expr": "age >= 0"}"#).unwrap(),
            },
        ];
        let f = lint_ops(&accounts(), &ops, &online(), &Levels::default());
        assert_eq!(codes(&f), ["MG102", "MG131", "MG133", "MG132"]);
        assert!(f[2].why.contains("the release before this one"), "{}", f[2]);
        let off = SafetyTable {
            rolling_deploy: Some(false),
            ..SafetyTable::default()
        };
        let levels = Levels::new(None, Some(&off)).unwrap();
        assert_eq!(
            codes(&lint_ops(&accounts(), &ops, &online(), &levels)),
            ["MG102"]
        );
    }

    #[test]
    fn levels_come_from_the_project_then_the_revision() {
        let project = SafetyTable {
            lints: [("MG101".to_string(), "deny".to_string())].into(),
            ..SafetyTable::default()
        };
        let revision = SafetyTable {
            lints: [("adding-required-field".to_string(), "allow".to_string())].into(),
            ..SafetyTable::default()
        };
        let denied = Levels::new(Some(&project), None).unwrap();
        assert_eq!(denied.of(rules::ADDING_REQUIRED_FIELD), Level::Deny);
        let allowed = Levels::new(Some(&project), Some(&revision)).unwrap();
        assert_eq!(allowed.of(rules::ADDING_REQUIRED_FIELD), Level::Allow);
        let bad = SafetyTable {
            lints: [("MG999".to_string(), "deny".to_string())].into(),
            ..SafetyTable::default()
        };
        let err = Levels::new(Some(&bad), None).unwrap_err();
        assert!(
            err.to_string()
                .contains("no such rule; the rules are MG101"),
            "{err}"
        );
    }
}
