//! The derive's output for every model the build script scanned, stored in
//! `OUT_DIR` so that `#[derive(Model)]` need not parse the struct again.
//!
//! The build script parses every model with syn anyway (for the drift check). For
//! each one it writes here the struct's *key* (the text of its tokens, as the
//! derive receives them) and the derive's [`Expansion`] for it. The derive walks
//! its input's tokens without syn, writes the same key, and when the store holds
//! an entry with exactly that key, emits the stored text: the output is a function
//! of the tokens alone, so an equal key gives an equal output, whenever the entry
//! was written. Any difference (no build script, a struct edited since, a struct
//! the build script could not parse, a store written by another version, the
//! head-schema check asked for) makes the derive parse the struct itself, as it
//! always did; it then reports every misuse at its span.
//!
//! The key is the text of every token, one space after each, with two
//! normalisations where rustc and syn's lexer (proc-macro2's, outside a
//! proc-macro) hand over the same source differently:
//! - punctuation spacing is left out (rustc marks `>` before `,` as joint, syn's
//!   reprinted tokens do not); no two valid structs differ only in it;
//! - in a string literal, `\'` is written `'` (rustc escapes the quote in the
//!   literal a `///` comment becomes, proc-macro2 does not): the same string.
//!
//! The items that must be reported at a user's token (references to model and
//! enum types) are stored with the index of that token in the walk (pre-order,
//! a group counting before its contents); the derive gives them that token's span.

use std::collections::HashMap;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use syn::DeriveInput;

use crate::expand::{expansion, Expansion};
use crate::parse::ModelDef;

/// Name of the store in `OUT_DIR`.
pub const STORE_FILE: &str = "migrate_derive_store.txt";
/// The layout of the store and of the key: bump it whenever either changes.
pub const FORMAT: u32 = 2;
/// Separates entries.
const RECORD: char = '\u{1e}';
/// Separates the fields of an entry.
const FIELD: char = '\u{1f}';

/// The store's first line: the format and the version of the code that writes
/// the expansion (a derive of another version must not use it).
fn header() -> String {
    format!(
        "migrate derive store {FORMAT} {}\n",
        env!("CARGO_PKG_VERSION")
    )
}

/// One model's stored output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The struct's name.
    pub name: String,
    /// The key of its tokens (see the module documentation).
    pub key: String,
    /// [`Expansion::text`].
    pub text: String,
    /// [`Expansion::spanned`], each item as text with the index of the token
    /// whose span it takes.
    pub spanned: Vec<(usize, String)>,
}

/// Writes the key of a token stream, token by token; the derive (over
/// `proc_macro` tokens) and [`entry`] (over proc-macro2's) both use it.
#[derive(Debug, Default)]
pub struct KeyWriter {
    /// The key so far.
    pub text: String,
}

impl KeyWriter {
    /// An identifier (`r#` included).
    pub fn ident(&mut self, ident: &str) {
        self.text.push_str(ident);
        self.text.push(' ');
    }

    /// A punctuation character (its spacing is not part of the key).
    pub fn punct(&mut self, ch: char) {
        self.text.push(ch);
        self.text.push(' ');
    }

    /// A literal as written; in a (non-raw) string literal, `\'` becomes `'`.
    pub fn literal(&mut self, literal: &str) {
        if literal.starts_with('"') && literal.contains("\\'") {
            let mut chars = literal.chars();
            while let Some(ch) = chars.next() {
                if ch == '\\' {
                    match chars.next() {
                        Some('\'') => self.text.push('\''),
                        Some(next) => {
                            self.text.push('\\');
                            self.text.push(next);
                        }
                        None => self.text.push('\\'),
                    }
                } else {
                    self.text.push(ch);
                }
            }
        } else {
            self.text.push_str(literal);
        }
        self.text.push(' ');
    }

    /// The start of a group: `(`, `[`, `{`, or `\u{2}` for an invisible one.
    pub fn open(&mut self, delimiter: char) {
        self.text.push(delimiter);
        self.text.push(' ');
    }

    /// The end of a group: `)`, `]`, `}`, or `\u{3}` for an invisible one.
    pub fn close(&mut self, delimiter: char) {
        self.text.push(delimiter);
        self.text.push(' ');
    }
}

