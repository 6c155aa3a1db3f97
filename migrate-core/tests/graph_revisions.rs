//! The revision graph built in memory, in the manner of Alembic's `test_revision.py`:
//! linear histories, branches, merges, a diamond, several bases, prefix lookup,
//! relative targets, plans, applied heads, and every error with its message.

use std::path::PathBuf;

use migrate_core::graph::{GraphError, RevisionGraph, Target};
use migrate_core::revision::Revision;

fn rev(id: &str, parents: &[&str]) -> Revision {
    Revision {
        id: id.to_string(),
        parents: parents.iter().map(|p| p.to_string()).collect(),
        replaces: Vec::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: format!("revision {id}"),
        created: "2026-11-25T04:21:16Z".to_string(),
        upgrade: Vec::new(),
        downgrade: Vec::new(),
    }
}

fn graph(spec: &[(&str, &[&str])]) -> RevisionGraph {
    RevisionGraph::new(spec.iter().map(|(id, p)| rev(id, p)).collect()).unwrap()
}

fn t(s: &str) -> Target {
    Target::parse(s).unwrap()
}

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// a -> b -> c -> d
fn linear() -> RevisionGraph {
    graph(&[("a", &[]), ("b", &["a"]), ("c", &["b"]), ("d", &["c"])])
}

/// a -> b1 -> c1, a -> b2 (a branch point at a, heads c1 and b2).
fn branched() -> RevisionGraph {
    graph(&[("a", &[]), ("b2", &["a"]), ("b1", &["a"]), ("c1", &["b1"])])
}

/// a -> b, a -> c, (b, c) -> d.
fn diamond() -> RevisionGraph {
    graph(&[("d", &["b", "c"]), ("c", &["a"]), ("b", &["a"]), ("a", &[])])
}

#[test]
fn linear_history_structure() {
    let g = linear();
    assert_eq!(g.heads(), ["d"]);
    assert_eq!(g.bases(), ["a"]);
    assert!(g.branch_points().is_empty());
    assert!(g.merges().is_empty());
    assert_eq!(g.ancestors("c").unwrap(), ["a", "b"]);
    assert_eq!(g.descendants("b").unwrap(), ["c", "d"]);
    assert_eq!(g.path_between("a", "d").unwrap(), ["b", "c", "d"]);
    assert!(g.path_between("b", "b").unwrap().is_empty());
    let e = g.path_between("d", "a").unwrap_err().to_string();
    assert!(e.contains("`d` is not an ancestor of `a`"), "{e}");
    let order: Vec<&str> = g.revisions().map(|r| r.id.as_str()).collect();
    assert_eq!(order, ["a", "b", "c", "d"]);
}

#[test]
fn linear_upgrade_and_downgrade_plans() {
    let g = linear();
    let none: Vec<String> = Vec::new();
    assert_eq!(
        g.upgrade_plan(&none, &t("head")).unwrap(),
        ["a", "b", "c", "d"]
    );
    assert_eq!(
        g.upgrade_plan(&ids(&["b"]), &t("head")).unwrap(),
        ["c", "d"]
    );
    assert_eq!(g.upgrade_plan(&ids(&["b"]), &t("+1")).unwrap(), ["c"]);
    assert_eq!(g.upgrade_plan(&none, &t("+2")).unwrap(), ["a", "b"]);
    assert_eq!(g.upgrade_plan(&ids(&["a"]), &t("c")).unwrap(), ["b", "c"]);
    assert_eq!(g.upgrade_plan(&ids(&["a"]), &t("a+2")).unwrap(), ["b", "c"]);
    assert_eq!(
        g.upgrade_plan(&ids(&["a"]), &t("head-1")).unwrap(),
        ["b", "c"]
    );
    assert!(g.upgrade_plan(&ids(&["d"]), &t("head")).unwrap().is_empty());
    assert!(g.upgrade_plan(&ids(&["d"]), &t("b")).unwrap().is_empty());
    assert!(g.upgrade_plan(&none, &t("base")).unwrap().is_empty());

    assert_eq!(g.downgrade_plan(&ids(&["d"]), &t("-1")).unwrap(), ["d"]);
    assert_eq!(
        g.downgrade_plan(&ids(&["d"]), &t("-3")).unwrap(),
        ["d", "c", "b"]
    );
    assert_eq!(g.downgrade_plan(&ids(&["d"]), &t("b")).unwrap(), ["d", "c"]);
    assert_eq!(
        g.downgrade_plan(&ids(&["d"]), &t("d-2")).unwrap(),
        ["d", "c"]
    );
    assert_eq!(
        g.downgrade_plan(&ids(&["c"]), &t("base")).unwrap(),
        ["c", "b", "a"]
    );
    assert!(g.downgrade_plan(&none, &t("base")).unwrap().is_empty());
}

