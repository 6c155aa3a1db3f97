use migrate::Model;

#[derive(Model)]
struct Row<T> {
    #[model(primary_key)]
    id: i64,
    value: T,
}

fn main() {}
