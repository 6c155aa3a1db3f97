use migrate::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(on_update_current_timestamp)]
    version: i32,
}

fn main() {}