/// The entry of a model the build script parsed from `input` (a struct as the
/// source holds it, its attributes included) into `def` without errors; `None`
/// when it cannot be stored (an item's token not found, or a separator character
/// in the text), and the derive then parses the struct itself.
pub fn entry(input: &DeriveInput, def: &ModelDef) -> Option<Entry> {
    let tokens = as_derive_input(input).into_token_stream();
    let mut key = KeyWriter::default();
    let mut starts = Vec::new();
    walk(tokens, &mut key, &mut starts);
    let Expansion { spanned, text } = expansion(input, def);
    let spanned = spanned
        .into_iter()
        .map(|(span, item)| {
            let start = span.start();
            let index = starts.iter().position(|s| *s == start)?;
            Some((index, item.to_string()))
        })
        .collect::<Option<Vec<_>>>()?;
    let entry = Entry {
        name: input.ident.to_string(),
        key: key.text,
        text,
        spanned,
    };
    let clean = |s: &str| !s.contains([RECORD, FIELD]);
    let all_clean = clean(&entry.name)
        && clean(&entry.key)
        && clean(&entry.text)
        && entry.spanned.iter().all(|(_, s)| clean(s));
    all_clean.then_some(entry)
}

/// `input` as rustc hands it to the derive: without the `#[derive(...)]`
/// attributes up to the one that names `Model` (rustc removes each as it expands
/// it; a later one stays).
fn as_derive_input(input: &DeriveInput) -> DeriveInput {
    let mut input = input.clone();
    if let Some(last) = input
        .attrs
        .iter()
        .rposition(|a| a.path().is_ident("derive") && names_model(a))
    {
        let mut i = 0;
        input.attrs.retain(|a| {
            let keep = i > last || !a.path().is_ident("derive");
            i += 1;
            keep
        });
    }
    input
}

/// Whether a `#[derive(...)]` lists `Model` (under any path).
fn names_model(attr: &syn::Attribute) -> bool {
    let mut found = false;
    let _ = attr.parse_nested_meta(|meta| {
        found |= meta
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "Model");
        Ok(())
    });
    found
}

/// Writes the key of `tokens`, and the start of each token, in the order of the
/// derive's walk.
fn walk(tokens: TokenStream, key: &mut KeyWriter, starts: &mut Vec<proc_macro2::LineColumn>) {
    for tree in tokens {
        starts.push(tree.span().start());
        match tree {
            TokenTree::Ident(i) => key.ident(&i.to_string()),
            TokenTree::Punct(p) => key.punct(p.as_char()),
            TokenTree::Literal(l) => key.literal(&l.to_string()),
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => ('(', ')'),
                    Delimiter::Bracket => ('[', ']'),
                    Delimiter::Brace => ('{', '}'),
                    Delimiter::None => ('\u{2}', '\u{3}'),
                };
                key.open(open);
                walk(g.stream(), key, starts);
                key.close(close);
            }
        }
    }
}

/// The store's text for these entries.
pub fn store_text(entries: &[Entry]) -> String {
    let mut out = header();
    for e in entries {
        out.push(RECORD);
        for field in [&e.name, &e.key, &e.text] {
            out.push_str(field);
            out.push(FIELD);
        }
        for (index, item) in &e.spanned {
            out.push_str(&index.to_string());
            out.push(FIELD);
            out.push_str(item);
            out.push(FIELD);
        }
    }
    out
}

/// A store read back, indexed by struct name.
#[derive(Debug)]
pub struct Store {
    text: String,
    /// Struct name to the byte ranges of its entries' fields after the name.
    by_name: HashMap<String, Vec<std::ops::Range<usize>>>,
}

/// A stored output found for a key.
#[derive(Debug, PartialEq, Eq)]
pub struct Found<'a> {
    /// [`Entry::text`].
    pub text: &'a str,
    /// [`Entry::spanned`].
    pub spanned: Vec<(usize, &'a str)>,
}

