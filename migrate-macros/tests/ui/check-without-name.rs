use migrate::Model;

#[derive(Model)]
#[model(check(expr = "age >= 0"))]
struct User {
    #[model(primary_key)]
    id: i64,
    age: i32,
}

fn main() {}
