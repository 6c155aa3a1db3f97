#[derive(Model)]
#[migrate(table = "users", index(name = "ix", columns("a")))]
struct User {
    #[migrate(primary_key, autoincrement)]
    id: i64,
    #[migrate(max_len = 50, unique, default = "x", check = "length(a) > 0")]
    a: String,
    #[migrate(references = "teams(id)", on_delete = "cascade")]
    team: Option<i64>,
}
