//! Fuzzing by property tests (stable Rust, run by `cargo test`): bad input to the
//! revision reader and to the readers of raw SQL text (the tokenizer, the column
//! references of a check, a column rename inside an expression, SQL type names)
//! returns an error or a value, never a panic. The same inputs drive the cargo-fuzz
//! targets in `fuzz/` (nightly), which run for longer.
//!
//! Inputs are arbitrary text, SQL-shaped text, and valid revision files (every
//! operation kind) cut, spliced and sprinkled with bytes. A revision that reads
//! also writes back to text that reads to the same revision.
//! `PROPTEST_CASES=N` runs N inputs per property (default 1000).

use std::path::Path;

use proptest::prelude::*;

use migrate_core::dialect::sql_type::canonical_sql_type;
use migrate_core::dialect::tokens::{referenced_columns, rename_column, tokenize};
use migrate_core::dialect::DialectKind;
use migrate_core::revision::lazy::read_text;
use migrate_core::revision::read::parse_operations;
use migrate_core::revision::Revision;

#[path = "fixtures/every_op.rs"]
#[allow(dead_code)]
mod every_op;

fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 1000;
    }
    config.failure_persistence = None;
    config
}

/// Valid revision files to mutate: every operation kind, a squash, a merge.
fn seeds() -> Vec<String> {
    let mut all = every_op::create_ops();
    all.extend(every_op::change_ops());
    let downgrade: Vec<_> = all.iter().rev().filter_map(|op| op.inverse()).collect();
    let mut big = Revision::new(
        "every op",
        vec!["aaaaaaaaaaaa".into()],
        "2026-01-02T03:04:05Z",
        all,
        downgrade,
    );
    big.id = "b1b2b3b4b5b6".into();
    let mut squash = Revision::new_empty("squash", vec![], "2026-01-02T03:04:05Z");
    squash.id = "c1c2c3c4c5c6".into();
    squash.replaces = vec!["d1".into(), "d2".into()];
    let mut merge = Revision::new_empty(
        "merge",
        vec!["e1".into(), "e2".into()],
        "2026-01-02T03:04:05Z",
    );
    merge.id = "f1f2f3f4f5f6".into();
    vec![big.to_toml(), squash.to_toml(), merge.to_toml()]
}

/// A seed cut, spliced or sprinkled: (seed, edits of (position, bytes removed, text inserted)).
fn mutated() -> impl Strategy<Value = String> {
    let seeds = seeds();
    let edit = (
        any::<prop::sample::Index>(),
        0usize..40,
        "[ -~\n\t\u{e9}\u{feff}]{0,12}",
    );
    (0..seeds.len(), prop::collection::vec(edit, 1..6)).prop_map(move |(s, edits)| {
        let mut text = seeds[s].clone();
        for (at, remove, insert) in edits {
            let mut start = at.index(text.len() + 1);
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = (start + remove).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(start..end, &insert);
        }
        text
    })
}

/// Reads `text` every way a revision file is read; a revision that reads writes back
/// to an equal one.
fn read_every_way(text: &str) {
    let path = Path::new("b1b2b3b4b5b6_fuzz.toml");
    if let Ok(revision) = Revision::parse(text, path) {
        let again = Revision::parse(&revision.to_toml(), path)
            .unwrap_or_else(|e| panic!("written text does not read back: {e}\n{text}"));
        assert_eq!(again, revision, "round trip of:\n{text}");
    }
    let _ = read_text(path.to_path_buf(), text.to_string());
    let _ = parse_operations(text, "upgrade", path);
    let _ = parse_operations(text, "downgrade", path);
}

/// SQL-shaped text: words, quotes of every kind, comments, brackets.
fn sql_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[a-zA-Z_][a-zA-Z0-9_]{0,6}",
            "[0-9]{1,4}",
            Just("'".to_string()),
            Just("''".to_string()),
            Just("\"".to_string()),
            Just("`".to_string()),
            Just("[".to_string()),
            Just("]".to_string()),
            Just("(".to_string()),
            Just(")".to_string()),
            Just("--".to_string()),
            Just("/*".to_string()),
            Just("*/".to_string()),
            Just("\n".to_string()),
            Just(" ".to_string()),
            "[,.;:<>=+*/%-]",
            "[\u{e9}\u{2603}\u{0}]",
        ],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

fn read_sql(sql: &str) {
    let tokens = tokenize(sql);
    for t in &tokens {
        let _ = (t.is("check"), t.is_name());
    }
    let _ = referenced_columns(sql);
    let _ = rename_column(sql, "a", "b");
    let _ = rename_column(sql, "", "x");
    for kind in DialectKind::ALL {
        let _ = canonical_sql_type(kind, sql);
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_revision_reader_never_panics_on_mutated_files(text in mutated()) {
        read_every_way(&text);
    }

    #[test]
    fn the_revision_reader_never_panics_on_any_text(text in any::<String>()) {
        read_every_way(&text);
    }

    #[test]
    fn sql_readers_never_panic_on_sql_shaped_text(sql in sql_text()) {
        read_sql(&sql);
    }

    #[test]
    fn sql_readers_never_panic_on_any_text(sql in any::<String>()) {
        read_sql(&sql);
    }
}

/// Inputs the fuzzers found (or that sit on the edges they probe), kept as tests.
#[test]
fn regressions() {
    for text in [
        "",
        "\u{feff}",
        "id = \"b1b2b3b4b5b6\"\nmessage = \"m\"\ncreated = \"2026-01-02T03:04:05Z\"\n[[upgrade]]\n",
        "id = \"b1b2b3b4b5b6\"\nreplaces = [\"\"]\nmessage = \"m\"\ncreated = \"2026-01-02T03:04:05Z\"\n",
    ] {
        read_every_way(text);
    }
    for sql in [
        "'", "\"", "`", "[", "/*", "--", "(", ")", "((", "varchar(", "é(", "\u{0}",
    ] {
        read_sql(sql);
    }
}
