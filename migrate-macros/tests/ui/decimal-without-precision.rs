use migrate::Model;
use rust_decimal::Decimal;

#[derive(Model)]
struct Product {
    #[model(primary_key)]
    id: i64,
    price: Decimal,
}

fn main() {}
