#[derive(migrate::Enum)]
#[sqlx(type_name = "mood", rename_all = "lowercase")]
enum Mood {
    Happy,
    #[sqlx(rename = "happy")]
    Glad,
}

fn main() {}
