use migrate::Model;

#[derive(Model)]
struct Counter {
    #[model(primary_key)]
    id: u32,
    hits: usize,
    level: u8,
}

fn main() {}
