//! The accounts of this release.

use migrate::Model;

#[derive(Model)]
pub struct Account {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_len = 100)]
    pub email: String,
    pub nick: Option<String>,
    pub legacy: Option<String>,
    pub age: i32,
}
