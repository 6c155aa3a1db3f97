// With `sqlx_type` the derive implements sqlx's traits itself, so an sqlx key it
// does not implement is an error at the key, on the enum or on a variant.
#[derive(migrate::Enum)]
#[model(sqlx_type)]
#[sqlx(type_name = "mood", rename_all = "lowercase", transparent)]
enum Mood {
    Happy,
    #[sqlx(rename = "down", default)]
    Sad,
}

fn main() {}
