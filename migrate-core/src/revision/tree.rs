//! An operation as a small tree of TOML values, keys in the order the type declares
//! them: what the revision writer lays out ([`super::write`]) and what the
//! unknown-key check compares a file with ([`super::unknown_keys`]).
//!
//! It follows the rules of a TOML value serializer: a `None` field or map entry is
//! left out, a unit variant is its name as a string, a newtype variant is a table of
//! one key, a tuple is an array, an unsigned integer past `i64::MAX`, a unit and a
//! `None` inside a list are errors. Each node owns plain strings and vectors, with
//! no formatting state, so building one costs a few allocations per value.

use std::borrow::Cow;
use std::fmt;

use serde::ser::{self, Serialize};

/// Struct name and field name `toml_datetime` serializes a date-time with.
const DATETIME: &str = "$__toml_private_datetime";

/// One TOML value.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A date-time, as its TOML text.
    Datetime(String),
    /// An array.
    Array(Vec<Node>),
    /// A table, keys in declared order.
    Table(Vec<(Cow<'static, str>, Node)>),
}

impl Node {
    /// The value of `key` in a table.
    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Table(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Why a value has no tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TreeError {
    /// The value was `None` (a field or entry holding it is left out).
    None,
    /// A value TOML cannot hold.
    Unsupported(String),
}

impl fmt::Display for TreeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TreeError::None => f.write_str("`None` cannot be written as a TOML value"),
            TreeError::Unsupported(what) => write!(f, "{what} cannot be written as TOML"),
        }
    }
}

impl std::error::Error for TreeError {}

impl ser::Error for TreeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        TreeError::Unsupported(msg.to_string())
    }
}

/// The tree of a value.
pub(crate) fn to_node<T: Serialize + ?Sized>(value: &T) -> Result<Node, TreeError> {
    value.serialize(NodeSerializer)
}

/// A nested value: a `None` inside a list is an error, not a left-out entry.
fn nested<T: Serialize + ?Sized>(value: &T) -> Result<Node, TreeError> {
    to_node(value).map_err(|e| match e {
        TreeError::None => TreeError::Unsupported("`None` in a list".to_string()),
        e => e,
    })
}

