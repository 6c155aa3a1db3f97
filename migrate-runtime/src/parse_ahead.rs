//! Reading the operations of a run's revisions on several threads, before the run
//! renders them one after the other.
//!
//! A revision read from a file (the CLI's `cargo migrate upgrade`) has its TOML
//! parsed, and the downgrade the log stores written, only when a run needs it:
//! 500 pending revisions are 500 parses, each independent of the others, while the
//! rendering that follows must go in order (each revision renders on the schema the
//! ones before it leave). So the parses are shared out over the machine's cores
//! first; rendering then finds every revision read. A revision whose file does not
//! parse is left unread here, and the run reports it in its order, as before.

use std::num::NonZeroUsize;

use crate::revision::Known;

/// Fewer unread revisions than this are read on the run's own thread: a thread
/// costs more than a few parses.
const AT_LEAST: usize = 16;

/// At most this many threads (a parse allocates; more threads than this only
/// contend for the allocator).
const MOST_THREADS: usize = 8;

/// Reads the operations of each of `revisions` not read yet (and, where its flag is
/// set, writes the downgrade its log row stores), on as many threads as the machine
/// has cores (up to [`MOST_THREADS`]).
pub(crate) fn read_ahead(revisions: &[(&Known, bool)]) {
    let unread: Vec<(&Known, bool)> = revisions
        .iter()
        .copied()
        .filter(|(k, _)| k.unread())
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(MOST_THREADS)
        .min(unread.len() / AT_LEAST);
    if threads < 2 {
        return;
    }
    // Interleaved, so each thread gets revisions of every size along the history.
    std::thread::scope(|scope| {
        for first in 0..threads {
            let unread = &unread;
            scope.spawn(move || {
                for (known, log) in unread.iter().skip(first).step_by(threads) {
                    known.read_ahead(*log);
                }
            });
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_core::embed::EmbeddedRevision;

    /// A revision embedded without the build script's JSON, so its TOML is parsed.
    fn embedded(i: usize, body: &str) -> Known {
        let id: &'static str = Box::leak(format!("{i:012x}").into_boxed_str());
        let source: &'static str = Box::leak(
            format!(
                "id = \"{id}\"\nparents = []\nmessage = \"m\"\ncreated = \"2026-01-01T00:00:00Z\"\n\n{body}"
            )
            .into_boxed_str(),
        );
        Known::from_embedded(Box::leak(Box::new(EmbeddedRevision {
            id,
            parents: &[],
            replaces: &[],
            branch_labels: &[],
            depends_on: &[],
            message: "m",
            checksum: "sha256:x",
            file: "x.toml",
            source,
            ops_json: "",
            downgrade_log: "",
        })))
    }

    #[test]
    fn every_revision_is_read_and_a_broken_one_is_left_for_the_run() {
        let body = "[[upgrade]]\nop = \"sql\"\nsql = \"SELECT 1\"\n\n[[downgrade]]\nop = \"sql\"\nsql = \"SELECT 2\"\n";
        let mut known: Vec<Known> = (0..64).map(|i| embedded(i, body)).collect();
        known.push(embedded(64, "[[upgrade]]\nop = \"no_such_op\"\n"));
        let all: Vec<(&Known, bool)> = known.iter().map(|k| (k, true)).collect();
        read_ahead(&all);
        let threads = std::thread::available_parallelism().map_or(1, NonZeroUsize::get);
        if threads > 1 {
            assert!(known[..64].iter().all(|k| !k.unread()));
        }
        for k in &known[..64] {
            assert_eq!(k.ops().unwrap().upgrade.len(), 1);
            assert!(k.downgrade_log().unwrap().contains("SELECT 2"));
        }
        assert!(known[64].unread());
        let e = known[64].ops().unwrap_err().to_string();
        assert!(e.contains("no_such_op"), "{e}");
    }
}
