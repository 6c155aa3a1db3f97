use migrate::Model;

#[derive(Model)]
struct Place {
    #[model(primary_key)]
    id: i64,
    #[model(sql_type = "geometry")]
    shape: Vec<u8>,
}

fn main() {}
