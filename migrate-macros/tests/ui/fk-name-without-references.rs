use migrate::Model;

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(fk_name = "posts_user_id_fkey")]
    user_id: i64,
}

fn main() {}
