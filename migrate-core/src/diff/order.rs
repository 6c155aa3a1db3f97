//! Foreign-key dependency order for tables created or dropped together.
//!
//! A table must be created after the tables its foreign keys reference, and dropped
//! before them. Tables that reference each other in a cycle (directly or through
//! others: one strongly connected component of the reference graph) cannot all be
//! created with their keys inline, so every foreign key between two tables of one
//! cycle is *deferred*: created after all tables, dropped before any. A table that
//! references itself keeps the key inline (the table exists when the key is checked).
//!
//! Ties are broken by the order the tables are given in (name order), so the
//! result is deterministic.

use std::collections::{BTreeMap, BTreeSet};

use crate::schema::Table;

/// The order to create `tables` in, and the foreign keys to add afterwards.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CreationOrder {
    /// Positions in the given slice, dependencies first.
    pub order: Vec<usize>,
    /// For each table position, the positions of its deferred foreign keys.
    pub deferred: BTreeMap<usize, Vec<usize>>,
}

/// Orders `tables` for creation; only references between the given tables count.
pub(super) fn creation_order(tables: &[&Table]) -> CreationOrder {
    let position: BTreeMap<&str, usize> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    // edges[i]: (fk position, referenced table position), self-references left out.
    let edges: Vec<Vec<(usize, usize)>> = tables
        .iter()
        .enumerate()
        .map(|(i, t)| {
            t.foreign_keys
                .iter()
                .enumerate()
                .filter_map(|(k, fk)| position.get(fk.ref_table.as_str()).map(|&r| (k, r)))
                .filter(|&(_, r)| r != i)
                .collect()
        })
        .collect();
    let adjacency: Vec<Vec<usize>> = edges
        .iter()
        .map(|e| e.iter().map(|&(_, r)| r).collect())
        .collect();
    let component = strongly_connected(&adjacency);

    let mut deferred: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    let mut dependencies: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); tables.len()];
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); tables.len()];
    for (i, e) in edges.iter().enumerate() {
        for &(k, r) in e {
            if component[i] == component[r] {
                deferred.entry(i).or_default().push(k);
            } else if dependencies[i].insert(r) {
                dependents[r].push(i);
            }
        }
    }

    // Kahn's algorithm; the graph is acyclic once cycle edges are deferred.
    let mut waiting: Vec<usize> = dependencies.iter().map(BTreeSet::len).collect();
    let mut ready: BTreeSet<usize> = (0..tables.len()).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(tables.len());
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for &d in &dependents[i] {
            waiting[d] -= 1;
            if waiting[d] == 0 {
                ready.insert(d);
            }
        }
    }
    debug_assert_eq!(order.len(), tables.len(), "cycle edges were deferred");
    CreationOrder { order, deferred }
}

/// Tarjan's algorithm, iterative so a long chain of references cannot overflow the
/// stack: the strongly connected component of each node.
fn strongly_connected(adjacency: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = adjacency.len();
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let (mut next_index, mut next_component) = (0, 0);
    for root in 0..n {
        if index[root] != UNSEEN {
            continue;
        }
        index[root] = next_index;
        low[root] = next_index;
        next_index += 1;
        stack.push(root);
        on_stack[root] = true;
        // (node, position of the next edge to follow)
        let mut calls = vec![(root, 0usize)];
        while let Some(&(v, edge)) = calls.last() {
            if let Some(&w) = adjacency[v].get(edge) {
                calls.last_mut().expect("non-empty").1 += 1;
                if index[w] == UNSEEN {
                    index[w] = next_index;
                    low[w] = next_index;
                    next_index += 1;
                    stack.push(w);
                    on_stack[w] = true;
                    calls.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn components_of_a_graph_with_two_cycles_and_a_chain() {
        // 0 -> 1 -> 0, 2 -> 3 -> 4 -> 2, 5 -> 0, 6 alone
        let adjacency = vec![vec![1], vec![0], vec![3], vec![4], vec![2], vec![0], vec![]];
        let c = strongly_connected(&adjacency);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[2], c[3]);
        assert_eq!(c[3], c[4]);
        let distinct: BTreeSet<usize> = c.iter().copied().collect();
        assert_eq!(distinct.len(), 4, "{c:?}");
    }

    #[test]
    fn a_long_chain_does_not_overflow() {
        let n = 100_000;
        let adjacency: Vec<Vec<usize>> = (0..n)
            .map(|i| if i + 1 < n { vec![i + 1] } else { vec![0] })
            .collect();
        let c = strongly_connected(&adjacency);
        assert!(c.iter().all(|&x| x == c[0]));
    }
}
