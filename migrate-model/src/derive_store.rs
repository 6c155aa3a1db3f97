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
//! Unlike the derive alone, the build script sees every model: it resolves each
//! reference to a model type by the struct's name, and the stored output holds
//! the resolved foreign key (the target's table and key columns), with only a
//! check, at the reference, that the path names a model of that table and key
//! (`migrate_core::generated::__model_is`): a path that names another model than
//! the script found (a struct of the same name elsewhere) is a compile error
//! there, not a foreign key to the wrong table. The derive's parsed path resolves
//! the same references through the target type when `table()` is called, to the
//! same foreign keys.
//!
//! The items that must be reported at a user's token (references to model and
//! enum types) are stored with the index of that token in the walk (pre-order,
//! a group counting before its contents), whose span the derive gives them, and
//! with the place of their placeholder in the text's token tree (the index at each
//! level, [`Piece::at`]): the derive goes down to each placeholder only, instead of
//! walking every token of its output.

use std::collections::HashMap;

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::ToTokens;
use syn::DeriveInput;

use crate::expand::{resolved_expansion, Expansion, Target, PLACEHOLDER};
use crate::parse::ModelDef;

/// Name of the store in `OUT_DIR`.
pub const STORE_FILE: &str = "migrate_derive_store.txt";
/// The layout of the store and of the key: bump it whenever either changes.
pub const FORMAT: u32 = 6;
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
    /// [`Expansion::spanned`], in the order of their placeholders in the text.
    pub spanned: Vec<Piece>,
}

