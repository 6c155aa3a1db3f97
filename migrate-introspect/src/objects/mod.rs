//! Schema objects read from a live database (views, triggers, functions,
//! procedures, sequences, extensions, PostgreSQL schemas), each database from its
//! own catalog ([`postgres`], [`mysql`], [`sqlite`]), and compared with the
//! revisions' objects by meaning ([`same_as_stored`]).
//!
//! Bodies are read as the database keeps them, in a form that creates the same
//! object again (`adopt` writes them to the objects directory): a view's query as
//! the database prints it, a trigger's or routine's whole `CREATE` statement.

#[cfg(feature = "mysql")]
pub(crate) mod mysql;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
#[cfg(feature = "sqlite")]
pub(crate) mod sqlite;

use migrate_core::dialect::tokens::{tokenize, TokenKind};
use migrate_core::dialect::DialectKind;
use migrate_core::objects::routine_header::{self, dollar_body};
use migrate_core::objects::{body_key, stored_query_key, ObjectKind, SchemaObject};

/// The objects of `schema` as database `kind` holds them: those with a body for
/// it, with that body as their only one (an object whose bodies leave a database
/// out does not exist there).
pub(crate) fn storable(kind: DialectKind, schema: &mut migrate_core::Schema) {
    schema
        .objects
        .retain(|o| o.body_for(kind).is_some() && o.kind.exists_on(kind));
    for o in &mut schema.objects {
        o.sql = o.body_for(kind).map(str::to_string);
        o.postgres = None;
        o.mysql = None;
        o.sqlite = None;
    }
}

/// Rule: an object whose name `[tables]` of migrate.toml leaves alone (made by a
/// raw SQL step or by hand, say), or that is on or names a table it leaves alone,
/// is left alone too, on both sides of the check: a trigger on such a table, a
/// view reading one.
pub(crate) fn retain_wanted(schema: &mut migrate_core::Schema, options: &crate::IntrospectOptions) {
    if options.filter.is_all() {
        return;
    }
    schema.objects.retain(|o| {
        let bodies = [&o.sql, &o.postgres, &o.mysql, &o.sqlite];
        let mut names = bodies
            .into_iter()
            .flatten()
            .flat_map(|b| tokenize(b))
            .filter(|t| matches!(t.kind, TokenKind::Word | TokenKind::QuotedIdent))
            .map(|t| t.text);
        options.filter.manages(&o.name)
            && o.table
                .as_deref()
                .map_or(true, |t| options.filter.manages(t))
            && names.all(|n| options.filter.manages(&n))
    });
}

/// Rule: an object the database stores in its own words is the head's object when
/// [`same_as_stored`] says so; it is then replaced by the head's, so the diff sees
/// no change.
pub(crate) fn pair_by_meaning(
    backend: DialectKind,
    live: &mut migrate_core::Schema,
    head: &migrate_core::Schema,
) {
    for object in &mut live.objects {
        if let Some(h) = head
            .objects
            .iter()
            .find(|h| same_as_stored(backend, object, h))
        {
            *object = h.clone();
        }
    }
}

/// Whether `live`, read from a `backend` database, is the object `head` declares,
/// once what the database does to a body when it stores it is ignored.
///
/// Rules, per kind:
/// - views and triggers: PostgreSQL and MySQL print a view's query (and PostgreSQL
///   a trigger) in their own words, so both sides are compared by
///   [`stored_query_key`] (names unqualified, parentheses, casts and repeated
///   aliases left out);
/// - functions and procedures on PostgreSQL: the code between the dollar quotes,
///   which PostgreSQL keeps as written (`prosrc`), and the header it prints its
///   own way, by meaning ([`routine_header::header_key`]: arguments, return type,
///   language, volatility, security and the other clauses);
/// - sequences: start, increment and cycling;
/// - everything else, and everything on SQLite (which keeps the text as written):
///   [`body_key`].
pub(crate) fn same_as_stored(
    backend: DialectKind,
    live: &SchemaObject,
    head: &SchemaObject,
) -> bool {
    if live.kind != head.kind || live.name != head.name {
        return false;
    }
    let (Some(l), Some(h)) = (live.body_for(backend), head.body_for(backend)) else {
        return false;
    };
    if body_key(l) == body_key(h) {
        return true;
    }
    match (live.kind, backend) {
        (_, DialectKind::Sqlite) => false,
        (ObjectKind::View | ObjectKind::MaterializedView | ObjectKind::Trigger, _) => {
            stored_query_key(l) == stored_query_key(h)
        }
        (ObjectKind::Function | ObjectKind::Procedure, DialectKind::Postgres) => {
            match (dollar_body(l), dollar_body(h)) {
                (Some(a), Some(b)) => {
                    body_key(a) == body_key(b)
                        && routine_header::header_key(l) == routine_header::header_key(h)
                }
                _ => false,
            }
        }
        (ObjectKind::Function | ObjectKind::Procedure, DialectKind::MySql) => {
            stored_query_key(l) == stored_query_key(h)
        }
        (ObjectKind::Sequence, _) => sequence_key(l) == sequence_key(h),
        _ => false,
    }
}

/// A sequence's options as (start, increment, cycle), with the defaults filled.
pub(crate) fn sequence_key(options: &str) -> (i64, i64, bool) {
    let tokens = migrate_core::dialect::tokens::tokenize(options);
    let number = |i: usize| -> Option<i64> {
        let mut i = i;
        if tokens
            .get(i)
            .is_some_and(|t| t.is("with") || t.is("by") || t.is("="))
        {
            i += 1;
        }
        let negative = tokens.get(i).is_some_and(|t| t.is("-"));
        let n: i64 = tokens.get(i + usize::from(negative))?.text.parse().ok()?;
        Some(if negative { -n } else { n })
    };
    let mut increment = 1;
    let mut start = None;
    let mut cycle = false;
    for (i, t) in tokens.iter().enumerate() {
        if t.is("increment") {
            increment = number(i + 1).unwrap_or(1);
        } else if t.is("start") {
            start = number(i + 1);
        } else if t.is("cycle") {
            cycle = !(i > 0 && tokens[i - 1].is("no"));
        }
    }
    (
        start.unwrap_or(if increment < 0 { -1 } else { 1 }),
        increment,
        cycle,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routines_compare_by_their_code_and_sequences_by_their_options() {
        assert_eq!(
            dollar_body("CREATE FUNCTION f() RETURNS int AS $body$ SELECT 1 $body$ LANGUAGE sql"),
            Some(" SELECT 1 ")
        );
        let pg = "CREATE OR REPLACE FUNCTION public.f()\n RETURNS trigger\n LANGUAGE plpgsql\nAS $function$\nBEGIN NEW.n := 1; RETURN NEW; END\n$function$\n";
        let written = SchemaObject::new(
            ObjectKind::Function,
            "f",
            "CREATE FUNCTION f() RETURNS trigger AS $$ BEGIN NEW.n := 1; RETURN NEW; END $$ LANGUAGE plpgsql",
        );
        let live = SchemaObject::new(ObjectKind::Function, "f", pg);
        assert!(same_as_stored(DialectKind::Postgres, &live, &written));
        assert_eq!(sequence_key("START WITH 100"), (100, 1, false));
        assert_eq!(
            sequence_key("START WITH 100 INCREMENT BY 1 NO CYCLE"),
            (100, 1, false)
        );
        assert_eq!(sequence_key("increment by -2 cycle"), (-1, -2, true));
    }
}
