use migrate::Model;

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(references = "users(id)", deferrable = "later")]
    user_id: i64,
}

fn main() {}
