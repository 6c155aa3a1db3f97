//! The one deserializer that operations and schema types are read with: a borrowed
//! TOML value.
//!
//! A parsed revision file is read into a [`Revision`](crate::revision::Revision) and
//! is still at hand for the unknown-key check ([`super::unknown_keys`]) without a
//! deep copy of the document (`toml` only deserializes from an owned `toml::Value`).
//! Strings are handed to the visitor borrowed, so serde's buffering of an internally
//! tagged enum (every operation) keeps pointing into the document instead of copying.
//!
//! The JSON that the build script embeds ([`crate::embed::EmbeddedOps`]) and that
//! `#[derive(Model)]` writes ([`crate::generated`]) is read into a TOML value first
//! ([`json_to_value`]) and then through this same deserializer: every deserializer
//! type that `Operation` or a schema type is read with is a full copy of its derived
//! code in every build of migrate-core, and the JSON tree's visitor is small.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use toml::Value;

/// Reads a `T` from a table without taking it apart (see the module's comment).
pub(crate) fn from_table<'de, T: Deserialize<'de>>(
    table: &'de toml::Table,
) -> Result<T, toml::de::Error> {
    T::deserialize(table_deserializer(table))
}

/// Reads a `T` from a value without taking it apart: the deserializer that
/// operations are read with, from a file, the version log or embedded JSON.
pub(crate) fn from_value<'de, T: Deserialize<'de>>(
    value: &'de Value,
) -> Result<T, toml::de::Error> {
    T::deserialize(ValueRef(value))
}

/// JSON text as a TOML value, a `null` in an object read as a missing key (what a
/// `None` field is in TOML), for [`from_value`].
pub(crate) fn json_to_value(text: &str) -> Result<Value, serde_json::Error> {
    match serde_json::from_str::<Json>(text)?.0 {
        Some(value) => Ok(value),
        None => Err(de::Error::custom("expected a JSON value, found `null`")),
    }
}

/// A JSON value as TOML; `None` for `null`.
struct Json(Option<Value>);

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json(None))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Json, E> {
        Ok(Json(Some(Value::Boolean(v))))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Json, E> {
        Ok(Json(Some(Value::Integer(v))))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Json, E> {
        match i64::try_from(v) {
            Ok(v) => Ok(Json(Some(Value::Integer(v)))),
            Err(_) => Err(E::custom(format!("integer {v} is too large for TOML"))),
        }
    }

    fn visit_f64<E>(self, v: f64) -> Result<Json, E> {
        Ok(Json(Some(Value::Float(v))))
    }

    fn visit_str<E>(self, v: &str) -> Result<Json, E> {
        Ok(Json(Some(Value::String(v.to_owned()))))
    }

    fn visit_string<E>(self, v: String) -> Result<Json, E> {
        Ok(Json(Some(Value::String(v))))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(Json(item)) = seq.next_element()? {
            items.push(item.ok_or_else(|| de::Error::custom("`null` in an array"))?);
        }
        Ok(Json(Some(Value::Array(items))))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut table = toml::Table::new();
        while let Some((key, Json(value))) = map.next_entry::<String, Json>()? {
            if let Some(value) = value {
                table.insert(key, value);
            }
        }
        Ok(Json(Some(Value::Table(table))))
    }
}

/// A deserializer over the entries of a table; it fails unless all are read.
fn table_deserializer(
    table: &toml::Table,
) -> MapDeserializer<'_, impl Iterator<Item = (&str, ValueRef<'_>)>, toml::de::Error> {
    MapDeserializer::new(table.iter().map(|(k, v)| (k.as_str(), ValueRef(v))))
}

/// A deserializer over a `&toml::Value`, reading it as `toml::Value` itself does.
#[derive(Clone, Copy)]
pub(crate) struct ValueRef<'a>(pub &'a Value);

impl<'de> IntoDeserializer<'de, toml::de::Error> for ValueRef<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for ValueRef<'de> {
    type Error = toml::de::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Boolean(b) => visitor.visit_bool(*b),
            Value::Integer(n) => visitor.visit_i64(*n),
            Value::Float(n) => visitor.visit_f64(*n),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Datetime(d) => visitor.visit_string(d.to_string()),
            Value::Array(items) => {
                let mut seq = SeqDeserializer::new(items.iter().map(ValueRef));
                let out = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(out)
            }
            Value::Table(table) => table_deserializer(table).deserialize_any(visitor),
        }
    }

    /// A present value is `Some` (a missing key is `None`), as with `toml::Value`.
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    /// A unit variant written as a string; anything else is refused (the callers
    /// then read the file the slow way, which reports the problem).
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            _ => Err(de::Error::invalid_type(
                de::Unexpected::Other("a TOML value other than a string"),
                &"a variant name",
            )),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
        ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::Operation;

    #[test]
    fn reads_operations_as_the_owned_value_does() {
        let text = r#"
[[upgrade]]
op = "add_column"
table = "users"
column = { name = "age", type = "integer", nullable = true, default = "0" }

[[upgrade]]
op = "sql"
sql = "SELECT 1"
no_transaction = true
"#;
        let doc: toml::Table = toml::from_str(text).unwrap();
        let Some(Value::Array(ops)) = doc.get("upgrade") else {
            panic!("no upgrade list")
        };
        for op in ops {
            let borrowed = Operation::deserialize(ValueRef(op)).unwrap();
            let owned = Operation::deserialize(op.clone()).unwrap();
            assert_eq!(borrowed, owned);
        }
        let bad = toml::Value::Table(toml::from_str("op = \"no_such_op\"").unwrap());
        assert!(Operation::deserialize(ValueRef(&bad)).is_err());
    }

    /// JSON as `serde_json` writes a table (a `None` field is `null`) reads back
    /// the same through the file's deserializer; a `null` that is not a missing
    /// key is an error.
    #[test]
    fn reads_json_through_the_same_deserializer() {
        use crate::schema::{Column, Table};
        use crate::types::ColumnType;
        let mut table = Table::new("users");
        table.columns.push(Column::new("id", ColumnType::Integer));
        let json = serde_json::to_string(&table).unwrap();
        assert!(json.contains("null"), "{json}");
        let value = json_to_value(&json).unwrap();
        assert_eq!(from_value::<Table>(&value).unwrap(), table);
        assert!(json_to_value("null").is_err());
        assert!(json_to_value("[1, null]").is_err());
        assert!(json_to_value("18446744073709551615").is_err());
    }
}
