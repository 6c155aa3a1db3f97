//! Several bases, branch labels and `depends_on` (Alembic's), in the graph: two
//! histories side by side (`app`: a1 <- a2 <- a3, `net`: n1 <- n2), labels as targets,
//! and a revision of one that depends on a revision of the other.

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

fn ids(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn t(s: &str) -> Target {
    Target::parse(s).unwrap()
}

/// app: a1 <- a2 <- a3 (a3 depends on n1); net: n1 <- n2, labelled `net` at n1 and
/// `app` at a1.
fn two_bases() -> RevisionGraph {
    let mut a1 = rev("a1", &[]);
    a1.branch_labels = ids(&["app"]);
    let mut n1 = rev("n1", &[]);
    n1.branch_labels = ids(&["net"]);
    let mut a3 = rev("a3", &["a2"]);
    a3.depends_on = ids(&["n1"]);
    RevisionGraph::new(vec![a1, rev("a2", &["a1"]), a3, n1, rev("n2", &["n1"])]).unwrap()
}

#[test]
fn several_bases_are_separate_histories() {
    let g = two_bases();
    assert_eq!(g.bases(), ["a1", "n1"]);
    // A dependency does not merge the branches: both keep their head.
    assert_eq!(g.heads(), ["a3", "n2"]);
    assert!(g.merges().is_empty());
    assert_eq!(g.branch_labels(), [("app", "a1"), ("net", "n1")]);
    let e = g.upgrade_plan(&[], &Target::Head).unwrap_err();
    assert!(matches!(e, GraphError::MultipleHeads { .. }), "{e:?}");
    assert_eq!(
        g.upgrade_plan(&[], &Target::Heads).unwrap(),
        ["a1", "a2", "n1", "a3", "n2"]
    );
}

#[test]
fn the_heads_of_a_whole_plan_match_those_taken_one_revision_at_a_time() {
    let merged = RevisionGraph::new(vec![
        rev("a1", &[]),
        rev("b1", &["a1"]),
        rev("c1", &["a1"]),
        rev("m1", &["b1", "c1"]),
        rev("z1", &["m1"]),
    ])
    .unwrap();
    for g in [two_bases(), merged] {
        let plan = g.upgrade_plan(&[], &Target::Heads).unwrap();
        let mut heads = Vec::new();
        let one_by_one: Vec<Vec<String>> = plan
            .iter()
            .map(|id| {
                heads = g.heads_after_upgrade(&heads, id).unwrap();
                heads.clone()
            })
            .collect();
        assert_eq!(g.heads_after_upgrades(&[], &plan).unwrap(), one_by_one);
        assert_eq!(one_by_one.last().unwrap(), &g.heads());
    }
}

#[test]
fn labels_name_a_revision_and_the_head_of_its_branch() {
    let g = two_bases();
    assert_eq!(g.resolve("net").unwrap().id, "n1");
    assert_eq!(g.resolve("net@head").unwrap().id, "n2");
    assert_eq!(g.upgrade_plan(&[], &t("net@head")).unwrap(), ["n1", "n2"]);
    assert_eq!(g.upgrade_plan(&[], &t("net")).unwrap(), ["n1"]);
    assert_eq!(
        g.upgrade_plan(&ids(&["n1"]), &t("net@head-1")).unwrap(),
        Vec::<String>::new()
    );
    let e = g.resolve("nope@head").unwrap_err().to_string();
    assert!(
        e.contains("no revision has the branch label `nope`; the labels are app, net"),
        "{e}"
    );
    let e = Target::parse("net@base").unwrap_err().to_string();
    assert!(e.contains("write `LABEL@head`"), "{e}");
}

#[test]
fn a_dependency_is_applied_first_and_undone_after() {
    let g = two_bases();
    // Upgrading one branch to its head brings what it depends on.
    assert_eq!(
        g.upgrade_plan(&[], &t("app@head")).unwrap(),
        ["a1", "a2", "n1", "a3"]
    );
    assert_eq!(
        g.upgrade_plan(&ids(&["a2"]), &t("a3")).unwrap(),
        ["n1", "a3"]
    );
    // Applied heads keep both branches.
    assert_eq!(g.applied_heads(&ids(&["a3"])).unwrap(), ["a3", "n1"]);
    // Undoing the dependency undoes what depends on it first.
    let all = ids(&["a1", "a2", "a3", "n1", "n2"]);
    assert_eq!(g.downgrade_plan(&all, &t("net")).unwrap(), ["n2"]);
    assert_eq!(
        g.downgrade_plan(&all, &Target::Base).unwrap(),
        ["n2", "a3", "n1", "a2", "a1"]
    );
    let e = g
        .heads_after_downgrade(&ids(&["a3", "n1"]), "n1")
        .unwrap_err();
    assert!(matches!(e, GraphError::DependentsApplied { .. }), "{e:?}");
    // Replay includes the dependency's schema.
    assert_eq!(g.ancestors("a3").unwrap(), ["a1", "a2", "n1"]);
}

#[test]
fn bad_labels_and_dependencies_are_refused() {
    let mut a = rev("a1", &[]);
    a.branch_labels = ids(&["x"]);
    let mut b = rev("b1", &[]);
    b.branch_labels = ids(&["x"]);
    let e = RevisionGraph::new(vec![a, b]).unwrap_err().to_string();
    assert_eq!(
        e,
        "branch label `x` is on both `a1` and `b1`; a label names one branch: remove it from \
         one of them"
    );
    let mut c = rev("c1", &[]);
    c.depends_on = ids(&["zz"]);
    let e = RevisionGraph::new(vec![c]).unwrap_err().to_string();
    assert!(
        e.contains("lists `zz` in `depends_on`, but no revision has that id"),
        "{e}"
    );
    // A file's labels and dependencies read back; bad ones are refused with the line.
    let mut r = rev("d1d2d3d4d5d6", &["a1"]);
    r.branch_labels = ids(&["net"]);
    r.depends_on = ids(&["n1"]);
    let text = r.to_toml();
    assert!(
        text.contains("branch_labels = [\"net\"]\ndepends_on = [\"n1\"]\n"),
        "{text}"
    );
    let path = std::path::Path::new("d1d2d3d4d5d6_x.toml");
    assert_eq!(Revision::parse(&text, path).unwrap(), r);
    let bad = text.replace("[\"n1\"]", "[\"a1\"]");
    let e = Revision::parse(&bad, path).unwrap_err().to_string();
    assert!(
        e.contains("lists `a1` in `depends_on`, but it is a parent"),
        "{e}"
    );
    let bad = text.replace("[\"net\"]", "[\"head\"]");
    let e = Revision::parse(&bad, path).unwrap_err().to_string();
    assert!(e.contains("`head` cannot be a branch label"), "{e}");
}
