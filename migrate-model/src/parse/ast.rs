//! The model struct as a container and its fields, each with its syn node.
//!
//! Keeping the syn nodes lets every later rule point its error at the exact field,
//! type or attribute. Shapes a table cannot come from (enums, tuple structs, unit
//! structs, generic structs) are rejected here.

use syn::{Data, DeriveInput, Fields, Ident, Type};

use super::attr::{doc_comment, ContainerAttrs, FieldAttrs};
use super::ctxt::Ctxt;

/// The struct deriving `Model`.
pub struct Container<'a> {
    /// The struct's name.
    pub ident: &'a Ident,
    /// Its `#[model(...)]` attributes.
    pub attrs: ContainerAttrs,
    /// Its `///` doc comment.
    pub doc: Option<String>,
    /// Its named fields (empty when the shape is unsupported).
    pub fields: Vec<Field<'a>>,
}

/// One named field.
pub struct Field<'a> {
    /// The field's name.
    pub ident: &'a Ident,
    /// The field's type.
    pub ty: &'a Type,
    /// Its `#[model(...)]` attributes.
    pub attrs: FieldAttrs,
    /// Its `///` doc comment.
    pub doc: Option<String>,
}

impl<'a> Container<'a> {
    /// Reads the struct, recording unsupported shapes in `cx`.
    pub fn from_ast(cx: &Ctxt, input: &'a DeriveInput) -> Container<'a> {
        let attrs = ContainerAttrs::from_attrs(cx, &input.attrs);
        // A table has one fixed set of named columns: generic parameters would make
        // the columns depend on the instantiation, which a migration cannot follow.
        if !input.generics.params.is_empty() {
            cx.error_spanned_by(
                &input.generics,
                "`#[derive(Model)]` does not support generic structs: a table has one fixed \
                 set of columns; write a struct with concrete field types",
            );
        }
        let fields = match &input.data {
            Data::Struct(data) => match &data.fields {
                Fields::Named(named) => named
                    .named
                    .iter()
                    .map(|f| Field {
                        ident: f.ident.as_ref().expect("named field"),
                        ty: &f.ty,
                        attrs: FieldAttrs::from_attrs(cx, &f.attrs),
                        doc: doc_comment(&f.attrs),
                    })
                    .collect(),
                Fields::Unnamed(unnamed) => {
                    cx.error_spanned_by(
                        unnamed,
                        "`#[derive(Model)]` does not support tuple structs: columns need names; \
                         write a struct with named fields, e.g. `struct User { id: i64 }`",
                    );
                    Vec::new()
                }
                Fields::Unit => {
                    cx.error_spanned_by(
                        &input.ident,
                        "`#[derive(Model)]` does not support unit structs: a table needs \
                         columns; add named fields, e.g. `struct User { id: i64 }`",
                    );
                    Vec::new()
                }
            },
            Data::Enum(data) => {
                cx.error_spanned_by(
                    data.enum_token,
                    "`#[derive(Model)]` does not support enums: a model is a struct with named \
                     fields; for a column of an enum type, derive `migrate::Enum` (next to \
                     `sqlx::Type`) on the enum and use it as a field's type",
                );
                Vec::new()
            }
            Data::Union(data) => {
                cx.error_spanned_by(
                    data.union_token,
                    "`#[derive(Model)]` does not support unions: write a struct with named fields",
                );
                Vec::new()
            }
        };
        // The fields of a generic struct are not mapped: their types would only add
        // follow-on errors to the one above. Their attributes were still checked.
        let fields = if input.generics.params.is_empty() {
            fields
        } else {
            Vec::new()
        };
        Container {
            ident: &input.ident,
            attrs,
            doc: doc_comment(&input.attrs),
            fields,
        }
    }
}

/// The default table name: snake_case of the struct name, its last word pluralised
/// (`User` → `users`, `OrderLine` → `order_lines`, `Category` → `categories`,
/// `Address` → `addresses`, `Box` → `boxes`, `Key` → `keys`).
///
/// The rules, applied to the last word: ending in `s`, `x`, `z`, `ch` or `sh` adds
/// `es`; a consonant followed by `y` becomes `ies`; anything else adds `s`.
/// Irregular plurals (`Person` → `persons`) are not guessed: use `table = "..."`.
pub fn default_table_name(struct_name: &str) -> String {
    pluralize(&snake_case(struct_name))
}

/// `OrderLine` → `order_line`, `HTTPRequest` → `http_request`.
pub fn snake_case(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    let mut out = String::with_capacity(name.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1);
            let boundary = match prev {
                None | Some('_') => false,
                Some(p) if p.is_lowercase() || p.is_ascii_digit() => true,
                // The last capital of an acronym starts a new word: `HTTPRequest`.
                Some(p) if p.is_uppercase() => next.is_some_and(|n| n.is_lowercase()),
                _ => false,
            };
            if boundary {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Plural of the last word of a snake_case name, by the rules of
/// [`default_table_name`].
pub fn pluralize(word: &str) -> String {
    let ends = |s: &str| word.ends_with(s);
    if ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh") {
        format!("{word}es")
    } else if let Some(stem) = word.strip_suffix('y') {
        match stem.chars().last() {
            Some(c) if !"aeiou".contains(c) && c != '_' => format!("{stem}ies"),
            _ => format!("{word}s"),
        }
    } else {
        format!("{word}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_names_follow_the_documented_rules() {
        for (s, t) in [
            ("User", "users"),
            ("OrderLine", "order_lines"),
            ("Category", "categories"),
            ("Address", "addresses"),
            ("Box", "boxes"),
            ("Match", "matches"),
            ("Wish", "wishes"),
            ("Key", "keys"),
            ("HTTPRequest", "http_requests"),
            ("Item2", "item2s"),
            ("Quiz", "quizes"),
        ] {
            assert_eq!(default_table_name(s), t, "{s}");
        }
    }
}
