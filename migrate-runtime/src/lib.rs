//! Applies embedded revisions to a live database (in progress).
