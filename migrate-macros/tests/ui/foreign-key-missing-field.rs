use migrate::Model;

#[derive(Model)]
#[model(foreign_key(columns(tenant_id, owner_id), references = "users(tenant_id, id)"))]
struct Post {
    #[model(primary_key)]
    id: i64,
    tenant_id: i64,
    user_id: i64,
}

fn main() {}
