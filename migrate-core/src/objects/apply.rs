//! Replay of the schema object operations; an object is found by its
//! [`super::ObjectId`] (a PostgreSQL routine by its name and argument types).

use crate::apply::ApplyError;
use crate::ops::Operation;
use crate::schema::Schema;

/// Applies a `CreateObject` or `DropObject` to `schema` (anything else is left
/// alone). The objects stay in kind then name order.
pub(crate) fn apply_object(schema: &mut Schema, op: &Operation) -> Result<(), ApplyError> {
    match op {
        Operation::CreateObject { object } => {
            let id = object.id();
            if schema.objects.iter().any(|o| o.id() == id) {
                return Err(ApplyError::ObjectExists {
                    kind: object.kind,
                    name: id.qualified_name(),
                });
            }
            schema.objects.push(object.clone());
            super::sort(&mut schema.objects);
            Ok(())
        }
        Operation::DropObject { object } => {
            let id = object.id();
            let at = schema
                .objects
                .iter()
                .position(|o| o.id() == id)
                .ok_or_else(|| ApplyError::NoSuchObject {
                    kind: object.kind,
                    name: id.qualified_name(),
                })?;
            schema.objects.remove(at);
            Ok(())
        }
        _ => Ok(()),
    }
}
