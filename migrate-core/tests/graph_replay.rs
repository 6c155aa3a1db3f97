//! Replaying revision files from base to a head reconstructs that head's schema
//! exactly, with no database; and walking the downgrade plan undoes it.

use std::collections::BTreeSet;
use std::path::Path;

use migrate_core::graph::{GraphError, RevisionGraph, Target};
use migrate_core::revision::{file_name, load_dir, Revision};
use migrate_core::{
    apply_all, Column, ColumnType, FkAction, ForeignKey, Index, IndexColumn, Operation, PrimaryKey,
    Schema, SqlStep, Table,
};

const AT: &str = "2026-11-25T04:21:16Z";

fn users_v1() -> Table {
    let mut t = Table::new("users");
    t.columns.push(Column {
        autoincrement: true,
        ..Column::new("id", ColumnType::BigInt)
    });
    t.columns
        .push(Column::new("email", ColumnType::Varchar(255)));
    t.primary_key = Some(PrimaryKey {
        name: "pk_users".into(),
        columns: vec!["id".into()],
    });
    t
}

fn posts_v1() -> Table {
    let mut t = Table::new("posts");
    t.columns.push(Column::new("id", ColumnType::BigInt));
    t.columns.push(Column::new("user_id", ColumnType::BigInt));
    t.columns.push(Column::new("title", ColumnType::Text));
    t.foreign_keys.push(ForeignKey {
        name: "fk_posts_user_id_users".into(),
        columns: vec!["user_id".into()],
        ref_table: "users".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
        ..Default::default()
    });
    t
}

fn revision(message: &str, parents: &[&Revision], upgrade: Vec<Operation>) -> Revision {
    let downgrade = Operation::invert_all(&upgrade).unwrap_or_default();
    Revision::new(
        message,
        parents.iter().map(|p| p.id.clone()).collect(),
        AT,
        upgrade,
        downgrade,
    )
}

/// A base, two branches, a merge and one more revision, written to `dir`.
fn history(dir: &Path) -> Vec<Revision> {
    let phone = Column::new("phone", ColumnType::Varchar(20)).nullable();
    let r1 = revision(
        "create users",
        &[],
        vec![Operation::CreateTable { table: users_v1() }],
    );
    let r2 = revision(
        "create posts",
        &[&r1],
        vec![Operation::CreateTable { table: posts_v1() }],
    );
    let r3 = revision(
        "add phone",
        &[&r1],
        vec![
            Operation::AddColumn {
                table: "users".into(),
                column: phone.clone(),
            },
            Operation::CreateIndex {
                table: "users".into(),
                index: Index {
                    name: "ix_users_phone".into(),
                    columns: vec![IndexColumn::asc("phone")],
                    unique: false,
                    ..Default::default()
                },
            },
        ],
    );
    let mut r4 = revision(
        "merge and rename",
        &[&r2, &r3],
        vec![Operation::RenameColumn {
            table: "users".into(),
            from: "email".into(),
            to: "email_address".into(),
        }],
    );
    // A data step: it runs on databases but leaves the replayed schema alone.
    let backfill = Operation::Sql(SqlStep::new(
        "UPDATE users SET phone = '' WHERE phone IS NULL;",
    ));
    r4.upgrade.push(backfill.clone());
    r4.downgrade.insert(0, backfill);
    let r5 = revision(
        "tidy",
        &[&r4],
        vec![
            Operation::DropColumn {
                table: "posts".into(),
                column: Column::new("title", ColumnType::Text),
            },
            Operation::AlterColumn {
                table: "users".into(),
                column: "phone".into(),
                from: phone.state(),
                to: Column::new("phone", ColumnType::Text).nullable().state(),
            },
            Operation::SetTableComment {
                table: "users".into(),
                from: None,
                to: Some("people".into()),
            },
        ],
    );
    let all = vec![r1, r2, r3, r4, r5];
    for r in &all {
        std::fs::write(dir.join(file_name(r)), r.to_toml()).unwrap();
    }
    all
}

/// The schema the whole history should leave, written out by hand.
fn expected_head() -> Schema {
    let mut users = users_v1();
    users.columns[1].name = "email_address".into();
    users
        .columns
        .push(Column::new("phone", ColumnType::Text).nullable());
    users.indexes.push(Index {
        name: "ix_users_phone".into(),
        columns: vec![IndexColumn::asc("phone")],
        unique: false,
        ..Default::default()
    });
    users.comment = Some("people".into());
    let mut posts = posts_v1();
    posts.columns.pop();
    Schema::from_tables([users, posts])
}

