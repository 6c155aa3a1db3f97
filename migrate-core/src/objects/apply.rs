//! Replay of the schema object operations.

use crate::apply::ApplyError;
use crate::ops::Operation;
use crate::schema::Schema;

/// Applies a `CreateObject` or `DropObject` to `schema` (anything else is left
/// alone). The objects stay in kind then name order.
pub(crate) fn apply_object(schema: &mut Schema, op: &Operation) -> Result<(), ApplyError> {
    match op {
        Operation::CreateObject { object } => {
            if schema
                .objects
                .iter()
                .any(|o| o.kind == object.kind && o.name == object.name)
            {
                return Err(ApplyError::ObjectExists {
                    kind: object.kind,
                    name: object.name.clone(),
                });
            }
            schema.objects.push(object.clone());
            super::sort(&mut schema.objects);
            Ok(())
        }
        Operation::DropObject { object } => {
            let at = schema
                .objects
                .iter()
                .position(|o| o.kind == object.kind && o.name == object.name)
                .ok_or_else(|| ApplyError::NoSuchObject {
                    kind: object.kind,
                    name: object.name.clone(),
                })?;
            schema.objects.remove(at);
            Ok(())
        }
        _ => Ok(()),
    }
}
