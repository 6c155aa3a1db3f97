//! Rust field types to column types.
//!
//! Types are recognised by the last segment of their path, with its generic
//! arguments, so `chrono::NaiveDate` and an imported `NaiveDate` map the same way:
//!
//! | Rust | column |
//! |---|---|
//! | `i16`, `i32`, `i64` | smallint, integer, bigint |
//! | `u8`, `u16`, `u32`, `u64` | tinyint unsigned .. bigint unsigned (see `migrate_core::dialect::unsigned`) |
//! | `f32`, `f64` | float, double |
//! | `bool` | boolean |
//! | `String` | text, or varchar(n) with `max_len = n` |
//! | `Vec<u8>` | bytes |
//! | `NaiveDate`, `time::Date` | date |
//! | `NaiveTime`, `time::Time` | time |
//! | `NaiveDateTime`, `PrimitiveDateTime` | timestamp |
//! | `DateTime<Utc / FixedOffset / Local>`, `OffsetDateTime` | timestamptz |
//! | `Uuid` | uuid |
//! | `serde_json::Value`, `Json<T>` | json |
//! | `Decimal` | decimal(p,s), with `precision` and `scale` |
//! | `Option<T>` | as `T`, nullable |
//! | `Vec<T>` | PostgreSQL `T[]` (a per-database type: other databases need `sql_type(...)`) |

use syn::{GenericArgument, PathArguments, Type};

/// What a Rust type says about its column, before attributes are applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RustKind {
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`, `u16`, `u32` or `u64`.
    Unsigned(migrate_core::UnsignedBits),
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `bool`.
    Bool,
    /// `String`.
    String,
    /// `Vec<u8>`.
    Bytes,
    /// A date.
    Date,
    /// A time of day.
    Time,
    /// A timestamp without zone.
    Timestamp,
    /// A timestamp with zone.
    TimestampTz,
    /// `Uuid`.
    Uuid,
    /// JSON.
    Json,
    /// `Decimal`: needs precision and scale.
    Decimal,
}

/// A field type, understood.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MappedType {
    /// The kind, or `None` when the type is not known (fine with `sql_type`).
    pub kind: Option<RustKind>,
    /// Written as `Option<T>`.
    pub nullable: bool,
    /// How the unknown type was written, for the error message.
    pub written: String,
    /// `Vec<T>` (other than `Vec<u8>`): the kind of `T`, a PostgreSQL array.
    pub array_of: Option<RustKind>,
}

/// Maps a field type; never fails (an unknown type has `kind: None`).
pub fn map_type(ty: &Type) -> MappedType {
    let mut nullable = false;
    let mut ty = ty;
    while let Some(inner) = generic_of(ty, "Option") {
        nullable = true;
        ty = inner;
    }
    MappedType {
        array_of: generic_of(ty, "Vec").and_then(kind_of),
        kind: kind_of(ty),
        nullable,
        written: quote::ToTokens::to_token_stream(ty)
            .to_string()
            .replace(" < ", "<")
            .replace(" >", ">")
            .replace(" :: ", "::")
            .replace(" ,", ","),
    }
}

/// The last path segment of `ty`, if it is a path type.
fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(p) if p.qself.is_none() => p.path.segments.last(),
        Type::Group(g) => last_segment(&g.elem),
        Type::Paren(p) => last_segment(&p.elem),
        _ => None,
    }
}

/// The single type argument of `Name<T>`, if `ty` is that.
fn generic_of<'a>(ty: &'a Type, name: &str) -> Option<&'a Type> {
    let seg = last_segment(ty)?;
    if seg.ident != name {
        return None;
    }
    match &seg.arguments {
        PathArguments::AngleBracketed(args) if args.args.len() == 1 => match &args.args[0] {
            GenericArgument::Type(t) => Some(t),
            _ => None,
        },
        _ => None,
    }
}

fn kind_of(ty: &Type) -> Option<RustKind> {
    let seg = last_segment(ty)?;
    let name = seg.ident.to_string();
    let bare = matches!(seg.arguments, PathArguments::None);
    Some(match name.as_str() {
        "i16" if bare => RustKind::I16,
        "i32" if bare => RustKind::I32,
        "i64" if bare => RustKind::I64,
        "u8" if bare => RustKind::Unsigned(migrate_core::UnsignedBits::U8),
        "u16" if bare => RustKind::Unsigned(migrate_core::UnsignedBits::U16),
        "u32" if bare => RustKind::Unsigned(migrate_core::UnsignedBits::U32),
        "u64" if bare => RustKind::Unsigned(migrate_core::UnsignedBits::U64),
        "f32" if bare => RustKind::F32,
        "f64" if bare => RustKind::F64,
        "bool" if bare => RustKind::Bool,
        "String" if bare => RustKind::String,
        "Vec" => {
            let inner = generic_of(ty, "Vec")?;
            let seg = last_segment(inner)?;
            if seg.ident == "u8" && matches!(seg.arguments, PathArguments::None) {
                RustKind::Bytes
            } else {
                return None;
            }
        }
        "NaiveDate" | "Date" if bare => RustKind::Date,
        "NaiveTime" | "Time" if bare => RustKind::Time,
        "NaiveDateTime" | "PrimitiveDateTime" if bare => RustKind::Timestamp,
        "OffsetDateTime" if bare => RustKind::TimestampTz,
        "DateTime" => {
            let zone = last_segment(generic_of(ty, "DateTime")?)?;
            if ["Utc", "FixedOffset", "Local"]
                .iter()
                .any(|z| zone.ident == z)
            {
                RustKind::TimestampTz
            } else {
                return None;
            }
        }
        "Uuid" if bare => RustKind::Uuid,
        "Value" if bare => RustKind::Json,
        "Json" if generic_of(ty, "Json").is_some() => RustKind::Json,
        "Decimal" if bare => RustKind::Decimal,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(src: &str) -> (Option<RustKind>, bool) {
        let ty: Type = syn::parse_str(src).unwrap();
        let m = map_type(&ty);
        (m.kind, m.nullable)
    }

    #[test]
    fn scalar_types_map() {
        assert_eq!(kind("i16"), (Some(RustKind::I16), false));
        assert_eq!(kind("i64"), (Some(RustKind::I64), false));
        assert_eq!(kind("std::string::String"), (Some(RustKind::String), false));
        assert_eq!(kind("Vec<u8>"), (Some(RustKind::Bytes), false));
        assert_eq!(kind("Vec<u16>"), (None, false));
    }

    #[test]
    fn option_is_nullable_and_paths_match_on_last_segment() {
        assert_eq!(kind("Option<i32>"), (Some(RustKind::I32), true));
        assert_eq!(
            kind("std::option::Option<chrono::DateTime<chrono::Utc>>"),
            (Some(RustKind::TimestampTz), true)
        );
        assert_eq!(kind("DateTime<Tz>"), (None, false));
        assert_eq!(
            kind("sqlx::types::Json<Vec<String>>"),
            (Some(RustKind::Json), false)
        );
        assert_eq!(
            kind("time::OffsetDateTime"),
            (Some(RustKind::TimestampTz), false)
        );
    }

    #[test]
    fn unknown_types_keep_their_spelling() {
        let ty: Type = syn::parse_str("std::collections::HashMap<String, i32>").unwrap();
        let m = map_type(&ty);
        assert_eq!(m.kind, None);
        assert!(m.written.contains("HashMap"), "{}", m.written);
    }
}
