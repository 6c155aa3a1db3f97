//! Adopting tables made by plain SQL with the shapes of issue 16 (generated
//! columns, collations, `ON UPDATE`, and types only one database has): the
//! models `adopt` writes scan back to the introspected schema exactly, the live
//! database shows no drift against them, and each field's Rust type decodes the
//! stored row with sqlx (PostgreSQL's `inet`, `cidr` and `macaddr` too, with sqlx's
//! `ipnetwork` and `mac_address` features).

mod util;

use migrate_core::dialect::DialectKind as Kind;
use migrate_introspect::{check, introspect, normalize_schema, IntrospectOptions};
use migrate_model::{codegen::models_source, scan::scan_sources};
use util::{execute_all, throwaway, TestDb};

/// The table, one row, and the field lines adopt must write for it.
fn legacy(kind: Kind) -> (Vec<String>, Vec<&'static str>) {
    match kind {
        Kind::Postgres => (
            vec![
                "CREATE TABLE gadgets (\n  id BIGINT PRIMARY KEY,\n  price INTEGER NOT NULL,\n  \
                 qty INTEGER NOT NULL,\n  total BIGINT GENERATED ALWAYS AS (price * qty) STORED,\n  \
                 code VARCHAR(20) COLLATE \"C\" NOT NULL,\n  tags TEXT[] NOT NULL,\n  \
                 scores INTEGER[],\n  wait INTERVAL NOT NULL,\n  cost MONEY NOT NULL,\n  \
                 grade CHARACTER(2) NOT NULL,\n  host INET NOT NULL,\n  net CIDR,\n  \
                 mac MACADDR NOT NULL\n)"
                    .into(),
                "INSERT INTO gadgets (id, price, qty, code, tags, scores, wait, cost, grade, host, \
                 net, mac) VALUES (1, 3, 4, 'Ab', '{a,b}', '{1,2}', '1 day', 2.5, 'A', \
                 '192.168.0.7/24', '10.1.0.0/16', '08:00:2b:01:02:03')"
                    .into(),
            ],
            vec![
                "#[model(generated = \"(price * qty)\")]\n    pub total: Option<i64>,",
                "#[model(max_len = 20, collation(postgres = \"C\"))]\n    pub code: String,",
                "#[model(sql_type = \"raw(text[])\")]\n    pub tags: Vec<String>,",
                "#[model(sql_type = \"raw(integer[])\")]\n    pub scores: Option<Vec<i32>>,",
                "pub wait: sqlx::postgres::types::PgInterval,",
                "pub cost: sqlx::postgres::types::PgMoney,",
                "pub host: sqlx::types::ipnetwork::IpNetwork,",
                "pub net: Option<sqlx::types::ipnetwork::IpNetwork>,",
                "pub mac: sqlx::types::mac_address::MacAddress,",
            ],
        ),
        Kind::MySql => (
            vec![
                "CREATE TABLE gadgets (\n  id BIGINT PRIMARY KEY,\n  price INT NOT NULL,\n  \
                 qty INT NOT NULL,\n  total BIGINT AS (price * qty) STORED,\n  \
                 half INT AS (qty DIV 2) VIRTUAL,\n  \
                 code VARCHAR(20) CHARACTER SET latin1 COLLATE latin1_general_cs NOT NULL,\n  \
                 made YEAR NOT NULL,\n  level TINYINT NOT NULL,\n  \
                 serial INT(8) UNSIGNED ZEROFILL NOT NULL,\n  flags SET('a','b') CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci NOT NULL,\n  \
                 touched DATETIME(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) \
                 ON UPDATE CURRENT_TIMESTAMP(6)\n) ENGINE=InnoDB"
                    .into(),
                "INSERT INTO gadgets (id, price, qty, code, made, level, serial, flags) \
                 VALUES (1, 3, 4, 'Ab', 2024, -5, 42, 'a,b')"
                    .into(),
            ],
            vec![
                "#[model(generated = \"`price` * `qty`\")]\n    pub total: Option<i64>,",
                "#[model(generated(expr = \"`qty` DIV 2\", virtual))]\n    pub half: Option<i32>,",
                "collation(mysql = \"latin1_general_cs\")",
                "#[model(sql_type = \"raw(year)\")]\n    pub made: u16,",
                "#[model(sql_type = \"raw(tinyint)\")]\n    pub level: i8,",
                "pub serial: u32,",
                "pub flags: String,",
                "on_update_current_timestamp",
            ],
        ),
        Kind::Sqlite => (
            vec![
                "CREATE TABLE gadgets (\n  id INTEGER PRIMARY KEY,\n  price INTEGER NOT NULL,\n  \
                 qty INTEGER NOT NULL,\n  total INTEGER GENERATED ALWAYS AS (price * qty) STORED,\n  \
                 half INTEGER AS (qty / 2),\n  code TEXT COLLATE NOCASE NOT NULL\n)"
                    .into(),
                "INSERT INTO gadgets (id, price, qty, code) VALUES (1, 3, 4, 'Ab')".into(),
            ],
            vec![
                "#[model(generated = \"price * qty\")]\n    pub total: Option<i32>,",
                "#[model(generated(expr = \"qty / 2\", virtual))]\n    pub half: Option<i32>,",
                "#[model(collation(sqlite = \"NOCASE\"))]\n    pub code: String,",
            ],
        ),
    }
}

