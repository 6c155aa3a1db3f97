mod models;

fn main() {}
