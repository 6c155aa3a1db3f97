//! `#[derive(Model)]` on real structs: every attribute and every mapped Rust type,
//! checked by comparing `<X as Model>::table()` with the table written out by hand.

use migrate::core::{
    Check, Column, ColumnType, FkAction, ForeignKey, Index, IndexColumn, PrimaryKey, Table, Unique,
};
use migrate::Model;

/// Registered people.
#[derive(Model)]
#[allow(dead_code)]
struct User {
    #[model(primary_key, autoincrement)]
    id: i64,
    /// Where we write to.
    #[model(max_len = 255, unique)]
    email: String,
    #[model(check = "age >= 0", default = "0")]
    age: i32,
    #[model(
        column = "display_name",
        renamed_from = "name",
        comment = "shown publicly"
    )]
    nickname: Option<String>,
    #[model(skip)]
    cache: std::collections::HashMap<String, u8>,
}

#[test]
fn default_table_name_and_field_attributes() {
    assert_eq!(User::TABLE_NAME, "users");
    let mut email = Column::new("email", ColumnType::Varchar(255));
    email.comment = Some("Where we write to.".into());
    let mut id = Column::new("id", ColumnType::BigInt);
    id.autoincrement = true;
    let mut nick = Column::new("display_name", ColumnType::Text).nullable();
    nick.comment = Some("shown publicly".into());
    let mut expected = Table::new("users");
    expected.comment = Some("Registered people.".into());
    expected.columns = vec![
        id,
        email,
        Column::new("age", ColumnType::Integer).default_sql("0"),
        nick,
    ];
    expected.primary_key = Some(PrimaryKey {
        name: "pk_users".into(),
        columns: vec!["id".into()],
    });
    expected.uniques = vec![Unique {
        name: "uq_users_email".into(),
        columns: vec!["email".into()],
    }];
    expected.checks = vec![Check {
        name: "ck_users_age".into(),
        expr: "age >= 0".into(),
    }];
    assert_eq!(User::table(), expected);
}

/// Struct-level keys, constraints and indexes.
#[derive(Model)]
#[model(
    table = "memberships",
    primary_key(org_id, user_id),
    unique(user_id, role),
    unique(name = "uq_one_owner", columns(org_id, role)),
    index(org_id, joined_at desc),
    index(name = "ix_members_role", columns(role asc, joined_at desc), unique),
    check(name = "ck_role_known", expr = "role IN ('owner', 'member')"),
    comment = "Who belongs where."
)]
/// This doc comment is overridden by `comment`.
#[allow(dead_code)]
struct Membership {
    org_id: i64,
    user_id: i64,
    #[model(max_len = 16, index)]
    role: String,
    #[model(default = "CURRENT_TIMESTAMP")]
    joined_at: chrono::NaiveDateTime,
}

#[test]
fn struct_level_attributes() {
    let t = Membership::table();
    assert_eq!(Membership::TABLE_NAME, "memberships");
    assert_eq!(t.name, "memberships");
    assert_eq!(t.comment.as_deref(), Some("Who belongs where."));
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            name: "pk_memberships".into(),
            columns: vec!["org_id".into(), "user_id".into()],
        })
    );
    assert_eq!(
        t.uniques,
        vec![
            Unique {
                name: "uq_memberships_user_id_role".into(),
                columns: vec!["user_id".into(), "role".into()],
            },
            Unique {
                name: "uq_one_owner".into(),
                columns: vec!["org_id".into(), "role".into()],
            },
        ]
    );
    let desc = |n: &str| IndexColumn {
        name: n.into(),
        desc: true,
        ..Default::default()
    };
    assert_eq!(
        t.indexes,
        vec![
            Index {
                name: "ix_memberships_role".into(),
                columns: vec![IndexColumn::asc("role")],
                unique: false,
                ..Default::default()
            },
            Index {
                name: "ix_memberships_org_id_joined_at".into(),
                columns: vec![IndexColumn::asc("org_id"), desc("joined_at")],
                unique: false,
                ..Default::default()
            },
            Index {
                name: "ix_members_role".into(),
                columns: vec![IndexColumn::asc("role"), desc("joined_at")],
                unique: true,
                ..Default::default()
            },
        ]
    );
    assert_eq!(
        t.checks,
        vec![Check {
            name: "ck_role_known".into(),
            expr: "role IN ('owner', 'member')".into(),
        }]
    );
    assert_eq!(
        t.column("joined_at"),
        Some(&Column::new("joined_at", ColumnType::Timestamp).default_sql("CURRENT_TIMESTAMP"))
    );
    assert_eq!(t.column("role").unwrap().ty, ColumnType::Varchar(16));
}

