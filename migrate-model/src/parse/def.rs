//! [`ModelDef`]: a model struct turned into a [`Table`], plus what the table alone
//! cannot say (rename hints, foreign keys to model types, spans for errors).

use std::collections::BTreeMap;

use proc_macro2::Span;
use syn::ext::IdentExt;
use syn::DeriveInput;

use super::ast::{default_table_name, Container, Field};
use super::check::{self, ColumnLookup};
use super::ctxt::{combine, Ctxt};
use super::enums::{enum_field_attrs, enum_path, unresolved_enum, EnumRef};
use super::fk::{composite_foreign_keys, foreign_keys};
use super::index_rules;
use super::symbol::{INCLUDE, INDEX, PRIMARY_KEY, UNIQUE};
use super::types::map_type;
use migrate_core::naming;
use migrate_core::schema::{Check, Column, Index, IndexColumn, PrimaryKey, Table, Unique};

/// The placeholder table name of a foreign key whose target is a model type,
/// until [`ModelRef`] resolution fills it in.
pub const UNRESOLVED: &str = "";

/// A model struct, parsed.
#[derive(Clone, Debug)]
pub struct ModelDef {
    /// The struct's name.
    pub struct_name: String,
    /// The table it describes. Foreign keys to model types have an empty
    /// `ref_table` (and maybe empty `ref_columns`) until resolved; see `model_refs`.
    pub table: Table,
    /// `#[model(renamed_from = "...")]` on the struct: the table's old name.
    pub renamed_from: Option<String>,
    /// `(new column, old column)` for every field with `renamed_from`.
    pub column_renames: Vec<(String, String)>,
    /// Foreign keys to another model type, resolved later.
    pub model_refs: Vec<ModelRef>,
    /// Columns whose type is a Rust enum (`#[derive(migrate::Enum)]`), resolved later.
    pub enum_refs: Vec<EnumRef>,
    /// The span of each column's field, by column name.
    pub field_spans: BTreeMap<String, Span>,
    /// The span of the struct's name.
    pub struct_span: Span,
    /// `#[model(crate = "...")]`: the facade path for generated code.
    pub krate: Option<syn::Path>,
}

/// A foreign key whose target is a model type (`references = User` or
/// `references = User(id)`): its table name (and, without columns, its primary key)
/// is only known once the target is.
#[derive(Clone, Debug)]
pub struct ModelRef {
    /// Index of the key in `table.foreign_keys`.
    pub foreign_key: usize,
    /// The target type as written.
    pub target: syn::Path,
    /// The last segment of the target path (the struct name).
    pub target_name: String,
    /// Referenced columns; `None` means the target's primary key.
    pub ref_columns: Option<Vec<String>>,
    /// Where the reference was written.
    pub span: Span,
}

impl ModelDef {
    /// Rename hints of this model.
    pub fn hints(&self) -> migrate_core::hints::DiffHints {
        let mut h = migrate_core::hints::DiffHints::new();
        if let Some(old) = &self.renamed_from {
            h.table_renames.insert(self.table.name.clone(), old.clone());
        }
        for (new, old) in &self.column_renames {
            h.column_renames
                .insert((self.table.name.clone(), new.clone()), old.clone());
        }
        h
    }
}

/// Parses a `#[derive(Model)]` struct; every error of the struct is combined into
/// the one returned.
pub fn parse_model(input: &DeriveInput) -> Result<ModelDef, syn::Error> {
    let (def, errors) = parse_model_lenient(input);
    match combine(errors) {
        Some(e) => Err(e),
        None => Ok(def),
    }
}

/// Parses a struct, returning what could be understood even when there are errors
/// (the derive still emits an impl from it, so the user sees only the real errors).
pub fn parse_model_lenient(input: &DeriveInput) -> (ModelDef, Vec<syn::Error>) {
    let cx = Ctxt::new();
    let cont = Container::from_ast(&cx, input);
    let def = build(&cx, &cont);
    (def, cx.into_errors())
}

/// A field-level constraint, waiting for the table name and the primary key.
pub(super) struct FieldFacts<'f> {
    pub(super) column: String,
    pub(super) field: &'f Field<'f>,
}

