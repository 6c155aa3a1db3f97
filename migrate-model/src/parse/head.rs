//! Comparing a model with the head schema, so a drift error can point at the field.
//!
//! The build script writes the schema the revision files leave
//! (`$OUT_DIR/migrate_head_schema.toml`); the derive compares each model's table with
//! it and reports each difference on the field that drifted (or on the struct name
//! for a new table, a dropped column or a changed table-level constraint).

use migrate_core::schema::{normalize_default, Column, Table};
use migrate_core::Schema;

use super::def::{ModelDef, UNRESOLVED};

/// What to run to write the missing revision.
const FIX: &str = "run `MIGRATE_AUTOGENERATE=\"msg\" cargo build` (or `cargo migrate revision \
                   --autogenerate -m \"msg\"`) to write the revision";

/// The differences between the model's table and the head schema's table of the
/// same name, as errors spanned on the drifted field or the struct name.
///
/// Foreign keys to model types that are not resolved yet (see
/// [`super::ModelRef`]) are left out of the comparison: the build script compares
/// them once every model is known.
pub fn check_against_head(def: &ModelDef, head: &Schema) -> Vec<syn::Error> {
    let model = &def.table;
    let at_struct = |msg: String| syn::Error::new(def.struct_span, format!("{msg}; {FIX}"));
    let Some(old) = head.table(&model.name) else {
        let what = match &def.renamed_from {
            Some(from) if head.table(from).is_some() => {
                format!(
                    "table `{from}` is renamed to `{}` in the model but not in the revisions",
                    model.name
                )
            }
            _ => format!(
                "table `{}` is new: the revisions do not create it",
                model.name
            ),
        };
        return vec![at_struct(what)];
    };
    let mut errors = Vec::new();
    for col in &model.columns {
        let span = def
            .field_spans
            .get(&col.name)
            .copied()
            .unwrap_or(def.struct_span);
        let at_field = |msg: String| syn::Error::new(span, format!("{msg}; {FIX}"));
        match old.column(&col.name) {
            None => {
                let renamed = def
                    .column_renames
                    .iter()
                    .find(|(new, _)| new == &col.name)
                    .filter(|(_, from)| old.column(from).is_some());
                errors.push(at_field(match renamed {
                    Some((_, from)) => format!(
                        "column `{}.{}` is renamed from `{from}` in the model but not in the revisions",
                        model.name, col.name
                    ),
                    None => format!(
                        "column `{}.{}` is new: the revisions do not create it",
                        model.name, col.name
                    ),
                }));
            }
            Some(was) => {
                let diffs = column_diffs(was, col);
                if !diffs.is_empty() {
                    errors.push(at_field(format!(
                        "column `{}.{}` differs from the revisions: {}",
                        model.name,
                        col.name,
                        diffs.join(", ")
                    )));
                }
            }
        }
    }
    for was in &old.columns {
        let renamed_away = def.column_renames.iter().any(|(_, from)| from == &was.name);
        if model.column(&was.name).is_none() && !renamed_away {
            errors.push(at_struct(format!(
                "column `{}.{}` is in the revisions but not in the model (a field was removed or renamed without `renamed_from`)",
                model.name, was.name
            )));
        }
    }
    for diff in table_level_diffs(old, model) {
        errors.push(at_struct(format!("table `{}`: {diff}", model.name)));
    }
    errors
}

