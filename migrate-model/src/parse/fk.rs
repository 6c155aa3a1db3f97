//! Foreign keys from `references = ...`: to a table by name, to `Self` (resolved on
//! the spot), or to another model type (left for later, as a [`ModelRef`], and
//! filled in by [`resolve_model_ref`] once the target is known); and composite
//! foreign keys from the struct-level `foreign_key(...)`.

use proc_macro2::Span;
use syn::ext::IdentExt;

use super::attr::{ForeignKeyAttr, Reference};
use super::check::{self, ColumnLookup};
use super::ctxt::Ctxt;
use super::def::{FieldFacts, ModelRef, UNRESOLVED};
use super::symbol::FOREIGN_KEY;
use migrate_core::naming;
use migrate_core::schema::{ForeignKey, Table};

/// Builds the foreign keys of the fields with `references`; returns those whose
/// target is another model type, to be resolved later.
pub(super) fn foreign_keys(
    cx: &Ctxt,
    facts: &[FieldFacts],
    table: &mut Table,
    names: &mut Vec<(String, Span)>,
) -> Vec<ModelRef> {
    let mut refs = Vec::new();
    for f in facts {
        let fa = &f.field.attrs;
        let Some(reference) = &fa.references else {
            // Rule: `on_delete`/`on_update` only mean something on a foreign key.
            for action in [&fa.on_delete, &fa.on_update].into_iter().flatten() {
                cx.error_at(
                    action.span,
                    "`on_delete`/`on_update` need a foreign key on this field: add \
                     `references = \"table(column)\"` or `references = Model`",
                );
            }
            // Rule: `deferrable` only means something on a foreign key.
            if let Some(d) = &fa.deferrable {
                cx.error_at(
                    d.span,
                    "`deferrable` needs a foreign key on this field: add \
                     `references = \"table(column)\"` or `references = Model`",
                );
            }
            // Rule: `fk_name` names the field's foreign key, so it needs one.
            if let Some(name) = &fa.fk_name {
                cx.error_spanned_by(
                    name,
                    "`fk_name` names the foreign key of this field, but it has none: add \
                     `references = \"table(column)\"` or remove `fk_name`",
                );
            }
            continue;
        };
        let given = match &fa.fk_name {
            Some(lit) if check::identifier(cx, "foreign-key name", &lit.value(), lit.span()) => {
                names.push((lit.value(), lit.span()));
                Some(lit.value())
            }
            _ => None,
        };
        let mut fk = ForeignKey {
            // Empty until the target is known, unless the user named it.
            name: given.clone().unwrap_or_default(),
            columns: vec![f.column.clone()],
            ref_table: UNRESOLVED.to_string(),
            ref_columns: Vec::new(),
            on_delete: fa.on_delete.as_ref().map(|a| a.value).unwrap_or_default(),
            on_update: fa.on_update.as_ref().map(|a| a.value).unwrap_or_default(),
            deferrable: fa.deferrable.as_ref().map(|d| d.value).unwrap_or_default(),
        };
        let span = reference.span();
        match reference {
            Reference::Table {
                table: t,
                columns,
                lit,
            } => {
                if !one_column(cx, columns.len(), span) {
                    continue;
                }
                if !check::identifier(cx, "referenced table name", t, lit.span()) {
                    continue;
                }
                fk.ref_table = t.clone();
                fk.ref_columns = columns.clone();
            }
            Reference::Model { path, columns } => {
                let cols: Option<Vec<String>> = columns
                    .as_ref()
                    .map(|c| c.iter().map(|i| i.unraw().to_string()).collect());
                if let Some(c) = &cols {
                    if !one_column(cx, c.len(), span) {
                        continue;
                    }
                }
                if path.is_ident("Self") {
                    // A self-reference resolves here: no trait call, no recursion.
                    fk.ref_table = table.name.clone();
                    fk.ref_columns = match cols {
                        Some(c) => c,
                        None => match &table.primary_key {
                            Some(pk) if pk.columns.len() == 1 => pk.columns.clone(),
                            _ => {
                                cx.error_at(
                                    span,
                                    "`references = Self` needs a single-column primary key; \
                                     name the column: `references = Self(id)`",
                                );
                                continue;
                            }
                        },
                    };
                } else {
                    let target_name = path
                        .segments
                        .last()
                        .map(|s| s.ident.unraw().to_string())
                        .unwrap_or_default();
                    refs.push(ModelRef {
                        foreign_key: table.foreign_keys.len(),
                        target: path.clone(),
                        target_name,
                        ref_columns: cols.clone(),
                        span,
                    });
                    fk.ref_columns = cols.unwrap_or_default();
                    table.foreign_keys.push(fk);
                    continue;
                }
            }
        }
        if given.is_none() {
            fk.name = naming::foreign_key(&table.name, &fk.columns, &fk.ref_table);
            names.push((fk.name.clone(), span));
        }
        table.foreign_keys.push(fk);
    }
    refs
}

