//! On a MariaDB Galera node that is behind the cluster, introspection reads what the
//! cluster committed, not the node's older state: a comparison through that node
//! waits for it to catch up (the three-node cluster of `tests/galera/start.sh`,
//! found through `MIGRATE_TEST_GALERA_URLS`).

#![cfg(feature = "mysql")]

use std::time::Duration;

use migrate_introspect::{check, introspect, IntrospectOptions};
use sqlx::Connection;

async fn exec(url: &str, sql: &str) -> sqlx::MySqlConnection {
    let mut c = sqlx::MySqlConnection::connect(url).await.unwrap();
    sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
    c
}

#[tokio::test]
async fn a_node_behind_is_compared_after_it_catches_up() {
    let Some(cluster) = migrate_testkit::throwaway_galera().await else {
        return;
    };
    let (first, behind) = (cluster.urls[0].clone(), cluster.urls[1].clone());
    let options = IntrospectOptions::default();
    // The node is held behind (FLUSH TABLES WITH READ LOCK desyncs and pauses it)
    // while another node creates a table.
    let mut paused = exec(&behind, "FLUSH TABLES WITH READ LOCK").await;
    exec(
        &first,
        "CREATE TABLE accounts (id BIGINT PRIMARY KEY, name VARCHAR(40))",
    )
    .await
    .close()
    .await
    .unwrap();
    let head = introspect(first.as_str(), &options).await.unwrap();
    assert_eq!(head.tables.len(), 1, "{head:?}");
    let comparison = tokio::spawn(async move {
        check(behind.as_str(), &head, &IntrospectOptions::default())
            .await
            .unwrap()
    });
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let waited = !comparison.is_finished();
    sqlx::raw_sql("UNLOCK TABLES")
        .execute(&mut paused)
        .await
        .unwrap();
    paused.close().await.unwrap();
    let drift = comparison.await.unwrap();
    assert!(
        drift.is_empty(),
        "the node was read behind the cluster: {drift:?}"
    );
    assert!(waited, "the comparison answered before the node caught up");
    cluster.cleanup().await.unwrap();
}
