//! Times `introspect` on a database: `cargo run --release --example introspect_time -- URL [RUNS]`.
//! Prints the table count and the fastest, median and slowest of RUNS runs.

use std::time::Instant;

use migrate_introspect::{introspect, IntrospectOptions};

#[tokio::main]
async fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: introspect_time URL [RUNS]");
    let runs: usize = args
        .next()
        .map(|r| r.parse().expect("RUNS is a number"))
        .unwrap_or(5);
    let mut times = Vec::new();
    let mut tables = 0;
    for _ in 0..runs {
        let start = Instant::now();
        let schema = introspect(url.as_str(), &IntrospectOptions::default())
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        times.push(start.elapsed().as_secs_f64() * 1000.0);
        tables = schema.tables.len();
    }
    times.sort_by(|a, b| a.total_cmp(b));
    println!(
        "{tables} tables: min {:.1} ms, median {:.1} ms, max {:.1} ms over {runs} runs (connect included)",
        times[0],
        times[times.len() / 2],
        times[times.len() - 1]
    );
}
