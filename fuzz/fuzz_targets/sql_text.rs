//! The readers of raw SQL text on arbitrary bytes: the tokenizer, the columns a check
//! mentions, a column rename inside an expression, and SQL type names per database.
#![no_main]

use libfuzzer_sys::fuzz_target;
use migrate_core::dialect::sql_type::canonical_sql_type;
use migrate_core::dialect::tokens::{referenced_columns, rename_column, tokenize};
use migrate_core::dialect::DialectKind;

fuzz_target!(|data: &[u8]| {
    let Ok(sql) = std::str::from_utf8(data) else {
        return;
    };
    let _ = tokenize(sql);
    let _ = referenced_columns(sql);
    let _ = rename_column(sql, "a", "b");
    for kind in DialectKind::ALL {
        let _ = canonical_sql_type(kind, sql);
    }
});
