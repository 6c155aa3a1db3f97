use migrate::Model;

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(sql_type(postgres = "text[]", oracle = "varchar2(200)"))]
    tags: Vec<String>,
}

fn main() {}
