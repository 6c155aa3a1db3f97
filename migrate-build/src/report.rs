//! The drift report: every difference between the models and the revisions, with
//! the model's file and line, the warnings, and the command that writes the revision.
//!
//! The report is plain text meant for the stderr section cargo prints when a build
//! script fails: one block per table, one line per difference, paths relative to the
//! crate root so they are short and clickable in most terminals.

use std::collections::BTreeMap;
use std::fmt;
use std::path::PathBuf;

use migrate_core::{Operation, Safety};

/// The command lines the report suggests, with a placeholder message.
pub const FIX_COMMANDS: [&str; 2] = [
    "MIGRATE_AUTOGENERATE=\"describe the change\" cargo build",
    "cargo migrate revision --autogenerate -m \"describe the change\"",
];

/// Where a model is declared: used to point each difference at the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelLocation {
    /// The struct's name.
    pub struct_name: String,
    /// The file, relative to the crate root when possible.
    pub file: String,
    /// Line of the struct.
    pub line: usize,
    /// Line of each column's field, by column name.
    pub columns: BTreeMap<String, usize>,
}

/// The models' locations, by table name.
pub type Locations = BTreeMap<String, ModelLocation>;

/// Every difference found, ready to print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DriftReport {
    /// The revision the check compared against (`None`: no revision yet).
    pub head: Option<String>,
    /// The migrations directory, as shown to the user.
    pub migrations_dir: String,
    /// The operations that would turn the head schema into the models' schema.
    pub changes: Vec<Operation>,
    /// Where each table's model is.
    pub locations: Locations,
    /// What the lints would say of a revision written for these changes now
    /// (`crate::lint`); a finding's step is its change's place (1-based) in
    /// [`DriftReport::changes`].
    pub lints: Vec<migrate_core::lint::Finding>,
}

impl DriftReport {
    /// Warnings for the destructive and risky changes, one line each. A risky
    /// change a lint speaks of is left to the lint, which says why and what to do
    /// instead (the same advice twice would be noise); data loss is always said.
    pub fn warnings(&self) -> Vec<String> {
        self.changes
            .iter()
            .enumerate()
            .filter_map(|(i, op)| match op.safety() {
                Safety::Safe => None,
                Safety::Risky(_) if self.lints.iter().any(|f| f.step == i + 1) => None,
                Safety::Risky(why) => Some(format!("risky: {why}")),
                Safety::Destructive(why) => Some(format!("destructive: {why}")),
            })
            .collect()
    }

    /// One line per change, with its source location: `added column 'users.email'
    /// (struct User, field `email` at src/models.rs:7)`.
    pub fn change_lines(&self) -> Vec<String> {
        self.changes
            .iter()
            .map(|op| format!("{}{}", op.describe(), self.where_(op)))
            .collect()
    }

    /// The source location an operation comes from, as ` (struct X, field `f` at file:line)`.
    fn where_(&self, op: &Operation) -> String {
        use Operation::*;
        let (table, column) = match op {
            CreateTable { table } => (table.name.as_str(), None),
            DropTable { table } => {
                return format!(
                    " (no model declares table '{}' any more; it was created by a revision)",
                    table.name
                )
            }
            RenameTable { to, .. } => (to.as_str(), None),
            AddColumn { table, column } => (table.as_str(), Some(column.name.as_str())),
            AlterColumn { table, column, .. } => (table.as_str(), Some(column.as_str())),
            RenameColumn { table, to, .. } => (table.as_str(), Some(to.as_str())),
            SetColumnComment { table, column, .. } => (table.as_str(), Some(column.as_str())),
            DropColumn { table, column } => {
                return match self.locations.get(table.as_str()) {
                    Some(loc) => format!(
                        " (struct {} at {}:{} has no field for column '{}')",
                        loc.struct_name, loc.file, loc.line, column.name
                    ),
                    None => String::new(),
                }
            }
            other => match other.table_name() {
                Some(t) => (t, None),
                None => return String::new(),
            },
        };
        let Some(loc) = self.locations.get(table) else {
            return String::new();
        };
        match column.and_then(|c| loc.columns.get(c).map(|line| (c, line))) {
            Some((c, line)) => format!(
                " (struct {}, field `{c}` at {}:{line})",
                loc.struct_name, loc.file
            ),
            None => format!(" (struct {} at {}:{})", loc.struct_name, loc.file, loc.line),
        }
    }

    /// Short lines for `cargo:warning=`, which cargo shows even when it folds stderr.
    pub fn summary_lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "migrate: {} schema difference(s) between the models and {}; write a revision with: {}",
            self.changes.len(),
            self.migrations_dir,
            FIX_COMMANDS[0]
        )];
        lines.extend(
            self.change_lines()
                .into_iter()
                .map(|l| format!("migrate: {l}")),
        );
        lines
    }
}

