use migrate::Model;

#[derive(Model)]
struct User {
    #[model]
    #[model(primary_key)]
    id: i64,
}

fn main() {}
