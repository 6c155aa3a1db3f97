//! Where each table's box goes: a grid whose columns follow the foreign keys.
//!
//! A table that references no other table is in the first column; any other table
//! is one column to the right of the rightmost table it references, so every
//! foreign-key edge points to the left (a topological order of the keys). Tables
//! caught in a cycle of keys share one last column. Within a column, tables are
//! sorted by name. Sizes come from a monospace font of [`CHAR_WIDTH`] pixels per
//! character, so the layout needs no font metrics and is the same on every machine.

use std::collections::{BTreeMap, BTreeSet};

use migrate_core::schema::{Schema, Table};

use super::column_marks;

/// Width of one character of the monospace font, in pixels (12 px DejaVu Sans Mono
/// is 7.2 px wide; the margin keeps text inside its box with any monospace font).
pub const CHAR_WIDTH: u32 = 8;
/// Height of the header holding the table's name.
pub const HEADER_HEIGHT: u32 = 26;
/// Height of one column's row.
pub const ROW_HEIGHT: u32 = 20;
/// Space inside a box, left and right of the text.
pub const PADDING: u32 = 10;
/// Space around the whole picture.
pub const MARGIN: u32 = 20;
/// Horizontal space between grid columns (room for the edges).
pub const GAP_X: u32 = 90;
/// Vertical space between boxes of one grid column.
pub const GAP_Y: u32 = 30;

/// One column of a table as its box prints it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The column's name.
    pub name: String,
    /// Its type, as revision files write it.
    pub ty: String,
    /// `PK FK UQ null`, whichever apply.
    pub marks: String,
}

/// A table's box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableBox {
    /// The table's name.
    pub table: String,
    /// Left edge.
    pub x: u32,
    /// Top edge.
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height (header and rows).
    pub height: u32,
    /// Grid column (0 = references nothing).
    pub level: usize,
    /// Its columns, in declaration order.
    pub rows: Vec<Row>,
    /// Characters of the name part of a row (names are padded to it).
    pub name_chars: u32,
    /// Characters of the type part of a row.
    pub type_chars: u32,
}

impl TableBox {
    /// The vertical middle of row `i` (of the header when `i` is out of range).
    pub fn row_middle(&self, i: Option<usize>) -> u32 {
        match i {
            Some(i) if i < self.rows.len() => {
                self.y + HEADER_HEIGHT + i as u32 * ROW_HEIGHT + ROW_HEIGHT / 2
            }
            _ => self.y + HEADER_HEIGHT / 2,
        }
    }

    /// The index of the row of `column`.
    pub fn row_of(&self, column: &str) -> Option<usize> {
        self.rows.iter().position(|r| r.name == column)
    }
}

/// The boxes of a schema and the size of the picture.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    /// One box per table, by grid column then name.
    pub boxes: Vec<TableBox>,
    /// Width of the whole picture.
    pub width: u32,
    /// Height of the whole picture.
    pub height: u32,
}

impl Layout {
    /// The box of `table`.
    pub fn get(&self, table: &str) -> Option<&TableBox> {
        self.boxes.iter().find(|b| b.table == table)
    }
}

/// Lays out every table of `schema`.
pub fn layout(schema: &Schema) -> Layout {
    let levels = levels(schema);
    let mut columns: BTreeMap<usize, Vec<TableBox>> = BTreeMap::new();
    for (name, table) in &schema.tables {
        let level = levels[name.as_str()];
        columns
            .entry(level)
            .or_default()
            .push(sized_box(table, level));
    }
    let mut boxes = Vec::new();
    let mut x = MARGIN;
    let mut height = MARGIN * 2;
    for (_, mut column) in columns {
        let width = column.iter().map(|b| b.width).max().unwrap_or(0);
        let mut y = MARGIN;
        for b in &mut column {
            b.x = x;
            b.y = y;
            b.width = width;
            y += b.height + GAP_Y;
        }
        height = height.max(y - GAP_Y + MARGIN);
        x += width + GAP_X;
        boxes.extend(column);
    }
    let width = if boxes.is_empty() {
        MARGIN * 2
    } else {
        x - GAP_X + MARGIN
    };
    Layout {
        boxes,
        width,
        height,
    }
}

