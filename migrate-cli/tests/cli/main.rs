//! End-to-end tests of `cargo migrate` on temporary projects (one test binary).

mod graph;
mod init;
mod options;
mod util;
