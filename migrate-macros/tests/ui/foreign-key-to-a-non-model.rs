use migrate::Model;

struct User {
    id: i64,
}

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(references = User)]
    user_id: i64,
}

fn main() {}
