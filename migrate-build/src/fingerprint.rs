//! A source file's text as the compiler sees it: without its comments, with every
//! run of whitespace as one space. The build script's memo keys on it, so an edit
//! of a comment, or a reformat, does not make the script parse the models again.
//!
//! Why not syn or proc-macro2: the point is to be cheap in the unoptimised build
//! script. Lexing 1,000 models (450 KB) with `proc_macro2::TokenStream::from_str`
//! took 200–450 ms in a debug build, syn's full parse 420–650 ms; this single pass
//! over the bytes takes a few milliseconds.
//!
//! Rule: only what is certainly a comment or whitespace is dropped. Doc comments
//! (`///`, `//!`, `/** */`, `/*! */`) are attributes, so they are kept verbatim; so is
//! everything inside string, raw string and character literals, whose quotes are
//! tracked the way rustc's lexer tracks them (escapes, `r#"…"#`, `br`/`cr` prefixes,
//! `'"'` against a lifetime `'a`). A file that is not valid Rust may be cut
//! differently than rustc would, which can only make two fingerprints differ more
//! often, never hide an edit of code: the script then parses the file and reports.

/// The fingerprint of a Rust source file's bytes: its code and doc comments, with the
/// other comments and the whitespace between tokens each reduced to one space.
pub fn code_text(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = line_end(bytes, i);
                if is_line_doc(&bytes[i..end]) {
                    // The line's end stays: it ends the doc comment, so
                    // `/// a\nb` (a doc, then code) differs from `/// a b`.
                    out.extend_from_slice(&bytes[i..end]);
                    out.push(b'\n');
                } else {
                    space(&mut out);
                }
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = block_comment_end(bytes, i);
                if is_block_doc(&bytes[i..end]) {
                    out.extend_from_slice(&bytes[i..end]);
                } else {
                    space(&mut out);
                }
                i = end;
            }
            b'"' => {
                let end = string_end(bytes, i + 1);
                out.extend_from_slice(&bytes[i..end]);
                i = end;
            }
            b'\'' => {
                let end = char_or_lifetime_end(bytes, i);
                out.extend_from_slice(&bytes[i..end]);
                i = end;
            }
            b if b.is_ascii_whitespace() => {
                space(&mut out);
                i += 1;
            }
            b if is_ident_byte(b) => {
                let start = i;
                while i < bytes.len() && is_ident_byte(bytes[i]) {
                    i += 1;
                }
                let word = &bytes[start..i];
                if matches!(word, b"r" | b"br" | b"cr") {
                    if let Some(end) = raw_string_end(bytes, i) {
                        i = end;
                    }
                }
                out.extend_from_slice(&bytes[start..i]);
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    if out.last() == Some(&b' ') {
        out.pop();
    }
    out
}

/// The top-level items of a fingerprint ([`code_text`]'s output), each with the
/// doc comments and attributes in front of it: the text is cut after every `;` and
/// `}` outside brackets, string and character literals and doc comments.
///
/// The build script keys the models on the items that mention them, so an edit of
/// other code in the same file (a function added) reads no model and no revision.
/// Rule: a cut can only fall between two tokens at the top level, so every model
/// struct, with its attributes, is inside one item; an item that is not one of
/// Rust's (`struct A {} ;` is cut before the `;`) only makes more items, which can
/// hide nothing, since every byte of the text is in exactly one item.
pub fn items(code: &[u8]) -> Vec<&[u8]> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    let mut i = 0;
    while i < code.len() {
        let b = code[i];
        let next = match b {
            b'/' if code.get(i + 1) == Some(&b'/') => line_end(code, i),
            b'/' if code.get(i + 1) == Some(&b'*') => block_comment_end(code, i),
            b'"' => string_end(code, i + 1),
            b'\'' => char_or_lifetime_end(code, i),
            b if is_ident_byte(b) => {
                let mut j = i;
                while j < code.len() && is_ident_byte(code[j]) {
                    j += 1;
                }
                if matches!(&code[i..j], b"r" | b"br" | b"cr") {
                    raw_string_end(code, j).unwrap_or(j)
                } else {
                    j
                }
            }
            b'{' | b'(' | b'[' => {
                depth += 1;
                i + 1
            }
            b'}' | b')' | b']' => {
                depth = depth.saturating_sub(1);
                i + 1
            }
            _ => i + 1,
        };
        if depth == 0 && matches!(b, b';' | b'}') {
            items.push(&code[start..next]);
            start = next;
        }
        i = next;
    }
    if start < code.len() {
        items.push(&code[start..]);
    }
    items
}