fn build(cx: &Ctxt, cont: &Container) -> ModelDef {
    let a = &cont.attrs;
    let struct_name = cont.ident.unraw().to_string();
    let struct_span = cont.ident.span();
    let table_name = match &a.table {
        Some(lit) => {
            let name = lit.value();
            if name.contains('.') {
                // Rule: a dot would read as a schema; the schema has its own key.
                cx.error_at(
                    lit.span(),
                    format!(
                        "the table name `{name}` holds a dot: write the PostgreSQL schema \
                         apart, e.g. `schema = \"billing\", table = \"invoice\"`"
                    ),
                );
                default_table_name(&struct_name)
            } else if check::identifier(cx, "table name", &name, lit.span()) {
                name
            } else {
                default_table_name(&struct_name)
            }
        }
        None => {
            let name = default_table_name(&struct_name);
            check::identifier(cx, "table name (from the struct name)", &name, struct_span);
            name
        }
    };
    let schema = a
        .schema
        .as_ref()
        .and_then(|lit| check::schema_name(cx, lit));
    let table_name = migrate_core::qualified::join(schema.as_deref(), &table_name);
    let mut table = Table::new(table_name.clone());
    table.comment = match &a.comment {
        Some(lit) => Some(lit.value()).filter(|c| !c.is_empty()),
        None => cont.doc.clone(),
    };
    if let Some(old) = &a.renamed_from {
        check::identifier(cx, "old table name", &old.value(), old.span());
    }

    let mut lookup = ColumnLookup::new();
    let mut field_spans = BTreeMap::new();
    let mut column_renames = Vec::new();
    let mut facts: Vec<FieldFacts> = Vec::new();
    let mut pk_fields: Vec<(String, Span, &Field)> = Vec::new();
    let mut enum_refs = Vec::new();
    for field in &cont.fields {
        let fa = &field.attrs;
        let field_name = field.ident.unraw().to_string();
        if fa.skip.is_some() {
            check::skip_alone(cx, field);
            lookup.add_skipped(&field_name);
            continue;
        }
        let (column_name, name_span) = match &fa.column {
            Some(lit) => (lit.value(), lit.span()),
            None => (field_name.clone(), field.ident.span()),
        };
        check::identifier(cx, "column name", &column_name, name_span);
        // Rule: column names are unique within the table.
        if field_spans.contains_key(&column_name) {
            cx.error_at(
                name_span,
                format!(
                    "the column `{column_name}` is declared twice in this struct: give one field \
                     another `column = \"...\"`"
                ),
            );
            continue;
        }
        field_spans.insert(column_name.clone(), field.ident.span());
        if let Some(span) = fa.primary_key {
            pk_fields.push((column_name.clone(), span, field));
        }
        lookup.add(&field_name, &column_name);
        if let Some(old) = &fa.renamed_from {
            if check::identifier(cx, "old column name", &old.value(), old.span()) {
                column_renames.push((column_name.clone(), old.value()));
            }
        }
        let mapped = map_type(field.ty);
        // A plain path type the model does not know is a Rust enum; the compiler
        // (or the source scan) finds its labels, and says so when it is not one.
        let enum_target = match fa.sql_type {
            None => enum_path(field.ty, &mapped),
            Some(_) => None,
        };
        let ty = if let Some(target) = enum_target {
            enum_field_attrs(cx, field, &mapped.written);
            enum_refs.push(EnumRef {
                column: column_name.clone(),
                target_name: target
                    .segments
                    .last()
                    .map(|s| s.ident.unraw().to_string())
                    .unwrap_or_default(),
                target,
                span: syn::spanned::Spanned::span(field.ty),
            });
            unresolved_enum()
        } else {
            let Some(ty) = check::column_type(cx, field, &mapped) else {
                continue;
            };
            ty
        };
        let autoincrement = match fa.autoincrement {
            Some(span) => check::autoincrement(cx, span, &ty),
            None => false,
        };
        let (generated, on_update, collation) = super::column_extras::column_extras(cx, field, &ty);
        table.columns.push(Column {
            name: column_name.clone(),
            ty,
            nullable: mapped.nullable,
            default: fa.default.as_ref().map(|d| d.value().trim().to_string()),
            autoincrement,
            comment: match &fa.comment {
                Some(lit) => Some(lit.value()).filter(|c| !c.is_empty()),
                None => field.doc.clone(),
            },
            generated,
            on_update,
            collation,
        });
        facts.push(FieldFacts {
            column: column_name,
            field,
        });
    }

    let mut names: Vec<(String, Span)> = Vec::new();
    table.primary_key = primary_key(cx, cont, &pk_fields, &lookup, &table);
    if let Some(pk) = &table.primary_key {
        names.push((pk.name.clone(), struct_span));
    }

    // Field-level unique, index, check.
    for f in &facts {
        let fa = &f.field.attrs;
        let cols = [f.column.as_str()];
        if let Some(span) = fa.unique {
            let name = naming::unique(&table_name, &cols);
            names.push((name.clone(), span));
            table.uniques.push(Unique {
                name,
                columns: vec![f.column.clone()],
            });
        }
        if let Some(span) = fa.index {
            let name = naming::index(&table_name, &cols);
            names.push((name.clone(), span));
            table.indexes.push(Index {
                name,
                columns: vec![IndexColumn::asc(&f.column)],
                unique: false,
                ..Default::default()
            });
        }
        if let Some(expr) = &fa.check {
            if expr.value().trim().is_empty() {
                cx.error_spanned_by(
                    expr,
                    "`check` needs an SQL boolean expression, e.g. `check = \"age >= 0\"`",
                );
            } else {
                let name = naming::check(&table_name, &f.column);
                names.push((name.clone(), expr.span()));
                table.checks.push(Check {
                    name,
                    expr: expr.value().trim().to_string(),
                });
            }
        }
    }

    // Struct-level unique and index lists.
    for u in &a.uniques {
        if let Some(cols) = lookup.resolve(cx, UNIQUE, &u.columns) {
            let columns: Vec<String> = cols.into_iter().map(|(c, _)| c).collect();
            let name = given_name(cx, u.name.as_ref())
                .unwrap_or_else(|| naming::unique(&table_name, &columns));
            names.push((name.clone(), u.name.as_ref().map_or(u.span, |n| n.span())));
            table.uniques.push(Unique { name, columns });
        }
    }
    for i in &a.indexes {
        let include = lookup.resolve(cx, INCLUDE, &i.include);
        if let (Some(cols), Some(include)) = (lookup.resolve(cx, INDEX, &i.columns), include) {
            let plain: Vec<&str> = cols.iter().map(|(c, _)| c.as_str()).collect();
            let name = given_name(cx, i.name.as_ref())
                .unwrap_or_else(|| naming::index(&table_name, &plain));
            names.push((name.clone(), i.name.as_ref().map_or(i.span, |n| n.span())));
            let mut columns: Vec<IndexColumn> = cols
                .into_iter()
                .map(|(name, desc)| IndexColumn {
                    name,
                    desc,
                    ..Default::default()
                })
                .collect();
            for (position, lit, desc) in &i.expressions {
                let key = IndexColumn {
                    name: lit.value().trim().to_string(),
                    desc: *desc,
                    expression: true,
                    ..Default::default()
                };
                columns.insert((*position).min(columns.len()), key);
            }
            index_rules::key_options(cx, &lookup, i, &mut columns);
            table.indexes.push(Index {
                name,
                columns,
                unique: i.unique,
                method: i.method.as_ref().map(|m| m.value),
                include: include.into_iter().map(|(c, _)| c).collect(),
                predicate: i.predicate.as_ref().map(|p| p.value().trim().to_string()),
            });
            index_rules::check(cx, i);
        }
    }
    for c in &a.checks {
        let Some(name) = given_name(cx, Some(&c.name)) else {
            continue;
        };
        if c.expr.value().trim().is_empty() {
            cx.error_spanned_by(
                &c.expr,
                "`expr` needs an SQL boolean expression, e.g. `expr = \"age >= 18\"`",
            );
            continue;
        }
        names.push((name.clone(), c.name.span()));
        table.checks.push(Check {
            name,
            expr: c.expr.value().trim().to_string(),
        });
    }

    let model_refs = foreign_keys(cx, &facts, &mut table, &mut names);
    composite_foreign_keys(cx, &a.foreign_keys, &lookup, &mut table, &mut names);
    check::unique_names(cx, &names);

    ModelDef {
        struct_name,
        table,
        // An old name without a schema is in the model's schema.
        renamed_from: a.renamed_from.as_ref().map(|l| {
            let old = l.value();
            if old.contains('.') {
                old
            } else {
                migrate_core::qualified::join(schema.as_deref(), &old)
            }
        }),
        column_renames,
        model_refs,
        enum_refs,
        field_spans,
        struct_span,
        krate: a.krate.clone(),
    }
}

