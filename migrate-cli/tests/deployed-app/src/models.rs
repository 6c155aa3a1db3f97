//! The application's tables.

// Someone who signs in (a `//` comment: a doc comment would be the table comment).
#[derive(migrate::Model)]
#[model(table = "accounts")]
#[allow(dead_code)]
pub struct Account {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_len = 80)]
    pub email: String,
}

// A note an account wrote.
#[derive(migrate::Model)]
#[model(table = "notes")]
#[allow(dead_code)]
pub struct Note {
    #[model(primary_key)]
    pub id: i64,
    #[model(references = Account)]
    pub account_id: i64,
    pub body: String,
}