/// Foreign keys: to a table by name, to a model's primary key, to a model's named
/// column, and to the struct itself.
#[derive(Model)]
#[allow(dead_code)]
struct Post {
    #[model(primary_key)]
    id: i64,
    #[model(references = User, on_delete = "cascade", on_update = "set null")]
    author_id: i64,
    #[model(references = "legacy_users(uid)", on_delete = "RESTRICT")]
    legacy_id: Option<i32>,
    #[model(references = self::User(email))]
    author_email: String,
    #[model(references = Self)]
    parent_id: Option<i64>,
    #[model(references = Self(id))]
    root_id: Option<i64>,
}

#[test]
fn foreign_keys_resolve_model_types() {
    let fks = Post::table().foreign_keys;
    let fk = |name: &str, col: &str, table: &str, ref_col: &str| ForeignKey {
        name: name.into(),
        columns: vec![col.into()],
        ref_table: table.into(),
        ref_columns: vec![ref_col.into()],
        on_delete: FkAction::NoAction,
        on_update: FkAction::NoAction,
        ..Default::default()
    };
    let mut author = fk("fk_posts_author_id_users", "author_id", "users", "id");
    author.on_delete = FkAction::Cascade;
    author.on_update = FkAction::SetNull;
    let mut legacy = fk(
        "fk_posts_legacy_id_legacy_users",
        "legacy_id",
        "legacy_users",
        "uid",
    );
    legacy.on_delete = FkAction::Restrict;
    assert_eq!(
        fks,
        vec![
            author,
            legacy,
            fk(
                "fk_posts_author_email_users",
                "author_email",
                "users",
                "email"
            ),
            fk("fk_posts_parent_id_posts", "parent_id", "posts", "id"),
            fk("fk_posts_root_id_posts", "root_id", "posts", "id"),
        ]
    );
}

/// Two models that reference each other by type: `table()` must not recurse.
#[derive(Model)]
#[allow(dead_code)]
struct Team {
    #[model(primary_key)]
    id: i32,
    #[model(references = Player)]
    captain_id: Option<i32>,
}

#[derive(Model)]
#[allow(dead_code)]
struct Player {
    #[model(primary_key)]
    id: i32,
    #[model(references = Team)]
    team_id: i32,
}

#[test]
fn mutual_references_do_not_recurse() {
    assert_eq!(Team::table().foreign_keys[0].ref_table, "players");
    assert_eq!(Team::table().foreign_keys[0].ref_columns, vec!["id"]);
    assert_eq!(Player::table().foreign_keys[0].ref_table, "teams");
}

/// Every mapped Rust type, written both fully and imported.
#[derive(Model)]
#[allow(dead_code)]
struct Everything {
    #[model(primary_key)]
    small: i16,
    int: i32,
    big: i64,
    real: f32,
    double: f64,
    flag: bool,
    text: String,
    #[model(max_len = 20)]
    short: std::string::String,
    blob: Vec<u8>,
    c_date: chrono::NaiveDate,
    c_time: chrono::NaiveTime,
    c_stamp: chrono::NaiveDateTime,
    c_utc: chrono::DateTime<chrono::Utc>,
    c_fixed: chrono::DateTime<chrono::FixedOffset>,
    c_local: DateTime<Local>,
    t_date: time::Date,
    t_time: time::Time,
    t_stamp: time::PrimitiveDateTime,
    t_offset: OffsetDateTime,
    id: uuid::Uuid,
    doc: serde_json::Value,
    typed: sqlx::types::Json<Vec<String>>,
    #[model(precision = 10, scale = 2)]
    price: rust_decimal::Decimal,
    maybe: Option<i64>,
    maybe_json: std::option::Option<Json<serde_json::Value>>,
    #[model(sql_type = "raw(CITEXT)")]
    ci: String,
    #[model(sql_type = "varchar(20)")]
    custom: std::collections::BTreeSet<u8>,
}

use chrono::{DateTime, Local};
use sqlx::types::Json;
use time::OffsetDateTime;

