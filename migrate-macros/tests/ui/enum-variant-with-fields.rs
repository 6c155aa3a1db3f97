#[derive(migrate::Enum)]
#[sqlx(type_name = "shape")]
enum Shape {
    Circle(f64),
    Square,
}

fn main() {}
