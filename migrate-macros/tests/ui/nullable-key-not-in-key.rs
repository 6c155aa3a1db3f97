use migrate::Model;

#[derive(Model)]
struct Code {
    #[model(primary_key, nullable_key)]
    code: Option<String>,
    #[model(nullable_key)]
    label: Option<String>,
}

fn main() {}
