use migrate::Model;

#[derive(Model)]
#[model(unique(name = "uq_users_email", columns(email)))]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(unique)]
    email: String,
}

fn main() {}