impl fmt::Display for DriftReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let against = match &self.head {
            Some(head) => format!(
                "the schema at revision {head} (head of {})",
                self.migrations_dir
            ),
            None => format!(
                "an empty schema ({} has no revision yet)",
                self.migrations_dir
            ),
        };
        writeln!(
            f,
            "the models differ from {against}: {} difference(s)",
            self.changes.len()
        )?;
        // Group by table, in the order the changes come, so each model is one block.
        let mut groups: Vec<(String, Vec<String>)> = Vec::new();
        for (op, line) in self.changes.iter().zip(self.change_lines()) {
            let table = match (op.table_name(), op) {
                (Some(table), _) => format!("table '{table}'"),
                (None, Operation::Sql(_)) => "raw SQL".to_string(),
                (None, Operation::CreateObject { object } | Operation::DropObject { object }) => {
                    object.describe()
                }
                (None, _) => "enum types".to_string(),
            };
            match groups.iter_mut().find(|(t, _)| *t == table) {
                Some((_, lines)) => lines.push(line),
                None => groups.push((table, vec![line])),
            }
        }
        for (table, lines) in groups {
            writeln!(f)?;
            writeln!(f, "  {table}:")?;
            for line in lines {
                writeln!(f, "    - {line}")?;
            }
        }
        let warnings = self.warnings();
        if !warnings.is_empty() {
            writeln!(f)?;
            writeln!(f, "  warnings:")?;
            for w in warnings {
                writeln!(f, "    ! {w}")?;
            }
        }
        if !self.lints.is_empty() {
            writeln!(f)?;
            writeln!(f, "  lints of a revision written now (docs/safety.md):")?;
            for l in &self.lints {
                for (i, line) in l.to_string().lines().enumerate() {
                    let mark = if i == 0 { "!" } else { " " };
                    writeln!(f, "    {mark} {}", line.trim_start())?;
                }
            }
        }
        writeln!(f)?;
        writeln!(f, "  to write a revision for these changes, run one of:")?;
        for cmd in FIX_COMMANDS {
            writeln!(f, "    {cmd}")?;
        }
        write!(
            f,
            "  (a destructive change also needs MIGRATE_ALLOW_DESTRUCTIVE=1 or --allow-destructive)"
        )
    }
}

/// Locations from a list of `(table, struct, file, line, columns)` (a helper for the
/// scanner's output and for tests).
pub fn location(
    struct_name: &str,
    file: impl Into<PathBuf>,
    line: usize,
    columns: impl IntoIterator<Item = (String, usize)>,
) -> ModelLocation {
    ModelLocation {
        struct_name: struct_name.to_string(),
        file: file.into().display().to_string(),
        line,
        columns: columns.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_core::{Column, ColumnType, Table};

    fn report() -> DriftReport {
        let mut locations = Locations::new();
        locations.insert(
            "users".into(),
            location(
                "User",
                "src/models.rs",
                3,
                [("id".to_string(), 5), ("email".to_string(), 7)],
            ),
        );
        DriftReport {
            head: Some("0123456789ab".into()),
            migrations_dir: "migrations".into(),
            changes: vec![
                Operation::AddColumn {
                    table: "users".into(),
                    column: Column::new("email", ColumnType::Text),
                },
                Operation::DropColumn {
                    table: "users".into(),
                    column: Column::new("phone", ColumnType::Text).nullable(),
                },
                Operation::DropTable {
                    table: Table::new("posts"),
                },
            ],
            locations,
            lints: Vec::new(),
        }
    }

    #[test]
    fn report_names_struct_field_file_line_and_fix() {
        let text = report().to_string();
        assert!(text.contains("revision 0123456789ab"), "{text}");
        assert!(
            text.contains(
                "added column 'users.email' (struct User, field `email` at src/models.rs:7)"
            ),
            "{text}"
        );
        assert!(text.contains("struct User at src/models.rs:3 has no field for column 'phone'"));
        assert!(text.contains("removed table 'posts' (no model declares table 'posts'"));
        assert!(text.contains("destructive: dropping column 'users.phone'"));
        assert!(text.contains("risky: adding NOT NULL column 'users.email'"));
        for cmd in FIX_COMMANDS {
            assert!(text.contains(cmd), "{text}");
        }
    }

    /// A risky change that a lint explains is said once, by the lint; a destructive
    /// one is always said.
    #[test]
    fn a_risky_change_a_lint_explains_is_not_warned_twice() {
        let mut r = report();
        let risky = |r: &DriftReport| r.warnings().iter().any(|w| w.starts_with("risky:"));
        assert!(risky(&r));
        let step = r
            .changes
            .iter()
            .position(|op| matches!(op.safety(), Safety::Risky(_)))
            .unwrap()
            + 1;
        use migrate_core::lint::rules::{finding, ADDING_REQUIRED_FIELD};
        let mut lint = finding(
            ADDING_REQUIRED_FIELD,
            "users.email".into(),
            "adds a NOT NULL column without a default".into(),
            "it fails on a table with rows",
            "give the column a default",
        );
        lint.step = step;
        r.lints = vec![lint];
        assert!(!risky(&r), "{:?}", r.warnings());
        assert!(r.warnings().iter().any(|w| w.starts_with("destructive:")));
    }

    #[test]
    fn summary_lines_are_single_lines() {
        let lines = report().summary_lines();
        assert_eq!(lines.len(), 4);
        assert!(lines.iter().all(|l| !l.contains('\n')));
    }
}