/// The grid column of each table (see the module's documentation).
fn levels(schema: &Schema) -> BTreeMap<&str, usize> {
    fn references<'a>(schema: &Schema, t: &'a Table) -> BTreeSet<&'a str> {
        t.foreign_keys
            .iter()
            .map(|fk| fk.ref_table.as_str())
            .filter(|r| *r != t.name && schema.tables.contains_key(*r))
            .collect()
    }
    let mut level: BTreeMap<&str, usize> = BTreeMap::new();
    // Each pass places the tables whose references are all placed; a pass that
    // places nothing leaves only tables in cycles.
    loop {
        let mut placed = false;
        for (name, table) in &schema.tables {
            if level.contains_key(name.as_str()) {
                continue;
            }
            let refs = references(schema, table);
            if refs.iter().all(|r| level.contains_key(r)) {
                let l = refs.iter().map(|r| level[r] + 1).max().unwrap_or(0);
                level.insert(name, l);
                placed = true;
            }
        }
        if !placed {
            break;
        }
    }
    let last = level.values().map(|l| l + 1).max().unwrap_or(0);
    for name in schema.tables.keys() {
        level.entry(name).or_insert(last);
    }
    level
}

fn sized_box(table: &Table, level: usize) -> TableBox {
    let rows: Vec<Row> = table
        .columns
        .iter()
        .map(|c| Row {
            name: c.name.clone(),
            ty: c.ty.to_string(),
            marks: column_marks(table, &c.name).join(" "),
        })
        .collect();
    let chars = |s: &str| s.chars().count() as u32;
    let name_chars = rows.iter().map(|r| chars(&r.name)).max().unwrap_or(0);
    let type_chars = rows.iter().map(|r| chars(&r.ty)).max().unwrap_or(0);
    let marks_chars = rows.iter().map(|r| chars(&r.marks)).max().unwrap_or(0);
    let row_chars = name_chars + 2 + type_chars + if marks_chars > 0 { 2 + marks_chars } else { 0 };
    let text_chars = row_chars.max(chars(&table.name));
    TableBox {
        table: table.name.clone(),
        x: 0,
        y: 0,
        width: text_chars * CHAR_WIDTH + 2 * PADDING,
        height: HEADER_HEIGHT + rows.len().max(1) as u32 * ROW_HEIGHT,
        level,
        rows,
        name_chars,
        type_chars,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use migrate_core::schema::{Column, FkAction, ForeignKey};
    use migrate_core::types::ColumnType;

    fn table(name: &str, refs: &[&str]) -> Table {
        let mut t = Table::new(name);
        t.columns.push(Column::new("id", ColumnType::BigInt));
        for r in refs {
            t.columns
                .push(Column::new(format!("{r}_id"), ColumnType::BigInt));
            t.foreign_keys.push(ForeignKey {
                name: format!("fk_{name}_{r}"),
                columns: vec![format!("{r}_id")],
                ref_table: r.to_string(),
                ref_columns: vec!["id".into()],
                on_delete: FkAction::default(),
                on_update: FkAction::default(),
                ..Default::default()
            });
        }
        t
    }

    #[test]
    fn keys_point_left_and_cycles_share_the_last_column() {
        let schema = Schema::from_tables([
            table("users", &[]),
            table("posts", &["users"]),
            table("comments", &["posts", "users"]),
            table("tags", &[]),
            table("a", &["b", "users"]),
            table("b", &["a"]),
            table("tree", &["tree"]),
        ]);
        let l = layout(&schema);
        let level = |t: &str| l.get(t).unwrap().level;
        assert_eq!(level("users"), 0);
        assert_eq!(level("tags"), 0);
        assert_eq!(level("tree"), 0, "a self-reference is no dependency");
        assert_eq!(level("posts"), 1);
        assert_eq!(level("comments"), 2);
        assert_eq!((level("a"), level("b")), (3, 3));
        // Boxes of one column do not overlap, and lie inside the picture.
        for b in &l.boxes {
            assert!(b.x + b.width + MARGIN <= l.width && b.y + b.height + MARGIN <= l.height);
            for o in &l.boxes {
                if o.table != b.table && o.level == b.level {
                    assert!(o.y >= b.y + b.height || b.y >= o.y + o.height);
                }
            }
        }
        assert_eq!(l, layout(&schema), "deterministic");
    }
}
