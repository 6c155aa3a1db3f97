use migrate::Model;

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(deferrable = "deferred")]
    user_id: i64,
}

fn main() {}
