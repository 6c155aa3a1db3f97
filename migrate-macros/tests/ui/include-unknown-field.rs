use migrate::Model;

#[derive(Model)]
#[model(index(name = "ix_users_tenant", columns(tenant_id), include(emial)))]
struct User {
    #[model(primary_key)]
    id: i64,
    tenant_id: i32,
    email: String,
}

fn main() {}