/// One space for any run of whitespace and comments (none after the line end
/// that closes a doc comment).
fn space(out: &mut Vec<u8>) {
    if out.last().is_some_and(|b| *b != b' ' && *b != b'\n') {
        out.push(b' ');
    }
}

/// Letters, digits, `_` and any byte of a non-ASCII character: the bytes an
/// identifier, a keyword or a number is made of.
fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// The index of the `\n` ending the line from `i` (or the text's end).
fn line_end(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|b| *b == b'\n')
        .map_or(bytes.len(), |p| i + p)
}

/// `///` (not `////`) and `//!` start doc comments.
fn is_line_doc(comment: &[u8]) -> bool {
    comment.starts_with(b"//!") || (comment.starts_with(b"///") && !comment.starts_with(b"////"))
}

/// `/*!` and `/**` (not `/***`, not the empty `/**/`) start doc comments.
fn is_block_doc(comment: &[u8]) -> bool {
    comment.starts_with(b"/*!")
        || (comment.starts_with(b"/**") && !comment.starts_with(b"/***") && comment != b"/**/")
}

/// The end (exclusive) of the block comment opening at `i`; block comments nest.
fn block_comment_end(bytes: &[u8], i: usize) -> usize {
    let mut depth = 0usize;
    let mut j = i;
    while j + 1 < bytes.len() {
        match (bytes[j], bytes[j + 1]) {
            (b'/', b'*') => {
                depth += 1;
                j += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                j += 2;
                if depth == 0 {
                    return j;
                }
            }
            _ => j += 1,
        }
    }
    bytes.len()
}

/// The end (exclusive, after the closing quote) of a string whose text starts at
/// `i`: a backslash escapes the next byte.
fn string_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// After an `r`, `br` or `cr` ending at `i`: the end of the raw string if one
/// starts there (`#`s, then `"`), else `None` (a raw identifier `r#name`, or the
/// word alone).
fn raw_string_end(bytes: &[u8], i: usize) -> Option<usize> {
    let hashes = bytes[i..].iter().take_while(|b| **b == b'#').count();
    if bytes.get(i + hashes) != Some(&b'"') {
        return None;
    }
    let mut j = i + hashes + 1;
    while j < bytes.len() {
        if bytes[j] == b'"'
            && bytes[j + 1..]
                .iter()
                .take(hashes)
                .filter(|b| **b == b'#')
                .count()
                == hashes
        {
            return Some(j + 1 + hashes);
        }
        j += 1;
    }
    Some(bytes.len())
}

/// At a `'`: the end of the character literal that starts there (`'x'`, `'\n'`,
/// `'\u{1F600}'`, `'é'`), or just past the `'` of a lifetime or label (`'a`).
fn char_or_lifetime_end(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i + 1) {
        Some(b'\\') => {
            // An escape: the byte after the backslash, then up to the closing quote.
            let mut j = i + 3;
            while j < bytes.len() && bytes[j] != b'\'' {
                j += 1;
            }
            (j + 1).min(bytes.len())
        }
        Some(&first) => {
            let len = utf8_len(first);
            if bytes.get(i + 1 + len) == Some(&b'\'') {
                i + 2 + len
            } else {
                i + 1
            }
        }
        None => i + 1,
    }
}

