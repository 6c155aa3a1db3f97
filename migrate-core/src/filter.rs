//! Table filters: which tables migrate manages, and which it leaves alone.
//!
//! The `[tables]` section of `migrate.toml` names tables by glob patterns
//! (`*`, `?`, `[abc]`, matched case-sensitively against the whole name):
//!
//! ```toml
//! [tables]
//! include = ["app_*"]            # default: every table
//! exclude = ["legacy_*", "spatial_ref_sys"]
//! ```
//!
//! A table is managed when it matches an `include` pattern (or `include` is empty)
//! and no `exclude` pattern. `check` (models and live database), autogenerate (the
//! CLI and the build script) and `adopt` look only at managed tables, the way
//! Alembic's `include_object` hook filters what autogenerate compares. The version
//! tables are left alone whatever the filter says (introspection never reads them).

use serde::{Deserialize, Serialize};

use crate::Schema;

/// The tables migrate manages; the default manages every table.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "FilterSpec", into = "FilterSpec")]
pub struct TableFilter {
    include: Vec<glob::Pattern>,
    exclude: Vec<glob::Pattern>,
}

/// The filter as written in `migrate.toml`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct FilterSpec {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    include: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    exclude: Vec<String>,
}

/// A pattern that is not a valid glob.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("table pattern '{pattern}' in [tables] {list} is not a valid glob: {reason}; use *, ? and [abc] around plain names")]
pub struct FilterError {
    /// `include` or `exclude`.
    pub list: &'static str,
    /// The pattern as written.
    pub pattern: String,
    /// What is wrong with it.
    pub reason: String,
}

impl TableFilter {
    /// A filter from `include` and `exclude` patterns.
    pub fn new<S: AsRef<str>>(include: &[S], exclude: &[S]) -> Result<Self, FilterError> {
        Ok(TableFilter {
            include: compile("include", include)?,
            exclude: compile("exclude", exclude)?,
        })
    }

    /// Whether the filter leaves every table in (no pattern at all).
    pub fn is_all(&self) -> bool {
        self.include.is_empty() && self.exclude.is_empty()
    }

    /// The `include` patterns as written.
    pub fn include_patterns(&self) -> Vec<String> {
        self.include
            .iter()
            .map(|p| p.as_str().to_string())
            .collect()
    }

    /// The `exclude` patterns as written.
    pub fn exclude_patterns(&self) -> Vec<String> {
        self.exclude
            .iter()
            .map(|p| p.as_str().to_string())
            .collect()
    }

    /// Whether migrate manages `table`. Rule: an exclude pattern wins over an
    /// include pattern; no include pattern means every table is included.
    pub fn manages(&self, table: &str) -> bool {
        let included = self.include.is_empty() || self.include.iter().any(|p| p.matches(table));
        included && !self.exclude.iter().any(|p| p.matches(table))
    }

    /// `schema` without the tables the filter leaves alone. Foreign keys of managed
    /// tables keep pointing where they point.
    pub fn apply(&self, schema: &Schema) -> Schema {
        let mut out = schema.clone();
        if !self.is_all() {
            out.tables.retain(|name, _| self.manages(name));
        }
        out
    }

    /// The same filter with `tables` added to `exclude` (each as an exact name, its
    /// glob characters escaped).
    pub fn excluding(&self, tables: &[String]) -> TableFilter {
        let mut out = self.clone();
        for table in tables {
            let pattern = glob::Pattern::new(&glob::Pattern::escape(table))
                .expect("an escaped name is a valid pattern");
            if !out.exclude.contains(&pattern) {
                out.exclude.push(pattern);
            }
        }
        out
    }
}

fn compile<S: AsRef<str>>(
    list: &'static str,
    patterns: &[S],
) -> Result<Vec<glob::Pattern>, FilterError> {
    patterns
        .iter()
        .map(|p| {
            glob::Pattern::new(p.as_ref()).map_err(|e| FilterError {
                list,
                pattern: p.as_ref().to_string(),
                reason: e.msg.to_string(),
            })
        })
        .collect()
}

impl TryFrom<FilterSpec> for TableFilter {
    type Error = FilterError;

    fn try_from(spec: FilterSpec) -> Result<Self, FilterError> {
        TableFilter::new(&spec.include, &spec.exclude)
    }
}

impl From<TableFilter> for FilterSpec {
    fn from(filter: TableFilter) -> Self {
        FilterSpec {
            include: filter.include_patterns(),
            exclude: filter.exclude_patterns(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exclude_wins_and_no_include_means_all() {
        let f = TableFilter::new(&["app_*", "users"], &["app_audit*"]).unwrap();
        assert!(f.manages("users"));
        assert!(f.manages("app_orders"));
        assert!(!f.manages("app_audit_log"));
        assert!(!f.manages("legacy"));
        let f = TableFilter::new::<&str>(&[], &["tmp_?"]).unwrap();
        assert!(f.manages("tmp_ab"));
        assert!(!f.manages("tmp_a"));
        assert!(TableFilter::default().manages("anything"));
    }

    #[test]
    fn bad_pattern_names_itself_and_its_list() {
        let err = TableFilter::new(&["ok"], &["[unclosed"]).unwrap_err();
        assert_eq!(err.list, "exclude");
        assert!(err.to_string().contains("'[unclosed'"), "{err}");
    }

    #[test]
    fn toml_round_trip_and_exact_names_are_escaped() {
        let f: TableFilter = toml::from_str("include = [\"a*\"]\nexclude = [\"b\"]").unwrap();
        assert!(f.manages("abc") && !f.manages("b"));
        let g = f.excluding(&["weird[1]".to_string()]);
        assert!(g.manages("a1") && !g.manages("weird[1]"));
        let only = TableFilter::default().excluding(&["weird[1]".to_string()]);
        assert!(!only.manages("weird[1]") && only.manages("weird1"));
        let text = toml::to_string(&g).unwrap();
        let back: TableFilter = toml::from_str(&text).unwrap();
        assert_eq!(back, g);
        assert!(toml::from_str::<TableFilter>("includes = []").is_err());
    }
}
