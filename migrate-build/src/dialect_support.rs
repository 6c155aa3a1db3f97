//! Rule: a project that names its database (`dialect` in migrate.toml) learns at
//! build time, with the model and the line, when a model asks for an index shape or
//! a key that database cannot store (MariaDB has no expression or partial indexes;
//! see `migrate_core::index_shape`; only PostgreSQL has schemas for tables), rather
//! than when a revision is run.

use migrate_core::dialect::DialectKind;
use migrate_core::index_shape::{deferrable_unsupported, index_unsupported};
use migrate_model::scan::ScannedModels;

use crate::error::BuildError;
use crate::Config;

/// Refuses the models when any asks for what `dialect` cannot store.
pub(crate) fn check_models(
    dialect: DialectKind,
    config: &Config,
    models: &ScannedModels,
) -> Result<(), BuildError> {
    let mut problems = Vec::new();
    for m in &models.models {
        let at = format!(
            "{}:{}: model `{}`",
            config.display_path(&m.file),
            m.line,
            m.struct_name
        );
        let t = &m.table;
        let found = t
            .indexes
            .iter()
            .filter_map(|i| index_unsupported(dialect, i))
            .chain(
                t.foreign_keys
                    .iter()
                    .filter_map(|fk| deferrable_unsupported(dialect, fk)),
            );
        // Rule: only PostgreSQL has schemas inside a database; elsewhere a
        // `schema = "..."` table would be a table with a dot in its name.
        if let Some(schema) = migrate_core::qualified::schema_of(&t.name) {
            if dialect != DialectKind::Postgres {
                problems.push(format!(
                    "{at}: cannot put its table in the schema '{schema}' \
                     (`#[model(schema = \"{schema}\")]`): schemas inside a database exist \
                     on PostgreSQL only; leave out `schema`, or set `dialect = \"postgres\"` \
                     in migrate.toml if the project targets PostgreSQL"
                ));
            }
        }
        for (what, how_to_fix) in found {
            problems.push(format!("{at}: cannot {what}: {how_to_fix}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(BuildError::UnsupportedByDialect { dialect, problems })
    }
}
