//! Fuzzing the model attribute parser by property tests (stable Rust, run by
//! `cargo test`): any `#[migrate(...)]` attributes on a struct and its fields, built
//! from the parser's own words, literals of every kind and stray punctuation, give a
//! model or errors with spans, never a panic. The cargo-fuzz target `model_attrs` in
//! `fuzz/` (nightly) runs the same check on arbitrary source text for longer.
//! `PROPTEST_CASES=N` runs N inputs per property (default 1000).

use proptest::prelude::*;
use syn::DeriveInput;

use migrate_model::parse::{parse_model_lenient, parse_table_ref};

fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 1000;
    }
    config.failure_persistence = None;
    config
}

/// The attribute words the parser knows (`parse::symbol`), and a few it does not.
const WORDS: &[&str] = &[
    "model",
    "table",
    "column",
    "primary_key",
    "autoincrement",
    "unique",
    "index",
    "references",
    "fk_name",
    "foreign_key",
    "on_delete",
    "on_update",
    "check",
    "default",
    "sql_type",
    "max_len",
    "precision",
    "scale",
    "comment",
    "renamed_from",
    "no_primary_key",
    "skip",
    "crate",
    "name",
    "columns",
    "expr",
    "asc",
    "desc",
    "cascade",
    "set_null",
    "restrict",
    "nope",
    "r#type",
];

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "\"[a-zA-Z_ .,()'\\-]{0,12}\"".prop_map(|s| s),
        "[0-9]{1,3}",
        Just("-1".to_string()),
        Just("1.5".to_string()),
        Just("true".to_string()),
        Just("b\"x\"".to_string()),
        Just("'c'".to_string()),
        Just("\"\"".to_string()),
        prop::sample::select(WORDS).prop_map(str::to_string),
    ]
}

/// One item of an attribute list: `word`, `word = value`, `word(items)`, or noise.
fn item() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        prop::sample::select(WORDS).prop_map(str::to_string),
        (prop::sample::select(WORDS), value()).prop_map(|(w, v)| format!("{w} = {v}")),
        value(),
        "[,=:;.]",
    ];
    leaf.prop_recursive(2, 12, 4, |inner| {
        (
            prop::sample::select(WORDS),
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(w, items)| format!("{w}({})", items.join(", ")))
    })
}

fn attr() -> impl Strategy<Value = String> {
    prop::collection::vec(item(), 0..4)
        .prop_map(|items| format!("#[migrate({})]", items.join(", ")))
}

fn ty() -> impl Strategy<Value = &'static str> {
    prop::sample::select(
        &[
            "i32",
            "i64",
            "u8",
            "String",
            "Option<String>",
            "Option<Option<i32>>",
            "Vec<u8>",
            "bool",
            "f64",
            "chrono::DateTime<chrono::Utc>",
            "uuid::Uuid",
            "Custom",
            "[u8; 4]",
            "(i32, i32)",
            "&'static str",
        ][..],
    )
}

fn model_source() -> impl Strategy<Value = String> {
    let field = (
        prop::collection::vec(attr(), 0..3),
        "[a-z_][a-z0-9_]{0,5}",
        ty(),
    )
        .prop_map(|(attrs, name, ty)| format!("{} r#{name}: {ty},", attrs.join(" ")));
    (
        prop::collection::vec(attr(), 0..3),
        prop::collection::vec(field, 0..5),
        any::<bool>(),
    )
        .prop_map(|(attrs, fields, tuple)| {
            if tuple {
                format!(
                    "{} struct S(i32, #[migrate(primary_key)] i64);",
                    attrs.join(" ")
                )
            } else {
                format!("{} struct S {{ {} }}", attrs.join(" "), fields.join(" "))
            }
        })
}

/// Parses `src` as the derive sees it; the parser may refuse it, never panic, and
/// every error it gives has a message.
fn parse(src: &str) {
    let Ok(input) = syn::parse_str::<DeriveInput>(src) else {
        return;
    };
    let (_def, errors) = parse_model_lenient(&input);
    for e in errors {
        assert!(
            !e.to_string().is_empty(),
            "an error without a message for:\n{src}"
        );
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_attribute_parser_never_panics(src in model_source()) {
        parse(&src);
    }

    #[test]
    fn table_references_never_panic(text in any::<String>()) {
        let _ = parse_table_ref(&text);
    }
}

/// Inputs on the edges the fuzzers probe, kept as tests.
#[test]
fn regressions() {
    for src in [
        "#[migrate()] struct S {}",
        "#[migrate(table = \"\")] struct S { id: i64 }",
        "struct S { #[migrate(max_len = 0)] name: String }",
        "struct S { #[migrate(precision = 0, scale = 99)] n: rust_decimal::Decimal }",
        "struct S { #[migrate(index(columns()))] a: i32 }",
        "#[migrate(index(name = \"\", columns(\"\")))] struct S { a: i32 }",
        "struct S { #[migrate(references = \".\")] a: i32 }",
        "struct S { #[migrate(default = \"\", check = \"\")] a: i32 }",
        "enum E { A }",
        "union U { a: i32 }",
        "struct S;",
    ] {
        parse(src);
    }
}
