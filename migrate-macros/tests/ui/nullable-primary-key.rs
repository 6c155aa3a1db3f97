use migrate::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: Option<i64>,
}

fn main() {}
