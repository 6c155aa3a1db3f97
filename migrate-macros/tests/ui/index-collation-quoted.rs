use migrate::Model;

#[derive(Model)]
#[model(index(name = "ix_users_email", columns(email), collation(email = "\"C\"")))]
struct User {
    #[model(primary_key)]
    id: i64,
    email: String,
}

fn main() {}
