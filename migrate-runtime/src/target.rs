//! Targets: the one parser is `migrate_core::graph::Target` (shared with the CLI and
//! the offline scripts); this file only lets the runtime's methods take a target as
//! text (`"head"`, `"-1"`, `"ae10f3+1"`) or as a parsed [`Target`].

use migrate_core::graph::Target;

use crate::error::Error;

/// Anything a migrator method accepts as its target: a [`Target`], or its text.
pub trait IntoTarget {
    /// The target, or why the text is not one.
    fn into_target(self) -> Result<Target, Error>;
}

impl IntoTarget for Target {
    fn into_target(self) -> Result<Target, Error> {
        Ok(self)
    }
}

impl IntoTarget for &Target {
    fn into_target(self) -> Result<Target, Error> {
        Ok(self.clone())
    }
}

impl IntoTarget for &str {
    fn into_target(self) -> Result<Target, Error> {
        Target::parse(self).map_err(Error::from)
    }
}

impl IntoTarget for &String {
    fn into_target(self) -> Result<Target, Error> {
        self.as_str().into_target()
    }
}

impl IntoTarget for String {
    fn into_target(self) -> Result<Target, Error> {
        self.as_str().into_target()
    }
}
