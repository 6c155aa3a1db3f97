use migrate::Model;

#[derive(Model)]
struct User {
    id: i64,
    email: String,
}

fn main() {}
