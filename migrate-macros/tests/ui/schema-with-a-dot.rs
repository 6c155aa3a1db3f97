use migrate::Model;

// A model's PostgreSQL schema is one name; the table's name holds no schema.
#[derive(Model)]
#[model(table = "invoices", schema = "billing.archive")]
struct Invoice {
    #[model(primary_key)]
    id: i64,
}

#[derive(Model)]
#[model(table = "billing.invoices")]
struct Bill {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
