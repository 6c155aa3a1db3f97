//! Finding keys that parsing would silently ignore, such as a misspelt `nulable`.
//!
//! serde skips keys it does not know inside an operation (operations are an
//! internally tagged enum, which cannot deny unknown fields), and a typo would then
//! quietly change the meaning of a revision. So after parsing, the operation is
//! written back to a TOML value and compared with what the file holds: a key the file
//! has but the written-back value lacks is unknown, unless its value is what the
//! field's default would be (`false`, `[]`, `no_action`), since defaults are left
//! out when written.

use crate::ops::Operation;
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
            let Ok(canonical) = toml::Value::try_from(op) else {
                continue;
            };
            let mut path = Vec::new();
            if unknown_in(raw, &canonical, &mut path) {
                return Some(UnknownKey { list, index, path });
            }
        }
    }
    None
}

/// Whether `raw` holds a key `canonical` lacks; `path` is left pointing at it.
fn unknown_in(raw: &toml::Value, canonical: &toml::Value, path: &mut Vec<String>) -> bool {
    match (raw, canonical) {
        (toml::Value::Table(raw), toml::Value::Table(canonical)) => {
            for (key, value) in raw {
                path.push(key.clone());
                match canonical.get(key) {
                    Some(c) if unknown_in(value, c, path) => return true,
                    Some(_) => {}
                    None if !is_default_value(value) => return true,
                    None => {}
                }
                path.pop();
            }
            false
        }
        (toml::Value::Array(raw), toml::Value::Array(canonical)) => {
            for (i, (r, c)) in raw.iter().zip(canonical).enumerate() {
                path.push(i.to_string());
                if unknown_in(r, c, path) {
                    return true;
                }
                path.pop();
            }
            false
        }
        _ => false,
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
