use migrate::Model;

#[derive(Model)]
struct User {
    #[model(primary_key, uniq)]
    id: i64,
}

fn main() {}
