//! Benchmark of the build script (written once the core graph, diff and scan land).
fn main() {}
