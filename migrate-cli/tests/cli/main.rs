//! End-to-end tests of `cargo migrate` on temporary projects (one test binary).

mod check;
mod embedded;
mod errors;
mod execution;
mod fixtures;
mod graph;
mod init;
mod offline;
mod options;
mod servers;
mod tutorial;
mod util;
