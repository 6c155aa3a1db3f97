use migrate::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(collation(postgres = "C"))]
    age: i32,
    #[model(collation = "NOCASE")]
    name: String,
}

fn main() {}
