//! The one naming convention for constraints and indexes that the user did not name.
//!
//! Like Alembic's `naming_convention`, names are derived from the table and columns,
//! so every dialect and every regeneration gets the same name:
//!
//! | object | name |
//! |---|---|
//! | primary key | `pk_{table}` |
//! | unique | `uq_{table}_{col1}_{col2}` |
//! | index | `ix_{table}_{col1}_{col2}` |
//! | foreign key | `fk_{table}_{col1}_{ref_table}` |
//! | check | `ck_{table}_{label}` |
//!
//! A table in another PostgreSQL schema is `{schema}_{table}` here (`pk_billing_invoice`).
//!
//! A name longer than [`MAX_IDENTIFIER_LEN`] (PostgreSQL's limit, the smallest of
//! the three databases) is cut and given a short hash of the full name, so it stays
//! unique and stable.

use sha2::{Digest, Sha256};

/// The longest identifier every supported database accepts (PostgreSQL: 63 bytes).
pub const MAX_IDENTIFIER_LEN: usize = 63;

/// Name of the primary key of `table`.
pub fn primary_key(table: &str) -> String {
    let table = flat(table);
    fit(format!("pk_{table}"))
}

/// Name of a unique constraint over `columns`.
pub fn unique<S: AsRef<str>>(table: &str, columns: &[S]) -> String {
    let table = flat(table);
    fit(format!("uq_{table}_{}", join(columns)))
}

/// Name of an index over `columns`.
pub fn index<S: AsRef<str>>(table: &str, columns: &[S]) -> String {
    let table = flat(table);
    fit(format!("ix_{table}_{}", join(columns)))
}

/// Name of a foreign key from `columns` of `table` to `ref_table`.
pub fn foreign_key<S: AsRef<str>>(table: &str, columns: &[S], ref_table: &str) -> String {
    let (table, ref_table) = (flat(table), flat(ref_table));
    fit(format!("fk_{table}_{}_{ref_table}", join(columns)))
}

/// Name of a check constraint; `label` is the user's short name or the column it guards.
pub fn check(table: &str, label: &str) -> String {
    let table = flat(table);
    fit(format!("ck_{table}_{label}"))
}

/// A table in another PostgreSQL schema (`billing.invoice`) gives its names as
/// `billing_invoice`: a name with no dot, distinct from the same table's name in
/// the current schema ([`crate::qualified`]).
fn flat(table: &str) -> String {
    table.replace('.', "_")
}

fn join<S: AsRef<str>>(columns: &[S]) -> String {
    columns
        .iter()
        .map(|c| c.as_ref())
        .collect::<Vec<_>>()
        .join("_")
}

/// Cuts `name` to the identifier limit, keeping it unique with a hash suffix.
pub fn fit(name: String) -> String {
    if name.len() <= MAX_IDENTIFIER_LEN {
        return name;
    }
    let digest = Sha256::digest(name.as_bytes());
    let suffix: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    let mut cut = MAX_IDENTIFIER_LEN - suffix.len() - 1;
    while !name.is_char_boundary(cut) {
        cut -= 1;
    }
    format!("{}_{suffix}", &name[..cut])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventional_names() {
        assert_eq!(primary_key("users"), "pk_users");
        assert_eq!(unique("users", &["email"]), "uq_users_email");
        assert_eq!(
            index("posts", &["user_id", "created_at"]),
            "ix_posts_user_id_created_at"
        );
        assert_eq!(
            foreign_key("posts", &["user_id"], "users"),
            "fk_posts_user_id_users"
        );
        assert_eq!(check("users", "age"), "ck_users_age");
    }

    #[test]
    fn long_names_are_cut_stably_and_stay_distinct() {
        let long_a = index(
            "a_very_long_table_name_for_testing",
            &["first_long_column", "second_long_column_a"],
        );
        let long_b = index(
            "a_very_long_table_name_for_testing",
            &["first_long_column", "second_long_column_b"],
        );
        assert_eq!(long_a.len(), MAX_IDENTIFIER_LEN);
        assert_ne!(long_a, long_b);
        assert_eq!(
            long_a,
            index(
                "a_very_long_table_name_for_testing",
                &["first_long_column", "second_long_column_a"]
            )
        );
    }

    #[test]
    fn cutting_respects_char_boundaries() {
        let name = fit(format!("ix_{}", "é".repeat(40)));
        assert!(name.len() <= MAX_IDENTIFIER_LEN);
    }
}