#[test]
fn relative_targets_out_of_range_say_how_far_they_can_go() {
    let g = linear();
    let e = g.upgrade_plan(&ids(&["b"]), &t("+3")).unwrap_err();
    assert!(matches!(
        e,
        GraphError::RelativeOutOfRange { available: 2, .. }
    ));
    assert_eq!(
        e.to_string(),
        "`+3` goes 3 steps but only 2 are possible from here; use a smaller number, or \
         `head`/`base`"
    );
    let e = g.downgrade_plan(&ids(&["b"]), &t("-5")).unwrap_err();
    assert!(
        e.to_string().starts_with("`-5` goes 5 steps but only 2"),
        "{e}"
    );
    let e = g.upgrade_plan(&[], &t("c+2")).unwrap_err();
    assert!(
        e.to_string().starts_with("`c+2` goes 2 steps but only 1"),
        "{e}"
    );
    let e = g.upgrade_plan(&[], &t("-1")).unwrap_err().to_string();
    assert!(
        e.contains("invalid target `-1`") && e.contains("use `downgrade`"),
        "{e}"
    );
    let e = g.downgrade_plan(&ids(&["d"]), &t("head")).unwrap_err();
    assert!(e.to_string().contains("a downgrade goes back"), "{e}");
}

#[test]
fn branches_have_several_heads() {
    let g = branched();
    assert_eq!(g.heads(), ["b2", "c1"]);
    assert_eq!(g.bases(), ["a"]);
    assert_eq!(g.branch_points(), ["a"]);
    assert_eq!(g.children("a").unwrap(), ["b1", "b2"]);
    // Ties between ready revisions are broken by id.
    let order: Vec<&str> = g.revisions().map(|r| r.id.as_str()).collect();
    assert_eq!(order, ["a", "b1", "b2", "c1"]);

    let e = g.upgrade_plan(&[], &t("head")).unwrap_err();
    assert!(matches!(&e, GraphError::MultipleHeads { heads } if heads == &ids(&["b2", "c1"])));
    assert_eq!(
        e.to_string(),
        "there are 2 heads (b2, c1) and `head` needs exactly one; merge them with \
         `cargo migrate merge heads -m \"...\"`, upgrade to `heads` to apply every branch, \
         or name one revision"
    );
    assert_eq!(
        g.upgrade_plan(&[], &t("heads")).unwrap(),
        ["a", "b1", "b2", "c1"]
    );
    assert_eq!(g.upgrade_plan(&[], &t("c1")).unwrap(), ["a", "b1", "c1"]);
    assert_eq!(g.upgrade_plan(&ids(&["c1"]), &t("heads")).unwrap(), ["b2"]);
    // With one branch fully applied, `+1` has only one way to go.
    assert_eq!(g.upgrade_plan(&ids(&["c1"]), &t("+1")).unwrap(), ["b2"]);
    assert!(matches!(
        g.upgrade_plan(&ids(&["a"]), &t("+1")).unwrap_err(),
        GraphError::MultipleHeads { .. }
    ));

    let e = g.upgrade_plan(&[], &t("a+1")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "`a+1` is ambiguous: revision `a` has several children (b1, b2); name the revision \
         to go to instead"
    );

    let both = ids(&["b2", "c1"]);
    assert_eq!(
        g.downgrade_plan(&both, &t("a")).unwrap(),
        ["c1", "b2", "b1"]
    );
    assert_eq!(g.downgrade_plan(&both, &t("b1")).unwrap(), ["c1"]);
    let e = g.downgrade_plan(&both, &t("-1")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the database has 2 branches applied (b2, c1), so `-1` is ambiguous; downgrade to a \
         revision id instead"
    );
}

