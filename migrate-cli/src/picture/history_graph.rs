//! The revision graph drawn as `git log --graph` draws commits: one lane per branch
//! being followed, `*` for the revision on its line, `|` for a lane passing by, `\`
//! where a merge's second parent opens a lane, `/` where lanes join again (a branch
//! point, or lanes closing to the left), `_` where a lane crosses others to join.
//!
//! The revisions come newest first (every revision before its parents), as
//! `history` lists them; parents outside that list (cut off by `-r`) end their lane.
//! When every lane has ended and revisions remain (a history with several bases),
//! an empty line separates the next part.

use std::collections::BTreeSet;

/// One line of the drawing: the lanes, and the index of the revision printed on
/// this line, if any (lines without one only move lanes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    /// The lane characters, without trailing spaces.
    pub graph: String,
    /// Index into the revisions given to [`draw`].
    pub revision: Option<usize>,
}

/// Draws `revisions`, each `(id, parents)`, newest first.
pub fn draw<S: AsRef<str>>(revisions: &[(S, Vec<S>)]) -> Vec<Line> {
    let known: BTreeSet<&str> = revisions.iter().map(|(id, _)| id.as_ref()).collect();
    // What each lane waits for: the id of the next revision drawn in it.
    let mut lanes: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (i, (id, parents)) in revisions.iter().enumerate() {
        let id = id.as_ref();
        let mut here: Vec<usize> = (0..lanes.len()).filter(|m| lanes[*m] == id).collect();
        if here.is_empty() {
            // A head: a new lane on the right.
            lanes.push(id);
            here.push(lanes.len() - 1);
        }
        let j = here[0];
        // Several children wait for this revision (a branch point): their lanes
        // join the leftmost one, the rightmost first.
        for &k in here[1..].iter().rev() {
            join(&mut lanes, &mut out, j, k);
        }
        out.push(Line {
            graph: row(lanes.len(), |m| Some(if m == j { '*' } else { '|' }), &[]),
            revision: Some(i),
        });
        let parents: Vec<&str> = parents
            .iter()
            .map(AsRef::as_ref)
            .filter(|p| known.contains(p))
            .collect();
        match parents.split_first() {
            None => {
                // A base: its lane ends, the lanes right of it move left.
                lanes.remove(j);
                if lanes.is_empty() && i + 1 < revisions.len() {
                    // The next revisions share nothing with the ones above: an
                    // empty line keeps them apart (another base's history).
                    out.push(Line {
                        graph: String::new(),
                        revision: None,
                    });
                }
                if j < lanes.len() {
                    let moves: Vec<(usize, char)> =
                        (j..lanes.len()).map(|m| (2 * m + 1, '/')).collect();
                    out.push(Line {
                        graph: row(lanes.len() + 1, |m| (m < j).then_some('|'), &moves),
                        revision: None,
                    });
                }
            }
            Some((first, others)) => {
                lanes[j] = first;
                // A merge: each further parent opens a lane to the right of the
                // ones already opened; the lanes after it move right.
                for (n, parent) in others.iter().enumerate() {
                    let at = j + 1 + n;
                    let mut moves = vec![(2 * at - 1, '\\')];
                    moves.extend((at..lanes.len()).map(|m| (2 * m + 1, '\\')));
                    out.push(Line {
                        graph: row(lanes.len() + 1, |m| (m < at).then_some('|'), &moves),
                        revision: None,
                    });
                    lanes.insert(at, parent);
                }
            }
        }
    }
    out
}

/// Lane `k` joins lane `j` (`j < k`); the lanes right of `k` move left with it.
fn join(lanes: &mut Vec<&str>, out: &mut Vec<Line>, j: usize, k: usize) {
    let mut moves: Vec<(usize, char)> = (j + 1..k.saturating_sub(1))
        .map(|m| (2 * m + 1, '_'))
        .collect();
    moves.extend((k..lanes.len()).map(|m| (2 * m - 1, '/')));
    out.push(Line {
        graph: row(lanes.len(), |m| (m < k).then_some('|'), &moves),
        revision: None,
    });
    lanes.remove(k);
    if k > j + 1 {
        // The crossing lands in lane `j` on the next line.
        out.push(Line {
            graph: row(lanes.len(), |_| Some('|'), &[(2 * j + 1, '/')]),
            revision: None,
        });
    }
}

/// A line of `lanes` lanes: `lane(m)` at column `2m`, then `marks` at their columns.
fn row(lanes: usize, lane: impl Fn(usize) -> Option<char>, marks: &[(usize, char)]) -> String {
    let width = (2 * lanes).max(marks.iter().map(|(c, _)| c + 1).max().unwrap_or(0));
    let mut chars = vec![' '; width];
    for m in 0..lanes {
        if let Some(c) = lane(m) {
            chars[2 * m] = c;
        }
    }
    for &(column, c) in marks {
        chars[column] = c;
    }
    chars.into_iter().collect::<String>().trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn picture(revisions: &[(&str, Vec<&str>)]) -> String {
        draw(revisions)
            .iter()
            .map(|l| match l.revision {
                Some(i) => format!("{} {}", l.graph, revisions[i].0),
                None => l.graph.clone(),
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    #[test]
    fn a_line_is_a_column_of_stars() {
        let p = picture(&[("c", vec!["b"]), ("b", vec!["a"]), ("a", vec![])]);
        assert_eq!(p, "* c\n* b\n* a");
    }

    #[test]
    fn branches_and_a_merge_as_git_draws_them() {
        let p = picture(&[
            ("m", vec!["b", "c"]),
            ("c", vec!["a"]),
            ("b", vec!["a"]),
            ("a", vec![]),
        ]);
        assert_eq!(p, "* m\n|\\\n| * c\n* | b\n|/\n* a");
    }

    #[test]
    fn two_heads_of_one_base_and_a_second_base() {
        let p = picture(&[
            ("y", vec!["x"]),
            ("c", vec!["a"]),
            ("b", vec!["a"]),
            ("x", vec![]),
            ("a", vec![]),
        ]);
        assert_eq!(p, "* y\n| * c\n| | * b\n* | | x\n / /\n|/\n* a");
    }

    #[test]
    fn a_lane_crossing_others_to_join() {
        let p = picture(&[
            ("d", vec!["a"]),
            ("c", vec!["x"]),
            ("e", vec!["a"]),
            ("a", vec![]),
            ("x", vec![]),
        ]);
        assert_eq!(p, "* d\n| * c\n| | * e\n| |/\n|/|\n* | a\n /\n* x");
        let p = picture(&[
            ("d", vec!["a"]),
            ("c", vec!["x"]),
            ("b", vec!["y"]),
            ("e", vec!["a"]),
            ("a", vec![]),
            ("x", vec![]),
            ("y", vec![]),
        ]);
        assert!(p.contains("| |_|/\n|/| |\n* | | a"), "{p}");
    }
}
