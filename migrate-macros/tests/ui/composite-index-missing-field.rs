use migrate::Model;

#[derive(Model)]
#[model(index(user_id, created desc))]
struct Post {
    #[model(primary_key)]
    id: i64,
    user_id: i64,
    created_at: i64,
}

fn main() {}