#[test]
fn diamond_merge_orders_and_tracks_applied_heads() {
    let g = diamond();
    assert_eq!(g.heads(), ["d"]);
    assert_eq!(g.merges(), ["d"]);
    assert_eq!(g.branch_points(), ["a"]);
    assert_eq!(g.ancestors("d").unwrap(), ["a", "b", "c"]);
    assert_eq!(g.path_between("b", "d").unwrap(), ["d"]);
    assert_eq!(g.path_between("a", "d").unwrap(), ["b", "c", "d"]);

    // Walk the upgrade plan as the runtime does, keeping the version table's heads.
    let plan = g.upgrade_plan(&[], &t("head")).unwrap();
    assert_eq!(plan, ["a", "b", "c", "d"]);
    let mut heads: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    for id in &plan {
        heads = g.heads_after_upgrade(&heads, id).unwrap();
        seen.push(heads.clone());
    }
    assert_eq!(
        seen,
        [ids(&["a"]), ids(&["b"]), ids(&["b", "c"]), ids(&["d"])]
    );

    // Leaving the database at b undoes only what depends on b.
    assert_eq!(g.downgrade_plan(&heads, &t("b")).unwrap(), ["d"]);
    let after = g.heads_after_downgrade(&heads, "d").unwrap();
    assert_eq!(after, ["b", "c"]);
    let after = g.heads_after_downgrade(&after, "c").unwrap();
    assert_eq!(after, ["b"]);
    assert_eq!(
        g.downgrade_plan(&ids(&["d"]), &t("-2")).unwrap(),
        ["d", "c"]
    );
    let e = g.upgrade_plan(&[], &t("d-1")).unwrap_err();
    assert!(
        e.to_string()
            .contains("revision `d` has several parents (b, c)"),
        "{e}"
    );
}

