use migrate::Model;

#[derive(Model)]
struct Item {
    #[model(primary_key)]
    id: i64,
    price: i32,
    qty: i32,
    #[model(generated = "price * qty", default = "0")]
    total: Option<i64>,
}

fn main() {}
