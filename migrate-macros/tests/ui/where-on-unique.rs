use migrate::Model;

#[derive(Model)]
#[model(unique(name = "uq_users_email", columns(email), where = "deleted_at IS NULL"))]
struct User {
    #[model(primary_key)]
    id: i64,
    email: String,
    deleted_at: Option<i64>,
}

fn main() {}
