//! End-to-end tests of `cargo migrate` on temporary projects (one test binary).

mod check;
mod embedded;
mod errors;
mod execution;
mod fidelity;
mod fixtures;
mod graph;
mod init;
mod matrix;
mod offline;
mod options;
mod renames;
mod repair;
mod servers;
mod sqlite_rebuild;
mod tutorial;
mod util;
