use migrate::Model;

#[derive(Model)]
#[model(no_primary_key)]
struct Visit {
    #[model(primary_key)]
    id: i64,
    page: String,
}

fn main() {}
