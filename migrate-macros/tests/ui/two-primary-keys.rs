use migrate::Model;

#[derive(Model)]
#[model(primary_key(tenant, id))]
struct User {
    tenant: i32,
    #[model(primary_key)]
    id: i64,
}

fn main() {}
