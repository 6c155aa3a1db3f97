use migrate::Model;

#[derive(Model)]
#[model(table = "a_table_name_that_goes_on_and_on_well_past_what_postgres_accepts")]
struct User {
    #[model(primary_key)]
    id: i64,
}

fn main() {}
