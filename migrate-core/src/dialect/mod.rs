//! SQL dialects: the SQL text of each operation per database, plus capability flags.
//!
//! (Rendering is being built; [`DialectKind`] is usable now.)

mod kind;

pub use kind::{DialectKind, ParseDialectError};