#[test]
fn applied_heads_guard_against_out_of_order_steps() {
    let g = diamond();
    let e = g.heads_after_upgrade(&ids(&["b"]), "d").unwrap_err();
    assert_eq!(
        e.to_string(),
        "revision `d` cannot be applied before its parent(s) c; apply those first"
    );
    let e = g.heads_after_downgrade(&ids(&["d"]), "b").unwrap_err();
    assert_eq!(
        e.to_string(),
        "revision `b` cannot be undone while its child d is still applied; undo those first"
    );
    let e = g.heads_after_downgrade(&ids(&["b"]), "c").unwrap_err();
    assert!(matches!(e, GraphError::NotApplied { .. }));
    assert_eq!(
        g.heads_after_downgrade(&ids(&["a"]), "a").unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn multiple_bases_are_independent_histories() {
    let g = graph(&[("a1", &[]), ("a2", &["a1"]), ("b1", &[]), ("b2", &["b1"])]);
    assert_eq!(g.bases(), ["a1", "b1"]);
    assert_eq!(g.heads(), ["a2", "b2"]);
    assert_eq!(
        g.upgrade_plan(&[], &t("heads")).unwrap(),
        ["a1", "a2", "b1", "b2"]
    );
    assert_eq!(g.upgrade_plan(&[], &t("b2")).unwrap(), ["b1", "b2"]);
    let heads = ids(&["a2", "b2"]);
    assert_eq!(g.downgrade_plan(&heads, &t("a1")).unwrap(), ["a2"]);
    assert_eq!(
        g.downgrade_plan(&heads, &t("base")).unwrap(),
        ["b2", "b1", "a2", "a1"]
    );
    assert_eq!(
        g.heads_after_upgrade(&ids(&["a2"]), "b1").unwrap(),
        ["a2", "b1"]
    );
    // A merge of the two histories.
    let mut revs: Vec<Revision> = g.revisions().cloned().collect();
    revs.push(rev("m", &["a2", "b2"]));
    let g = RevisionGraph::new(revs).unwrap();
    assert_eq!(g.heads(), ["m"]);
    assert_eq!(
        g.upgrade_plan(&ids(&["a2"]), &t("head")).unwrap(),
        ["b1", "b2", "m"]
    );
}

#[test]
fn prefixes_resolve_when_unique() {
    let g = graph(&[
        ("ae1027a6acf", &[]),
        ("ae1ff23b", &["ae1027a6acf"]),
        ("b0", &["ae1ff23b"]),
        ("b01", &["b0"]),
    ]);
    assert_eq!(g.resolve("ae10").unwrap().id, "ae1027a6acf");
    assert_eq!(g.resolve("ae1f").unwrap().id, "ae1ff23b");
    // An exact id wins over the longer ids it is a prefix of.
    assert_eq!(g.resolve("b0").unwrap().id, "b0");
    let e = g.resolve("ae1").unwrap_err();
    assert!(matches!(&e, GraphError::AmbiguousPrefix { candidates, .. } if candidates.len() == 2));
    assert_eq!(
        e.to_string(),
        "revision prefix `ae1` is ambiguous: it matches ae1027a6acf, ae1ff23b; give more \
         characters"
    );
    let e = g.resolve("c").unwrap_err();
    assert_eq!(
        e.to_string(),
        "unknown revision `c`: no revision id starts with it; `cargo migrate history` lists \
         the revisions"
    );
    assert!(matches!(
        g.resolve("").unwrap_err(),
        GraphError::UnknownRevision { .. }
    ));
    assert_eq!(
        g.upgrade_plan(&[], &t("ae1f")).unwrap(),
        ["ae1027a6acf", "ae1ff23b"]
    );
    assert_eq!(
        g.upgrade_plan(&[], &t("ae10+1")).unwrap(),
        ["ae1027a6acf", "ae1ff23b"]
    );
}

#[test]
fn unknown_applied_revision_is_its_own_error() {
    let e = linear()
        .upgrade_plan(&ids(&["zz"]), &t("head"))
        .unwrap_err();
    assert!(matches!(e, GraphError::UnknownApplied { .. }));
    let msg = e.to_string();
    assert!(
        msg.starts_with("the database is at revision `zz`, which is not among"),
        "{msg}"
    );
    let e = linear().downgrade_plan(&ids(&["b"]), &t("c")).unwrap_err();
    assert_eq!(
        e.to_string(),
        "cannot downgrade to `c`: that revision is not applied to the database; \
         `cargo migrate current` shows what is"
    );
}

fn with_file(id: &str, parents: &[&str]) -> (Revision, Option<PathBuf>) {
    (
        rev(id, parents),
        Some(PathBuf::from(format!("migrations/{id}_x.toml"))),
    )
}

#[test]
fn duplicate_ids_name_both_files() {
    let e = RevisionGraph::with_paths(vec![
        with_file("a", &[]),
        with_file("b", &["a"]),
        (rev("a", &[]), Some(PathBuf::from("migrations/a_copy.toml"))),
    ])
    .unwrap_err();
    assert!(matches!(e, GraphError::DuplicateId { .. }));
    assert_eq!(
        e.to_string(),
        "two revisions have the id `a` (in migrations/a_x.toml, migrations/a_copy.toml); \
         give one of them a new id (its `id` and its file name), e.g. by re-creating it with \
         `cargo migrate revision`"
    );
}

#[test]
fn missing_parent_names_the_file() {
    let e = RevisionGraph::with_paths(vec![with_file("a", &[]), with_file("b", &["gone"])])
        .unwrap_err();
    assert_eq!(e.file(), Some(std::path::Path::new("migrations/b_x.toml")));
    assert_eq!(
        e.to_string(),
        "revision `b` (in migrations/b_x.toml) lists parent `gone`, but no revision has that \
         id; restore the missing revision file, or correct `parents` in this one"
    );
    let e = RevisionGraph::new(vec![rev("b", &["gone"])]).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("revision `b` lists parent `gone`"),
        "{e}"
    );
}

#[test]
fn cycles_are_reported_with_their_members() {
    let e = RevisionGraph::with_paths(vec![
        with_file("root", &[]),
        with_file("a", &["c"]),
        with_file("b", &["a"]),
        with_file("c", &["b"]),
        with_file("d", &["c"]),
    ])
    .unwrap_err();
    let GraphError::Cycle { revisions, files } = &e else {
        panic!("expected a cycle, got {e}");
    };
    assert_eq!(revisions, &ids(&["a", "b", "c"]));
    assert_eq!(files.len(), 3);
    assert_eq!(
        e.to_string(),
        "the revisions form a cycle (each is a parent of the next): a -> b -> c -> a (in \
         migrations/a_x.toml, migrations/b_x.toml, migrations/c_x.toml); remove one of these \
         parent links"
    );
    let e = RevisionGraph::new(vec![rev("x", &["y"]), rev("y", &["x"])]).unwrap_err();
    assert!(e.to_string().contains("x -> y -> x"), "{e}");
}

#[test]
fn an_empty_history_has_nothing_to_do() {
    let g = RevisionGraph::new(Vec::new()).unwrap();
    assert!(g.is_empty());
    assert!(g.heads().is_empty());
    assert!(g.upgrade_plan(&[], &t("head")).unwrap().is_empty());
    assert!(g.downgrade_plan(&[], &t("base")).unwrap().is_empty());
    assert_eq!(g.replay_heads().unwrap(), migrate_core::Schema::new());
}

#[test]
fn input_order_does_not_change_anything() {
    let spec: Vec<(&str, &[&str])> = vec![
        ("a", &[]),
        ("c", &["a"]),
        ("b", &["a"]),
        ("e", &["b", "c"]),
        ("d", &["c"]),
    ];
    let forward = graph(&spec);
    let mut reversed = spec.clone();
    reversed.reverse();
    let backward = graph(&reversed);
    let order = |g: &RevisionGraph| g.revisions().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(order(&forward), order(&backward));
    assert_eq!(order(&forward), ["a", "b", "c", "d", "e"]);
    assert_eq!(
        forward.upgrade_plan(&[], &t("heads")).unwrap(),
        backward.upgrade_plan(&[], &t("heads")).unwrap()
    );
}
