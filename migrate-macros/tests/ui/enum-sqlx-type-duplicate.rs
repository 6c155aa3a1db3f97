#[derive(migrate::Enum)]
#[model(sqlx_type)]
#[model(sqlx_type)]
#[sqlx(type_name = "mood")]
enum Mood {
    Happy,
    Sad,
}

fn main() {}