/// One of [`Expansion::spanned`], stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Piece {
    /// The index, in the derive's walk of its input, of the token whose span the
    /// piece takes.
    pub token: usize,
    /// Where its placeholder is in the token tree of [`Entry::text`]: its index
    /// among the top-level tokens, then within that group, and so on. Empty for
    /// a piece that comes after the whole text (the text then ends before its
    /// placeholder): the derive appends those, in their order, without going
    /// through the text's tokens.
    pub at: Vec<usize>,
    /// The piece as text.
    pub text: String,
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

    /// An identifier written through its `Display` (the derive's, which saves a
    /// `String` per token); gives back its text as written.
    pub fn ident_display(&mut self, ident: &impl std::fmt::Display) -> &str {
        use std::fmt::Write;
        let start = self.text.len();
        let _ = write!(self.text, "{ident}");
        let end = self.text.len();
        self.text.push(' ');
        &self.text[start..end]
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
/// source holds it, its attributes included) into `def` without errors, whose
/// references to model types it resolved to `targets` (one per
/// [`ModelDef::model_refs`], in order; see [`resolved_expansion`]); `None` when it
/// cannot be stored (a reference that does not resolve, an item's token not
/// found, or a separator character in the text), and the derive then parses the
/// struct itself.
pub fn entry(input: &DeriveInput, def: &ModelDef, targets: &[Target]) -> Option<Entry> {
    let Expansion { spanned, text } = resolved_expansion(input, def, targets)?;
    let tokens = as_derive_input(input).into_token_stream();
    let mut key = KeyWriter::default();
    let mut starts = Vec::new();
    walk(tokens, &mut key, &mut starts);
    let mut places = vec![None; spanned.len()];
    placeholders(text.parse().ok()?, &mut Vec::new(), &mut places);
    // The top-level placeholders at the end of the text (the reference checks)
    // leave it: their pieces are appended.
    let mut text = text;
    for (i, place) in places.iter_mut().enumerate().rev() {
        let trimmed = text.trim_end();
        let placeholder = format!("{PLACEHOLDER}{i}");
        if place.as_ref().is_some_and(|at| at.len() == 1) && trimmed.ends_with(&placeholder) {
            let end = trimmed.len() - placeholder.len();
            let before = &trimmed[..end];
            // Not the end of a longer identifier.
            if !before.ends_with(|c: char| c.is_alphanumeric() || c == '_') {
                text.truncate(end);
                *place = Some(Vec::new());
            }
        }
    }
    let mut spanned = spanned
        .into_iter()
        .zip(places)
        .map(|((span, item), at)| {
            let start = span.start();
            let token = starts.iter().position(|s| *s == start)?;
            Some(Piece {
                token,
                at: at?,
                text: item.to_string(),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    spanned.sort_by(|a, b| a.at.cmp(&b.at));
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
        && entry.spanned.iter().all(|p| clean(&p.text));
    all_clean.then_some(entry)
}

/// Records in `places` where each placeholder of `tokens` is (see [`Piece::at`]),
/// `path` being where `tokens` are. The text is lexed here by proc-macro2's own
/// lexer and in the derive by rustc's, which give the same trees for the Rust the
/// expansion writes (the derive checks that it finds a placeholder at each place,
/// and parses the struct itself if not).
fn placeholders(tokens: TokenStream, path: &mut Vec<usize>, places: &mut [Option<Vec<usize>>]) {
    for (i, tree) in tokens.into_iter().enumerate() {
        path.push(i);
        match tree {
            TokenTree::Ident(ident) => {
                let text = ident.to_string();
                let piece = text
                    .strip_prefix(crate::expand::PLACEHOLDER)
                    .and_then(|n| n.parse::<usize>().ok());
                if let Some(place) = piece.and_then(|n| places.get_mut(n)) {
                    *place = Some(path.clone());
                }
            }
            TokenTree::Group(group) => placeholders(group.stream(), path, places),
            _ => {}
        }
        path.pop();
    }
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
        for piece in &e.spanned {
            out.push_str(&piece.token.to_string());
            out.push(FIELD);
            let at: Vec<String> = piece.at.iter().map(usize::to_string).collect();
            out.push_str(&at.join("."));
            out.push(FIELD);
            out.push_str(&piece.text);
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
    pub spanned: Vec<FoundPiece<'a>>,
}

/// A [`Piece`] found.
#[derive(Debug, PartialEq, Eq)]
pub struct FoundPiece<'a> {
    /// [`Piece::token`].
    pub token: usize,
    /// [`Piece::at`].
    pub at: Vec<usize>,
    /// [`Piece::text`].
    pub text: &'a str,
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
            while let Some(token) = fields.next().filter(|f| !f.is_empty()) {
                let at = fields.next()?;
                let at = at.split('.').filter(|_| !at.is_empty());
                spanned.push(FoundPiece {
                    token: token.parse().ok()?,
                    at: at.map(|i| i.parse().ok()).collect::<Option<_>>()?,
                    text: fields.next()?,
                });
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

    /// The target of `USER`'s reference, as the build script resolves it.
    fn team() -> Vec<Target> {
        vec![Target {
            table: "teams".into(),
            key: vec!["id".into()],
        }]
    }

    #[test]
    fn the_key_is_the_tokens_rustc_hands_over() {
        let (input, def) = parsed(USER);
        let e = entry(&input, &def, &team()).unwrap();
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
        // The foreign key is resolved in the embedded table, and the impl calls
        // no function for it; the reference's check (after the impl) takes the
        // span of `Team` (token 37, from 0) and is found at its place.
        assert!(
            e.text
                .contains(r#""ref_table":"teams","ref_columns":["id"]"#),
            "{}",
            e.text
        );
        assert!(!e.text.contains("__LINKS"), "{}", e.text);
        assert_eq!(e.spanned.len(), 1, "{e:?}");
        assert_eq!(e.spanned[0].token, 37, "{e:?}");
        assert!(
            e.spanned[0]
                .text
                .contains(":: migrate :: __model_is :: < Team > (\"teams\" , & [\"id\"]"),
            "{e:?}"
        );
        assert!(
            e.spanned[0]
                .text
                .contains("names another model than the build script found by the name `Team`"),
            "{e:?}"
        );
        // After the whole text: appended by the derive.
        assert!(e.spanned[0].at.is_empty(), "{e:?}");
        assert!(e.text.trim_end().ends_with("};"), "{}", e.text);
        assert!(!e.text.contains(crate::expand::PLACEHOLDER), "{}", e.text);
    }

    /// A piece inside the impl (an enum column's function) stays at its
    /// placeholder; the reference checks after it are appended.
    #[test]
    fn pieces_inside_the_text_keep_their_place() {
        let (input, def) = parsed(
            "#[derive(Model)]\nstruct Post {\n    #[model(primary_key)]\n    id: i64,\n    \
             mood: Mood,\n    #[model(references = User)]\n    a: i64,\n    \
             #[model(references = Team(code))]\n    b: String,\n}\n",
        );
        let target = |table: &str, key: &str| Target {
            table: table.into(),
            key: vec![key.into()],
        };
        let e = entry(
            &input,
            &def,
            &[target("users", "id"), target("teams", "code")],
        )
        .unwrap();
        assert_eq!(e.spanned.len(), 3, "{e:?}");
        let (appended, inside): (Vec<&Piece>, Vec<&Piece>) =
            e.spanned.iter().partition(|p| p.at.is_empty());
        assert_eq!(appended.len(), 2, "{e:?}");
        assert!(appended[0].text.contains("< User >"), "{e:?}");
        assert!(appended[1].text.contains("< Team >"), "{e:?}");
        assert!(inside[0].text.contains("__enum_type :: < Mood >"), "{e:?}");
        let placeholder = token_at(e.text.parse().unwrap(), &inside[0].at);
        assert!(
            placeholder.starts_with(crate::expand::PLACEHOLDER),
            "{placeholder}"
        );
        let store = Store::parse(store_text(std::slice::from_ref(&e))).unwrap();
        let found = store.find("Post", &e.key).unwrap();
        let at: Vec<&Vec<usize>> = found.spanned.iter().map(|p| &p.at).collect();
        assert_eq!(at, e.spanned.iter().map(|p| &p.at).collect::<Vec<_>>());
    }

    /// The token at `at` in `tokens`, as text.
    fn token_at(tokens: TokenStream, at: &[usize]) -> String {
        let tree = tokens.into_iter().nth(at[0]).unwrap();
        match tree {
            TokenTree::Group(group) if at.len() > 1 => token_at(group.stream(), &at[1..]),
            other => other.to_string(),
        }
    }

    #[test]
    fn a_store_gives_back_each_entry_by_name_and_key() {
        let (input, def) = parsed(USER);
        let user = entry(&input, &def, &team()).unwrap();
        assert_eq!(
            entry(&input, &def, &[]),
            None,
            "the reference left unresolved"
        );
        let (input, def) =
            parsed("#[derive(Model)]\nstruct Team {\n    #[model(primary_key)]\n    id: i64,\n}\n");
        let team = entry(&input, &def, &[]).unwrap();
        assert!(team.spanned.is_empty());
        let store = Store::parse(store_text(&[user.clone(), team.clone()])).unwrap();
        let found = store.find("User", &user.key).unwrap();
        assert_eq!(found.text, user.text);
        assert_eq!(
            found.spanned,
            user.spanned
                .iter()
                .map(|p| FoundPiece {
                    token: p.token,
                    at: p.at.clone(),
                    text: &p.text,
                })
                .collect::<Vec<_>>()
        );
        assert_eq!(store.find("Team", &team.key).unwrap().text, team.text);
        assert_eq!(store.find("Team", &user.key), None);
        assert_eq!(store.find("Other", &team.key), None);
        let other_version = store_text(&[team]).replacen(env!("CARGO_PKG_VERSION"), "0.0.0", 1);
        assert!(Store::parse(other_version).is_none());
    }
}