#[test]
fn rust_types_map_to_column_types() {
    use ColumnType::*;
    let t = Everything::table();
    let got: Vec<(&str, ColumnType, bool)> = t
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.ty.clone(), c.nullable))
        .collect();
    let expected = vec![
        ("small", SmallInt, false),
        ("int", Integer, false),
        ("big", BigInt, false),
        ("real", Float, false),
        ("double", Double, false),
        ("flag", Boolean, false),
        ("text", Text, false),
        ("short", Varchar(20), false),
        ("blob", Bytes, false),
        ("c_date", Date, false),
        ("c_time", Time, false),
        ("c_stamp", Timestamp, false),
        ("c_utc", TimestampTz, false),
        ("c_fixed", TimestampTz, false),
        ("c_local", TimestampTz, false),
        ("t_date", Date, false),
        ("t_time", Time, false),
        ("t_stamp", Timestamp, false),
        ("t_offset", TimestampTz, false),
        ("id", Uuid, false),
        ("doc", Json, false),
        ("typed", Json, false),
        (
            "price",
            Decimal {
                precision: 10,
                scale: 2,
            },
            false,
        ),
        ("maybe", BigInt, true),
        ("maybe_json", Json, true),
        ("ci", Raw("CITEXT".into()), false),
        ("custom", Varchar(20), false),
    ];
    assert_eq!(got, expected);
    assert_eq!(Everything::TABLE_NAME, "everythings");
}

/// The derive next to sqlx's `FromRow` on the same struct, with `#[sqlx]` field
/// attributes mixed with `#[model]` ones.
#[derive(Model, sqlx::FromRow)]
#[allow(dead_code)]
struct Account {
    #[model(primary_key)]
    id: i64,
    #[sqlx(rename = "login")]
    #[model(column = "login", max_len = 64)]
    name: String,
    #[sqlx(default)]
    #[model(default = "false")]
    active: bool,
}

#[test]
fn compiles_next_to_sqlx_from_row() {
    // Generic over the row type, so it type-checks without a database driver; the
    // bounds are the field types' own, so the call only compiles if `FromRow` was
    // really derived for `Account`.
    #[allow(dead_code)]
    fn read<'r, R: sqlx::Row>(row: &'r R) -> sqlx::Result<Account>
    where
        &'r str: sqlx::ColumnIndex<R>,
        i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        bool: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    {
        <Account as sqlx::FromRow<'r, R>>::from_row(row)
    }
    assert_eq!(
        Account::table().column("login").unwrap().ty,
        ColumnType::Varchar(64)
    );
}

mod facade {
    pub use migrate::*;
}

/// `crate = "..."` points generated code at another path to the facade.
#[derive(migrate::Model)]
#[model(crate = "crate::facade", table = "widgets", renamed_from = "gadgets")]
#[allow(dead_code)]
struct Widget {
    #[model(primary_key, renamed_from = "gid")]
    id: i32,
}

#[test]
fn crate_path_override() {
    assert_eq!(<Widget as facade::Model>::TABLE_NAME, "widgets");
    assert_eq!(Widget::table().columns.len(), 1);
}

/// Keys named the way PostgreSQL names them, and a composite foreign key.
#[derive(Model)]
#[model(table = "tenants")]
#[allow(dead_code)]
struct Tenant {
    #[model(primary_key(name = "tenants_pkey"))]
    id: i64,
    tenant_id: i64,
}

#[derive(Model)]
#[model(primary_key(name = "entries_pkey", columns(tenant_id, id)))]
#[model(foreign_key(
    columns(tenant_id, owner_id),
    references = "tenants(tenant_id, id)",
    name = "entries_tenant_fkey",
    on_delete = "cascade",
))]
#[model(foreign_key(columns(tenant_id, editor_id), references = "tenants(tenant_id, id)"))]
// Clippy's `duplicated_attributes` reads two `foreign_key(...)` lists that share a
// column and a target as a repeated attribute; they are two keys.
#[allow(dead_code, clippy::duplicated_attributes)]
struct Entry {
    tenant_id: i64,
    id: i64,
    owner_id: i64,
    #[model(references = Tenant, fk_name = "entries_editor_id_fkey")]
    editor_id: i64,
}

#[test]
fn custom_key_names_and_composite_foreign_keys() {
    let tenant = <Tenant as Model>::table();
    assert_eq!(tenant.primary_key.unwrap().name, "tenants_pkey");
    let t = <Entry as Model>::table();
    assert_eq!(
        t.primary_key,
        Some(PrimaryKey {
            name: "entries_pkey".into(),
            columns: vec!["tenant_id".into(), "id".into()],
        })
    );
    let fk = |name: &str, columns: &[&str], ref_columns: &[&str], on_delete| ForeignKey {
        name: name.into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        ref_table: "tenants".into(),
        ref_columns: ref_columns.iter().map(|c| c.to_string()).collect(),
        on_delete,
        on_update: FkAction::NoAction,
        ..Default::default()
    };
    assert_eq!(
        t.foreign_keys,
        vec![
            // The field's key to a model type keeps its `fk_name` once resolved.
            fk(
                "entries_editor_id_fkey",
                &["editor_id"],
                &["id"],
                FkAction::NoAction
            ),
            fk(
                "entries_tenant_fkey",
                &["tenant_id", "owner_id"],
                &["tenant_id", "id"],
                FkAction::Cascade
            ),
            fk(
                "fk_entries_tenant_id_editor_id_tenants",
                &["tenant_id", "editor_id"],
                &["tenant_id", "id"],
                FkAction::NoAction
            ),
        ]
    );
}

