use migrate::Model;

// A plain type the model does not know is taken for a Rust enum; a type that
// does not derive `migrate::Enum` is reported at the field's type.
struct Colour {
    rgb: u32,
}

#[derive(Model)]
struct Car {
    #[model(primary_key)]
    id: i64,
    paint: Colour,
}

fn main() {}
