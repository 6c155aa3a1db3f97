//! The derive's common path: the output the build script stored for this struct.
//!
//! The build script parses every model with syn for its drift check and stores the
//! derive's output for each in `OUT_DIR` (`migrate_model::derive_store`). Here the
//! input is only walked, token by token with `proc_macro` (no syn, no proc-macro2:
//! both cost more than everything else the derive does, in a proc-macro compiled
//! without optimisation), into the same key; an entry with that exact key is what
//! parsing the struct would give. The store is read once per compiler process and
//! `OUT_DIR` (a language server expands many crates in one process).
//!
//! Anything else gives `None` and the caller parses the struct: no build script
//! (no `OUT_DIR` or no store), a struct changed since the script ran or one it
//! could not parse (its errors are then reported at their spans), or the head
//! schema asked for (`MIGRATE_HEAD_TABLES`: field-level drift needs the parse).
//! One difference from the parsed path: the check of a reference to a model or enum
//! type takes the span of the path's first token for all its tokens, so a failure
//! (a path that names another type than the build script resolved by name) is
//! reported at that token rather than under the whole path.

use std::ffi::OsString;
use std::sync::{Arc, Mutex};

use migrate_core::head_tables::HEAD_TABLES_ENV;
use migrate_model::derive_store::{KeyWriter, Store, STORE_FILE};
use proc_macro::{Delimiter, Group, Span, TokenStream, TokenTree};

/// The stores read in this process, by `OUT_DIR` (`None`: none there).
type Stores = Vec<(OsString, Option<Arc<Store>>)>;
static STORES: Mutex<Stores> = Mutex::new(Vec::new());

/// The stored output for `input`, or `None` when the struct must be parsed.
pub fn expand(input: &TokenStream) -> Option<TokenStream> {
    if std::env::var_os(HEAD_TABLES_ENV).is_some() {
        return None;
    }
    let store = store(std::env::var_os("OUT_DIR")?)?;
    let mut walk = Walk::default();
    walk.stream(input.clone(), true);
    let found = store.find(walk.name.as_deref()?, &walk.key.text)?;

    let mut pieces = Vec::new();
    let mut appended = Vec::new();
    for piece in found.spanned {
        let span = *walk.spans.get(piece.token)?;
        let tokens = respanned(piece.text.parse().ok()?, span);
        if piece.at.is_empty() {
            appended.extend(tokens);
        } else {
            pieces.push((piece.at, Some(tokens)));
        }
    }
    let body = found.text.parse::<TokenStream>().ok()?;
    let mut body = if pieces.is_empty() {
        body
    } else {
        placed(body, &mut pieces, 0)?
    };
    // The pieces after the text (the reference checks), in one call.
    if !appended.is_empty() {
        body.extend(appended);
    }
    Some(crate::wrapped(body))
}

/// A piece and where its placeholder is ([`migrate_model::derive_store::Piece::at`]);
/// `None` once placed.
type Placed = (Vec<usize>, Option<Vec<TokenTree>>);

/// `tokens` (at `depth` in the text's tree) with each piece in place of its
/// placeholder, going down only into the groups that hold one; `pieces` are those
/// under `tokens`, in the order of their places. `None` when a place does not hold
/// a placeholder (the caller then parses the struct).
fn placed(tokens: TokenStream, pieces: &mut [Placed], depth: usize) -> Option<TokenStream> {
    let mut out = Vec::new();
    let mut next = 0;
    for (i, tree) in tokens.into_iter().enumerate() {
        let here = pieces[next..]
            .iter()
            .take_while(|(at, _)| at[depth] == i)
            .count();
        if here == 0 {
            out.push(tree);
            continue;
        }
        let pieces_here = &mut pieces[next..next + here];
        next += here;
        match tree {
            TokenTree::Ident(ident)
                if pieces_here.len() == 1
                    && pieces_here[0].0.len() == depth + 1
                    && ident
                        .to_string()
                        .starts_with(migrate_model::expand::PLACEHOLDER) =>
            {
                out.extend(pieces_here[0].1.take()?);
            }
            TokenTree::Group(group) if pieces_here.iter().all(|(at, _)| at.len() > depth + 1) => {
                let stream = placed(group.stream(), pieces_here, depth + 1)?;
                let mut new = Group::new(group.delimiter(), stream);
                new.set_span(group.span());
                out.push(TokenTree::Group(new));
            }
            _ => return None,
        }
    }
    (next == pieces.len()).then(|| out.into_iter().collect())
}

/// The store in `out_dir`, read on first use.
fn store(out_dir: OsString) -> Option<Arc<Store>> {
    let mut stores = STORES
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if let Some((_, store)) = stores.iter().find(|(dir, _)| *dir == out_dir) {
        return store.clone();
    }
    let path = std::path::Path::new(&out_dir).join(STORE_FILE);
    let store = std::fs::read_to_string(path)
        .ok()
        .and_then(Store::parse)
        .map(Arc::new);
    stores.push((out_dir, store.clone()));
    store
}

/// The key of the input, the span of each token (in walk order) and the struct's
/// name (the identifier after `struct` at the top level).
#[derive(Default)]
struct Walk {
    key: KeyWriter,
    spans: Vec<Span>,
    name: Option<String>,
}

impl Walk {
    fn stream(&mut self, tokens: TokenStream, top: bool) {
        let mut after_struct = false;
        for tree in tokens {
            self.spans.push(tree.span());
            match tree {
                TokenTree::Ident(ident) => {
                    let text = self.key.ident_display(&ident);
                    if top && after_struct && self.name.is_none() {
                        self.name = Some(text.to_string());
                    }
                    after_struct = top && text == "struct";
                }
                TokenTree::Punct(punct) => {
                    after_struct = false;
                    self.key.punct(punct.as_char());
                }
                TokenTree::Literal(literal) => {
                    after_struct = false;
                    self.key.literal(&literal.to_string());
                }
                TokenTree::Group(group) => {
                    after_struct = false;
                    let (open, close) = match group.delimiter() {
                        Delimiter::Parenthesis => ('(', ')'),
                        Delimiter::Bracket => ('[', ']'),
                        Delimiter::Brace => ('{', '}'),
                        Delimiter::None => ('\u{2}', '\u{3}'),
                    };
                    self.key.open(open);
                    self.stream(group.stream(), false);
                    self.key.close(close);
                }
            }
        }
    }
}

/// `tokens` with every token (groups included, recursively) set to `span`.
fn respanned(tokens: TokenStream, span: Span) -> Vec<TokenTree> {
    tokens
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(group) => {
                let inner = respanned(group.stream(), span).into_iter().collect();
                let mut new = Group::new(group.delimiter(), inner);
                new.set_span(span);
                TokenTree::Group(new)
            }
            mut other => {
                other.set_span(span);
                other
            }
        })
        .collect()
}
