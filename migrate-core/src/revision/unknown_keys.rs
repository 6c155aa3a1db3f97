//! Finding keys that parsing would silently ignore, such as a misspelt `nulable`.
//!
//! serde skips keys it does not know inside an operation (operations are an
//! internally tagged enum, which cannot deny unknown fields), and a typo would then
//! quietly change the meaning of a revision. So after parsing, the operation is
//! written back to a tree of values ([`super::tree`]) and compared with what the
//! file holds: a key the file has but the written-back value lacks is unknown,
//! unless its value is what the field's default would be (`false`, `[]`,
//! `no_action`), since defaults are left out when written.

use crate::ops::Operation;
use crate::revision::tree::{to_node, Node};
use crate::schema::FkAction;

/// A key of one operation that no field of it reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownKey {
    /// `"upgrade"` or `"downgrade"`.
    pub list: &'static str,
    /// Position in that list, from 0.
    pub index: usize,
    /// Path of the key within the operation: `["column", "nulable"]`.
    pub path: Vec<String>,
}

/// The first key of `doc`'s operations that `upgrade`/`downgrade` do not account for.
pub fn find_unknown_key(
    doc: &toml::Table,
    upgrade: &[Operation],
    downgrade: &[Operation],
) -> Option<UnknownKey> {
    for (list, ops) in [("upgrade", upgrade), ("downgrade", downgrade)] {
        let Some(toml::Value::Array(raw_ops)) = doc.get(list) else {
            continue;
        };
        for (index, (raw, op)) in raw_ops.iter().zip(ops).enumerate() {
            let Ok(canonical) = to_node(op) else {
                continue;
            };
            if let Some(mut path) = unknown_in(raw, &canonical) {
                path.reverse();
                return Some(UnknownKey { list, index, path });
            }
        }
    }
    None
}

/// The path of a key `raw` holds and `canonical` lacks, innermost key first (the
/// path is only built for the key found, not for every key looked at).
fn unknown_in(raw: &toml::Value, canonical: &Node) -> Option<Vec<String>> {
    let found = |mut path: Vec<String>, step: String| {
        path.push(step);
        path
    };
    match (raw, canonical) {
        (toml::Value::Table(raw), Node::Table(_)) => {
            raw.iter()
                .find_map(|(key, value)| match canonical.get(key) {
                    Some(c) => unknown_in(value, c).map(|path| found(path, key.clone())),
                    None if !is_default_value(value) => Some(vec![key.clone()]),
                    None => None,
                })
        }
        (toml::Value::Array(raw), Node::Array(canonical)) => raw
            .iter()
            .zip(canonical)
            .enumerate()
            .find_map(|(i, (r, c))| unknown_in(r, c).map(|path| found(path, i.to_string()))),
        _ => None,
    }
}

/// Values equal to a default that writing leaves out.
fn is_default_value(value: &toml::Value) -> bool {
    match value {
        toml::Value::Boolean(b) => !b,
        toml::Value::Array(a) => a.is_empty(),
        toml::Value::String(s) => s.parse::<FkAction>() == Ok(FkAction::NoAction),
        _ => false,
    }
}
