use migrate::Model;

#[derive(Model)]
#[model(index(columns("lower(email)")))]
struct User {
    #[model(primary_key)]
    id: i64,
    email: String,
}

fn main() {}
