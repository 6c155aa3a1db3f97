//! `#[derive(Model)]`: the proc-macro front of the core's model parser.
//!
//! All parsing and checking is in `migrate_model::parse` (unit-tested there and shared
//! with the build script's source scan), and the output in `migrate_model::expand`;
//! this crate only emits it and turns errors into `compile_error!`s. On the common
//! path it does not even parse: it emits what the build script stored for the
//! struct (`stored`). See `docs/models.md` for the attribute reference.

mod enums;
mod expand;
mod stored;

use proc_macro::{Delimiter, Group, Punct, Spacing, TokenStream, TokenTree};

/// Derives `migrate::Model` for a struct with named fields.
///
/// ```
/// use migrate::Model;
///
/// #[derive(Model)]
/// #[model(table = "users")]
/// struct User {
///     #[model(primary_key, autoincrement)]
///     id: i64,
///     /// Shown on the profile page.
///     #[model(max_len = 255, unique)]
///     email: String,
/// }
///
/// assert_eq!(User::TABLE_NAME, "users");
/// assert_eq!(User::table().column("email").unwrap().comment.as_deref(), Some("Shown on the profile page."));
/// ```
///
/// Every misuse is a compile error on the offending attribute or field, all reported
/// in one build; the impl is still emitted so no follow-on errors appear.
#[proc_macro_derive(Model, attributes(model))]
pub fn derive_model(input: TokenStream) -> TokenStream {
    if let Some(out) = stored::expand(&input) {
        return out;
    }
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    let (errors, expansion) = expand::expand(&input);
    let pieces = expansion
        .spanned
        .into_iter()
        .map(|(_, piece)| TokenStream::from(piece))
        .collect();
    // Lexed by rustc itself (see `migrate_model::expand::Expansion`).
    let body: TokenStream = expansion
        .text
        .parse()
        .expect("the derive writes Rust that lexes");
    let mut block = TokenStream::from(errors);
    block.extend(spliced(body, &mut Pieces(pieces)));
    wrapped(block)
}

/// The spanned pieces of an expansion, each taken once where its placeholder is.
struct Pieces(Vec<TokenStream>);

/// `tokens` with each placeholder identifier (`migrate_model::expand::PLACEHOLDER`
/// and an index) replaced by that piece, in groups too. Each level's tokens are
/// put together in one call into the compiler, not one per token.
fn spliced(tokens: TokenStream, pieces: &mut Pieces) -> TokenStream {
    let mut out = Vec::new();
    for tree in tokens {
        match tree {
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                let piece = text
                    .strip_prefix(migrate_model::expand::PLACEHOLDER)
                    .and_then(|i| i.parse::<usize>().ok())
                    .and_then(|i| pieces.0.get_mut(i))
                    .map(std::mem::take);
                match piece {
                    Some(piece) => out.extend(piece),
                    None => out.push(TokenTree::Ident(ident)),
                }
            }
            TokenTree::Group(group) => {
                let mut new = Group::new(group.delimiter(), spliced(group.stream(), pieces));
                new.set_span(group.span());
                out.push(TokenTree::Group(new));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// `const _: () = { block };`: the anonymous constant whose body rustc evaluates
/// (the guard and the reference checks) and keeps the impl's scope private.
fn wrapped(items: TokenStream) -> TokenStream {
    let block = Group::new(Delimiter::Brace, items);
    let mut out: TokenStream = "const _: () =".parse().expect("lexes");
    out.extend([
        TokenTree::Group(block),
        TokenTree::Punct(Punct::new(';', Spacing::Alone)),
    ]);
    out
}

/// Derives `migrate::Enum` for a fieldless enum, next to `sqlx::Type`: the enum
/// type's name and labels, read from the attributes sqlx reads.
///
/// ```
/// #[derive(migrate::Enum)]
/// #[sqlx(type_name = "mood", rename_all = "lowercase")]
/// enum Mood {
///     Happy,
///     #[sqlx(rename = "meh")]
///     Neutral,
/// }
///
/// use migrate::core::Enum;
/// assert_eq!(Mood::TYPE_NAME, "mood");
/// assert_eq!(Mood::LABELS, ["happy", "meh"]);
/// ```
///
/// A model field of the enum's type is a column of the enum type. A variant whose
/// label changed says which label it had, `#[model(renamed_from = "old")]`, so
/// autogenerate renames the label instead of removing it. A variant with fields,
/// an unknown `rename_all` rule or two variants with one label are compile errors.
#[proc_macro_derive(Enum, attributes(sqlx, model))]
pub fn derive_enum(input: TokenStream) -> TokenStream {
    let input = syn::parse_macro_input!(input as syn::DeriveInput);
    enums::expand(&input).into()
}
