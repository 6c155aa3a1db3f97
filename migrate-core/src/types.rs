//! Dialect-neutral column types.
//!
//! A [`ColumnType`] is written in revision files as a short lowercase string
//! (`bigint`, `varchar(20)`, `decimal(10,2)`, `timestamptz`, `raw(CITEXT)`), and
//! parsed from many spellings (`int4`, `INTEGER`, `character varying(20)`), so two
//! spellings of one type compare equal and never show up as drift.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The type of a column, independent of any database.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ColumnType {
    /// 16-bit signed integer.
    SmallInt,
    /// 32-bit signed integer.
    Integer,
    /// 64-bit signed integer.
    BigInt,
    /// Unsigned integer of 8, 16, 32 or 64 bits (Rust `u8`..`u64`): `UNSIGNED` on
    /// MySQL, the next wider type with a range check elsewhere
    /// ([`crate::dialect::unsigned`]).
    Unsigned(UnsignedBits),
    /// 32-bit IEEE float.
    Float,
    /// 64-bit IEEE float.
    Double,
    /// Exact decimal with `precision` digits, `scale` of them after the point.
    Decimal { precision: u8, scale: u8 },
    /// Boolean.
    Boolean,
    /// Unbounded text.
    Text,
    /// Text of at most `n` characters.
    Varchar(u32),
    /// Binary data.
    Bytes,
    /// Calendar date.
    Date,
    /// Time of day.
    Time,
    /// Timestamp without time zone.
    Timestamp,
    /// Timestamp with time zone.
    TimestampTz,
    /// UUID.
    Uuid,
    /// JSON document.
    Json,
    /// A value of an enum type ([`crate::schema::EnumType`]): its name and its
    /// labels in order. The labels are repeated here so each dialect can write the
    /// column on its own (`ENUM(...)` on MySQL, a `CHECK` on SQLite); replay keeps
    /// them equal to the schema's enum type. Written `enum mood('happy', 'sad')`.
    Enum {
        /// The enum type's name (the PostgreSQL type).
        name: String,
        /// The labels, in order.
        values: Vec<String>,
    },
    /// A type written in SQL as-is, for what the neutral types do not cover.
    /// Kept as written (whitespace collapsed); against a live database it is
    /// compared by meaning, in the database's canonical spelling
    /// ([`crate::dialect::sql_type::canonical_sql_type`]).
    Raw(String),
    /// A type named per database (`text[]` on PostgreSQL, `json` on MySQL), for
    /// what one database has and others lack; a database it does not name has no
    /// such column ([`crate::column_extras`]). Written
    /// `per_database(postgres = text[]; mysql = json)`.
    PerDatabase(crate::column_extras::PerDatabase),
}

/// The width of an unsigned integer column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum UnsignedBits {
    /// `u8`: 0 to 255.
    U8,
    /// `u16`: 0 to 65535.
    U16,
    /// `u32`: 0 to 4294967295.
    U32,
    /// `u64`: 0 to 18446744073709551615.
    U64,
}

impl UnsignedBits {
    /// All widths, narrowest first.
    pub const ALL: [UnsignedBits; 4] = [Self::U8, Self::U16, Self::U32, Self::U64];

    /// The largest value.
    pub fn max_value(self) -> u64 {
        match self {
            Self::U8 => u8::MAX.into(),
            Self::U16 => u16::MAX.into(),
            Self::U32 => u32::MAX.into(),
            Self::U64 => u64::MAX,
        }
    }

    /// The Rust type (`u8`..`u64`).
    pub fn rust(self) -> &'static str {
        match self {
            Self::U8 => "u8",
            Self::U16 => "u16",
            Self::U32 => "u32",
            Self::U64 => "u64",
        }
    }

    /// The MySQL integer type of this width, without `UNSIGNED` (`tinyint`..`bigint`);
    /// also the neutral spelling (`tinyint unsigned`).
    pub fn mysql_name(self) -> &'static str {
        match self {
            Self::U8 => "tinyint",
            Self::U16 => "smallint",
            Self::U32 => "int",
            Self::U64 => "bigint",
        }
    }
}

impl ColumnType {
    /// Whether the type is an integer (autoincrement is allowed only on these).
    pub fn is_integer(&self) -> bool {
        matches!(
            self,
            ColumnType::SmallInt
                | ColumnType::Integer
                | ColumnType::BigInt
                | ColumnType::Unsigned(_)
        )
    }

