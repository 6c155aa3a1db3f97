//! The schema as a self-contained SVG, or an HTML page holding that SVG: no script,
//! no font or style sheet from the network, so it opens anywhere, offline.
//!
//! Each table is a group `<g class="table" data-table="NAME">` with its box, a
//! coloured header (`rect class="header"`, [`HEADER_FILL`]) holding the name, and
//! one row per column: name, type, and the markers `PK`, `FK`, `UQ`, `null`. Foreign
//! keys are curves drawn under the boxes, from the referencing column to the
//! referenced one, with an arrowhead at the referenced table; hovering one shows the
//! key's name. Coordinates are whole pixels from [`super::layout`].

use migrate_core::schema::Schema;

use super::layout::{
    layout, Layout, TableBox, CHAR_WIDTH, HEADER_HEIGHT, MARGIN, PADDING, ROW_HEIGHT,
};

/// Fill of a table's header.
pub const HEADER_FILL: &str = "#2f5d8a";
/// Fill of a table's body.
pub const BODY_FILL: &str = "#ffffff";
/// Background of the picture.
pub const BACKGROUND: &str = "#eef1f5";
/// Colour of foreign-key edges.
pub const EDGE: &str = "#8a4b2f";

/// The SVG document of `schema`; `title` is its `<title>` (and caption).
pub fn render_svg(schema: &Schema, title: &str) -> String {
    let l = layout(schema);
    svg(schema, &l, title, true)
}

/// An HTML page showing the SVG at the top left (no margin), then a caption and the
/// legend of the markers.
pub fn render_html(schema: &Schema, title: &str) -> String {
    let l = layout(schema);
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(title)));
    out.push_str(&format!(
        "<style>\nbody {{ margin: 0; background: {BACKGROUND}; font-family: sans-serif; }}\n\
         svg {{ display: block; }}\n\
         p {{ margin: 8px 20px; color: #333; font-size: 14px; }}\n</style>\n"
    ));
    out.push_str("</head>\n<body>\n");
    out.push_str(&svg(schema, &l, title, false));
    out.push_str(&format!("<p>{}</p>\n", escape(title)));
    out.push_str(
        "<p>PK primary key, FK foreign key, UQ unique, null: NULL allowed. \
         Arrows point from a foreign key to the table it references.</p>\n",
    );
    out.push_str("</body>\n</html>\n");
    out
}

fn svg(schema: &Schema, l: &Layout, title: &str, standalone: bool) -> String {
    let mut out = String::new();
    if standalone {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    }
    out.push_str(&format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" font-size=\"12\">\n",
        w = l.width,
        h = l.height
    ));
    out.push_str(&format!("<title>{}</title>\n", escape(title)));
    out.push_str(&format!(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" \
         markerHeight=\"8\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"{EDGE}\"/></marker></defs>\n"
    ));
    out.push_str(&format!(
        "<rect class=\"background\" x=\"0\" y=\"0\" width=\"{}\" height=\"{}\" fill=\"{BACKGROUND}\"/>\n",
        l.width, l.height
    ));
    if schema.tables.is_empty() {
        out.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" fill=\"#333\">(no tables)</text>\n",
            PADDING,
            l.height / 2
        ));
    }
    for table in schema.tables.values() {
        let Some(from) = l.get(&table.name) else {
            continue;
        };
        for fk in &table.foreign_keys {
            let Some(to) = l.get(&fk.ref_table) else {
                continue;
            };
            out.push_str(&edge(
                from,
                to,
                fk.columns.first(),
                fk.ref_columns.first(),
                &fk.name,
            ));
        }
    }
    for b in &l.boxes {
        out.push_str(&table_box(b));
    }
    out.push_str("</svg>\n");
    out
}

/// A curve from the row of `column` in `from` to the row of `ref_column` in `to`:
/// from the left edge to the right edge when `to` is in the grid column just left
/// of `from`, over the top of the picture when it is further left, else
/// (a cycle, or a table referencing itself) a loop out of and back into the right
/// edges.
fn edge(
    from: &TableBox,
    to: &TableBox,
    column: Option<&String>,
    ref_column: Option<&String>,
    name: &str,
) -> String {
    let y1 = from.row_middle(column.and_then(|c| from.row_of(c)));
    let y2 = to.row_middle(ref_column.and_then(|c| to.row_of(c)));
    let d = if to.level + 1 < from.level {
        // Past the grid columns in between: over the top of every box, in the margin.
        let (x1, x2) = (from.x, to.x + to.width);
        let top = MARGIN / 2;
        format!(
            "M{x1},{y1} C{a},{y1} {a},{top} {b},{top} L{c},{top} C{d},{top} {d},{y2} {x2},{y2}",
            a = x1 - 30,
            b = x1 - 60,
            c = x2 + 60,
            d = x2 + 30
        )
    } else if to.level < from.level {
        let (x1, x2) = (from.x, to.x + to.width);
        let bend = (x1 - x2) / 2;
        format!(
            "M{x1},{y1} C{},{y1} {},{y2} {x2},{y2}",
            x1 - bend,
            x2 + bend
        )
    } else {
        let (x1, x2) = (from.x + from.width, to.x + to.width);
        let out = x1.max(x2) + 40;
        format!("M{x1},{y1} C{out},{y1} {out},{y2} {x2},{y2}")
    };
    format!(
        "<path class=\"fk\" d=\"{d}\" fill=\"none\" stroke=\"{EDGE}\" stroke-width=\"1.5\" \
         marker-end=\"url(#arrow)\"><title>{}</title></path>\n",
        escape(name)
    )
}

fn table_box(b: &TableBox) -> String {
    let mut out = format!("<g class=\"table\" data-table=\"{}\">\n", escape(&b.table));
    out.push_str(&format!(
        "<rect class=\"box\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{BODY_FILL}\" stroke=\"{HEADER_FILL}\"/>\n",
        b.x, b.y, b.width, b.height
    ));
    out.push_str(&format!(
        "<rect class=\"header\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{HEADER_FILL}\"/>\n",
        b.x, b.y, b.width, HEADER_HEIGHT
    ));
    out.push_str(&format!(
        "<text class=\"name\" x=\"{}\" y=\"{}\" fill=\"#ffffff\" font-weight=\"bold\">{}</text>\n",
        b.x + PADDING,
        b.y + HEADER_HEIGHT - 8,
        escape(&b.table)
    ));
    let type_x = b.x + PADDING + (b.name_chars + 2) * CHAR_WIDTH;
    let marks_x = type_x + (b.type_chars + 2) * CHAR_WIDTH;
    for (i, row) in b.rows.iter().enumerate() {
        let y = b.y + HEADER_HEIGHT + i as u32 * ROW_HEIGHT + ROW_HEIGHT - 6;
        out.push_str(&format!(
            "<text class=\"column\" x=\"{}\" y=\"{y}\" fill=\"#111111\">{}</text>\
             <text class=\"type\" x=\"{type_x}\" y=\"{y}\" fill=\"#555555\">{}</text>",
            b.x + PADDING,
            escape(&row.name),
            escape(&row.ty)
        ));
        if !row.marks.is_empty() {
            out.push_str(&format!(
                "<text class=\"marks\" x=\"{marks_x}\" y=\"{y}\" fill=\"{EDGE}\">{}</text>",
                escape(&row.marks)
            ));
        }
        out.push('\n');
    }
    out.push_str("</g>\n");
    out
}

/// Text as SVG and HTML content or attribute value.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