/// Adds `key = value` to a table, replacing an earlier value of the same key in
/// place; a `None` value is left out.
fn insert<T: Serialize + ?Sized>(
    entries: &mut Vec<(Cow<'static, str>, Node)>,
    key: Cow<'static, str>,
    value: &T,
) -> Result<(), TreeError> {
    let node = match to_node(value) {
        Ok(node) => node,
        Err(TreeError::None) => return Ok(()),
        Err(e) => return Err(e),
    };
    match entries.iter_mut().find(|(k, _)| *k == key) {
        Some((_, old)) => *old = node,
        None => entries.push((key, node)),
    }
    Ok(())
}

struct NodeSerializer;

impl ser::Serializer for NodeSerializer {
    type Ok = Node;
    type Error = TreeError;
    type SerializeSeq = SeqNode;
    type SerializeTuple = SeqNode;
    type SerializeTupleStruct = SeqNode;
    type SerializeTupleVariant = VariantNode<SeqNode>;
    type SerializeMap = TableNode;
    type SerializeStruct = TableNode;
    type SerializeStructVariant = VariantNode<TableNode>;

    fn serialize_bool(self, v: bool) -> Result<Node, TreeError> {
        Ok(Node::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Node, TreeError> {
        Ok(Node::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Node, TreeError> {
        Ok(Node::Int(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Node, TreeError> {
        i64::try_from(v)
            .map(Node::Int)
            .map_err(|_| TreeError::Unsupported(format!("the integer {v} (past i64::MAX)")))
    }
    fn serialize_f32(self, v: f32) -> Result<Node, TreeError> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<Node, TreeError> {
        // A NaN's sign means nothing here; write `nan`, never `-nan`.
        Ok(Node::Float(if v.is_nan() { v.copysign(1.0) } else { v }))
    }
    fn serialize_char(self, v: char) -> Result<Node, TreeError> {
        Ok(Node::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Node, TreeError> {
        Ok(Node::Str(v.to_owned()))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Node, TreeError> {
        Ok(Node::Array(
            v.iter().map(|b| Node::Int((*b).into())).collect(),
        ))
    }
    fn serialize_none(self) -> Result<Node, TreeError> {
        Err(TreeError::None)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node, TreeError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node, TreeError> {
        Err(TreeError::Unsupported("a unit value".to_string()))
    }
    fn serialize_unit_struct(self, name: &'static str) -> Result<Node, TreeError> {
        Err(TreeError::Unsupported(format!("the unit struct `{name}`")))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node, TreeError> {
        Ok(Node::Str(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Node, TreeError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node, TreeError> {
        let mut entries = Vec::with_capacity(1);
        insert(&mut entries, Cow::Borrowed(variant), value)?;
        Ok(Node::Table(entries))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<SeqNode, TreeError> {
        Ok(SeqNode(Vec::with_capacity(len.unwrap_or(0))))
    }
    fn serialize_tuple(self, len: usize) -> Result<SeqNode, TreeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<SeqNode, TreeError> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantNode<SeqNode>, TreeError> {
        Ok(VariantNode {
            variant,
            inner: SeqNode(Vec::with_capacity(len)),
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<TableNode, TreeError> {
        Ok(TableNode {
            entries: Vec::with_capacity(len.unwrap_or(0)),
            key: None,
            datetime: false,
        })
    }
    fn serialize_struct(self, name: &'static str, len: usize) -> Result<TableNode, TreeError> {
        let mut table = self.serialize_map(Some(len))?;
        table.datetime = name == DATETIME;
        Ok(table)
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<VariantNode<TableNode>, TreeError> {
        Ok(VariantNode {
            variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

/// A list being built.
pub(crate) struct SeqNode(Vec<Node>);

impl ser::SerializeSeq for SeqNode {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        self.0.push(nested(value)?);
        Ok(())
    }
    fn end(self) -> Result<Node, TreeError> {
        Ok(Node::Array(self.0))
    }
}

impl ser::SerializeTuple for SeqNode {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node, TreeError> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for SeqNode {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node, TreeError> {
        ser::SerializeSeq::end(self)
    }
}

/// A table being built.
pub(crate) struct TableNode {
    entries: Vec<(Cow<'static, str>, Node)>,
    key: Option<String>,
    /// `toml_datetime`'s wrapper struct: its one field is the date-time's text.
    datetime: bool,
}

impl TableNode {
    fn finish(self) -> Result<Node, TreeError> {
        if self.datetime {
            return match self.entries.into_iter().next() {
                Some((_, Node::Str(text))) => Ok(Node::Datetime(text)),
                _ => Err(TreeError::Unsupported("a malformed date-time".to_string())),
            };
        }
        Ok(Node::Table(self.entries))
    }
}

impl ser::SerializeMap for TableNode {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), TreeError> {
        match nested(key)? {
            Node::Str(key) => {
                self.key = Some(key);
                Ok(())
            }
            _ => Err(TreeError::Unsupported(
                "a table key that is not a string".to_string(),
            )),
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        let key = self
            .key
            .take()
            .ok_or_else(|| TreeError::Unsupported("a table value without a key".to_string()))?;
        insert(&mut self.entries, Cow::Owned(key), value)
    }
    fn end(self) -> Result<Node, TreeError> {
        self.finish()
    }
}

impl ser::SerializeStruct for TableNode {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TreeError> {
        insert(&mut self.entries, Cow::Borrowed(key), value)
    }
    fn end(self) -> Result<Node, TreeError> {
        self.finish()
    }
}

/// A tuple or struct variant: a table of one key, the variant's name.
pub(crate) struct VariantNode<I> {
    variant: &'static str,
    inner: I,
}

impl VariantNode<SeqNode> {
    fn wrap(self) -> Result<Node, TreeError> {
        let inner = ser::SerializeSeq::end(self.inner)?;
        Ok(Node::Table(vec![(Cow::Borrowed(self.variant), inner)]))
    }
}

impl ser::SerializeTupleVariant for VariantNode<SeqNode> {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), TreeError> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }
    fn end(self) -> Result<Node, TreeError> {
        self.wrap()
    }
}

impl ser::SerializeStructVariant for VariantNode<TableNode> {
    type Ok = Node;
    type Error = TreeError;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), TreeError> {
        insert(&mut self.inner.entries, Cow::Borrowed(key), value)
    }
    fn end(self) -> Result<Node, TreeError> {
        let inner = self.inner.finish()?;
        Ok(Node::Table(vec![(Cow::Borrowed(self.variant), inner)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Serialize)]
    #[serde(tag = "op", rename_all = "snake_case")]
    enum Op {
        Add {
            name: String,
            size: Option<u32>,
            tags: Vec<&'static str>,
        },
        Wrapped(Inner),
    }

    #[derive(serde::Serialize)]
    struct Inner {
        flag: bool,
        nested: Option<Option<i64>>,
    }

    #[test]
    fn keys_keep_the_declared_order_and_none_fields_are_left_out() {
        let node = to_node(&Op::Add {
            name: "users".into(),
            size: None,
            tags: vec!["a"],
        })
        .unwrap();
        assert_eq!(
            node,
            Node::Table(vec![
                (Cow::Borrowed("op"), Node::Str("add".into())),
                (Cow::Borrowed("name"), Node::Str("users".into())),
                (
                    Cow::Borrowed("tags"),
                    Node::Array(vec![Node::Str("a".into())])
                ),
            ])
        );
        let node = to_node(&Op::Wrapped(Inner {
            flag: true,
            nested: Some(None),
        }))
        .unwrap();
        assert_eq!(
            node,
            Node::Table(vec![
                (Cow::Borrowed("op"), Node::Str("wrapped".into())),
                (Cow::Borrowed("flag"), Node::Bool(true)),
            ])
        );
    }

    #[test]
    fn what_toml_cannot_hold_is_an_error() {
        assert!(to_node(&vec![Some(1), None]).is_err());
        assert!(to_node(&u64::MAX).is_err());
        assert!(to_node(&()).is_err());
        assert_eq!(to_node(&None::<i32>), Err(TreeError::None));
    }
}
