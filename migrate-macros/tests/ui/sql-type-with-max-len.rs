use migrate::Model;

#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    #[model(sql_type = "varchar(20)", max_len = 30)]
    name: String,
}

fn main() {}
