use migrate::Model;

#[derive(Model, sqlx::FromRow)]
pub struct User {
    #[model(primary_key, autoincrement)]
    pub id: i64,
    #[model(max_len = 50)]
    pub username: String,
}
