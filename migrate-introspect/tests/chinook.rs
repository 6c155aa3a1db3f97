//! A Chinook-like sample database, written as plain SQL per dialect, loaded and
//! introspected: the result is checked table by table, and the three databases
//! must agree with each other.

mod util;

use migrate_core::dialect::DialectKind as Kind;
use migrate_core::{naming, ColumnType, FkAction, IndexColumn, Schema};
use migrate_introspect::{check, introspect, normalize_schema, IntrospectOptions};
use util::{execute_all, throwaway};

fn ddl(kind: Kind) -> Vec<String> {
    let text = match kind {
        Kind::Postgres => include_str!("data/chinook.postgres.sql"),
        Kind::MySql => include_str!("data/chinook.mysql.sql"),
        Kind::Sqlite => include_str!("data/chinook.sqlite.sql"),
    };
    text.split(";\n")
        .map(|s| {
            s.lines()
                .filter(|l| !l.starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|s| !s.trim().is_empty())
        .collect()
}

async fn load(kind: Kind) -> Option<(util::TestDb, Schema)> {
    let db = throwaway(kind).await?;
    execute_all(&db, &ddl(kind)).await;
    let schema = introspect(db.url(), &IntrospectOptions::default())
        .await
        .unwrap_or_else(|e| panic!("{kind:?}: {e}"));
    Some((db, schema))
}

/// The facts every database must report the same way.
fn assert_chinook(kind: Kind, s: &Schema) {
    let names: Vec<&str> = s.tables.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        [
            "Album",
            "Artist",
            "Customer",
            "Employee",
            "Genre",
            "Invoice",
            "InvoiceLine",
            "MediaType",
            "Playlist",
            "PlaylistTrack",
            "Track"
        ],
        "{kind:?}: tables (the version table is left out)"
    );
    let track = s.table("Track").unwrap();
    let cols: Vec<(&str, &ColumnType, bool)> = track
        .columns
        .iter()
        .map(|c| (c.name.as_str(), &c.ty, c.nullable))
        .collect();
    assert_eq!(
        cols,
        [
            ("TrackId", &ColumnType::Integer, false),
            ("Name", &ColumnType::Varchar(200), false),
            ("AlbumId", &ColumnType::Integer, true),
            ("MediaTypeId", &ColumnType::Integer, false),
            ("GenreId", &ColumnType::Integer, true),
            ("Composer", &ColumnType::Varchar(220), true),
            ("Milliseconds", &ColumnType::Integer, false),
            ("Bytes", &ColumnType::Integer, true),
            (
                "UnitPrice",
                &ColumnType::Decimal {
                    precision: 10,
                    scale: 2
                },
                false
            ),
        ],
        "{kind:?}: Track columns"
    );
    assert!(
        track.columns[0].autoincrement,
        "{kind:?}: TrackId is generated"
    );
    assert!(
        track.columns[0].default.is_none(),
        "{kind:?}: serial's nextval is no default"
    );
    assert_eq!(
        track.column("UnitPrice").unwrap().default.as_deref(),
        Some("0.99")
    );
    let fk_album = track
        .foreign_keys
        .iter()
        .find(|f| f.name == "FK_TrackAlbumId")
        .unwrap();
    assert_eq!(fk_album.ref_table, "Album");
    assert_eq!(fk_album.ref_columns, ["AlbumId"]);
    assert_eq!(fk_album.on_delete, FkAction::SetNull, "{kind:?}");
    assert_eq!(
        track.foreign_keys.len(),
        3,
        "{kind:?}: {:?}",
        track.foreign_keys
    );
    let index_names: Vec<&str> = track.indexes.iter().map(|i| i.name.as_str()).collect();
    assert_eq!(
        index_names,
        [
            "IFK_TrackAlbumId",
            "IFK_TrackGenreId",
            "IFK_TrackMediaTypeId",
            "ix_TrackAlbumName"
        ],
        "{kind:?}: explicit indexes once each, no implicit ones"
    );
    let unique_ix = track
        .indexes
        .iter()
        .find(|i| i.name == "ix_TrackAlbumName")
        .unwrap();
    assert!(unique_ix.unique);

    let invoice = s.table("Invoice").unwrap();
    let by_date = invoice
        .indexes
        .iter()
        .find(|i| i.name == "IX_InvoiceDate")
        .unwrap();
    assert_eq!(
        by_date.columns,
        [
            IndexColumn {
                name: "InvoiceDate".into(),
                desc: true,
                ..Default::default()
            },
            IndexColumn::asc("Total")
        ],
        "{kind:?}: index order"
    );
    assert_eq!(
        invoice.column("InvoiceDate").unwrap().default.as_deref(),
        Some("current_timestamp"),
        "{kind:?}"
    );
    assert_eq!(
        invoice.column("Total").unwrap().default.as_deref(),
        Some("0")
    );
    assert_eq!(
        invoice.column("InvoiceDate").unwrap().ty,
        ColumnType::Timestamp
    );

    let customer = s.table("Customer").unwrap();
    assert_eq!(customer.uniques.len(), 1, "{kind:?}");
    assert_eq!(customer.uniques[0].name, "UQ_CustomerEmail");
    assert_eq!(
        customer.column("Country").unwrap().default.as_deref(),
        Some("'USA'")
    );
    let rep = &customer.foreign_keys[0];
    assert_eq!(
        (rep.on_delete, rep.on_update),
        (FkAction::SetNull, FkAction::Cascade)
    );

    let employee = s.table("Employee").unwrap();
    assert_eq!(
        employee.foreign_keys[0].ref_table, "Employee",
        "self reference"
    );

    let line = s.table("InvoiceLine").unwrap();
    assert_eq!(line.checks.len(), 1, "{kind:?}: {:?}", line.checks);
    assert_eq!(line.checks[0].name, "CK_InvoiceLineQuantity");
    // PostgreSQL stores the quoted mixed-case name, which keeps its quotes (it
    // would read `quantity` otherwise); the SQLite DDL writes it unquoted, and
    // MySQL's backquoted names ignore case: both lose their quotes.
    let expected = match kind {
        Kind::Postgres => "\"Quantity\" > 0",
        _ => "quantity > 0",
    };
    assert_eq!(line.checks[0].expr, expected, "{kind:?}");
    assert_eq!(
        line.foreign_keys
            .iter()
            .find(|f| f.name == "FK_InvoiceLineInvoiceId")
            .unwrap()
            .on_delete,
        FkAction::Cascade
    );

    let pt = s.table("PlaylistTrack").unwrap();
    assert_eq!(
        pt.primary_key.as_ref().unwrap().columns,
        ["PlaylistId", "TrackId"]
    );
    assert!(pt.columns.iter().all(|c| !c.autoincrement));
}

/// What may differ between databases: primary-key names (MySQL has none, the
/// SQLite file leaves them out) and comments (SQLite has none).
fn comparable(schema: &Schema) -> Schema {
    let mut s = migrate_introspect::storable(migrate_core::dialect::DialectKind::Sqlite, schema);
    for t in s.tables.values_mut() {
        if let Some(pk) = &mut t.primary_key {
            pk.name = naming::primary_key(&t.name);
        }
        // Each database spells the mixed-case name in its own way (PostgreSQL needs
        // the quotes, the others ignore case): compared without them.
        for c in &mut t.checks {
            c.expr = c.expr.replace('"', "").to_lowercase();
        }
    }
    normalize_schema(&s)
}

#[tokio::test]
async fn chinook_reads_back_the_same_on_every_database() {
    let mut read = Vec::new();
    for kind in util::ALL {
        let Some((db, schema)) = load(kind).await else {
            continue;
        };
        assert_chinook(kind, &schema);
        match kind {
            Kind::Sqlite => {
                assert_eq!(schema.table("Artist").unwrap().comment, None);
            }
            _ => {
                assert_eq!(
                    schema.table("Invoice").unwrap().comment.as_deref(),
                    Some("Invoices sent to customers"),
                    "{kind:?}"
                );
                let email = schema.table("Customer").unwrap().column("Email").unwrap();
                assert_eq!(email.comment.as_deref(), Some("Unique login"), "{kind:?}");
            }
        }
        if kind == Kind::Postgres {
            assert_eq!(
                schema
                    .table("Artist")
                    .unwrap()
                    .primary_key
                    .as_ref()
                    .unwrap()
                    .name,
                "PK_Artist"
            );
        }
        // Chinook has nothing the models cannot hold.
        let items =
            migrate_introspect::unmodelled(db.url(), &schema, &IntrospectOptions::default())
                .await
                .unwrap();
        assert!(items.is_empty(), "{kind:?}: {items:#?}");
        // The live database has no drift against what was read from it ...
        let drift = check(db.url(), &schema, &IntrospectOptions::default())
            .await
            .unwrap();
        assert!(drift.is_empty(), "{kind:?}: {drift:#?}");
        // ... and a changed head shows up as operations.
        let mut head = schema.clone();
        head.tables.remove("Playlist");
        head.tables.get_mut("Track").unwrap().columns.pop();
        let drift = check(db.url(), &head, &IntrospectOptions::default())
            .await
            .unwrap();
        assert_eq!(drift.len(), 2, "{kind:?}: {drift:#?}");
        db.cleanup().await.unwrap();
        read.push((kind, comparable(&schema)));
    }
    for pair in read.windows(2) {
        assert_eq!(
            pair[0].1, pair[1].1,
            "{:?} and {:?} disagree",
            pair[0].0, pair[1].0
        );
    }
}
