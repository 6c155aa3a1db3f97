use migrate::Model;

#[derive(Model)]
struct UserId(i64);

fn main() {}
