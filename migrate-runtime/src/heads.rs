//! The version table's heads checked against the version log before a run moves them.
//!
//! A run moves the heads with as few statements as it takes
//! (`VersionTables::change_heads`: one `UPDATE ... WHERE version_num = <old head>`),
//! which does nothing at all when the table does not hold the head the log gives
//! (a row deleted or edited by hand, another tool's writes). The run would then go on
//! and leave a version table that names the wrong revisions. So, under the lock and
//! before the first revision, the table is read and compared with the heads the
//! planner takes from the log; when they differ the run stops, naming the revision it
//! was about to run, both lists, and the statements that set the table right.

use std::collections::BTreeSet;

use migrate_core::graph::RevisionGraph;

use crate::backend::Conn;
use crate::error::Error;
use crate::migrator::Migrator;

impl Migrator {
    /// An error unless the version table holds exactly `expected`, the applied heads
    /// the planner takes from the log; `revision` is the one the run would start with.
    pub(crate) async fn check_heads(
        &self,
        conn: &mut Conn,
        graph: &RevisionGraph,
        expected: &[String],
        revision: &str,
    ) -> Result<(), Error> {
        let recorded = conn.read_heads(&self.config).await?;
        if heads_agree(graph, &recorded, expected) {
            return Ok(());
        }
        let repair = self
            .config
            .tables()
            .replace_heads(conn.kind(), expected)
            .iter()
            .map(|s| s.sql.as_str())
            .collect::<Vec<_>>()
            .join("; ");
        let mut recorded = recorded;
        recorded.sort();
        Err(Error::HeadsDisagree {
            revision: revision.to_string(),
            table: self.config.version_table().to_string(),
            recorded,
            logged: expected.to_vec(),
            repair,
        })
    }
}

/// Whether the heads table's rows (`recorded`) are the heads the log gives
/// (`expected`). A database that ran a squashed range before the squash existed holds
/// the range's last id where the graph sees the squash: that row counts as the squash.
fn heads_agree(graph: &RevisionGraph, recorded: &[String], expected: &[String]) -> bool {
    let expected: BTreeSet<&str> = expected.iter().map(String::as_str).collect();
    let recorded: BTreeSet<&str> = recorded
        .iter()
        .map(|h| match graph.replaced_by(h) {
            Some(squash) if !expected.contains(h.as_str()) => squash,
            _ => h.as_str(),
        })
        .collect();
    recorded == expected
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_core::revision::Revision;

    fn revision(id: &str, parents: &[&str]) -> Revision {
        Revision {
            id: id.into(),
            parents: parents.iter().map(|p| p.to_string()).collect(),
            replaces: Vec::new(),
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
            message: String::new(),
            created: String::new(),
            upgrade: Vec::new(),
            downgrade: Vec::new(),
        }
    }

    fn ids(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_same_heads_in_any_order_agree() {
        let graph = RevisionGraph::new(vec![
            revision("a", &[]),
            revision("b", &["a"]),
            revision("c", &["a"]),
        ])
        .unwrap();
        assert!(heads_agree(&graph, &ids(&["c", "b"]), &ids(&["b", "c"])));
        assert!(heads_agree(&graph, &[], &[]));
    }

    #[test]
    fn a_missing_extra_or_other_head_disagrees() {
        let graph = RevisionGraph::new(vec![revision("a", &[]), revision("b", &["a"])]).unwrap();
        assert!(!heads_agree(&graph, &[], &ids(&["b"])));
        assert!(!heads_agree(&graph, &ids(&["a"]), &ids(&["b"])));
        assert!(!heads_agree(&graph, &ids(&["a", "b"]), &ids(&["b"])));
        assert!(!heads_agree(&graph, &ids(&["b"]), &[]));
    }

    #[test]
    fn the_last_revision_a_squash_replaced_counts_as_the_squash() {
        let mut squash = revision("s", &[]);
        squash.replaces = ids(&["a", "b"]);
        let graph = RevisionGraph::new(vec![squash, revision("c", &["b"])]).unwrap();
        assert!(heads_agree(&graph, &ids(&["b"]), &ids(&["s"])));
    }
}
