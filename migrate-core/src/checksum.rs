//! Checksums of revision files, to notice a revision edited after it was applied.
//!
//! The checksum is taken over the file text with a leading byte-order mark removed and
//! every CRLF turned into LF, so a checkout on Windows (`core.autocrlf`) or an editor
//! that adds a BOM does not look like an edit. The algorithm is part of the written
//! form (`sha256:<hex>`), so it can change later without old values being misread.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

/// The algorithm [`checksum`] uses today.
pub const DEFAULT_ALGORITHM: &str = "sha256";

/// Every algorithm this version can read back, for [`Checksum::from_str`].
pub const KNOWN_ALGORITHMS: &[&str] = &[DEFAULT_ALGORITHM];

/// The checksum of one revision file, written `algorithm:hex`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Checksum {
    /// Name of the algorithm (`"sha256"`).
    pub algorithm: &'static str,
    /// The digest in lowercase hexadecimal.
    pub hex: String,
}

impl fmt::Display for Checksum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.algorithm, self.hex)
    }
}

/// A checksum string that could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChecksumError {
    /// No `algorithm:` prefix.
    #[error("checksum `{input}` has no algorithm prefix: write it as `sha256:<64 hex digits>`")]
    MissingAlgorithm {
        /// What was given.
        input: String,
    },
    /// An algorithm this version does not know.
    #[error(
        "checksum `{input}` uses unknown algorithm `{algorithm}`; this version knows: {}; \
         it was probably written by a newer version of migrate",
        KNOWN_ALGORITHMS.join(", ")
    )]
    UnknownAlgorithm {
        /// What was given.
        input: String,
        /// The algorithm named in it.
        algorithm: String,
    },
    /// The digest is not the right length or not hexadecimal.
    #[error("checksum `{input}` is malformed: {algorithm} needs {expected} lowercase hex digits")]
    BadDigest {
        /// What was given.
        input: String,
        /// The algorithm named in it.
        algorithm: &'static str,
        /// How many hex digits it needs.
        expected: usize,
    },
}

impl FromStr for Checksum {
    type Err = ChecksumError;

    /// Reads `sha256:<hex>` back; the hex digits may be in either case.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let Some((algorithm, hex)) = input.trim().split_once(':') else {
            return Err(ChecksumError::MissingAlgorithm {
                input: input.to_string(),
            });
        };
        let Some(&known) = KNOWN_ALGORITHMS
            .iter()
            .find(|a| a.eq_ignore_ascii_case(algorithm))
        else {
            return Err(ChecksumError::UnknownAlgorithm {
                input: input.to_string(),
                algorithm: algorithm.to_string(),
            });
        };
        let expected = 64;
        if hex.len() != expected || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(ChecksumError::BadDigest {
                input: input.to_string(),
                algorithm: known,
                expected,
            });
        }
        Ok(Checksum {
            algorithm: known,
            hex: hex.to_ascii_lowercase(),
        })
    }
}

/// The checksum of a revision file's text, ignoring a leading BOM and CRLF vs LF.
pub fn checksum(text: &str) -> Checksum {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut hasher = Sha256::new();
    // Feed the text in runs between carriage returns, dropping each CR that starts a
    // CRLF pair, so no normalised copy of the file is made. A lone CR is kept.
    // A file without a CR (the usual case) is hashed as it is, after one fast scan.
    let bytes = text.as_bytes();
    let mut start = 0;
    if bytes.contains(&b'\r') {
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                hasher.update(&bytes[start..i]);
                start = i + 1;
            }
        }
    }
    hasher.update(&bytes[start..]);
    // Two digits per byte from a table: `format!` per byte was a fifth of a no-op
    // start-up's instructions over 500 files.
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(2 * digest.len());
    for b in digest {
        hex.push(char::from(DIGITS[usize::from(b >> 4)]));
        hex.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    Checksum {
        algorithm: DEFAULT_ALGORITHM,
        hex,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_ends_and_bom_do_not_change_the_checksum() {
        let lf = "id = \"abc\"\nmessage = \"m\"\n";
        let crlf = "id = \"abc\"\r\nmessage = \"m\"\r\n";
        let bom = "\u{feff}id = \"abc\"\r\nmessage = \"m\"\n";
        assert_eq!(checksum(lf), checksum(crlf));
        assert_eq!(checksum(lf), checksum(bom));
        // A lone CR is content, not a line end.
        assert_ne!(checksum("a\rb"), checksum("ab"));
    }

    #[test]
    fn one_character_changes_the_checksum() {
        let a = checksum("id = \"abc\"\n");
        let b = checksum("id = \"abd\"\n");
        assert_ne!(a, b);
        assert_eq!(a.hex.len(), 64);
        // The SHA-256 of the empty string, a published value.
        assert_eq!(
            checksum("").to_string(),
            "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(checksum("\u{feff}"), checksum(""));
    }

    #[test]
    fn written_form_reads_back() {
        let c = checksum("x");
        assert_eq!(c.to_string().parse::<Checksum>().unwrap(), c);
        let upper = format!("SHA256:{}", c.hex.to_ascii_uppercase());
        assert_eq!(upper.parse::<Checksum>().unwrap(), c);
    }

    #[test]
    fn unknown_or_malformed_checksums_are_errors() {
        let e = "md5:abc".parse::<Checksum>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "checksum `md5:abc` uses unknown algorithm `md5`; this version knows: sha256; it \
             was probably written by a newer version of migrate"
        );
        let e = "abcdef".parse::<Checksum>().unwrap_err();
        assert!(matches!(e, ChecksumError::MissingAlgorithm { .. }));
        let e = "sha256:xyz".parse::<Checksum>().unwrap_err();
        assert_eq!(
            e.to_string(),
            "checksum `sha256:xyz` is malformed: sha256 needs 64 lowercase hex digits"
        );
    }
}
