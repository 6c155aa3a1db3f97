//! End-to-end tests of `cargo migrate` on temporary projects (one test binary).

mod init;
mod options;
mod util;