    /// Whether the type holds text.
    pub fn is_text(&self) -> bool {
        matches!(self, ColumnType::Text | ColumnType::Varchar(_))
    }

    /// Whether changing a column from `self` to `to` can lose or reject existing
    /// values; `Some(reason)` when it can.
    pub fn narrowing_reason(&self, to: &ColumnType) -> Option<String> {
        use ColumnType::*;
        if self == to {
            return None;
        }
        let widens = match (self, to) {
            (SmallInt, Integer | BigInt) | (Integer, BigInt) => true,
            (SmallInt | Integer | BigInt, Decimal { .. } | Double | Text) => true,
            (Unsigned(a), Unsigned(b)) => b >= a,
            (Unsigned(UnsignedBits::U8), SmallInt | Integer | BigInt) => true,
            (Unsigned(UnsignedBits::U16), Integer | BigInt) => true,
            (Unsigned(UnsignedBits::U32), BigInt) => true,
            (Unsigned(_), Double | Text) => true,
            (Unsigned(bits), Decimal { precision, scale }) => {
                u32::from(precision - scale) >= bits.max_value().to_string().len() as u32
            }
            (Float, Double) => true,
            (Varchar(a), Varchar(b)) => b >= a,
            (Varchar(_), Text) => true,
            (
                Decimal {
                    precision: p1,
                    scale: s1,
                },
                Decimal {
                    precision: p2,
                    scale: s2,
                },
            ) => s2 >= s1 && (p2 - s2) >= (p1 - s1),
            (Timestamp, TimestampTz) | (TimestampTz, Timestamp) => true,
            (Date, Timestamp | TimestampTz) => true,
            (Uuid | Date | Time | Timestamp | TimestampTz | Boolean, Text) => true,
            (Json, Text) => true,
            // Every label is kept (a change of the labels themselves is an enum
            // operation; see `ops::Operation::AlterEnum`).
            (Enum { values: a, .. }, Enum { values: b, .. }) => a.iter().all(|v| b.contains(v)),
            (Enum { .. }, Text) => true,
            (Enum { values, .. }, Varchar(n)) => {
                values.iter().all(|v| v.chars().count() <= *n as usize)
            }
            _ => false,
        };
        if widens {
            None
        } else {
            Some(format!(
                "changing the type from {self} to {to} can fail on or truncate existing values"
            ))
        }
    }
}

impl fmt::Display for ColumnType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnType::SmallInt => f.write_str("smallint"),
            ColumnType::Integer => f.write_str("integer"),
            ColumnType::BigInt => f.write_str("bigint"),
            ColumnType::Unsigned(bits) => write!(f, "{} unsigned", bits.mysql_name()),
            ColumnType::Float => f.write_str("float"),
            ColumnType::Double => f.write_str("double"),
            ColumnType::Decimal { precision, scale } => write!(f, "decimal({precision},{scale})"),
            ColumnType::Boolean => f.write_str("boolean"),
            ColumnType::Text => f.write_str("text"),
            ColumnType::Varchar(n) => write!(f, "varchar({n})"),
            ColumnType::Bytes => f.write_str("bytes"),
            ColumnType::Date => f.write_str("date"),
            ColumnType::Time => f.write_str("time"),
            ColumnType::Timestamp => f.write_str("timestamp"),
            ColumnType::TimestampTz => f.write_str("timestamptz"),
            ColumnType::Uuid => f.write_str("uuid"),
            ColumnType::Json => f.write_str("json"),
            ColumnType::Enum { name, values } => {
                write!(f, "enum {name}({})", crate::schema::label_list(values))
            }
            ColumnType::Raw(sql) => write!(f, "raw({sql})"),
            ColumnType::PerDatabase(types) => write!(f, "per_database({types})"),
        }
    }
}

/// A type string that could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown column type `{input}`: {hint}")]
pub struct ParseTypeError {
    /// What was given.
    pub input: String,
    /// How to write it instead.
    pub hint: String,
}

