//! Generated columns, `ON UPDATE` and collations as each database reports them,
//! put on the introspected [`Column`] in the model's terms.
//!
//! Rule: what is read here is what the database would render from the model, so
//! a model and its database compare equal: a generated expression keeps the
//! database's spelling (the check compares it normalised, see
//! [`crate::normalize_schema`]), `ON UPDATE current_timestamp(6)` is
//! `CURRENT_TIMESTAMP` (the dialect adds the precision of the column), and a
//! collation is recorded only where it differs from the default the column would
//! have without one (PostgreSQL: its type's; MySQL: the database's), under this
//! database's name in [`Column::collation`].

use migrate_core::column_extras::Generated;
use migrate_core::dialect::DialectKind;
use migrate_core::Column;

/// PostgreSQL: `attgenerated` (`s` for stored), the default expression (the
/// generation expression of a generated column) and the column's own collation.
#[cfg(feature = "postgres")]
pub(crate) fn postgres(
    column: &mut Column,
    attgenerated: &str,
    default: Option<&str>,
    collation: Option<String>,
) {
    if attgenerated == "s" {
        if let Some(expr) = default {
            column.generated = Some(Generated::stored(expr.trim()));
        }
    }
    if let Some(name) = collation {
        column.collation = column.collation.clone().with(DialectKind::Postgres, name);
    }
}

/// MySQL/MariaDB: `EXTRA` (`STORED GENERATED`, `on update current_timestamp(6)`),
/// `GENERATION_EXPRESSION` and the collation when it is not the database's.
#[cfg(feature = "mysql")]
pub(crate) fn mysql(
    column: &mut Column,
    extra: &str,
    generation: Option<String>,
    collation: Option<String>,
) {
    let lower = extra.to_ascii_lowercase();
    if lower.contains("generated") && !lower.contains("default_generated") {
        if let Some(expr) = generation.filter(|e| !e.trim().is_empty()) {
            column.generated = Some(Generated {
                stored: lower.contains("stored") || lower.contains("persistent"),
                ..Generated::stored(expr.trim())
            });
            // MariaDB takes no NOT NULL on a generated column; MySQL's is read as
            // written.
        }
    }
    if let Some(at) = lower.find("on update ") {
        let expr = extra[at + "on update ".len()..].trim();
        column.on_update = Some(on_update_expr(expr));
    }
    if let Some(name) = collation {
        column.collation = column.collation.clone().with(DialectKind::MySql, name);
    }
}

/// `current_timestamp(6)` and `CURRENT_TIMESTAMP` are `CURRENT_TIMESTAMP` (the
/// precision is the column's); anything else is kept.
#[cfg(feature = "mysql")]
fn on_update_expr(expr: &str) -> String {
    let lower = expr.to_ascii_lowercase();
    let base = lower.split('(').next().unwrap_or("").trim();
    if matches!(base, "current_timestamp" | "now" | "localtimestamp") {
        "CURRENT_TIMESTAMP".to_string()
    } else {
        expr.to_string()
    }
}

#[cfg(all(test, feature = "mysql"))]
mod tests {
    use super::*;
    use migrate_core::ColumnType;

    #[test]
    fn mysql_extra_becomes_the_model_s_shapes() {
        let mut c = Column::new("b", ColumnType::Integer);
        mysql(&mut c, "STORED GENERATED", Some("`a` * 2".into()), None);
        assert_eq!(c.generated, Some(Generated::stored("`a` * 2")));
        let mut c = Column::new("b", ColumnType::Integer);
        mysql(&mut c, "VIRTUAL GENERATED", Some("`a` + 1".into()), None);
        assert_eq!(c.generated, Some(Generated::virtual_("`a` + 1")));
        let mut c = Column::new("t", ColumnType::Timestamp);
        mysql(
            &mut c,
            "DEFAULT_GENERATED on update CURRENT_TIMESTAMP(6)",
            Some(String::new()),
            Some("utf8mb4_bin".into()),
        );
        assert_eq!(c.generated, None);
        assert_eq!(c.on_update.as_deref(), Some("CURRENT_TIMESTAMP"));
        assert_eq!(c.collation.get(DialectKind::MySql), Some("utf8mb4_bin"));
    }
}
