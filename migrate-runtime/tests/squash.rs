//! A squash revision through embedded revisions (as a deployed binary has them), on
//! SQLite, PostgreSQL and MariaDB: `S` replaces `A` and `B` of the shared `linear()`
//! history (`C` follows `B`). A fresh database runs `S`; one at `A` goes on with `B`;
//! with `A` and `B` no longer embedded, a database that ran them counts `S` as applied
//! and undoes it as one revision, and one still at `A` is refused with the fix.

#[macro_use]
mod common;
#[path = "support/revisions.rs"]
#[allow(dead_code)] // shared with the other tests, which use the rest
mod revisions;

use common::{marks, Kind, TestDb};
use migrate_core::embed::EmbeddedRevision;
use migrate_runtime::Migrator;
use revisions::{embed, linear, sql, Rev, A, B, C};

const S: &str = "5a5a5a5a5a5a";

/// `S`: A's and B's upgrades, then their downgrades in reverse.
fn squash() -> Rev {
    Rev {
        id: S,
        parents: &[],
        message: "squash of A and B",
        body: sql(
            "upgrade",
            "CREATE TABLE users (id INTEGER PRIMARY KEY, name VARCHAR(100))",
        ) + &sql("upgrade", "CREATE TABLE marks (rev VARCHAR(20) NOT NULL)")
            + &sql("upgrade", "INSERT INTO marks (rev) VALUES ('a1')")
            + &sql("upgrade", "ALTER TABLE users ADD COLUMN email VARCHAR(200)")
            + &sql("upgrade", "INSERT INTO marks (rev) VALUES ('b2')")
            + &sql("downgrade", "DELETE FROM marks WHERE rev = 'b2'")
            + &sql("downgrade", "ALTER TABLE users DROP COLUMN email")
            + &sql("downgrade", "DROP TABLE marks")
            + &sql("downgrade", "DROP TABLE users"),
    }
}

/// The embedded revisions, with `S` marked as replacing `A` and `B` (its file lists
/// them too, as `cargo migrate squash` writes it).
fn embedded(with_originals: bool) -> &'static [EmbeddedRevision] {
    let mut revs: Vec<Rev> = linear();
    if !with_originals {
        revs.retain(|r| r.id == C);
    }
    let mut s = squash();
    // A top-level key after the header, before the operations' tables.
    s.body = format!("replaces = [{A:?}, {B:?}]\n\n{}", s.body);
    revs.push(s);
    let mut list = embed(revs).to_vec();
    for e in &mut list {
        if e.id == S {
            e.replaces = &[A, B];
        }
    }
    Box::leak(list.into_boxed_slice())
}

async fn squash_embedded(kind: Kind) {
    let (Some(fresh), Some(inside), Some(stuck)) = (
        TestDb::new(kind).await,
        TestDb::new(kind).await,
        TestDb::new(kind).await,
    ) else {
        return;
    };
    let old = Migrator::new(embed(linear()));
    let new = Migrator::new(embedded(true));
    let report = new.upgrade_to_head(&fresh.url).await.unwrap();
    assert_eq!(report.revisions, [S, C]);
    assert_eq!(marks(&fresh).await, ["a1", "b2", "c3"]);

    old.upgrade(&inside.url, A).await.unwrap();
    old.upgrade(&stuck.url, A).await.unwrap();
    let report = new.upgrade_to_head(&inside.url).await.unwrap();
    assert_eq!(report.revisions, [B, C]);
    assert_eq!(marks(&inside).await, ["a1", "b2", "c3"]);

    // A and B no longer embedded.
    let newer = Migrator::new(embedded(false));
    assert!(newer
        .upgrade_to_head(&inside.url)
        .await
        .unwrap()
        .revisions
        .is_empty());
    let report = newer.downgrade(&inside.url, "base").await.unwrap();
    assert_eq!(report.revisions, [C, S]);
    assert!(!inside.has_table("users").await);
    assert_eq!(
        inside
            .query_strings("SELECT revision FROM migrate_version_log")
            .await,
        Vec::<String>::new()
    );
    let e = newer
        .upgrade_to_head(&stuck.url)
        .await
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&format!("the database is at revision `{A}`, in the middle of the revisions squash `{S}` replaced (up to `{B}`)")),
        "{e}"
    );
    for db in [fresh, inside, stuck] {
        db.drop_db().await;
    }
}

on_all_databases!(squash_embedded);
