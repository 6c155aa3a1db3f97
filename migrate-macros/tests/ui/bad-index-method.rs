use migrate::Model;

#[derive(Model)]
#[model(index(name = "ix_docs_body", columns(body), method = "rtree"))]
struct Doc {
    #[model(primary_key)]
    id: i64,
    body: String,
}

fn main() {}
