use migrate::Model;

#[derive(Model)]
struct Product {
    #[model(primary_key)]
    id: i64,
    #[model(precision = 4, scale = 6)]
    price: rust_decimal::Decimal,
}

fn main() {}