/// Reads the row with the Rust types adopt wrote.
async fn decode(db: &TestDb) {
    use sqlx::{Connection, Row};
    let sql = "SELECT * FROM gadgets";
    match db.kind() {
        Kind::Postgres => {
            let mut c = sqlx::PgConnection::connect(db.url()).await.unwrap();
            let row = sqlx::query(sql).fetch_one(&mut c).await.unwrap();
            assert_eq!(row.get::<Option<i64>, _>("total"), Some(12));
            assert_eq!(row.get::<String, _>("code"), "Ab");
            assert_eq!(row.get::<Vec<String>, _>("tags"), ["a", "b"]);
            assert_eq!(row.get::<Option<Vec<i32>>, _>("scores"), Some(vec![1, 2]));
            assert_eq!(
                row.get::<sqlx::postgres::types::PgInterval, _>("wait").days,
                1
            );
            assert_eq!(row.get::<sqlx::postgres::types::PgMoney, _>("cost").0, 250);
            assert_eq!(row.get::<String, _>("grade"), "A ");
            // inet keeps the host's address with the prefix, cidr the network.
            use sqlx::types::ipnetwork::IpNetwork;
            let host = row.get::<IpNetwork, _>("host");
            assert_eq!(host.to_string(), "192.168.0.7/24");
            let net = row.get::<Option<IpNetwork>, _>("net");
            assert_eq!(net.map(|n| n.to_string()).as_deref(), Some("10.1.0.0/16"));
            let mac = row.get::<sqlx::types::mac_address::MacAddress, _>("mac");
            assert_eq!(mac.bytes(), [0x08, 0x00, 0x2b, 0x01, 0x02, 0x03]);
        }
        Kind::MySql => {
            let mut c = sqlx::MySqlConnection::connect(db.url()).await.unwrap();
            let row = sqlx::query(sql).fetch_one(&mut c).await.unwrap();
            assert_eq!(row.get::<Option<i64>, _>("total"), Some(12));
            assert_eq!(row.get::<Option<i32>, _>("half"), Some(2));
            assert_eq!(row.get::<u16, _>("made"), 2024);
            assert_eq!(row.get::<i8, _>("level"), -5);
            assert_eq!(row.get::<u32, _>("serial"), 42);
            assert_eq!(row.get::<String, _>("flags"), "a,b");
            assert_eq!(row.get::<String, _>("code"), "Ab");
        }
        Kind::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(db.url()).await.unwrap();
            let row = sqlx::query(sql).fetch_one(&mut c).await.unwrap();
            assert_eq!(row.get::<Option<i32>, _>("total"), Some(12));
            assert_eq!(row.get::<Option<i32>, _>("half"), Some(2));
            assert_eq!(row.get::<String, _>("code"), "Ab");
        }
    }
}

