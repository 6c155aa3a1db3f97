use migrate::Model;

#[derive(Model)]
struct Item {
    #[model(primary_key)]
    id: i64,
    qty: i32,
    #[model(generated(expr = "qty * 2", stored, virtual))]
    doubled: Option<i32>,
}

fn main() {}
