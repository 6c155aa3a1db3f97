//! Where to migrate to: a revision, a relative step, the head(s) or the base.

use std::fmt;
use std::str::FromStr;

/// A migration target, as written on a command line: `head`, `heads`, `base`, `+2`,
/// `-1`, or a revision id (a unique prefix is enough).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The single head; an error if the graph has several.
    Head,
    /// Every head.
    Heads,
    /// No revision applied.
    Base,
    /// This many revisions forward (positive) or back (negative).
    Relative(i64),
    /// A revision id or a unique prefix of one.
    Revision(String),
}

impl Target {
    /// Parses a target; never fails (anything unrecognised is a revision prefix,
    /// checked when the plan is made).
    pub fn parse(text: &str) -> Target {
        let t = text.trim();
        match t {
            "head" => Target::Head,
            "heads" => Target::Heads,
            "base" => Target::Base,
            _ => {
                if let Some(n) = t
                    .strip_prefix('+')
                    .or(t.strip_prefix('-'))
                    .and_then(|d| d.parse::<i64>().ok())
                {
                    Target::Relative(if t.starts_with('-') { -n } else { n })
                } else {
                    Target::Revision(t.to_string())
                }
            }
        }
    }
}

impl FromStr for Target {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(Target::parse(s))
    }
}

impl From<&str> for Target {
    fn from(s: &str) -> Self {
        Target::parse(s)
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Head => f.write_str("head"),
            Target::Heads => f.write_str("heads"),
            Target::Base => f.write_str("base"),
            Target::Relative(n) if *n >= 0 => write!(f, "+{n}"),
            Target::Relative(n) => write!(f, "{n}"),
            Target::Revision(id) => f.write_str(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        assert_eq!(Target::parse("head"), Target::Head);
        assert_eq!(Target::parse("heads"), Target::Heads);
        assert_eq!(Target::parse("base"), Target::Base);
        assert_eq!(Target::parse("+2"), Target::Relative(2));
        assert_eq!(Target::parse("-1"), Target::Relative(-1));
        assert_eq!(Target::parse("ab12"), Target::Revision("ab12".into()));
        assert_eq!(Target::parse("-1").to_string(), "-1");
        assert_eq!(Target::parse("+3").to_string(), "+3");
    }
}
