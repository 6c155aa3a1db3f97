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
