//! Commands that read only the migrations directory: they must work with no database
//! configured at all.

use crate::util::{assert_error_with_fix, Project};

/// A project after `init`, with no database URL anywhere.
pub fn project() -> Project {
    let p = Project::new();
    p.ok(&["init"]);
    p
}

/// `revision -m MSG --head PARENT`, returning the new id.
pub fn revision(p: &Project, message: &str, head: Option<&str>) -> String {
    let mut args = vec!["revision", "-m", message];
    if let Some(head) = head {
        args.extend(["--head", head]);
    }
    p.ok(&args).trim().to_string()
}

#[test]
fn revision_history_heads_show_without_database() {
    let p = project();
    let a = revision(&p, "create account table", None);
    let b = revision(&p, "add last transaction date", None);
    assert_eq!(a.len(), 12);
    let files: Vec<String> = std::fs::read_dir(p.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        files.contains(&format!("{a}_create_account_table.toml")),
        "{files:?}"
    );

    let history = p.ok(&["history"]);
    let lines: Vec<&str> = history.lines().collect();
    assert_eq!(lines.len(), 2, "{history}");
    assert!(
        lines[0].starts_with(&a) && lines[0].contains(&format!("{b}  (head)  add last")),
        "{history}"
    );
    assert!(
        lines[1].starts_with("<base>") && lines[1].contains(&a),
        "{history}"
    );
    // Aligned: the arrows are in one column.
    assert_eq!(lines[0].find("->"), lines[1].find("->"), "{history}");

    let verbose = p.ok(&["history", "--verbose"]);
    assert!(
        verbose.contains(&format!("Rev:      {b} (head)")),
        "{verbose}"
    );
    assert!(verbose.contains(&format!("Parents:  {a}")), "{verbose}");
    assert!(verbose.contains("Created:  20"), "{verbose}");

    let ranged = p.ok(&["history", "-r", &format!("{}:", &b[..6])]);
    assert_eq!(ranged.lines().count(), 1, "{ranged}");

    assert_eq!(p.ok(&["heads"]).lines().count(), 1);
    assert!(p.ok(&["heads"]).contains(&b));

    let show = p.ok(&["show", &a[..5]]);
    assert!(show.contains(&format!("Rev:      {a}")), "{show}");
    assert!(show.contains(&format!("Children: {b}")), "{show}");
    assert!(show.contains("create account table"), "{show}");
}

#[test]
fn two_heads_are_listed_and_merged() {
    let p = project();
    let base = revision(&p, "base", None);
    let x = revision(&p, "branch x", Some(&base));
    let y = revision(&p, "branch y", Some(&base));
    let heads = p.ok(&["heads"]);
    assert!(heads.contains(&x) && heads.contains(&y), "{heads}");
    let branches = p.ok(&["branches"]);
    assert!(
        branches.contains(&base) && branches.contains("(branchpoint)"),
        "{branches}"
    );

    // `head` is ambiguous now: exit 4 with the fix naming `merge`.
    let err = p.fails(&["revision", "-m", "next"], 4);
    assert_error_with_fix(&err);
    assert!(err.contains("merge"), "{err}");

    let m = p.ok(&["merge", "-m", "join", "heads"]).trim().to_string();
    let heads = p.ok(&["heads"]);
    assert_eq!(heads.lines().count(), 1, "{heads}");
    assert!(
        heads.contains(&m) && heads.contains("(mergepoint)"),
        "{heads}"
    );
    let text = std::fs::read_dir(p.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|path| path.file_name().unwrap().to_string_lossy().starts_with(&m))
        .map(|path| std::fs::read_to_string(path).unwrap())
        .unwrap();
    assert!(text.contains(&x) && text.contains(&y), "{text}");
}

#[test]
fn bad_revision_id_is_one_line_with_fix() {
    let p = project();
    revision(&p, "one", None);
    let err = p.fails(&["show", "ffffffffff"], 2);
    assert_error_with_fix(&err);
    assert!(err.contains("no revision matches `ffffffffff`"), "{err}");
}

#[test]
fn broken_revision_file_names_the_file_and_line() {
    let p = project();
    p.write(
        "migrations/0123456789ab_bad.toml",
        "id = \"0123456789ab\"\nparents = [\nmessage = 1\n",
    );
    let err = p.fails(&["history"], 4);
    assert_error_with_fix(&err);
    assert!(err.contains("0123456789ab_bad.toml:"), "{err}");
}

#[test]
fn show_lists_upgrade_and_downgrade_operations() {
    let p = crate::fixtures::tutorial_project();
    let show = p.ok(&["show", "1975"]);
    assert!(
        show.contains("Upgrade:\n    - added table 'account'"),
        "{show}"
    );
    assert!(
        show.contains("Downgrade:\n    - removed table 'account'"),
        "{show}"
    );
}