/// Builds the struct-level `foreign_key(...)` keys. Rules: every column is a field
/// of the struct, and there are as many columns as referenced columns.
pub(super) fn composite_foreign_keys(
    cx: &Ctxt,
    attrs: &[ForeignKeyAttr],
    lookup: &ColumnLookup,
    table: &mut Table,
    names: &mut Vec<(String, Span)>,
) {
    for a in attrs {
        let Some(cols) = lookup.resolve(cx, FOREIGN_KEY, &a.columns) else {
            continue;
        };
        let columns: Vec<String> = cols.into_iter().map(|(c, _)| c).collect();
        if columns.len() != a.ref_columns.len() {
            cx.error_spanned_by(
                &a.references,
                format!(
                    "`foreign_key` lists {} column(s) but references {} in `{}`: list one \
                     referenced column per column, in the same order",
                    columns.len(),
                    a.ref_columns.len(),
                    a.references.value()
                ),
            );
            continue;
        }
        let ref_span = a.references.span();
        if !check::identifier(cx, "referenced table name", &a.ref_table, ref_span) {
            continue;
        }
        let name = match &a.name {
            Some(lit) => {
                if !check::identifier(cx, "foreign-key name", &lit.value(), lit.span()) {
                    continue;
                }
                names.push((lit.value(), lit.span()));
                lit.value()
            }
            None => {
                let name = naming::foreign_key(&table.name, &columns, &a.ref_table);
                names.push((name.clone(), a.span));
                name
            }
        };
        table.foreign_keys.push(ForeignKey {
            name,
            columns,
            ref_table: a.ref_table.clone(),
            ref_columns: a.ref_columns.clone(),
            on_delete: a.on_delete.as_ref().map(|x| x.value).unwrap_or_default(),
            on_update: a.on_update.as_ref().map(|x| x.value).unwrap_or_default(),
            deferrable: a.deferrable.as_ref().map(|d| d.value).unwrap_or_default(),
        });
    }
}

/// Rule: a field's foreign key references exactly one column (a composite foreign
/// key would need several fields).
fn one_column(cx: &Ctxt, n: usize, span: Span) -> bool {
    if n != 1 {
        cx.error_at(
            span,
            format!(
                "a field's foreign key references one column, but {n} are listed: write \
                 `references = \"users(id)\"`"
            ),
        );
    }
    n == 1
}

/// Fills in a model-type foreign key once its target's table name and primary key
/// are known. `target_key` is the target's primary-key columns.
pub fn resolve_model_ref(
    table: &mut Table,
    r: &ModelRef,
    target_table: &str,
    target_key: &[String],
) -> Result<(), String> {
    let fk = &mut table.foreign_keys[r.foreign_key];
    fk.ref_table = target_table.to_string();
    fk.ref_columns = match &r.ref_columns {
        Some(c) => c.clone(),
        None if target_key.len() == 1 => target_key.to_vec(),
        None if target_key.is_empty() => {
            return Err(format!(
                "`references = {0}` points at a model declared `no_primary_key`: name a \
                 unique column of it instead, `references = {0}(column)`",
                r.target_name
            ))
        }
        None => {
            return Err(format!(
                "`references = {}` points at a primary key of {} columns; a field's foreign key \
                 references one: write `references = {}(column)`",
                r.target_name,
                target_key.len(),
                r.target_name
            ))
        }
    };
    // A name the user gave (`fk_name`) stays; otherwise the convention's, now that
    // the target table is known.
    if fk.name.is_empty() {
        fk.name = naming::foreign_key(&table.name, &fk.columns, target_table);
    }
    Ok(())
}
