//! Deserializing from a borrowed TOML value, so that a parsed revision file can be
//! read into a [`Revision`](crate::revision::Revision) and still be at hand for the
//! unknown-key check ([`super::unknown_keys`]) without a deep copy of the document.
//!
//! `toml` only deserializes from an owned `toml::Value`; the revision reader used to
//! clone the whole document for it, one allocation per key and string. Strings are
//! handed to the visitor borrowed, so serde's buffering of an internally tagged
//! enum (every operation) keeps pointing into the document instead of copying.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};
use serde::Deserialize;
use toml::Value;

/// Reads a `T` from a table without taking it apart (see the module's comment).
pub(crate) fn from_table<'de, T: Deserialize<'de>>(
    table: &'de toml::Table,
) -> Result<T, toml::de::Error> {
    T::deserialize(table_deserializer(table))
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
}
