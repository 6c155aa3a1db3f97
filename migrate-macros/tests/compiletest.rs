//! UI tests: each file under `tests/ui/` misuses `#[derive(Model)]` in one way and its
//! `.stderr` shows the error and where the caret points. Regenerate after a
//! deliberate message change with `TRYBUILD=overwrite cargo test -p migrate-macros
//! --test compiletest`, then review the diff.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("tests/ui/*.rs");
}
