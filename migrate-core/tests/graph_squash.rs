//! Squash revisions in the graph: a squash `s9` replaces `r1 <- r2 <- r3` (on base
//! `b0`), and `c4` follows `r3`. Plans for databases before, inside and after the
//! range, with the replaced files present and deleted; the replay reads the squash;
//! squashes that cannot stand for their range are refused with the reason.

use std::path::Path;

use migrate_core::graph::{GraphError, LoggedRevision, RevisionGraph, Target};
use migrate_core::revision::Revision;
use migrate_core::schema::{Column, Table};
use migrate_core::{ColumnType, Operation};

fn rev(id: &str, parents: &[&str], upgrade: Vec<Operation>) -> Revision {
    let downgrade = upgrade
        .iter()
        .rev()
        .filter_map(Operation::inverse)
        .collect();
    Revision {
        id: id.to_string(),
        parents: parents.iter().map(|p| p.to_string()).collect(),
        replaces: Vec::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: format!("revision {id}"),
        created: "2026-11-25T04:21:16Z".to_string(),
        upgrade,
        downgrade,
    }
}

fn create(table: &str) -> Operation {
    let mut t = Table::new(table);
    t.columns.push(Column::new("id", ColumnType::BigInt));
    Operation::CreateTable { table: t }
}

fn add(table: &str, column: &str) -> Operation {
    Operation::AddColumn {
        table: table.to_string(),
        column: Column::new(column, ColumnType::Text).nullable(),
    }
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The squash of r1..r3: their upgrades one after the other.
fn squash() -> Revision {
    let mut s = rev(
        "s9",
        &["b0"],
        vec![create("t"), add("t", "a"), add("t", "b")],
    );
    s.replaces = ids(&["r1", "r2", "r3"]);
    s
}

fn originals() -> Vec<Revision> {
    vec![
        rev("r1", &["b0"], vec![create("t")]),
        rev("r2", &["r1"], vec![add("t", "a")]),
        rev("r3", &["r2"], vec![add("t", "b")]),
    ]
}

fn base_and_child() -> Vec<Revision> {
    // `c4` sorts before `r2`: the order must still put the range before it.
    vec![
        rev("b0", &[], vec![create("base")]),
        rev("c4", &["r3"], vec![add("t", "c")]),
    ]
}

/// Replaced files present.
fn with_originals() -> RevisionGraph {
    let mut all = base_and_child();
    all.extend(originals());
    all.push(squash());
    RevisionGraph::new(all).unwrap()
}

/// Replaced files deleted.
fn without_originals() -> RevisionGraph {
    let mut all = base_and_child();
    all.push(squash());
    RevisionGraph::new(all).unwrap()
}

fn head() -> Target {
    Target::Head
}

#[test]
fn the_squash_stands_for_its_range_in_the_structure() {
    let g = with_originals();
    assert_eq!(g.heads(), ["c4"]);
    assert_eq!(g.bases(), ["b0"]);
    assert!(g.branch_points().is_empty(), "{:?}", g.branch_points());
    let order: Vec<&str> = g.revisions().map(|r| r.id.as_str()).collect();
    assert_eq!(order, ["b0", "r1", "r2", "r3", "s9", "c4"]);
    assert_eq!(g.replaces("s9"), ids(&["r1", "r2", "r3"]));
    assert_eq!(g.replaced_by("r2"), Some("s9"));
    assert_eq!(g.ancestors("c4").unwrap(), ["b0", "s9"]);
}

#[test]
fn a_fresh_database_applies_the_squash() {
    let g = with_originals();
    assert_eq!(g.upgrade_plan(&[], &head()).unwrap(), ["b0", "s9", "c4"]);
    let after = g.heads_after_upgrade(&ids(&["b0"]), "s9").unwrap();
    assert_eq!(after, ["s9"]);
    assert_eq!(g.heads_after_upgrade(&after, "c4").unwrap(), ["c4"]);
}

#[test]
fn a_database_inside_the_range_finishes_it_one_revision_at_a_time() {
    let g = with_originals();
    let log = ids(&["b0", "r1"]);
    assert_eq!(g.upgrade_plan(&log, &head()).unwrap(), ["r2", "r3", "c4"]);
    let mut heads = g.applied_heads(&log).unwrap();
    assert_eq!(heads, ["r1"]);
    for (id, expected) in [("r2", "r2"), ("r3", "s9"), ("c4", "c4")] {
        heads = g.heads_after_upgrade(&heads, id).unwrap();
        assert_eq!(heads, [expected], "after {id}");
    }
    // At the start of the range (only the base applied) the squash is the way on.
    assert_eq!(
        g.upgrade_plan(&ids(&["b0"]), &head()).unwrap(),
        ["s9", "c4"]
    );
}

/// The heads after each revision of `log`'s plan to head, one revision at a time.
fn heads_one_by_one(g: &RevisionGraph, log: &[String], plan: &[String]) -> Vec<Vec<String>> {
    let mut heads = g.applied_heads(log).unwrap();
    plan.iter()
        .map(|id| {
            heads = g.heads_after_upgrade(&heads, id).unwrap();
            heads.clone()
        })
        .collect()
}

#[test]
fn the_heads_of_a_whole_plan_match_those_taken_one_revision_at_a_time() {
    for g in [with_originals(), without_originals()] {
        for log in [&[][..], &["b0"], &["b0", "r1"], &["b0", "r1", "r2"]] {
            let log = ids(log);
            if g.applied_heads(&log).is_err() {
                continue; // r1 and r2 are not in the graph once their files are gone
            }
            let plan = g.upgrade_plan(&log, &head()).unwrap();
            let heads = g.applied_heads(&log).unwrap();
            let along = g.heads_after_upgrades(&heads, &plan).unwrap();
            assert_eq!(along, heads_one_by_one(&g, &log, &plan), "from {log:?}");
            assert_eq!(along.last().unwrap(), &["c4"], "from {log:?}");
        }
    }
    // A revision whose parent is not applied is refused, as one at a time.
    let g = with_originals();
    let e = g.heads_after_upgrades(&[], &["c4"]).unwrap_err();
    assert!(matches!(e, GraphError::ParentsNotApplied { .. }), "{e:?}");
}

#[test]
fn a_database_at_the_end_of_the_range_counts_the_squash_applied() {
    let g = with_originals();
    let log = ids(&["b0", "r1", "r2", "r3"]);
    assert_eq!(g.upgrade_plan(&log, &head()).unwrap(), ["c4"]);
    assert_eq!(g.applied_heads(&log).unwrap(), ["s9"]);
    // And one that applied the squash has the range: no replaced revision is pending.
    let squashed = ids(&["b0", "s9"]);
    assert!(g
        .upgrade_plan(&squashed, &Target::Revision("r2".into()))
        .unwrap()
        .is_empty());
    assert_eq!(g.upgrade_plan(&squashed, &head()).unwrap(), ["c4"]);
}

#[test]
fn downgrades_undo_what_the_database_ran() {
    let g = with_originals();
    let one_by_one = ids(&["b0", "r1", "r2", "r3", "c4"]);
    assert_eq!(
        g.downgrade_plan(&one_by_one, &Target::Base).unwrap(),
        ["c4", "r3", "r2", "r1", "b0"]
    );
    assert_eq!(
        g.downgrade_plan(&one_by_one, &Target::Revision("r1".into()))
            .unwrap(),
        ["c4", "r3", "r2"]
    );
    let whole = ids(&["b0", "s9", "c4"]);
    assert_eq!(
        g.downgrade_plan(&whole, &Target::Base).unwrap(),
        ["c4", "s9", "b0"]
    );
    assert_eq!(
        g.downgrade_plan(&whole, &Target::Relative(-2)).unwrap(),
        ["c4", "s9"]
    );
    let e = g
        .downgrade_plan(&whole, &Target::Revision("r2".into()))
        .unwrap_err();
    assert!(matches!(e, GraphError::InsideAppliedSquash { .. }), "{e:?}");
    assert_eq!(
        e.to_string(),
        "revision `r2` is inside the range squash `s9` replaced, and this database applied \
         `s9` as one revision; downgrade to `b0` and then upgrade to `r2`"
    );
    // Heads as each step of the one-by-one downgrade leaves them.
    let mut heads = ids(&["c4"]);
    for (id, expected) in [("c4", vec!["s9"]), ("r3", vec!["r2"]), ("r2", vec!["r1"])] {
        heads = g.heads_after_downgrade(&heads, id).unwrap();
        assert_eq!(heads, expected, "after undoing {id}");
    }
    let heads = g.heads_after_downgrade(&ids(&["s9"]), "s9").unwrap();
    assert_eq!(heads, ["b0"]);
}

#[test]
fn the_replay_reads_the_squash_once() {
    let mut all = base_and_child();
    all.extend(originals());
    let mut s = squash();
    // A squash that differs from its range shows which one the replay read.
    s.upgrade.push(add("t", "from_squash"));
    all.push(s);
    let g = RevisionGraph::new(all).unwrap();
    for schema in [g.replay("c4").unwrap(), g.replay_heads().unwrap()] {
        let t = schema.table("t").expect("table t");
        let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["id", "a", "b", "from_squash", "c"]);
    }
    // The applied revisions of a database that ran the range one by one are the range.
    let log = ids(&["b0", "r1", "r2", "r3", "c4"]);
    assert_eq!(
        g.applied_revisions(&log).unwrap(),
        ["b0", "r1", "r2", "r3", "c4"]
    );
    assert_eq!(
        g.applied_revisions(&ids(&["c4"])).unwrap(),
        ["b0", "s9", "c4"]
    );
}

