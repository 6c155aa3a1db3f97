//! sqlx's `Type`, `Encode` and `Decode` for a `#[derive(migrate::Enum)]` enum with
//! `#[model(sqlx_type)]`, for the databases this crate is built with.
//!
//! The derive calls [`__sqlx_enum!`](crate::__sqlx_enum), which calls one macro per
//! database. Each of those is defined twice below, by this crate's own features:
//! with the database, it implements the traits; without it, it expands to nothing.
//! So the user's crate needs no feature of its own, and sqlx is this crate's (the
//! same crate as the user's sqlx 0.8).
//!
//! What each database is given:
//! - PostgreSQL: the type named by `type_name` (an enum type; text is read too),
//!   and `PgHasArrayType` (`Vec<Enum>`) unless `#[sqlx(no_pg_array)]`;
//! - MySQL/MariaDB: any `ENUM` or text column, whatever its flags (sqlx 0.8's own
//!   derive compares them exactly and refuses an `ENUM ... NOT NULL` column: sqlx
//!   issue #3750) or collation;
//! - SQLite: text.
//!
//! Values are written and read as their labels ([`crate::core::Enum::label`]); a
//! label the enum lacks is a decode error naming it ([`crate::core::UnknownLabel`]).

/// Implements sqlx's traits for the enum `$ty` of the enum type `$name`.
#[doc(hidden)]
#[macro_export]
macro_rules! __sqlx_enum {
    ($ty:ident, $name:literal, $array:ident) => {
        $crate::__sqlx_enum_postgres!($ty, $name, $array);
        $crate::__sqlx_enum_mysql!($ty);
        $crate::__sqlx_enum_sqlite!($ty);
        $crate::__sqlx_enum_any!();
    };
}

/// `Encode` and `Decode` for the enum `$ty` on the database `$db`: the label, with
/// `$db`'s `&str` encoder and decoder (a label the enum lacks is a decode error).
#[doc(hidden)]
#[macro_export]
macro_rules! __sqlx_enum_codec {
    ($ty:ident, $db:path) => {
        impl<'q> $crate::__private::sqlx::Encode<'q, $db> for $ty {
            fn encode_by_ref(
                &self,
                buf: &mut <$db as $crate::__private::sqlx::Database>::ArgumentBuffer<'q>,
            ) -> ::core::result::Result<
                $crate::__private::sqlx::encode::IsNull,
                $crate::__private::sqlx::error::BoxDynError,
            > {
                let label: &'static str = <$ty as $crate::core::Enum>::label(self);
                <&str as $crate::__private::sqlx::Encode<'q, $db>>::encode(label, buf)
            }
        }
        impl<'r> $crate::__private::sqlx::Decode<'r, $db> for $ty {
            fn decode(
                value: <$db as $crate::__private::sqlx::Database>::ValueRef<'r>,
            ) -> ::core::result::Result<Self, $crate::__private::sqlx::error::BoxDynError> {
                let label = <&str as $crate::__private::sqlx::Decode<'r, $db>>::decode(value)?;
                ::core::result::Result::Ok($crate::core::decode_label::<$ty>(label)?)
            }
        }
    };
}

#[cfg(all(feature = "runtime", feature = "postgres"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __sqlx_enum_postgres {
    ($ty:ident, $name:literal, $array:ident) => {
        impl $crate::__private::sqlx::Type<$crate::__private::sqlx::Postgres> for $ty {
            fn type_info() -> $crate::__private::sqlx::postgres::PgTypeInfo {
                $crate::__private::sqlx::postgres::PgTypeInfo::with_name($name)
            }
            fn compatible(ty: &$crate::__private::sqlx::postgres::PgTypeInfo) -> bool {
                *ty == <Self as $crate::__private::sqlx::Type<
                                                    $crate::__private::sqlx::Postgres,
                                                >>::type_info()
                                                    || <&str as $crate::__private::sqlx::Type<
                                                        $crate::__private::sqlx::Postgres,
                                                    >>::compatible(ty)
            }
        }
        $crate::__sqlx_enum_codec!($ty, $crate::__private::sqlx::Postgres);
        $crate::__sqlx_enum_pg_array!($ty, $name, $array);
    };
}

