use migrate::Model;

#[derive(Model)]
#[model(primary_key(tenant, id))]
struct Account {
    tenant: i32,
    id: i32,
}

#[derive(Model)]
struct Invoice {
    #[model(primary_key)]
    id: i64,
    #[model(references = Account)]
    account_id: i32,
}

fn main() {}
