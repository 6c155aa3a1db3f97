#[derive(migrate::Enum)]
#[sqlx(type_name = "mood", rename_all = "lower")]
enum Mood {
    Happy,
    Sad,
}

fn main() {}
