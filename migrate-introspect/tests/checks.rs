//! Check constraints read back from a live database compare with the head even
//! though each database stores them in its own spelling; a real change still shows.

mod util;

use migrate_core::{Check, Column, ColumnType, PrimaryKey, Schema, Table};
use migrate_introspect::{check, IntrospectOptions};
use util::{execute_all, render, throwaway, ALL};

fn people(age_check: &str) -> Schema {
    let mut t = Table::new("people");
    t.columns = vec![
        Column::new("id", ColumnType::BigInt),
        Column::new("name", ColumnType::Varchar(40)),
        Column::new("age", ColumnType::Integer),
        Column::new("status", ColumnType::Varchar(10)),
    ];
    t.primary_key = Some(PrimaryKey {
        name: "pk_people".into(),
        columns: vec!["id".into()],
    });
    t.checks = vec![
        Check {
            name: "ck_people_name".into(),
            expr: "length(name) >= 2".into(),
        },
        Check {
            name: "ck_people_age".into(),
            expr: age_check.into(),
        },
        Check {
            name: "ck_people_status".into(),
            expr: "status IN ('new', 'done')".into(),
        },
    ];
    Schema::from_tables([t])
}

#[tokio::test]
async fn stored_spellings_of_checks_are_not_drift() {
    for kind in ALL {
        let Some(db) = throwaway(kind).await else {
            continue;
        };
        let schema = people("age >= 0 AND age < 150");
        execute_all(&db, &render(kind, &schema)).await;
        let options = IntrospectOptions::default();
        let same = check(db.url(), &schema, &options).await.unwrap();
        assert!(same.is_empty(), "{kind}: false drift {same:#?}");
        let changed = check(db.url(), &people("age >= 1 AND age < 150"), &options)
            .await
            .unwrap();
        assert!(
            changed
                .iter()
                .any(|op| op.describe().contains("ck_people_age")),
            "{kind}: a changed check must show: {changed:#?}"
        );
        db.cleanup().await.unwrap();
    }
}

/// What an application runs at start-up: its embedded revisions against its live
/// database. A column added by hand in production shows as drift.
#[tokio::test]
async fn embedded_revisions_against_a_database_altered_by_hand() {
    use migrate_core::diff::{diff, downgrade_for};
    use migrate_core::embed::EmbeddedRevision;
    use migrate_core::revision::{file_name, Revision};
    use migrate_introspect::check_embedded;

    let schema = people("age >= 0");
    let upgrade = diff(&Schema::new(), &schema);
    let downgrade = downgrade_for(&upgrade);
    let rev = Revision::new(
        "create people",
        vec![],
        "2026-01-01T00:00:00Z",
        upgrade,
        downgrade,
    );
    let leak = |s: String| -> &'static str { Box::leak(s.into_boxed_str()) };
    let embedded: &'static [EmbeddedRevision] = Box::leak(Box::new([EmbeddedRevision {
        id: leak(rev.id.clone()),
        parents: &[],
        replaces: &[],
        branch_labels: &[],
        depends_on: &[],
        message: leak(rev.message.clone()),
        checksum: leak(migrate_core::checksum::checksum(&rev.to_toml()).to_string()),
        file: leak(file_name(&rev)),
        source: leak(rev.to_toml()),
        // As an older build script embedded them: the runtime parses `source`.
        ops_json: "",
        downgrade_log: "",
    }]));

    for kind in ALL {
        let Some(db) = throwaway(kind).await else {
            continue;
        };
        execute_all(&db, &render(kind, &schema)).await;
        let options = IntrospectOptions::default();
        let clean = check_embedded(db.url(), embedded, &options).await.unwrap();
        assert!(clean.is_empty(), "{kind}: false drift {clean:#?}");

        execute_all(
            &db,
            &["ALTER TABLE people ADD COLUMN nickname VARCHAR(20)".to_string()],
        )
        .await;
        let drift = check_embedded(db.url(), embedded, &options).await.unwrap();
        assert!(
            drift
                .iter()
                .any(|op| op.describe() == "removed column 'people.nickname'"),
            "{kind}: the hand-added column must show: {drift:#?}"
        );
        db.cleanup().await.unwrap();
    }
}
