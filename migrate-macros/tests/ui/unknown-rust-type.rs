use migrate::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    tags: std::collections::HashSet<String>,
}

fn main() {}