/// Collapses runs of whitespace to one space.
fn canonical_raw(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn args(inner: &str) -> Vec<&str> {
    inner.split(',').map(str::trim).collect()
}

impl FromStr for ColumnType {
    type Err = ParseTypeError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let err = |hint: &str| ParseTypeError {
            input: input.to_string(),
            hint: hint.to_string(),
        };
        let s = input.trim();
        if let Some(rest) = s.strip_prefix("raw(").and_then(|r| r.strip_suffix(')')) {
            let raw = canonical_raw(rest);
            if raw.is_empty() {
                return Err(err("`raw(...)` needs the SQL type inside the parentheses"));
            }
            return Ok(ColumnType::Raw(raw));
        }
        if let Some(rest) = s
            .strip_prefix("per_database(")
            .and_then(|r| r.strip_suffix(')'))
        {
            return crate::column_extras::PerDatabase::parse_list(rest)
                .map(ColumnType::PerDatabase)
                .map_err(|e| err(&e));
        }
        if let Some(rest) = s.strip_prefix("enum ") {
            return parse_enum(rest).ok_or_else(|| {
                err(
                    "write an enum as `enum NAME('label', ...)`: a type name, then at least \
                     one label in single quotes (a quote inside a label is doubled)",
                )
            });
        }
        let lower = canonical_raw(&s.to_ascii_lowercase());
        let (base, inner) = match lower.find('(') {
            Some(open) if lower.ends_with(')') => (
                lower[..open].trim().to_string(),
                Some(lower[open + 1..lower.len() - 1].to_string()),
            ),
            Some(_) => return Err(err("unbalanced parentheses")),
            None => (lower.clone(), None),
        };
        let number = |text: &str| -> Result<u32, ParseTypeError> {
            text.trim()
                .parse::<u32>()
                .map_err(|_| err("the length must be a positive whole number"))
        };
        let ty = match (base.as_str(), inner.as_deref()) {
            ("smallint" | "int2" | "smallserial" | "serial2", None) => ColumnType::SmallInt,
            ("integer" | "int" | "int4" | "serial" | "serial4" | "mediumint", None) => {
                ColumnType::Integer
            }
            ("bigint" | "int8" | "bigserial" | "serial8", None) => ColumnType::BigInt,
            ("tinyint unsigned", None) => ColumnType::Unsigned(UnsignedBits::U8),
            ("smallint unsigned", None) => ColumnType::Unsigned(UnsignedBits::U16),
            ("int unsigned" | "integer unsigned", None) => ColumnType::Unsigned(UnsignedBits::U32),
            ("bigint unsigned", None) => ColumnType::Unsigned(UnsignedBits::U64),
            ("float" | "real" | "float4", None) => ColumnType::Float,
            ("double" | "double precision" | "float8", None) => ColumnType::Double,
            ("decimal" | "numeric", Some(inner)) => {
                let parts = args(inner);
                let precision = number(parts[0])?;
                let scale = match parts.get(1) {
                    Some(s) => number(s)?,
                    None => 0,
                };
                if parts.len() > 2 || precision == 0 || precision > 255 || scale > precision {
                    return Err(err("write `decimal(P,S)` with 0 < P <= 255 and S <= P"));
                }
                ColumnType::Decimal {
                    precision: precision as u8,
                    scale: scale as u8,
                }
            }
            ("decimal" | "numeric", None) => {
                return Err(err("give precision and scale, e.g. `decimal(10,2)`"))
            }
            ("boolean" | "bool", None) => ColumnType::Boolean,
            ("text" | "clob", None) => ColumnType::Text,
            ("varchar" | "character varying" | "nvarchar", Some(inner)) => {
                let n = number(inner)?;
                if n == 0 {
                    return Err(err("a varchar length must be at least 1"));
                }
                ColumnType::Varchar(n)
            }
            ("varchar" | "character varying", None) => ColumnType::Text,
            ("bytes" | "bytea" | "blob" | "binary" | "varbinary" | "longblob", None) => {
                ColumnType::Bytes
            }
            ("date", None) => ColumnType::Date,
            ("time" | "time without time zone", None) => ColumnType::Time,
            ("timestamp" | "timestamp without time zone" | "datetime", None) => {
                ColumnType::Timestamp
            }
            ("timestamptz" | "timestamp with time zone", None) => ColumnType::TimestampTz,
            ("uuid", None) => ColumnType::Uuid,
            ("json" | "jsonb", None) => ColumnType::Json,
            _ => {
                return Err(err(
                    "use one of smallint, integer, bigint, tinyint unsigned, smallint unsigned, \
                     int unsigned, bigint unsigned, float, double, decimal(P,S), boolean, \
                     text, varchar(N), bytes, date, time, timestamp, timestamptz, uuid, json, \
                     or `raw(SQL TYPE)` for anything else",
                ))
            }
        };
        Ok(ty)
    }
}