#[test]
fn with_the_replaced_files_deleted_their_ids_stand_for_the_squash() {
    let g = without_originals();
    assert_eq!(g.heads(), ["c4"]);
    assert_eq!(g.ancestors("c4").unwrap(), ["b0", "s9"]);
    assert_eq!(g.upgrade_plan(&[], &head()).unwrap(), ["b0", "s9", "c4"]);
    // A database that ran the whole range before the files went.
    let past = ids(&["b0", "r1", "r2", "r3"]);
    assert_eq!(g.upgrade_plan(&past, &head()).unwrap(), ["c4"]);
    assert_eq!(g.applied_revisions(&past).unwrap(), ["b0", "s9"]);
    assert_eq!(
        g.downgrade_plan(&past, &Target::Base).unwrap(),
        ["s9", "b0"]
    );
    // One in the middle of the range cannot go on: the message says how to fix it.
    let e = g.upgrade_plan(&ids(&["b0", "r1"]), &head()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the database is at revision `r1`, in the middle of the revisions squash `s9` \
         replaced (up to `r3`), and their files are deleted, so this build cannot finish \
         that range; upgrade this database to `r3` or later with a build that still has the \
         replaced files (any build before their deletion), or restore them, then run this one"
    );
    let e = g.resolve("r2").unwrap_err().to_string();
    assert!(e.contains("squashed into `s9` and its file deleted"), "{e}");
    // The version log's rows of the replaced revisions are not unknown revisions.
    let logged = ["r1", "r2", "r3"].map(|id| LoggedRevision {
        id: id.to_string(),
        parents: Vec::new(),
        message: String::new(),
        downgrade: Vec::new(),
    });
    let with_log = g.with_logged(logged).unwrap();
    assert_eq!(with_log.len(), g.len());
}

