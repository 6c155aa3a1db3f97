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
    let bytes = text.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
            hasher.update(&bytes[start..i]);
            start = i + 1;
        }
    }
    hasher.update(&bytes[start..]);
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(64);
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    Checksum {
        algorithm: DEFAULT_ALGORITHM,
        hex,
    }
}