/// A Rust enum next to `sqlx::Type`: its labels follow sqlx's `rename_all` and
/// `rename`, and a model field of it is a column of the enum type.
#[derive(sqlx::Type, migrate::Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[sqlx(type_name = "mood", rename_all = "lowercase")]
#[allow(dead_code)]
enum Mood {
    Happy,
    #[sqlx(rename = "meh")]
    Neutral,
    VerySad,
}

/// Without `type_name` the type is named after the enum, as sqlx names it.
#[derive(migrate::Enum)]
#[sqlx(rename_all = "SCREAMING_SNAKE_CASE")]
#[allow(dead_code)]
enum Priority {
    RightNow,
    Later,
}

#[derive(Model)]
#[model(table = "diary")]
#[allow(dead_code)]
struct DiaryEntry {
    #[model(primary_key)]
    id: i64,
    #[model(default = "'happy'")]
    today: Mood,
    yesterday: Option<Mood>,
    priority: self::Priority,
}

#[test]
fn rust_enum_fields_are_columns_of_the_enum_type() {
    use migrate::Enum as _;
    assert_eq!(Mood::TYPE_NAME, "mood");
    assert_eq!(Mood::LABELS, ["happy", "meh", "verysad"]);
    assert_eq!(Priority::LABELS, ["RIGHT_NOW", "LATER"]);
    let mood = ColumnType::Enum {
        name: "mood".into(),
        values: vec!["happy".into(), "meh".into(), "verysad".into()],
    };
    let table = DiaryEntry::table();
    let today = table.column("today").unwrap();
    assert_eq!(today.ty, mood);
    assert!(!today.nullable);
    assert_eq!(today.default.as_deref(), Some("'happy'"));
    let yesterday = table.column("yesterday").unwrap();
    assert_eq!(yesterday.ty, mood);
    assert!(yesterday.nullable);
    assert_eq!(
        table.column("priority").unwrap().ty,
        ColumnType::Enum {
            name: "Priority".into(),
            values: vec!["RIGHT_NOW".into(), "LATER".into()],
        }
    );
}

/// Types per database, generated columns, collations and `ON UPDATE`.
#[derive(Model)]
#[allow(dead_code)]
struct Gadget {
    #[model(primary_key)]
    id: i64,
    qty: i32,
    #[model(generated = "qty * 2")]
    doubled: Option<i64>,
    #[model(generated(expr = "qty || 'x'", virtual, mysql = "concat(qty, 'x')"))]
    tagged: Option<String>,
    #[model(collation(postgres = "C", sqlite = "NOCASE"))]
    label: String,
    tags: Vec<String>,
    #[model(sql_type(postgres = "inet", mysql = "varchar(45)", sqlite = "text"))]
    addr: Option<String>,
    #[model(default = "CURRENT_TIMESTAMP", on_update_current_timestamp)]
    touched: chrono::NaiveDateTime,
}

#[test]
fn column_extras_reach_the_table() {
    use migrate::core::column_extras::{Generated, PerDatabase};
    use migrate::core::dialect::DialectKind::*;
    let t = Gadget::table();
    let col = |name: &str| t.column(name).unwrap().clone();
    assert_eq!(col("doubled").generated, Some(Generated::stored("qty * 2")));
    assert_eq!(
        col("tagged").generated,
        Some(Generated {
            per_database: PerDatabase::default().with(MySql, "concat(qty, 'x')"),
            ..Generated::virtual_("qty || 'x'")
        })
    );
    assert_eq!(
        col("label").collation,
        PerDatabase::default()
            .with(Postgres, "C")
            .with(Sqlite, "NOCASE")
    );
    assert_eq!(
        col("tags").ty,
        ColumnType::PerDatabase(PerDatabase::default().with(Postgres, "text[]"))
    );
    assert_eq!(
        col("addr").ty,
        ColumnType::PerDatabase(
            PerDatabase::default()
                .with(Postgres, "inet")
                .with(MySql, "varchar(45)")
                .with(Sqlite, "text")
        )
    );
    assert_eq!(
        col("touched").on_update.as_deref(),
        Some("CURRENT_TIMESTAMP")
    );
}
