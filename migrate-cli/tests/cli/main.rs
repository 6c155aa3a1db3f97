//! End-to-end tests of `cargo migrate` on temporary projects (one test binary).

mod check;
mod embedded;
mod fixtures;
mod graph;
mod init;
mod offline;
mod options;
mod util;
