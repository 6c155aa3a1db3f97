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