impl Store {
    /// Reads a store's text; `None` when it was written in another format or by
    /// another version.
    pub fn parse(text: String) -> Option<Store> {
        let body_start = header().len();
        if !text.starts_with(&header()) {
            return None;
        }
        let mut by_name: HashMap<String, Vec<std::ops::Range<usize>>> = HashMap::new();
        let mut offset = body_start;
        for record in text[body_start..].split(RECORD) {
            let start = offset;
            offset += record.len() + RECORD.len_utf8();
            let Some((name, _)) = record.split_once(FIELD) else {
                continue;
            };
            let fields = start + name.len() + FIELD.len_utf8()..start + record.len();
            by_name.entry(name.to_string()).or_default().push(fields);
        }
        Some(Store { text, by_name })
    }

    /// The output stored for the struct `name` whose key is `key`.
    pub fn find(&self, name: &str, key: &str) -> Option<Found<'_>> {
        self.by_name.get(name)?.iter().find_map(|range| {
            let mut fields = self.text[range.clone()].split(FIELD);
            if fields.next()? != key {
                return None;
            }
            let text = fields.next()?;
            let mut spanned = Vec::new();
            while let Some(index) = fields.next().filter(|f| !f.is_empty()) {
                spanned.push((index.parse().ok()?, fields.next()?));
            }
            Some(Found { text, spanned })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(source: &str) -> (DeriveInput, ModelDef) {
        let file = syn::parse_file(source).unwrap();
        let syn::Item::Struct(s) = &file.items[0] else {
            panic!("a struct")
        };
        let input = DeriveInput::from(s.clone());
        let def = crate::parse::parse_model(&input).unwrap();
        (input, def)
    }

    const USER: &str = "/// The user's \"account\".\n#[derive(Debug, migrate::Model)]\n\
        #[derive(Clone)]\n#[model(table = \"users\")]\npub struct User {\n    \
        #[model(primary_key)]\n    pub id: i64,\n    #[model(references = Team)]\n    \
        pub team_id: Option<Vec<u8>>,\n}\n";

    #[test]
    fn the_key_is_the_tokens_rustc_hands_over() {
        let (input, def) = parsed(USER);
        let e = entry(&input, &def).unwrap();
        // The derive attribute naming Model is gone, the later one stays; the doc
        // comment's literal has its quote unescaped; spacing is not in the key.
        assert_eq!(
            e.key,
            "# [ doc = \" The user's \\\"account\\\".\" ] # [ derive ( Clone ) ] \
             # [ model ( table = \"users\" ) ] pub struct User { # [ model ( primary_key ) ] \
             pub id : i64 , # [ model ( references = Team ) ] pub team_id : Option < Vec < u8 \
             > > , } "
        );
        let mut rustc = KeyWriter::default();
        rustc.literal("\" The user\\'s \\\\\\'\"");
        assert_eq!(rustc.text, "\" The user's \\\\'\" ");
        // The reference's check and its function take the span of `Team` (token
        // 37, from 0).
        assert_eq!(e.spanned.len(), 2);
        assert!(e.spanned.iter().all(|(index, _)| *index == 37), "{e:?}");
        assert!(e.spanned[0].1.contains("__model_key_target"), "{e:?}");
        assert!(
            e.spanned[0].1.contains("single-column primary key"),
            "{e:?}"
        );
        assert!(e.spanned[1].1.ends_with("< Team >"), "{e:?}");
    }

    #[test]
    fn a_store_gives_back_each_entry_by_name_and_key() {
        let (input, def) = parsed(USER);
        let user = entry(&input, &def).unwrap();
        let (input, def) =
            parsed("#[derive(Model)]\nstruct Team {\n    #[model(primary_key)]\n    id: i64,\n}\n");
        let team = entry(&input, &def).unwrap();
        assert!(team.spanned.is_empty());
        let store = Store::parse(store_text(&[user.clone(), team.clone()])).unwrap();
        let found = store.find("User", &user.key).unwrap();
        assert_eq!(found.text, user.text);
        assert_eq!(
            found.spanned,
            user.spanned
                .iter()
                .map(|(index, piece)| (*index, piece.as_str()))
                .collect::<Vec<_>>()
        );
        assert_eq!(store.find("Team", &team.key).unwrap().text, team.text);
        assert_eq!(store.find("Team", &user.key), None);
        assert_eq!(store.find("Other", &team.key), None);
        let other_version = store_text(&[team]).replacen(env!("CARGO_PKG_VERSION"), "0.0.0", 1);
        assert!(Store::parse(other_version).is_none());
    }
}
