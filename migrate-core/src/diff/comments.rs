//! Table and column comments of a table present on both sides.
//!
//! A comment is set, changed or removed by one operation carrying the old and the
//! new text. Comments of added columns and created tables travel with the column or
//! table itself.

use crate::ops::Operation;
use crate::schema::Table;

use super::Plan;

/// Appends the comment changes between `old` and `new` (one table) to `plan`.
pub(super) fn diff_comments(old: &Table, new: &Table, plan: &mut Plan) {
    if old.comment != new.comment {
        plan.comments.push(Operation::SetTableComment {
            table: new.name.clone(),
            from: old.comment.clone(),
            to: new.comment.clone(),
        });
    }
    for column in &new.columns {
        let Some(before) = old.column(&column.name) else {
            continue;
        };
        if before.comment != column.comment {
            plan.comments.push(Operation::SetColumnComment {
                table: new.name.clone(),
                column: column.name.clone(),
                from: before.comment.clone(),
                to: column.comment.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testutil::*;
    use crate::diff::diff;
    use crate::ops::Operation;
    use crate::schema::Table;

    fn commented(table_comment: Option<&str>, column_comment: Option<&str>) -> Table {
        let mut t = table("users", &["id", "name"]);
        t.comment = table_comment.map(str::to_string);
        t.columns[1].comment = column_comment.map(str::to_string);
        t
    }

    #[test]
    fn table_comment_added_changed_removed() {
        for (a, b) in [
            (None, Some("people")),
            (Some("people"), Some("users")),
            (Some("users"), None),
        ] {
            let old = one(commented(a, None));
            let new = one(commented(b, None));
            let ops = diff(&old, &new);
            assert_eq!(
                ops,
                vec![Operation::SetTableComment {
                    table: "users".into(),
                    from: a.map(str::to_string),
                    to: b.map(str::to_string),
                }]
            );
            assert_replays(&old, &new, &ops);
        }
    }

    #[test]
    fn column_comment_added_changed_removed() {
        for (a, b) in [
            (None, Some("shown")),
            (Some("shown"), Some("full")),
            (Some("full"), None),
        ] {
            let old = one(commented(None, a));
            let new = one(commented(None, b));
            let ops = diff(&old, &new);
            assert_eq!(
                ops,
                vec![Operation::SetColumnComment {
                    table: "users".into(),
                    column: "name".into(),
                    from: a.map(str::to_string),
                    to: b.map(str::to_string),
                }]
            );
            assert_replays(&old, &new, &ops);
        }
    }

    #[test]
    fn same_comments_give_nothing_and_new_columns_carry_theirs() {
        let s = one(commented(Some("people"), Some("shown")));
        assert!(diff(&s, &s).is_empty());
        let old = one(table("users", &["id"]));
        let new = one(commented(None, Some("shown")));
        let ops = diff(&old, &new);
        assert!(
            matches!(&ops[..], [Operation::AddColumn { column, .. }] if column.comment.as_deref() == Some("shown")),
            "{ops:?}"
        );
    }
}
