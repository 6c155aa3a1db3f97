//! Targets of `upgrade` and `downgrade`, as the user writes them.
//!
//! | written | meaning |
//! |---|---|
//! | `head` | the only head (an error when there are several) |
//! | `heads` | every head |
//! | `base` | before the first revision |
//! | `+2`, `-1` | that many revisions from where the database is |
//! | `ae10f3` | the revision whose id is or starts with this |
//! | `ae10f3+1`, `ae10f3-2`, `head-1` | that many revisions after/before a revision |
//! | `networking`, `networking@head` | the revision with that branch label, the head of its branch |

use std::fmt;
use std::str::FromStr;

use crate::graph::GraphError;
use crate::revision::read::check_id;

/// Where to upgrade or downgrade to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Target {
    /// The only head.
    Head,
    /// Every head.
    Heads,
    /// Before the first revision.
    Base,
    /// `+N` / `-N`: this many revisions from the database's current position
    /// (never zero).
    Relative(i64),
    /// A revision id or unique id prefix.
    Revision(String),
    /// `<rev>+N` / `<rev>-N`: this many revisions after or before `revision`, an id
    /// prefix or `head` (never zero steps).
    RevisionRelative {
        /// Where to count from: an id prefix or `head`.
        revision: String,
        /// Steps: positive towards the heads, negative towards the bases.
        steps: i64,
    },
}

const FORMS: &str = "write `head`, `heads`, `base`, `+N`, `-N`, a revision id (or a unique \
                     prefix of one), a branch label, `LABEL@head`, or `<revision>+N` / \
                     `<revision>-N`";

impl Target {
    /// Reads a target as written on the command line.
    pub fn parse(input: &str) -> Result<Target, GraphError> {
        let invalid = |reason: String| GraphError::InvalidTarget {
            input: input.to_string(),
            reason,
        };
        let s = input.trim();
        match s {
            "head" => return Ok(Target::Head),
            "heads" => return Ok(Target::Heads),
            "base" => return Ok(Target::Base),
            "" => return Err(invalid(format!("it is empty; {FORMS}"))),
            _ => {}
        }
        let Some(sign_at) = s.find(['+', '-']) else {
            check_anchor(s).map_err(|m| invalid(format!("{m}; {FORMS}")))?;
            return Ok(Target::Revision(s.to_string()));
        };
        let (anchor, number) = s.split_at(sign_at);
        let steps: i64 = number
            .parse()
            .ok()
            .filter(|_| number[1..].bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                invalid(format!(
                    "`{number}` is not a whole number of steps; {FORMS}"
                ))
            })?;
        if steps == 0 {
            return Err(invalid(
                "zero steps goes nowhere; use +N or -N with N of at least 1".into(),
            ));
        }
        if anchor.is_empty() {
            return Ok(Target::Relative(steps));
        }
        if anchor != "head" {
            check_anchor(anchor).map_err(|m| invalid(format!("{m}; {FORMS}")))?;
        }
        Ok(Target::RevisionRelative {
            revision: anchor.to_string(),
            steps,
        })
    }
}

/// A revision id (or prefix, or branch label), or `label@head`.
fn check_anchor(s: &str) -> Result<(), String> {
    match s.split_once('@') {
        Some((label, "head")) => check_id(label, "branch label"),
        Some((_, rest)) => Err(format!(
            "`@{rest}` is not a branch position; write `LABEL@head`"
        )),
        None => check_id(s, "revision id"),
    }
}

impl FromStr for Target {
    type Err = GraphError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Target::parse(s)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Head => f.write_str("head"),
            Target::Heads => f.write_str("heads"),
            Target::Base => f.write_str("base"),
            Target::Relative(n) => write!(f, "{n:+}"),
            Target::Revision(id) => f.write_str(id),
            Target::RevisionRelative { revision, steps } => write!(f, "{revision}{steps:+}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_parses_and_displays_back() {
        for (text, target) in [
            ("head", Target::Head),
            ("heads", Target::Heads),
            ("base", Target::Base),
            ("+2", Target::Relative(2)),
            ("-1", Target::Relative(-1)),
            ("ae10", Target::Revision("ae10".into())),
            (
                "ae10+1",
                Target::RevisionRelative {
                    revision: "ae10".into(),
                    steps: 1,
                },
            ),
            (
                "head-2",
                Target::RevisionRelative {
                    revision: "head".into(),
                    steps: -2,
                },
            ),
        ] {
            assert_eq!(Target::parse(text).unwrap(), target, "{text}");
            assert_eq!(target.to_string(), text);
        }
    }

    #[test]
    fn bad_targets_say_what_to_write() {
        for (text, expected) in [
            ("", "it is empty"),
            ("+0", "zero steps"),
            ("+x", "`+x` is not a whole number"),
            ("ab+-1", "`+-1` is not a whole number"),
            ("a b", "revision id `a b` is not valid"),
        ] {
            let e = Target::parse(text).unwrap_err().to_string();
            assert!(e.starts_with(&format!("invalid target `{text}`")), "{e}");
            assert!(e.contains(expected), "{text}: {e}");
        }
    }
}
