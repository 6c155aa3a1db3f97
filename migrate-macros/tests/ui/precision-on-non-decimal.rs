use migrate::Model;

#[derive(Model)]
struct Product {
    #[model(primary_key)]
    id: i64,
    #[model(precision = 10, scale = 2)]
    price: f64,
}

fn main() {}
