use migrate::Model;

#[derive(Model)]
struct Marker;

fn main() {}
