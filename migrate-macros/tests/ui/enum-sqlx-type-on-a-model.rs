#[derive(migrate::Model)]
#[model(sqlx_type)]
struct User {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
