//! The Alembic tutorial's two revisions (an `account` table, then a column), written
//! with fixed ids and times so that scripts printed from them can be compared with
//! golden files.

use migrate_core::revision::{file_name, Revision};
use migrate_core::{Column, ColumnType, Operation, PrimaryKey, Table};

use crate::util::Project;

/// Id of the first revision.
pub const CREATE_ACCOUNT: &str = "1975ea83b712";
/// Id of the second revision.
pub const ADD_COLUMN: &str = "ae1027a6acf0";

/// The two revisions, parents first.
pub fn tutorial_revisions() -> Vec<Revision> {
    let mut id = Column::new("id", ColumnType::Integer);
    id.autoincrement = true;
    let mut account = Table::new("account");
    account.columns = vec![
        id,
        Column::new("name", ColumnType::Varchar(50)),
        Column::new("description", ColumnType::Varchar(200)).nullable(),
    ];
    account.primary_key = Some(PrimaryKey {
        name: "pk_account".to_string(),
        columns: vec!["id".to_string()],
    });
    let create = Operation::CreateTable { table: account };
    let add = Operation::AddColumn {
        table: "account".to_string(),
        column: Column::new("last_transaction_date", ColumnType::Timestamp).nullable(),
    };
    vec![
        Revision {
            id: CREATE_ACCOUNT.to_string(),
            parents: vec![],
            replaces: Vec::new(),
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
            message: "create account table".to_string(),
            created: "2026-01-02T03:04:05Z".to_string(),
            downgrade: vec![create.inverse().unwrap()],
            upgrade: vec![create],
        },
        Revision {
            id: ADD_COLUMN.to_string(),
            parents: vec![CREATE_ACCOUNT.to_string()],
            replaces: Vec::new(),
            branch_labels: Vec::new(),
            depends_on: Vec::new(),
            message: "add last transaction date".to_string(),
            created: "2026-01-02T03:05:06Z".to_string(),
            downgrade: vec![add.inverse().unwrap()],
            upgrade: vec![add],
        },
    ]
}

/// A project after `init` holding the tutorial's revisions.
pub fn tutorial_project() -> Project {
    let p = Project::new();
    p.ok(&["init"]);
    for revision in tutorial_revisions() {
        p.write(
            &format!("migrations/{}", file_name(&revision)),
            &revision.to_toml(),
        );
    }
    p
}
