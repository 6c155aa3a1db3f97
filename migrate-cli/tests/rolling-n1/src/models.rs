//! The accounts of this release.

use migrate::Model;

#[derive(Model)]
pub struct Account {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_len = 100, index)]
    pub email: String,
    #[model(renamed_from = "nick")]
    pub handle: Option<String>,
    pub note: Option<String>,
    pub age: i32,
}