/// `type: head has integer, model has bigint`, ... for each part that differs.
fn column_diffs(was: &Column, now: &Column) -> Vec<String> {
    let mut out = Vec::new();
    // A Rust enum's labels are known only to the compiler here: the build script
    // compares them once it has read the enum.
    let enum_field = super::enums::is_unresolved_enum(&now.ty)
        && matches!(was.ty, migrate_core::ColumnType::Enum { .. });
    if was.ty != now.ty && !enum_field {
        out.push(format!(
            "type: revisions have {}, model has {}",
            was.ty, now.ty
        ));
    }
    if was.nullable != now.nullable {
        let word = |n: bool| if n { "NULL" } else { "NOT NULL" };
        out.push(format!(
            "nullability: revisions have {}, model has {}",
            word(was.nullable),
            word(now.nullable)
        ));
    }
    let norm = |d: &Option<String>| d.as_deref().map(normalize_default);
    if norm(&was.default) != norm(&now.default) {
        let show = |d: &Option<String>| {
            d.clone()
                .map_or("no default".to_string(), |d| format!("default `{d}`"))
        };
        out.push(format!(
            "default: revisions have {}, model has {}",
            show(&was.default),
            show(&now.default)
        ));
    }
    if was.autoincrement != now.autoincrement {
        out.push(format!(
            "autoincrement: revisions have {}, model has {}",
            was.autoincrement, now.autoincrement
        ));
    }
    if was.comment != now.comment {
        out.push("comment differs".to_string());
    }
    out
}

/// Differences in keys, constraints, indexes and the table comment.
fn table_level_diffs(old: &Table, model: &Table) -> Vec<String> {
    let mut out = Vec::new();
    if old.primary_key != model.primary_key {
        let show = |t: &Table| {
            t.primary_key.as_ref().map_or("none".to_string(), |pk| {
                format!("({})", pk.columns.join(", "))
            })
        };
        out.push(format!(
            "primary key: revisions have {}, model has {}",
            show(old),
            show(model)
        ));
    }
    let set_diff = |kind: &str, a: Vec<String>, b: Vec<String>, out: &mut Vec<String>| {
        for n in b.iter().filter(|n| !a.contains(n)) {
            out.push(format!("{kind} `{n}` is new"));
        }
        for n in a.iter().filter(|n| !b.contains(n)) {
            out.push(format!(
                "{kind} `{n}` is in the revisions but not in the model"
            ));
        }
    };
    let uniq = |t: &Table| {
        t.uniques
            .iter()
            .map(|u| format!("{} ({})", u.name, u.columns.join(", ")))
            .collect()
    };
    set_diff("unique constraint", uniq(old), uniq(model), &mut out);
    // Indexes compare as the diff compares them (a respelled expression or
    // predicate is the same index).
    for i in &model.indexes {
        let same = |o: &&migrate_core::Index| {
            o.name == i.name && migrate_core::index_shape::same_index(o, i)
        };
        if !old.indexes.iter().any(|o| same(&o)) {
            out.push(format!("index `{}` is new or changed", i.name));
        }
    }
    for i in &old.indexes {
        if !model.indexes.iter().any(|m| m.name == i.name) {
            out.push(format!(
                "index `{}` is in the revisions but not in the model",
                i.name
            ));
        }
    }
    let chk = |t: &Table| {
        t.checks
            .iter()
            .map(|c| format!("{} ({})", c.name, normalize_default(&c.expr)))
            .collect()
    };
    set_diff("check", chk(old), chk(model), &mut out);
    let resolved: Vec<_> = model
        .foreign_keys
        .iter()
        .filter(|f| f.ref_table != UNRESOLVED)
        .collect();
    let unresolved = model.foreign_keys.len() - resolved.len();
    let fk = |f: &migrate_core::ForeignKey| format!("{f:?}");
    for f in &resolved {
        if !old.foreign_keys.iter().any(|o| fk(o) == fk(f)) {
            out.push(format!("foreign key `{}` is new or changed", f.name));
        }
    }
    if unresolved == 0 {
        for o in &old.foreign_keys {
            if !model.foreign_keys.iter().any(|f| f.name == o.name) {
                out.push(format!(
                    "foreign key `{}` is in the revisions but not in the model",
                    o.name
                ));
            }
        }
    }
    if old.comment != model.comment {
        out.push("table comment differs".to_string());
    }
    out
}

#[cfg(test)]
mod tests;
