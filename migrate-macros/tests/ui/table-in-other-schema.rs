use migrate::Model;

#[derive(Model)]
#[model(table = "invoices", schema = "billing")]
struct Invoice {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
