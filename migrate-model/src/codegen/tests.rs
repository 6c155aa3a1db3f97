//! Tests of the generated model source: its text, and a round trip through the
//! source scanner back to the same schema.

use super::*;
use migrate_core::schema::{Check, ForeignKey, Index, IndexColumn, PrimaryKey, Unique};

fn sample() -> Schema {
    let mut artist = Table::new("Artist");
    let mut id = Column::new("ArtistId", ColumnType::Integer);
    id.autoincrement = true;
    artist.columns.push(id);
    artist
        .columns
        .push(Column::new("Name", ColumnType::Varchar(120)).nullable());
    artist.primary_key = Some(PrimaryKey {
        name: naming::primary_key("Artist"),
        columns: vec!["ArtistId".into()],
    });
    let mut album = Table::new("album");
    album.comment = Some("Albums \"released\"".into());
    album.columns.push(Column::new("id", ColumnType::BigInt));
    album
        .columns
        .push(Column::new("type", ColumnType::Raw("citext".into())).default_sql("'lp'"));
    album
        .columns
        .push(Column::new("artist_id", ColumnType::Integer));
    album.columns.push(
        Column::new(
            "price",
            ColumnType::Decimal {
                precision: 10,
                scale: 2,
            },
        )
        .default_sql("0"),
    );
    album.primary_key = Some(PrimaryKey {
        name: "pk_album".into(),
        columns: vec!["id".into()],
    });
    album.uniques.push(Unique {
        name: "uq_album_type".into(),
        columns: vec!["type".into()],
    });
    album.uniques.push(Unique {
        name: "album_pair".into(),
        columns: vec!["artist_id".into(), "type".into()],
    });
    album.indexes.push(Index {
        name: "ix_album_price".into(),
        columns: vec![IndexColumn {
            name: "price".into(),
            desc: true,
            ..Default::default()
        }],
        unique: false,
        ..Default::default()
    });
    album.foreign_keys.push(ForeignKey {
        name: naming::foreign_key("album", &["artist_id"], "Artist"),
        columns: vec!["artist_id".into()],
        ref_table: "Artist".into(),
        ref_columns: vec!["ArtistId".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
        ..Default::default()
    });
    album.checks.push(Check {
        name: "ck_album_price".into(),
        expr: "price >= 0".into(),
    });
    Schema::from_tables([artist, album])
}

#[test]
fn names_become_rust_names() {
    assert_eq!(struct_name("invoice_line"), "InvoiceLine");
    assert_eq!(struct_name("2fa"), "T2fa");
    assert_eq!(field_name("ArtistId"), ("artist_id".into(), false));
    assert_eq!(field_name("HTTPCode"), ("http_code".into(), false));
    assert_eq!(field_name("type"), ("type_".into(), false));
    assert_eq!(field_name("user_id"), ("user_id".into(), true));
}

#[test]
fn source_parses_and_carries_every_attribute() {
    let src = models_source(&sample(), None);
    let file = syn::parse_file(&src).unwrap_or_else(|e| panic!("{e}\n{src}"));
    assert_eq!(file.items.len(), 3, "{src}");
    for needle in [
        "#[model(table = \"Artist\")]",
        "pub struct Artist {",
        "#[model(column = \"ArtistId\", primary_key, autoincrement)]",
        "pub name: Option<String>,",
        "max_len = 120",
        "comment = \"Albums \\\"released\\\"\"",
        "#[model(unique(name = \"album_pair\", columns(artist_id, type_)))]",
        "#[model(index(name = \"ix_album_price\", columns(price desc)))]",
        "#[model(check(name = \"ck_album_price\", expr = \"price >= 0\"))]",
        "sql_type = \"raw(citext)\", unique, default = \"'lp'\"",
        "references = \"Artist(ArtistId)\", on_delete = \"cascade\"",
        "rust_decimal::Decimal",
    ] {
        assert!(src.contains(needle), "missing {needle} in\n{src}");
    }
}

#[test]
fn chosen_tables_only() {
    let src = models_source(&sample(), Some(&["album".to_string(), "nope".to_string()]));
    assert!(src.contains("pub struct Album"));
    assert!(!src.contains("pub struct Artist"));
}

/// A PostgreSQL-style schema: keys named `users_pkey` / `posts_user_id_fkey`, a
/// named composite primary key, and composite foreign keys with and without a
/// conventional name.
fn postgres_named() -> Schema {
    let mut users = Table::new("users");
    users.columns.push(Column::new("id", ColumnType::BigInt));
    users
        .columns
        .push(Column::new("tenant_id", ColumnType::BigInt));
    users.primary_key = Some(PrimaryKey {
        name: "users_pkey".into(),
        columns: vec!["id".into()],
    });
    users.uniques.push(Unique {
        name: "users_tenant_id_id_key".into(),
        columns: vec!["tenant_id".into(), "id".into()],
    });
    let mut posts = Table::new("posts");
    for c in ["tenant_id", "id", "user_id", "editor_id"] {
        posts.columns.push(Column::new(c, ColumnType::BigInt));
    }
    posts.primary_key = Some(PrimaryKey {
        name: "posts_pkey".into(),
        columns: vec!["tenant_id".into(), "id".into()],
    });
    posts.foreign_keys.push(ForeignKey {
        name: "posts_user_id_fkey".into(),
        columns: vec!["user_id".into()],
        ref_table: "users".into(),
        ref_columns: vec!["id".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
        ..Default::default()
    });
    posts.foreign_keys.push(ForeignKey {
        name: "posts_tenant_id_editor_id_fkey".into(),
        columns: vec!["tenant_id".into(), "editor_id".into()],
        ref_table: "users".into(),
        ref_columns: vec!["tenant_id".into(), "id".into()],
        on_delete: FkAction::SetNull,
        on_update: FkAction::Cascade,
        ..Default::default()
    });
    posts.foreign_keys.push(ForeignKey {
        name: naming::foreign_key("posts", &["tenant_id", "user_id"], "users"),
        columns: vec!["tenant_id".into(), "user_id".into()],
        ref_table: "users".into(),
        ref_columns: vec!["tenant_id".into(), "id".into()],
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        ..Default::default()
    });
    Schema::from_tables([users, posts])
}

#[test]
fn custom_key_names_and_composite_foreign_keys_round_trip_through_the_scanner() {
    let schema = postgres_named();
    let src = models_source(&schema, None);
    for needle in [
        "primary_key(name = \"users_pkey\")",
        "primary_key(name = \"posts_pkey\", columns(tenant_id, id))",
        "fk_name = \"posts_user_id_fkey\"",
        "#[model(foreign_key(\n    columns(tenant_id, editor_id),\n    \
         references = \"users(tenant_id, id)\",\n    name = \"posts_tenant_id_editor_id_fkey\",\n    \
         on_delete = \"set_null\",\n    on_update = \"cascade\",\n))]",
        // The conventional name is left to the convention.
        "foreign_key(columns(tenant_id, user_id), references = \"users(tenant_id, id)\"))]",
    ] {
        assert!(src.contains(needle), "missing {needle} in\n{src}");
    }
    assert!(!src.contains("//  ") && !src.contains("    //"), "{src}");
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.rs"), &src).unwrap();
    let scanned = crate::scan::scan_sources(&[dir.path().to_path_buf()])
        .unwrap_or_else(|e| panic!("generated source does not scan: {e}\n{src}"));
    assert_eq!(scanned.schema(), schema, "{src}");
}

/// Index shapes and deferrable keys as `adopt` writes them, scanned back to the
/// same schema.
#[test]
fn index_shapes_and_deferrable_keys_round_trip_through_the_scanner() {
    use migrate_core::schema::{Deferrable, IndexMethod};
    let mut schema = postgres_named();
    let posts = schema.tables.get_mut("posts").unwrap();
    posts.foreign_keys[0].deferrable = Deferrable::Deferred;
    posts.indexes.push(Index {
        name: "ix_posts_user_abs".into(),
        columns: vec![
            IndexColumn::asc("tenant_id"),
            IndexColumn {
                name: "abs(user_id)".into(),
                desc: true,
                expression: true,
                ..Default::default()
            },
        ],
        predicate: Some("id > 0".into()),
        ..Default::default()
    });
    posts.indexes.push(Index {
        name: "ix_posts_tenant_text".into(),
        columns: vec![
            IndexColumn {
                opclass: Some("int4_ops".into()),
                collation: None,
                ..IndexColumn::asc("tenant_id")
            },
            IndexColumn {
                name: "id::text".into(),
                expression: true,
                opclass: Some("text_pattern_ops".into()),
                collation: Some("C".into()),
                ..Default::default()
            },
        ],
        ..Default::default()
    });
    posts.indexes.push(Index {
        name: "ix_posts_user_hash".into(),
        columns: vec![IndexColumn::asc("user_id")],
        method: Some(IndexMethod::Hash),
        include: vec!["id".into()],
        ..Default::default()
    });
    let src = models_source(&schema, None);
    for needle in [
        "columns(tenant_id, \"abs(user_id)\" desc), where = \"id > 0\"",
        "method = \"hash\", include(id)",
        "deferrable = \"deferred\"",
        "opclass(tenant_id = \"int4_ops\", \"id::text\" = \"text_pattern_ops\"), \
         collation(\"id::text\" = \"C\")",
    ] {
        assert!(src.contains(needle), "missing {needle} in\n{src}");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.rs"), &src).unwrap();
    let scanned = crate::scan::scan_sources(&[dir.path().to_path_buf()])
        .unwrap_or_else(|e| panic!("generated source does not scan: {e}\n{src}"));
    assert_eq!(scanned.schema(), schema, "{src}");
}

/// Enum types become Rust enums: a label list that one of sqlx's rules spells is
/// written with `rename_all`, other labels with `rename`; the scan reads the
/// source back to the same schema, enum types included.
#[test]
fn enum_types_become_rust_enums_that_round_trip_through_the_scanner() {
    use migrate_core::EnumType;
    let mood = EnumType::new("mood", ["happy", "so_so"]);
    let rating = EnumType::new("mpaa_rating", ["G", "PG", "PG-13", "R", "NC-17"]);
    let mut film = Table::new("film");
    film.columns = vec![
        Column::new("id", ColumnType::BigInt),
        Column::new("rating", rating.column_type())
            .nullable()
            .default_sql("'G'"),
        Column::new("mood", mood.column_type()),
    ];
    film.primary_key = Some(PrimaryKey {
        name: naming::primary_key("film"),
        columns: vec!["id".into()],
    });
    // A table named like an enum type: the enum gets another Rust name.
    let mut moods = Table::new("mood");
    moods.columns = vec![Column::new("id", ColumnType::BigInt)];
    moods.primary_key = Some(PrimaryKey {
        name: naming::primary_key("mood"),
        columns: vec!["id".into()],
    });
    let schema = Schema::from_tables([film, moods]);
    let source = models_source(&schema, None);
    for needle in [
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, migrate::Enum)]\n#[model(sqlx_type)]\n#[sqlx(type_name = \"mood\", rename_all = \"snake_case\")]\npub enum MoodEnum {\n    Happy,\n    SoSo,\n}",
        "#[sqlx(type_name = \"mpaa_rating\", rename_all = \"UPPERCASE\")]\npub enum MpaaRating {\n    G,\n    Pg,\n    #[sqlx(rename = \"PG-13\")]\n    Pg13,\n    R,\n    #[sqlx(rename = \"NC-17\")]\n    Nc17,\n}",
        "    pub rating: Option<MpaaRating>,",
        "    pub mood: MoodEnum,",
        "pub struct Mood {",
    ] {
        assert!(source.contains(needle), "{needle}\n---\n{source}");
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("models.rs"), &source).unwrap();
    let scanned = crate::scan::scan_sources(&[dir.path().to_path_buf()]).unwrap();
    assert_eq!(scanned.schema(), schema);
}
