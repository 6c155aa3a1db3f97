//! Deeply nested hand-written SQL is reported, never a crash of the build script.
//!
//! The parser recurses once per level of nesting and stops most nesting at 50 levels;
//! unoptimised, its frames overflow a 2 MiB stack well before that, so the linter
//! parses on a thread of its own with a large stack (sqlparser is built without its
//! `recursive-protection` feature, which only guarded printing expressions). These
//! tests run on test threads of the default 2 MiB, in an unoptimised build: what a
//! user's build script meets, with a quarter of its main thread's stack.

use migrate_build::lint::sql::lint_step;
use migrate_core::SqlStep;

/// The rule codes found in `sql`.
fn codes(sql: &str) -> Vec<&'static str> {
    lint_step(&SqlStep::new(sql))
        .iter()
        .map(|f| f.rule.code)
        .collect()
}

fn nested(depth: usize, open: &str, inner: &str, close: &str) -> String {
    format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
}

#[test]
fn statements_nested_past_the_parsers_limit_are_reported_as_not_linted() {
    let cases = [
        format!("SELECT {}", nested(5_000, "(", "1", ")")),
        format!("SELECT {}1", "NOT ".repeat(5_000)),
        format!("SELECT {}1", "- ".repeat(5_000)),
        nested(5_000, "SELECT * FROM (", "SELECT 1", ") AS t"),
    ];
    for sql in &cases {
        assert_eq!(codes(sql), ["MG125"], "{}", &sql[..40]);
    }
}

#[test]
fn statements_nested_just_under_the_limit_are_still_linted() {
    let inner = nested(45, "(", "1", ")");
    let sql = format!("DROP TABLE t; SELECT {inner}");
    assert!(!codes(&sql).contains(&"MG125"), "{sql}");
    let sub = nested(20, "SELECT * FROM (", "SELECT 1", ") AS t");
    assert!(!codes(&sub).contains(&"MG125"), "{sub}");
    // The finding prints the constraint, its nested expression included.
    let check = format!(
        "ALTER TABLE t ADD CONSTRAINT c CHECK {}",
        nested(45, "(", "x > 0", ")")
    );
    assert_eq!(codes(&check), ["MG123"], "{check}");
}

#[test]
fn nesting_the_parser_does_not_count_is_parsed_without_a_crash() {
    // CASE inside CASE does not count towards the parser's limit.
    let sql = format!(
        "SELECT {}",
        nested(2_000, "CASE WHEN true THEN ", "1", " END")
    );
    assert_eq!(codes(&sql), Vec::<&str>::new());
}