/// The length of the UTF-8 character whose first byte is `b`.
fn utf8_len(b: u8) -> usize {
    match b {
        0xF0.. => 4,
        0xE0.. => 3,
        0xC0.. => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(text: &str) -> String {
        String::from_utf8(code_text(text.as_bytes())).unwrap()
    }

    #[test]
    fn comments_and_whitespace_go() {
        let a = "struct A {\n    // a note\n    id: i64, /* old */\n}\n";
        let b = "struct A { id: i64,\n\n    /* new /* nested */ text */ }";
        assert_eq!(code(a), code(b));
        assert_eq!(code(a), "struct A { id: i64, }");
        // A comment separates tokens.
        assert_ne!(code("a/**/b"), code("ab"));
    }

    #[test]
    fn doc_comments_stay() {
        assert_ne!(
            code("/// Users.\nstruct A;"),
            code("/// People.\nstruct A;")
        );
        assert_ne!(code("//! Crate.\n"), code("//! Other.\n"));
        assert_ne!(
            code("/** Users. */ struct A;"),
            code("/** People. */ struct A;")
        );
        assert_ne!(code("/*! a */"), code("/*! b */"));
        // Four slashes, `/***` and `/**/` are plain comments.
        assert_eq!(code("//// a\nx"), code("//// b\nx"));
        assert_eq!(code("/*** a */x"), code("/*** b */x"));
        assert_eq!(code("/**/x"), code("x"));
    }

    #[test]
    fn comment_markers_inside_literals_are_text() {
        for (a, b) in [
            (
                r#"#[model(default = "'a//b'")] x"#,
                r#"#[model(default = "'a//c'")] x"#,
            ),
            ("s = \"a\n// b\";", "s = \"a\n// c\";"),
            (r#"s = "\" // a";"#, r#"s = "\" // b";"#),
            (r##"s = r#"a" // b"#;"##, r##"s = r#"a" // c"#;"##),
            (r#"s = br"a\"; t = "// b";"#, r#"s = br"a\"; t = "// c";"#),
            (
                r#"s = cr"a\"; t = "/* b */";"#,
                r#"s = cr"a\"; t = "/* c */";"#,
            ),
            (r#"c = '"'; s = "// a";"#, r#"c = '"'; s = "// b";"#),
            (r#"c = '\''; s = "// a";"#, r#"c = '\''; s = "// b";"#),
            (r#"c = 'é'; s = "// a";"#, r#"c = 'é'; s = "// b";"#),
            (r#"c = b'\x22'; s = "// a";"#, r#"c = b'\x22'; s = "// b";"#),
            ("s = \"a   b\";", "s = \"a b\";"),
        ] {
            assert_ne!(code(a), code(b), "{a} against {b}");
        }
    }

    #[test]
    fn a_doc_comment_ends_at_its_line() {
        assert_ne!(code("/// a\nb"), code("/// a b"));
        assert_eq!(code("/// a\n\n  b"), "/// a\nb");
        assert_eq!(code("/// a\n  b"), code("/// a\nb // note"));
    }

    fn split(text: &str) -> Vec<String> {
        let code = code_text(text.as_bytes());
        items(&code)
            .into_iter()
            .map(|i| String::from_utf8(i.to_vec()).unwrap().trim().to_string())
            .collect()
    }

    #[test]
    fn items_are_cut_at_the_top_level_only() {
        let text = r##"//! Crate.
use a::{b, c};
/// A user; see `B {`.
#[derive(Model)]
#[model(table = "users", check(name = "c", expr = "x > '}'"))]
pub struct User {
    #[model(default = "';'")]
    pub id: [u8; 4],
    pub note: &'static str,
}
mod inner { struct A; fn f() { let c = '}'; let s = r#"}"#; } }
fn g() {}"##;
        let items = split(text);
        assert_eq!(items.len(), 5, "{items:#?}");
        // A `}` at the top level ends an item even where a `;` follows: harmless.
        assert_eq!(items[0], "//! Crate.\nuse a::{b, c}");
        assert_eq!(items[1], ";");
        assert!(items[2].starts_with("/// A user; see `B {`.\n#[derive(Model)]"));
        assert!(
            items[2].ends_with("pub note: &'static str, }"),
            "{}",
            items[2]
        );
        assert!(items[3].starts_with("mod inner {") && items[3].ends_with("} }"));
        assert_eq!(items[4], "fn g() {}");
        // Every byte is in exactly one item.
        let code = code_text(text.as_bytes());
        assert_eq!(items_len(&code), code.len());
    }

    fn items_len(code: &[u8]) -> usize {
        items(code).iter().map(|i| i.len()).sum()
    }

    #[test]
    fn lifetimes_raw_identifiers_and_suffixes_are_code() {
        // A lifetime does not open a character literal, so the comment is seen.
        assert_eq!(
            code("fn f<'a>(x: &'a str) {} // one"),
            code("fn f<'a>(x: &'a str) {} // two")
        );
        assert_eq!(code("'outer: loop {} // x"), "'outer: loop {}");
        assert_eq!(code("let r#type = 1; // x"), "let r#type = 1;");
        // `bar` followed by a string is not a raw string (`\"` escapes there).
        assert_ne!(code(r#"m!(bar"\" // a");"#), code(r#"m!(bar"\" // b");"#));
    }
}
