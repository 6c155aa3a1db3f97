use migrate::Model;

// `User` has one mistake (an unknown type). The derive still emits `impl Model`,
// so the foreign key from `Post` and the call to `table()` compile, and the only
// error is the real one.
#[derive(Model)]
struct User {
    #[model(primary_key)]
    id: i64,
    avatar: Image,
}

struct Image;

#[derive(Model)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(references = User)]
    author_id: i64,
}

fn main() {
    let _ = <User as Model>::table();
    let _ = <Post as Model>::TABLE_NAME;
}
