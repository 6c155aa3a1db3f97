//! The revision reader on arbitrary bytes: every way a file is read (whole, header
//! only, operation lists) returns a value or an error; a revision that reads writes
//! back to text that reads to the same revision.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use migrate_core::revision::lazy::read_text;
use migrate_core::revision::read::parse_operations;
use migrate_core::revision::Revision;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("b1b2b3b4b5b6_fuzz.toml");
    if let Ok(revision) = Revision::parse(text, path) {
        let again = Revision::parse(&revision.to_toml(), path).expect("written text reads back");
        assert_eq!(again, revision);
    }
    let _ = read_text(path.to_path_buf(), text.to_string());
    let _ = parse_operations(text, "upgrade", path);
});
