//! A small blog service that migrates its own database on start-up.
mod models;
fn main() {
    let _ = migrate::embedded!();
}
