use migrate::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(unique = true)]
    email: String,
}

fn main() {}