/// `NAME('a', 'b')` (after `enum `): the name and the labels.
fn parse_enum(text: &str) -> Option<ColumnType> {
    let open = text.find('(')?;
    let name = text[..open].trim();
    let inner = text[open + 1..].trim_end().strip_suffix(')')?;
    if name.is_empty() {
        return None;
    }
    let values = crate::schema::parse_label_list(inner)?;
    if values.is_empty() {
        return None;
    }
    Some(ColumnType::Enum {
        name: name.to_string(),
        values,
    })
}

impl Serialize for ColumnType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ColumnType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_of_one_type_parse_equal() {
        for (a, b) in [
            ("INTEGER", "int4"),
            ("int", "serial"),
            ("BIGINT", "int8"),
            ("character varying(20)", "VARCHAR( 20 )"),
            ("numeric(10, 2)", "decimal(10,2)"),
            ("timestamp with time zone", "TIMESTAMPTZ"),
            ("double precision", "float8"),
            ("bool", "BOOLEAN"),
            ("raw(CITEXT)", "raw(  CITEXT )"),
        ] {
            assert_eq!(
                a.parse::<ColumnType>().unwrap(),
                b.parse::<ColumnType>().unwrap(),
                "{a} vs {b}"
            );
        }
    }

    #[test]
    fn display_round_trips() {
        for ty in [
            ColumnType::SmallInt,
            ColumnType::Decimal {
                precision: 12,
                scale: 4,
            },
            ColumnType::Varchar(255),
            ColumnType::TimestampTz,
            ColumnType::Raw("CITEXT".into()),
            ColumnType::Unsigned(UnsignedBits::U8),
            ColumnType::Unsigned(UnsignedBits::U32),
            ColumnType::Unsigned(UnsignedBits::U64),
            ColumnType::Enum {
                name: "mood".into(),
                values: vec!["happy".into(), "it's, (ok)".into()],
            },
            ColumnType::PerDatabase(
                crate::column_extras::PerDatabase::default()
                    .with(crate::dialect::DialectKind::Postgres, "numeric(10,2)[]")
                    .with(crate::dialect::DialectKind::MySql, "set('a','b')"),
            ),
        ] {
            assert_eq!(ty.to_string().parse::<ColumnType>().unwrap(), ty);
        }
    }

    #[test]
    fn unknown_type_names_the_escape_hatch() {
        let e = "geometry".parse::<ColumnType>().unwrap_err();
        assert!(e.to_string().contains("unknown column type `geometry`"));
        assert!(e.to_string().contains("raw(SQL TYPE)"));
        let e = "decimal(2,5)".parse::<ColumnType>().unwrap_err();
        assert!(e.to_string().contains("S <= P"), "{e}");
    }

    #[test]
    fn narrowing_is_detected() {
        assert!(ColumnType::Integer
            .narrowing_reason(&ColumnType::BigInt)
            .is_none());
        assert!(ColumnType::BigInt
            .narrowing_reason(&ColumnType::Integer)
            .is_some());
        assert!(ColumnType::Varchar(10)
            .narrowing_reason(&ColumnType::Varchar(5))
            .is_some());
        assert!(ColumnType::Text
            .narrowing_reason(&ColumnType::Integer)
            .is_some());
        let u = ColumnType::Unsigned;
        assert!(u(UnsignedBits::U16)
            .narrowing_reason(&u(UnsignedBits::U32))
            .is_none());
        assert!(u(UnsignedBits::U32)
            .narrowing_reason(&ColumnType::BigInt)
            .is_none());
        assert!(u(UnsignedBits::U32)
            .narrowing_reason(&ColumnType::Integer)
            .is_some());
        assert!(ColumnType::Integer
            .narrowing_reason(&u(UnsignedBits::U64))
            .is_some());
        let wide = ColumnType::Decimal {
            precision: 20,
            scale: 0,
        };
        assert!(u(UnsignedBits::U64).narrowing_reason(&wide).is_none());
    }
}
