use migrate::Model;

#[derive(Model)]
#[model(primary_key(tenant, id))]
struct Node {
    tenant: i32,
    id: i32,
    #[model(references = Self)]
    parent: Option<i32>,
}

fn main() {}
