use migrate::Model;

#[derive(Model)]
#[model(name = "users")]
struct User {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
