use migrate::Model;

#[derive(Model)]
struct User {
    #[model(primary_key, autoincrement)]
    id: String,
}

fn main() {}