#[cfg(all(feature = "runtime", feature = "postgres"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __sqlx_enum_pg_array {
    ($ty:ident, $name:literal, pg_array) => {
        impl $crate::__private::sqlx::postgres::PgHasArrayType for $ty {
            fn array_type_info() -> $crate::__private::sqlx::postgres::PgTypeInfo {
                $crate::__private::sqlx::postgres::PgTypeInfo::array_of($name)
            }
        }
    };
    ($ty:ident, $name:literal, no_pg_array) => {};
}

#[cfg(not(all(feature = "runtime", feature = "postgres")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __sqlx_enum_postgres {
    ($($t:tt)*) => {};
}

#[cfg(all(feature = "runtime", feature = "mysql"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __sqlx_enum_mysql {
    ($ty:ident) => {
        impl $crate::__private::sqlx::Type<$crate::__private::sqlx::MySql> for $ty {
            fn type_info() -> $crate::__private::sqlx::mysql::MySqlTypeInfo {
                <str as $crate::__private::sqlx::Type<$crate::__private::sqlx::MySql>>::type_info()
            }
            // Any ENUM or text column, NOT NULL or not, binary collation or not: the
            // label is checked when decoded.
            fn compatible(ty: &$crate::__private::sqlx::mysql::MySqlTypeInfo) -> bool {
                <[u8] as $crate::__private::sqlx::Type<$crate::__private::sqlx::MySql>>::compatible(
                    ty,
                )
            }
        }
        $crate::__sqlx_enum_codec!($ty, $crate::__private::sqlx::MySql);
    };
}

#[cfg(not(all(feature = "runtime", feature = "mysql")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __sqlx_enum_mysql {
    ($($t:tt)*) => {};
}

#[cfg(all(feature = "runtime", feature = "sqlite"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __sqlx_enum_sqlite {
    ($ty:ident) => {
        impl $crate::__private::sqlx::Type<$crate::__private::sqlx::Sqlite> for $ty {
            fn type_info() -> $crate::__private::sqlx::sqlite::SqliteTypeInfo {
                <str as $crate::__private::sqlx::Type<$crate::__private::sqlx::Sqlite>>::type_info()
            }
            fn compatible(ty: &$crate::__private::sqlx::sqlite::SqliteTypeInfo) -> bool {
                <str as $crate::__private::sqlx::Type<$crate::__private::sqlx::Sqlite>>::compatible(
                    ty,
                )
            }
        }
        $crate::__sqlx_enum_codec!($ty, $crate::__private::sqlx::Sqlite);
    };
}

#[cfg(not(all(feature = "runtime", feature = "sqlite")))]
#[doc(hidden)]
#[macro_export]
macro_rules! __sqlx_enum_sqlite {
    ($($t:tt)*) => {};
}

#[cfg(all(
    feature = "runtime",
    any(feature = "postgres", feature = "mysql", feature = "sqlite")
))]
#[doc(hidden)]
#[macro_export]
macro_rules! __sqlx_enum_any {
    () => {};
}

#[cfg(not(all(
    feature = "runtime",
    any(feature = "postgres", feature = "mysql", feature = "sqlite")
)))]
#[doc(hidden)]
#[macro_export]
macro_rules! __sqlx_enum_any {
    () => {
        ::core::compile_error!(
            "`#[model(sqlx_type)]` implements sqlx's traits for the databases the `migrate` \
             crate is built with, and this build has none: turn on migrate's `runtime` \
             feature and `sqlite`, `postgres` or `mysql` (in Cargo.toml), or derive \
             `sqlx::Type` instead"
        );
    };
}
