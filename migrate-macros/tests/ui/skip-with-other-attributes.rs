use migrate::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(skip, max_len = 10)]
    cache: String,
}

fn main() {}
