#[derive(migrate::Enum)]
#[model(sqlx_type = true)]
#[sqlx(type_name = "mood")]
enum Mood {
    Happy,
    Sad,
}

fn main() {}