/// A user-given constraint name, checked for length.
fn given_name(cx: &Ctxt, lit: Option<&syn::LitStr>) -> Option<String> {
    let lit = lit?;
    let name = lit.value();
    check::identifier(cx, "constraint name", &name, lit.span()).then_some(name)
}

/// Rule: a model has exactly one primary-key declaration, either `primary_key` on one
/// field or `primary_key(a, b)` on the struct (each may give a `name`; without one
/// the key is named by [`naming::primary_key`]), or `no_primary_key` on the struct
/// for a table without one (never assumed: a forgotten key is an error), and no key column is nullable (SQL
/// primary keys are NOT NULL; an `Option` field would never read back `None`).
fn primary_key(
    cx: &Ctxt,
    cont: &Container,
    on_fields: &[(String, Span, &Field)],
    lookup: &ColumnLookup,
    table: &Table,
) -> Option<PrimaryKey> {
    const HOW: &str = "mark one field `#[model(primary_key)]`, list a composite key on the \
                       struct: `#[model(primary_key(a, b))]`, or, for a table that has none \
                       on purpose (a log, a legacy join table), declare \
                       `#[model(no_primary_key)]` on the struct";
    let on_struct = cont.attrs.primary_key.as_ref();
    // Rule: `no_primary_key` is a declaration, so it cannot stand next to a key.
    if let Some(span) = cont.attrs.no_primary_key {
        let declared = on_struct.is_some() || !on_fields.is_empty();
        if declared {
            cx.error_at(
                span,
                "`no_primary_key`, but this model declares a primary key: remove \
                 `no_primary_key`, or the `primary_key` attribute",
            );
        }
        for span in cont.fields.iter().filter_map(|f| f.attrs.nullable_key) {
            cx.error_at(
                span,
                "`nullable_key` in a model without a primary key: remove it (it declares a \
                 key column that accepts NULL)",
            );
        }
        return None;
    }
    if let (Some(_), Some((_, span, _))) = (on_struct, on_fields.first()) {
        cx.error_at(
            *span,
            "two primary-key declarations: this field is `primary_key` and the struct has \
             `primary_key(...)`; keep one of them",
        );
        return None;
    }
    if on_fields.len() > 1 {
        for (_, span, _) in &on_fields[1..] {
            cx.error_at(
                *span,
                "two primary-key declarations: only one field can be `primary_key`; for a \
                 composite key write `#[model(primary_key(a, b))]` on the struct",
            );
        }
        return None;
    }
    let given = match (on_struct, on_fields.first()) {
        (Some(k), _) => k.name.as_ref(),
        (None, Some((_, _, f))) => f.attrs.primary_key_name.as_ref(),
        (None, None) => None,
    };
    let name = match given {
        Some(lit) => given_name(cx, Some(lit))?,
        None => naming::primary_key(&table.name),
    };
    let columns: Vec<String> = if let Some(k) = on_struct {
        lookup
            .resolve(cx, PRIMARY_KEY, &k.columns)?
            .into_iter()
            .map(|(c, _)| c)
            .collect()
    } else if let Some((c, _, _)) = on_fields.first() {
        vec![c.clone()]
    } else {
        // An unsupported shape (enum, tuple struct) already has its own error.
        if !cont.fields.is_empty() {
            cx.error_spanned_by(cont.ident, format!("this model has no primary key: {HOW}"));
        }
        return None;
    };
    for c in &columns {
        let nullable = table.column(c).is_some_and(|col| col.nullable);
        let field = cont
            .fields
            .iter()
            .find(|f| f.attrs.skip.is_none() && column_of(f) == *c)
            .expect("a key column has a field");
        // Rule: a key column that accepts NULL (SQLite keeps such legacy tables) is
        // declared with `nullable_key`, so an `Option` is never taken for it by
        // mistake.
        if nullable && field.attrs.nullable_key.is_none() {
            cx.error_spanned_by(
                field.ty,
                format!(
                    "primary-key column `{c}` is an `Option`: primary keys cannot be NULL; \
                     write the type without `Option<...>`, or, for a legacy SQLite table \
                     whose key accepts NULL, declare it: `#[model(primary_key, nullable_key)]`"
                ),
            );
        }
    }
    // Rule: `nullable_key` is for an `Option` field of the primary key.
    for f in &cont.fields {
        let Some(span) = f.attrs.nullable_key else {
            continue;
        };
        let column = column_of(f);
        let nullable = table.column(&column).is_some_and(|col| col.nullable);
        if !columns.contains(&column) {
            cx.error_at(
                span,
                format!(
                    "`nullable_key` on `{column}`, which is not in the primary key: remove it \
                     (it declares a key column that accepts NULL)"
                ),
            );
        } else if !nullable {
            cx.error_at(
                span,
                format!(
                    "`nullable_key` on `{column}`, which is not an `Option`: write the type as \
                     `Option<...>` (the key accepts NULL), or remove `nullable_key`"
                ),
            );
        }
    }
    Some(PrimaryKey { name, columns })
}

/// The column name of a field.
fn column_of(field: &Field) -> String {
    match &field.attrs.column {
        Some(lit) => lit.value(),
        None => field.ident.unraw().to_string(),
    }
}
