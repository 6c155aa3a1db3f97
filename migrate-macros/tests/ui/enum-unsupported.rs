use migrate::Model;

#[derive(Model)]
enum Status {
    Active,
    Banned,
}

fn main() {}
