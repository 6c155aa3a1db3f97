use migrate::Model;

#[derive(Model)]
struct Port {
    #[model(primary_key, autoincrement)]
    id: u64,
    #[model(max_len = 5)]
    number: u16,
}

fn main() {}
