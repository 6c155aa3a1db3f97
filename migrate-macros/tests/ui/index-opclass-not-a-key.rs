use migrate::Model;

#[derive(Model)]
#[model(index(name = "ix_users_email", columns(email), opclass(name = "text_pattern_ops")))]
struct User {
    #[model(primary_key)]
    id: i64,
    email: String,
    name: String,
}

fn main() {}
