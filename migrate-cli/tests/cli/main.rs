//! End-to-end tests of `cargo migrate` on temporary projects (one test binary).

mod authoring;
mod check;
mod database;
mod deployed;
mod embedded;
mod errors;
mod execution;
mod fidelity;
mod fixtures;
mod graph;
mod init;
mod lock;
mod matrix;
mod offline;
mod options;
mod pictures;
mod purge;
mod renames;
mod repair;
mod scripts;
mod servers;
mod sqlite_rebuild;
mod transcripts;
mod tutorial;
mod util;
