//! Revision files read from disk: line endings and a byte-order mark do not change
//! a revision or its checksum, and `load_dir` reads a directory's files in order,
//! with their checksums, follows links, skips directories and names the file a parse
//! error is in.

use std::path::Path;

use migrate_core::checksum::checksum;
use migrate_core::revision::{file_name, load_dir, Revision, RevisionError};
use migrate_core::{Operation, SqlStep};

#[test]
fn crlf_and_bom_read_the_same_and_checksum_the_same() {
    let r = Revision::new(
        "multi",
        vec![],
        "2026-11-25T04:21:16Z",
        vec![Operation::Sql(SqlStep::new("SELECT 1;\nSELECT 2;\n"))],
        vec![],
    );
    let lf = r.to_toml();
    let crlf = format!("\u{feff}{}", lf.replace('\n', "\r\n"));
    assert_eq!(Revision::parse(&crlf, Path::new("w.toml")).unwrap(), r);
    assert_eq!(checksum(&crlf), checksum(&lf));
}

#[test]
fn load_dir_reads_sorted_files_with_checksums() {
    let dir = tempfile::tempdir().unwrap();
    let first = Revision::new_empty("first", vec![], "2026-11-25T04:21:16Z");
    let second = Revision::new_empty("second", vec![first.id.clone()], "2026-11-25T04:22:00Z");
    for r in [&second, &first] {
        std::fs::write(dir.path().join(file_name(r)), r.to_toml()).unwrap();
    }
    std::fs::write(dir.path().join("README.md"), "not a revision").unwrap();
    let files = load_dir(dir.path()).unwrap();
    let mut names: Vec<String> = [&first, &second].iter().map(|r| file_name(r)).collect();
    names.sort();
    let got: Vec<String> = files
        .iter()
        .map(|f| f.path.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(got, names);
    for f in &files {
        assert_eq!(
            f.checksum,
            checksum(&std::fs::read_to_string(&f.path).unwrap())
        );
        assert!(f.checksum.to_string().starts_with("sha256:"));
    }

    // A file whose name does not start with its id is an error naming the file.
    std::fs::write(dir.path().join("zzz_wrong.toml"), first.to_toml()).unwrap();
    let e = load_dir(dir.path()).unwrap_err();
    assert!(matches!(e, RevisionError::FileName { .. }));
    let msg = e.to_string();
    assert!(
        msg.contains("zzz_wrong.toml: the file name must start with the revision's id"),
        "{msg}"
    );
    assert!(msg.contains(&file_name(&first)), "{msg}");
}

/// The listing's file types decide what is read without a `stat` per file: a link
/// to a revision file is read like the file, a directory named like one is not.
#[cfg(unix)]
#[test]
fn load_dir_follows_links_and_skips_directories() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let first = Revision::new_empty("first", vec![], "2026-11-25T04:21:16Z");
    let second = Revision::new_empty("second", vec![first.id.clone()], "2026-11-25T04:22:00Z");
    std::fs::write(dir.path().join(file_name(&first)), first.to_toml()).unwrap();
    let target = elsewhere.path().join("kept.toml");
    std::fs::write(&target, second.to_toml()).unwrap();
    std::os::unix::fs::symlink(&target, dir.path().join(file_name(&second))).unwrap();
    std::fs::create_dir(dir.path().join("0000_not_a_file.toml")).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("1111_dir_link.toml")).unwrap();
    let files = load_dir(dir.path()).unwrap();
    let mut ids: Vec<&str> = files.iter().map(|f| f.revision.id.as_str()).collect();
    ids.sort();
    let mut want = vec![first.id.as_str(), second.id.as_str()];
    want.sort();
    assert_eq!(ids, want);
    let lazy = migrate_core::revision::lazy::load_dir_lazy(dir.path()).unwrap();
    assert_eq!(lazy.len(), 2);
}

#[test]
fn a_parse_error_in_load_dir_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("abc_bad.toml"),
        "id = \"abc\"\nmessage = 1\n",
    )
    .unwrap();
    let e = load_dir(dir.path()).unwrap_err();
    assert!(e.path().ends_with("abc_bad.toml"));
    assert!(e.to_string().contains("abc_bad.toml:2:"), "{e}");
    let e = load_dir(&dir.path().join("missing")).unwrap_err();
    assert!(e.to_string().starts_with("cannot read "), "{e}");
}

/// Files are read without asking for their size first: a revision larger than the
/// read buffer is read whole, each file apart from the one before it, and a file that
/// is not UTF-8 is an error naming it.
#[test]
fn load_dir_reads_large_files_whole_and_names_a_file_that_is_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let big_sql = format!("INSERT INTO t VALUES ('{}');\n", "x".repeat(300_000));
    let big = Revision::new(
        "big",
        vec![],
        "2026-11-25T04:21:16Z",
        vec![Operation::Sql(SqlStep::new(big_sql.as_str()))],
        vec![],
    );
    let small = Revision::new_empty("small", vec![big.id.clone()], "2026-11-25T04:22:00Z");
    for r in [&big, &small] {
        std::fs::write(dir.path().join(file_name(r)), r.to_toml()).unwrap();
    }
    let files = load_dir(dir.path()).unwrap();
    let by_id = |id: &str| files.iter().find(|f| f.revision.id == id).unwrap();
    assert_eq!(by_id(&big.id).revision, big);
    assert_eq!(by_id(&small.id).revision, small);
    let lazy = migrate_core::revision::lazy::load_dir_lazy(dir.path()).unwrap();
    for (text, r) in lazy.iter().zip(&files) {
        assert_eq!(text.text, std::fs::read_to_string(&r.path).unwrap());
        assert_eq!(text.checksum, checksum(&text.text));
    }

    let mut bytes = small.to_toml().into_bytes();
    bytes.extend([0xff, 0xfe, b'\n']);
    std::fs::write(dir.path().join(file_name(&small)), bytes).unwrap();
    let e = load_dir(dir.path()).unwrap_err();
    assert!(e.path().ends_with(file_name(&small)), "{e}");
    assert!(e.to_string().contains("valid UTF-8"), "{e}");
}
