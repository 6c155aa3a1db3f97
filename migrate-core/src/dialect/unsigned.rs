//! Unsigned integer columns on the databases without `UNSIGNED` (PostgreSQL and
//! SQLite): the next wider signed type with a range check, so every value of the
//! Rust type fits and nothing outside it is stored.
//!
//! | Rust | PostgreSQL | SQLite | check |
//! |---|---|---|---|
//! | `u8` | `SMALLINT` | `SMALLINT` | `x >= 0 AND x <= 255` |
//! | `u16` | `INTEGER` | `INTEGER` | `x >= 0 AND x <= 65535` |
//! | `u32` | `BIGINT` | `BIGINT` | `x >= 0 AND x <= 4294967295` |
//! | `u64` | `NUMERIC(20,0)` | `BIGINT` | `x >= 0 AND x <= 18446744073709551615` (SQLite: `x <= 9223372036854775807`) |
//!
//! SQLite's integers are 64-bit signed, so a `u64` column there holds 0 to
//! 9223372036854775807; a larger value is rejected by the database, never rounded.
//!
//! The check is part of the column (named `{column}_unsigned`), not a check of the
//! table: introspection recognises it by its expression and reads the column back
//! as the unsigned type ([`is_range_check`]).

use super::DialectKind;
use crate::types::{ColumnType, UnsignedBits};

/// The constraint name of the range check of `column`.
pub fn check_name(column: &str) -> String {
    format!("{column}_unsigned")
}

/// The signed type that holds every value of `bits` on `kind` (PostgreSQL or SQLite).
pub fn wider_type(kind: DialectKind, bits: UnsignedBits) -> ColumnType {
    match (bits, kind) {
        (UnsignedBits::U8, _) => ColumnType::SmallInt,
        (UnsignedBits::U16, _) => ColumnType::Integer,
        (UnsignedBits::U32, _) => ColumnType::BigInt,
        (UnsignedBits::U64, DialectKind::Postgres) => ColumnType::Decimal {
            precision: 20,
            scale: 0,
        },
        (UnsignedBits::U64, _) => ColumnType::BigInt,
    }
}

/// The range check of `quoted_column` (already quoted) for `bits` on `kind`.
pub fn range_expr(kind: DialectKind, quoted_column: &str, bits: UnsignedBits) -> String {
    // SQLite's integers end at i64::MAX (a larger literal would be a REAL); the
    // bound is still written, so the check is told apart from a plain `x >= 0`.
    let max = match (kind, bits) {
        (DialectKind::Sqlite, UnsignedBits::U64) => i64::MAX as u64,
        _ => bits.max_value(),
    };
    format!("{quoted_column} >= 0 AND {quoted_column} <= {max}")
}

/// The width whose range check `key` is, for `column` on `kind`, where `key` is
/// the check's expression made comparable by `normalize` (the caller's
/// normalisation of check expressions, applied to both sides).
pub fn is_range_check(
    kind: DialectKind,
    column: &str,
    key: &str,
    normalize: impl Fn(&str) -> String,
) -> Option<UnsignedBits> {
    let quoted = super::quote::double_quoted(column);
    UnsignedBits::ALL
        .into_iter()
        .find(|bits| normalize(&range_expr(kind, &quoted, *bits)) == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_width_has_its_own_check() {
        let keys: Vec<String> = UnsignedBits::ALL
            .into_iter()
            .map(|b| range_expr(DialectKind::Sqlite, "\"x\"", b))
            .collect();
        assert_eq!(keys[2], "\"x\" >= 0 AND \"x\" <= 4294967295");
        assert_eq!(keys[3], "\"x\" >= 0 AND \"x\" <= 9223372036854775807");
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(
                is_range_check(DialectKind::Sqlite, "x", key, str::to_string),
                Some(UnsignedBits::ALL[i])
            );
        }
    }
}