fn invalid(revisions: Vec<Revision>) -> String {
    match RevisionGraph::new(revisions) {
        Err(e @ GraphError::InvalidSquash { .. }) => e.to_string(),
        other => panic!("expected InvalidSquash, got {other:?}"),
    }
}

#[test]
fn squashes_that_cannot_stand_for_their_range_are_refused() {
    // A branch leaves from the middle of the range.
    let mut all = with_originals().revisions().cloned().collect::<Vec<_>>();
    all.push(rev("x5", &["r2"], Vec::new()));
    assert_eq!(
        invalid(all),
        "squash revision `s9` is invalid: revision `x5` follows `r2`, in the middle of the \
         squashed range, so the squash cannot stand for that range; squash a range that ends \
         at a branch point or before it"
    );
    // Some replaced files deleted, some kept.
    let mut all = base_and_child();
    all.push(squash());
    all.push(originals().remove(1));
    let e = invalid(all);
    assert!(e.contains("(missing: r1, r3)"), "{e}");
    // The replaced revisions are not the chain the squash names.
    let mut all = base_and_child();
    let mut o = originals();
    o[2].parents = ids(&["r1"]);
    all.extend(o);
    all.push(squash());
    let e = invalid(all);
    assert!(
        e.contains("it replaces `r3`, whose parents are [r1]"),
        "{e}"
    );
    // Two squashes claim one revision.
    let mut all = base_and_child();
    all.push(squash());
    let mut again = rev("s8", &["b0"], Vec::new());
    again.replaces = ids(&["r1"]);
    all.push(again);
    let e = invalid(all);
    assert!(e.contains("which squash `s8` replaces too"), "{e}");
}

#[test]
fn the_file_records_what_it_replaces() {
    let s = squash();
    let text = s.to_toml();
    assert!(
        text.contains("replaces = [\"r1\", \"r2\", \"r3\"]\n"),
        "{text}"
    );
    let back = Revision::parse(&text, Path::new("s9_squash.toml")).unwrap();
    assert_eq!(back, s);
    let lazy = migrate_core::revision::lazy::read_text("s9_squash.toml".into(), text).unwrap();
    assert_eq!(lazy.replaces, s.replaces);
    let bad = s.to_toml().replace("\"r2\"", "\"s9\"");
    let e = Revision::parse(&bad, Path::new("s9_squash.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("lists itself in `replaces`"), "{e}");
    assert!(e.contains("s9_squash.toml"), "{e}");
}
