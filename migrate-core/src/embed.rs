//! Revisions embedded in a binary by the build script.
//!
//! The build script generates a `&'static [EmbeddedRevision]` with one entry per
//! revision file; the runtime reads ids, parents and checksums without parsing, and
//! parses `source` only for the revisions it has to apply or undo.

/// One revision file, embedded at compile time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmbeddedRevision {
    /// Revision id.
    pub id: &'static str,
    /// Parent ids (none for a base, several for a merge).
    pub parents: &'static [&'static str],
    /// The message given when the revision was created.
    pub message: &'static str,
    /// Checksum of the file, as `algorithm:hex`.
    pub checksum: &'static str,
    /// File name within the migrations directory.
    pub file: &'static str,
    /// The whole file text.
    pub source: &'static str,
}
