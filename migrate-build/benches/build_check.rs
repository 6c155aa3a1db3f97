//! Benchmark placeholder (filled in once the core modules land).
fn main() {}
