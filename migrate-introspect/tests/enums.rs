//! Enum types on the three servers: render → execute → introspect gives back
//! exactly the schema asked for, after creating (`fixtures/enum_ops.rs`), after
//! each label change (added first, in the middle and last; renamed; reordered;
//! removed) and after the downgrade (the inverse); rows keep their labels (a
//! renamed label follows), a label outside the type is refused, and removing a
//! label a row holds fails.

mod util;

#[path = "../../migrate-core/tests/fixtures/enum_ops.rs"]
#[allow(dead_code)]
mod enum_ops;

use migrate_core::dialect::{render_ops, DialectKind as Kind};
use migrate_core::{Operation, Schema};
use util::{count, run, step, throwaway};

async fn enum_round_trip(kind: Kind) {
    let Some(db) = throwaway(kind).await else {
        return;
    };
    let mut schema = Schema::new();
    step(&db, &mut schema, &enum_ops::create_ops(), "after create").await;
    let rows = [
        "INSERT INTO diary (id, today, yesterday) VALUES (1, 'happy', 'sad')".to_string(),
        "INSERT INTO diary (id, yesterday) VALUES (2, 'it''s ok')".to_string(),
    ];
    run(&db, &rows).await.unwrap();
    assert!(
        run(
            &db,
            &["INSERT INTO diary (id, today) VALUES (3, 'angry')".into()]
        )
        .await
        .is_err(),
        "{kind:?}: a label outside the type was accepted"
    );

    let changes = enum_ops::change_ops();
    for (i, op) in changes.iter().enumerate() {
        step(
            &db,
            &mut schema,
            std::slice::from_ref(op),
            &format!("after change {i}: {}", op.describe()),
        )
        .await;
    }
    let renamed =
        "SELECT count(*) FROM diary WHERE id = 1 AND today = 'joyful' AND last_night = 'sad'";
    assert_eq!(
        count(&db, renamed).await,
        1,
        "{kind:?}: the renamed label follows"
    );
    let defaulted = "SELECT count(*) FROM diary WHERE id = 2 AND today = 'joyful'";
    assert_eq!(
        count(&db, defaulted).await,
        1,
        "{kind:?}: the default's row follows"
    );

    let undo = Operation::invert_all(&changes).unwrap();
    step(&db, &mut schema, &undo, "after downgrade").await;
    let back = "SELECT count(*) FROM diary WHERE id = 1 AND today = 'happy' AND yesterday = 'sad'";
    assert_eq!(
        count(&db, back).await,
        1,
        "{kind:?}: the row survives the downgrade"
    );

    // Removing a label a row holds fails instead of losing the row's value.
    let remove_sad = Operation::AlterEnum {
        name: "mood".into(),
        from: vec!["happy".into(), "sad".into(), "it's ok".into()],
        to: vec!["happy".into(), "it's ok".into()],
    };
    assert!(remove_sad.safety().is_destructive());
    let sql: Vec<String> = render_ops(kind, &schema, &[remove_sad])
        .unwrap()
        .into_iter()
        .map(|s| s.sql)
        .collect();
    assert!(
        run(&db, &sql).await.is_err(),
        "{kind:?}: a held label was removed"
    );
    assert_eq!(
        count(&db, back).await,
        1,
        "{kind:?}: the row keeps its label"
    );
    if kind == Kind::MySql {
        // Also from a session that is not strict, which would store '' instead.
        let mut lax = vec!["SET SESSION sql_mode = ''".to_string()];
        lax.extend(sql.iter().cloned());
        assert!(
            run(&db, &lax).await.is_err(),
            "a held label was removed in a non-strict session"
        );
        assert_eq!(count(&db, back).await, 1, "the row keeps its label");
    }
    db.cleanup().await.unwrap();
}

/// Dropping the table, then the type, leaves nothing.
async fn enum_create_and_drop(kind: Kind) {
    let Some(db) = throwaway(kind).await else {
        return;
    };
    let mut schema = Schema::new();
    step(&db, &mut schema, &enum_ops::create_ops(), "after create").await;
    let down = Operation::invert_all(&enum_ops::create_ops()).unwrap();
    step(&db, &mut schema, &down, "after dropping").await;
    assert!(schema.enums.is_empty() && schema.tables.is_empty());
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn enum_types_round_trip_on_sqlite() {
    enum_round_trip(Kind::Sqlite).await;
    enum_create_and_drop(Kind::Sqlite).await;
}

#[tokio::test]
async fn enum_types_round_trip_on_postgres() {
    enum_round_trip(Kind::Postgres).await;
    enum_create_and_drop(Kind::Postgres).await;
}

#[tokio::test]
async fn enum_types_round_trip_on_mysql() {
    enum_round_trip(Kind::MySql).await;
    enum_create_and_drop(Kind::MySql).await;
}