#[test]
fn replaying_files_reconstructs_the_head_schema() {
    let dir = tempfile::tempdir().unwrap();
    let revs = history(dir.path());
    let g = RevisionGraph::from_files(load_dir(dir.path()).unwrap()).unwrap();
    assert_eq!(g.heads(), [revs[4].id.as_str()]);
    assert_eq!(g.replay(&revs[4].id).unwrap(), expected_head());
    assert_eq!(g.replay_heads().unwrap(), expected_head());
    // A prefix of the head's id is enough.
    assert_eq!(g.replay(&revs[4].id[..6]).unwrap(), expected_head());

    // An earlier revision on one branch: only its ancestors count.
    let mut users = users_v1();
    let posts = posts_v1();
    assert_eq!(
        g.replay(&revs[1].id).unwrap(),
        Schema::from_tables([users.clone(), posts])
    );
    users
        .columns
        .push(Column::new("phone", ColumnType::Varchar(20)).nullable());
    users.indexes.push(Index {
        name: "ix_users_phone".into(),
        columns: vec![IndexColumn::asc("phone")],
        unique: false,
        ..Default::default()
    });
    assert_eq!(g.replay(&revs[2].id).unwrap(), Schema::from_tables([users]));
}

#[test]
fn downgrading_along_the_plan_returns_to_an_empty_schema() {
    let dir = tempfile::tempdir().unwrap();
    let revs = history(dir.path());
    let g = RevisionGraph::from_files(load_dir(dir.path()).unwrap()).unwrap();
    let mut schema = g.replay_heads().unwrap();
    let mut heads = vec![revs[4].id.clone()];
    let plan = g.downgrade_plan(&heads, &Target::Base).unwrap();
    assert_eq!(plan.len(), 5);
    for id in &plan {
        apply_all(&mut schema, &g.get(id).unwrap().downgrade).unwrap();
        heads = g.heads_after_downgrade(&heads, id).unwrap();
        // After each step the schema is what replaying the remaining revisions gives.
        let mut keep: BTreeSet<String> = heads.iter().cloned().collect();
        for h in &heads {
            keep.extend(g.ancestors(h).unwrap().into_iter().map(String::from));
        }
        let mut replayed = Schema::new();
        for r in g.revisions().filter(|r| keep.contains(&r.id)) {
            apply_all(&mut replayed, &r.upgrade).unwrap();
        }
        assert_eq!(schema, replayed, "after undoing {id}");
    }
    assert!(heads.is_empty());
    assert_eq!(schema, Schema::new());
}

#[test]
fn replay_errors_name_the_revision_file_and_step() {
    let dir = tempfile::tempdir().unwrap();
    let revs = history(dir.path());
    let bad = revision(
        "drop a ghost",
        &[&revs[4]],
        vec![Operation::DropColumn {
            table: "users".into(),
            column: Column::new("ghost", ColumnType::Text),
        }],
    );
    let name = file_name(&bad);
    std::fs::write(dir.path().join(&name), bad.to_toml()).unwrap();
    let g = RevisionGraph::from_files(load_dir(dir.path()).unwrap()).unwrap();
    let e = g.replay(&bad.id).unwrap_err();
    assert!(matches!(e, GraphError::Replay { step: 1, .. }));
    assert_eq!(e.file(), Some(dir.path().join(&name).as_path()));
    assert_eq!(
        e.to_string(),
        format!(
            "replaying revision `{}` (in {}), upgrade step 1 (removed column 'users.ghost'): \
             column 'users.ghost' does not exist; the revision files disagree with each other \
             (was an earlier revision edited?)",
            bad.id,
            dir.path().join(&name).display()
        )
    );
}

/// A revision only the version log holds (a newer binary applied it) joins the graph
/// with its parents; its upgrade is rebuilt from the recorded downgrade, so replaying
/// gives the schema the newer binary left, and the downgrade plan undoes it first.
#[test]
fn logged_revisions_join_the_graph_and_replay_from_their_downgrade() {
    use migrate_core::graph::LoggedRevision;
    let base = Revision {
        id: "a1".into(),
        parents: vec![],
        replaces: Vec::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: "users".into(),
        created: AT.into(),
        upgrade: vec![Operation::CreateTable { table: users_v1() }],
        downgrade: vec![Operation::DropTable { table: users_v1() }],
    };
    let known = RevisionGraph::new(vec![base]).unwrap();
    let phone = Column::new("phone", ColumnType::Varchar(20)).nullable();
    let logged = LoggedRevision {
        id: "b2".into(),
        parents: vec!["a1".into()],
        message: "add phone".into(),
        downgrade: vec![
            Operation::Sql(SqlStep::new("UPDATE users SET email = email")),
            Operation::DropColumn {
                table: "users".into(),
                column: phone.clone(),
            },
        ],
    };
    let g = known.with_logged([logged]).unwrap();
    assert!(g.has_file("a1") && !g.has_file("b2"));
    // `head` still means the newest revision file.
    assert_eq!(g.heads(), ["a1"]);
    let schema = g.replay("b2").unwrap();
    assert!(schema.tables["users"].column("phone").is_some());
    let applied = vec!["b2".to_string()];
    assert_eq!(
        g.downgrade_plan(&applied, &Target::Base).unwrap(),
        ["b2", "a1"]
    );
    assert_eq!(
        g.downgrade_plan(&applied, &Target::parse("a1").unwrap())
            .unwrap(),
        ["b2"]
    );
    assert_eq!(
        g.upgrade_plan(&applied, &Target::Head).unwrap(),
        Vec::<String>::new()
    );
}
