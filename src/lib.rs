//! migrate: schema migrations for Rust, checked at compile time.
//!
//! Models are structs with `#[derive(Model)]`; the build script compares them with
//! the schema the revision files leave, fails the build on drift, and embeds every
//! revision so the binary can migrate its own database on start-up.

pub use migrate_core as core;
/// What `#[derive(Model)]` writes for every model, at the facade's root so that
/// the output names it with a short path (every token and path segment of it is
/// rustc's work on each build of the models' crate). Not an API.
#[doc(hidden)]
pub use migrate_core::generated::{__Model, __model_is};
pub use migrate_core::Enum;
pub use migrate_core::{ColumnType, Model, Schema, Table};
/// Reading live databases: drift checks at run time
/// (`migrate::introspect::check_embedded(&pool, migrate::embedded!(), &Default::default())`).
/// Needs the `introspect` feature.
#[cfg(feature = "introspect")]
pub use migrate_introspect as introspect;
pub use migrate_macros::{Enum, Model};
#[cfg(feature = "runtime")]
pub use migrate_runtime as runtime;

mod sqlx_enum;

/// What the derives' generated code names; not an API.
#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "runtime")]
    pub use sqlx;
}

/// What the build script embedded, as a `&'static migrate::core::embed::Embedded`:
/// every revision, and the project's settings from `migrate.toml` (the version
/// table, the default dialect, the `[tables]` filter), which `Migrator::new`,
/// `check_embedded` and `migrate_cli::run_embedded` use.
///
/// Needs `migrate_build::run()` (or its builder) in the crate's `build.rs`.
///
/// `embedded!("path")` is the same for the migrations directory `path` (another
/// database's, kept elsewhere), which `build.rs` embeds with
/// `migrate_build::Config::new().embed_dir("path")` (the same text). A path the build
/// script does not embed is a compile error.
#[macro_export]
macro_rules! embedded {
    () => {
        include!(concat!(env!("OUT_DIR"), "/migrate_embedded.rs"))
    };
    ($path:literal) => {
        const {
            $crate::core::embed::embedded_dir(
                include!(concat!(env!("OUT_DIR"), "/migrate_embedded_dirs.rs")),
                $path,
            )
        }
    };
}
