use migrate::Model;

#[derive(Model)]
#[model(index(name = "ix_docs_tags", columns(tags), unique, method = "gin"))]
struct Doc {
    #[model(primary_key)]
    id: i64,
    tags: String,
}

fn main() {}