async fn adopt_types(kind: Kind) {
    let Some(db) = throwaway(kind).await else {
        return;
    };
    let (sql, fields) = legacy(kind);
    execute_all(&db, &sql).await;
    let options = IntrospectOptions::default();
    let live = introspect(db.url(), &options).await.unwrap();
    let source = models_source(&live, None);
    for field in fields {
        assert!(
            source.contains(field),
            "{kind:?}: `{field}` missing from\n{source}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.rs"), &source).unwrap();
    let scanned = scan_sources(&[dir.path().to_path_buf()])
        .unwrap_or_else(|e| panic!("{kind:?}: adopted source does not scan: {e}\n{source}"));
    let models = scanned.schema();
    assert_eq!(
        normalize_schema(&models),
        normalize_schema(&live),
        "{kind:?}: the models describe another schema:\n{source}"
    );
    let drift = check(db.url(), &models, &options).await.unwrap();
    assert!(drift.is_empty(), "{kind:?}: drift {drift:?}");
    decode(&db).await;
    db.cleanup().await.unwrap();
}

#[tokio::test]
async fn adopt_writes_generated_collated_and_raw_columns_on_sqlite() {
    adopt_types(Kind::Sqlite).await;
}

#[tokio::test]
async fn adopt_writes_generated_collated_and_raw_columns_on_postgres() {
    adopt_types(Kind::Postgres).await;
}

#[tokio::test]
async fn adopt_writes_generated_collated_and_raw_columns_on_mysql() {
    adopt_types(Kind::MySql).await;
}

/// A PostgreSQL domain is adopted as its base type with the domain's checks: the
/// models scan back to the live schema, `check` sees no drift, sqlx decodes the
/// column as the base type, and a database built from the models refuses what
/// the domain refuses.
#[tokio::test]
async fn adopt_reads_a_postgres_domain_as_its_base_type_and_checks() {
    use sqlx::{Connection, Row};
    let Some(db) = throwaway(Kind::Postgres).await else {
        return;
    };
    execute_all(
        &db,
        &[
            "CREATE DOMAIN year_t AS integer NOT NULL CHECK (VALUE >= 1901 AND VALUE <= 2155)"
                .into(),
            "CREATE TABLE films (id BIGINT PRIMARY KEY, release_year year_t)".into(),
            "INSERT INTO films VALUES (1, 2001)".into(),
        ],
    )
    .await;
    let options = IntrospectOptions::default();
    let live = introspect(db.url(), &options).await.unwrap();
    let source = models_source(&live, None);
    assert!(
        source.contains("pub release_year: i32,")
            && source.contains("name = \"films_release_year_year_t_check\""),
        "{source}"
    );
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.rs"), &source).unwrap();
    let models = scan_sources(&[dir.path().to_path_buf()]).unwrap().schema();
    assert_eq!(
        normalize_schema(&models),
        normalize_schema(&live),
        "{source}"
    );
    assert!(check(db.url(), &models, &options).await.unwrap().is_empty());
    let mut c = sqlx::PgConnection::connect(db.url()).await.unwrap();
    let row = sqlx::query("SELECT release_year FROM films")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(row.try_get::<i32, _>(0).unwrap(), 2001);
    db.cleanup().await.unwrap();

    // Built from the models, the same rules hold without the domain.
    let Some(fresh) = throwaway(Kind::Postgres).await else {
        return;
    };
    execute_all(&fresh, &util::render(Kind::Postgres, &models)).await;
    assert!(
        util::run(&fresh, &["INSERT INTO films VALUES (1, 1800)".into()])
            .await
            .is_err()
    );
    assert!(
        util::run(&fresh, &["INSERT INTO films VALUES (2, NULL)".into()])
            .await
            .is_err()
    );
    fresh.cleanup().await.unwrap();
}
