use migrate::Model;

#[derive(Model)]
#[model(tabel = "users")]
struct User {
    id: Option<i64>,
    #[model(max_len = "255")]
    email: String,
    #[model(autoincrement)]
    score: f64,
    tags: std::collections::HashSet<String>,
}

fn main() {}
