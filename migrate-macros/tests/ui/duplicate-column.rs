use migrate::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(column = "id")]
    other_id: i64,
}

fn main() {}
