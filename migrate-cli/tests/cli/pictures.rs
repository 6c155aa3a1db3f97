//! `erd` and `history --graph`: the pictures' text, and the SVG and HTML drawn by a
//! real browser (headless Chromium), checked pixel by pixel where the SVG puts each
//! table's box.

use std::path::{Path, PathBuf};
use std::process::Command;

use migrate_core::revision::{file_name, Revision};

use crate::util::Project;

/// The blog example's revisions (users, posts, comments, with foreign keys).
fn blog_migrations() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/blog/migrations")
}

/// `cargo migrate erd ARGS` on the blog's revisions; stdout.
fn erd(p: &Project, args: &[&str]) -> String {
    let dir = blog_migrations();
    let mut all = vec!["--migrations-dir", dir.to_str().unwrap(), "erd"];
    all.extend_from_slice(args);
    p.ok(&all)
}

#[test]
fn erd_mermaid_draws_tables_keys_and_relationships() {
    let p = Project::new();
    // A fixed revision of the blog (its head moves on as the example grows).
    let text = erd(&p, &["--rev", "30903fa7ef48"]);
    assert_eq!(
        text,
        "%% schema at revision 30903fa7ef48: 3 table(s)
erDiagram
    comments {
        bigint id PK
        bigint post_id FK
        bigint author_id FK
        text body
        timestamptz created_at
    }
    posts {
        bigint id PK
        bigint author_id FK
        varchar(200) title
        text body
        timestamptz created_at
        varchar(200) slug UK
    }
    users {
        bigint id PK
        varchar(255) email UK
        varchar(100) name
        timestamptz created_at
    }
    posts ||--o{ comments : \"post_id\"
    users ||--o{ comments : \"author_id\"
    users ||--o{ posts : \"author_id\"
"
    );
    // An earlier revision: no comments yet, and the slug not yet there.
    let first = erd(&p, &["--rev", "5f25e2817bbc"]);
    assert!(
        first.starts_with("%% schema at revision 5f25e2817bbc: 2 table(s)\n"),
        "{first}"
    );
    assert!(
        !first.contains("comments") && !first.contains("slug"),
        "{first}"
    );
    assert!(
        first.contains("users ||--o{ posts : \"author_id\""),
        "{first}"
    );
    let base = erd(&p, &["--rev", "base"]);
    assert_eq!(
        base,
        "%% schema at revision <base>: 0 table(s)\nerDiagram\n"
    );
}

#[test]
fn erd_writes_the_format_its_file_asks_for_and_refuses_an_unknown_revision() {
    let p = Project::new();
    let dir = blog_migrations();
    let dir = dir.to_str().unwrap();
    let out = p.ok_all(&[
        "--migrations-dir",
        dir,
        "erd",
        "--rev",
        "30903fa7ef48",
        "-o",
        "schema.svg",
    ]);
    assert!(
        out.contains("wrote schema.svg (schema at revision 30903fa7ef48: 3 table(s))"),
        "{out}"
    );
    assert!(p.read("schema.svg").starts_with("<?xml"));
    p.ok(&["--migrations-dir", dir, "erd", "-o", "schema.html"]);
    let html = p.read("schema.html");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    // Self-contained: nothing is loaded from anywhere (the SVG namespace is a name).
    assert!(!html.contains("src=") && !html.contains("href=") && !html.contains("@import"));
    p.ok(&[
        "--migrations-dir",
        dir,
        "erd",
        "--format",
        "mermaid",
        "-o",
        "schema.txt",
    ]);
    assert!(p.read("schema.txt").contains("erDiagram"));

    let err = p.fails(&["--migrations-dir", dir, "erd", "--rev", "fff"], 2);
    assert!(err.contains("no revision matches `fff`"), "{err}");
    assert!(
        err.contains("fix: list the revisions with `cargo migrate history`"),
        "{err}"
    );
}

/// A revision with no operations and a fixed id, parents and message.
fn revision(p: &Project, id: &str, parents: &[&str], message: &str) {
    let revision = Revision {
        id: id.to_string(),
        parents: parents.iter().map(|s| s.to_string()).collect(),
        replaces: Vec::new(),
        branch_labels: Vec::new(),
        depends_on: Vec::new(),
        message: message.to_string(),
        created: "2026-01-02T03:04:05Z".to_string(),
        upgrade: vec![],
        downgrade: vec![],
    };
    p.write(
        &format!("migrations/{}", file_name(&revision)),
        &revision.to_toml(),
    );
}

#[test]
fn history_graph_draws_two_branches_a_merge_and_two_bases() {
    let p = Project::new();
    p.ok(&["init"]);
    revision(&p, "aaaaaaaaaaa1", &[], "create users");
    revision(&p, "bbbbbbbbbbb2", &["aaaaaaaaaaa1"], "add posts");
    revision(&p, "ccccccccccc3", &["aaaaaaaaaaa1"], "add tags");
    revision(&p, "ddddddddddd4", &["bbbbbbbbbbb2"], "index posts");
    revision(
        &p,
        "eeeeeeeeeee5",
        &["ddddddddddd4", "ccccccccccc3"],
        "merge posts and tags",
    );
    revision(&p, "fffffffffff6", &[], "create audit log");
    revision(&p, "99999999999a", &["fffffffffff6"], "index audit log");
    let graph = p.ok(&["history", "--graph"]);
    assert_eq!(
        graph,
        r"*    eeeeeeeeeee5 (head) (mergepoint)  merge posts and tags
|\
* |  ddddddddddd4  index posts
* |  bbbbbbbbbbb2  add posts
| *  ccccccccccc3  add tags
|/
*    aaaaaaaaaaa1 (branchpoint)  create users

*    99999999999a (head)  index audit log
*    fffffffffff6  create audit log
",
        "\n{graph}"
    );
    // A range keeps its part of the picture; a parent cut off ends its lane.
    let part = p.ok(&["history", "--graph", "-r", "bbbbbbbbbbb2:"]);
    assert_eq!(
        part,
        "*  eeeeeeeeeee5 (head) (mergepoint)  merge posts and tags
*  ddddddddddd4  index posts
*  bbbbbbbbbbb2  add posts
"
    );
    let err = p.fails(&["history", "--graph", "--format", "json"], 2);
    assert!(err.contains("--graph draws text"), "{err}");
}

/// The browser, or `None` after a visible skip (a failure under CI).
fn chromium() -> Option<&'static str> {
    let found = Command::new("chromium")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("chromium");
    }
    let why = "chromium is not installed (`apt-get install -y chromium`; .ci/run installs it)";
    if migrate_testkit::in_ci() {
        panic!("{why}, and CI is set, so the browser test must run");
    }
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: erd in a browser: {why}");
    None
}

/// Runs headless Chromium on `file` with `args`; its stdout.
fn browse(browser: &str, profile: &Path, file: &Path, args: &[&str]) -> String {
    let output = Command::new(browser)
        .args([
            "--headless",
            "--disable-gpu",
            "--no-sandbox",
            "--no-first-run",
            "--hide-scrollbars",
            "--force-device-scale-factor=1",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", file.display()))
        .output()
        .expect("run chromium");
    assert!(
        output.status.success(),
        "chromium failed on {}:\n{}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// A decoded screenshot: width, height and RGB pixels.
struct Screenshot {
    width: u32,
    height: u32,
    rgb: Vec<[u8; 3]>,
}

impl Screenshot {
    fn read(path: &Path) -> Screenshot {
        let mut decoder = png::Decoder::new(std::io::BufReader::new(
            std::fs::File::open(path).expect("screenshot written"),
        ));
        decoder.set_transformations(png::Transformations::normalize_to_color8());
        let mut reader = decoder.read_info().expect("a PNG");
        let mut buf = vec![0; reader.output_buffer_size().expect("size")];
        let info = reader.next_frame(&mut buf).expect("PNG frame");
        let channels = info.color_type.samples();
        assert!(
            channels >= 3,
            "a colour screenshot, got {:?}",
            info.color_type
        );
        let rgb = buf[..info.buffer_size()]
            .chunks(channels)
            .map(|px| [px[0], px[1], px[2]])
            .collect();
        Screenshot {
            width: info.width,
            height: info.height,
            rgb,
        }
    }

    fn at(&self, x: u32, y: u32) -> [u8; 3] {
        self.rgb[(y * self.width + x) as usize]
    }
}

/// `#rrggbb` as RGB.
fn hex(colour: &str) -> [u8; 3] {
    let v = |i: usize| u8::from_str_radix(&colour[i..i + 2], 16).unwrap();
    [v(1), v(3), v(5)]
}

fn near(a: [u8; 3], b: [u8; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= 8)
}

/// Each table's box as the SVG places it: (name, x, y, width, height).
fn boxes(svg: &str) -> Vec<(String, u32, u32, u32, u32)> {
    let re = regex::Regex::new(
        r#"<g class="table" data-table="([^"]+)">\n<rect class="box" x="(\d+)" y="(\d+)" width="(\d+)" height="(\d+)""#,
    )
    .unwrap();
    re.captures_iter(svg)
        .map(|c| {
            let n = |i: usize| c[i].parse::<u32>().unwrap();
            (c[1].to_string(), n(2), n(3), n(4), n(5))
        })
        .collect()
}

#[test]
fn erd_in_a_browser_draws_each_table_where_the_svg_says() {
    let Some(browser) = chromium() else { return };
    let p = Project::new();
    let dir = blog_migrations();
    let dir = dir.to_str().unwrap();
    p.ok(&["--migrations-dir", dir, "erd", "-o", "schema.svg"]);
    p.ok(&["--migrations-dir", dir, "erd", "-o", "schema.html"]);
    let svg = p.read("schema.svg");
    let size = regex::Regex::new(r#"<svg [^>]*width="(\d+)" height="(\d+)""#)
        .unwrap()
        .captures(&svg)
        .expect("svg size");
    let (width, height): (u32, u32) = (size[1].parse().unwrap(), size[2].parse().unwrap());
    let tables = boxes(&svg);
    let names: Vec<&str> = tables.iter().map(|t| t.0.as_str()).collect();
    assert_eq!(
        names,
        ["users", "posts", "comments"],
        "referenced tables first"
    );
    let header = hex(migrate_cli::picture::svg::HEADER_FILL);
    let body = hex(migrate_cli::picture::svg::BODY_FILL);
    let background = hex(migrate_cli::picture::svg::BACKGROUND);

    for file in ["schema.svg", "schema.html"] {
        let shot = p.join(&format!("{file}.png"));
        browse(
            browser,
            &p.join("profile"),
            &p.join(file),
            &[
                &format!("--screenshot={}", shot.display()),
                &format!("--window-size={},{}", width + 40, height + 120),
            ],
        );
        let image = Screenshot::read(&shot);
        assert!(
            image.width >= width && image.height >= height,
            "{file}: screenshot too small"
        );
        let colours: std::collections::BTreeSet<[u8; 3]> = image.rgb.iter().copied().collect();
        assert!(
            colours.len() > 20,
            "{file}: the screenshot is blank ({} colours)",
            colours.len()
        );
        assert!(
            near(image.at(2, 2), background),
            "{file}: background {:?}",
            image.at(2, 2)
        );
        assert!(
            near(image.at(width - 3, height - 3), background),
            "{file}: background at the far corner"
        );
        for (name, x, y, w, h) in &tables {
            for (px, py) in [(x + 3, y + 3), (x + w - 3, y + 3), (x + 3, y + 22)] {
                assert!(
                    near(image.at(px, py), header),
                    "{file}: table {name}: header colour expected at ({px},{py}), found {:?}",
                    image.at(px, py)
                );
            }
            for (px, py) in [(x + w - 4, y + h - 4), (x + 4, y + h - 4)] {
                assert!(
                    near(image.at(px, py), body),
                    "{file}: table {name}: body colour expected at ({px},{py}), found {:?}",
                    image.at(px, py)
                );
            }
            // Just outside the box: the background (the boxes are where the SVG says, and
            // no larger).
            assert!(
                near(image.at(x + w / 2, y + h + 6), background),
                "{file}: table {name}: background expected below the box"
            );
            // Text was drawn in the header: some pixels there are light (white letters).
            let lit = (*x + 10..*x + 10 + 8 * name.len() as u32)
                .flat_map(|px| (*y + 8..*y + 20).map(move |py| (px, py)))
                .filter(|&(px, py)| image.at(px, py).iter().all(|c| *c > 200))
                .count();
            assert!(
                lit > 10,
                "{file}: table {name}: no name drawn in its header"
            );
        }
    }

    // The browser parsed every table and every column name of the page.
    let dom = browse(
        browser,
        &p.join("profile"),
        &p.join("schema.html"),
        &["--dump-dom"],
    );
    for name in ["users", "posts", "comments"] {
        assert!(
            dom.contains(&format!("data-table=\"{name}\"")),
            "{name} missing:\n{dom}"
        );
        assert!(
            dom.contains(&format!(">{name}</text>")),
            "{name} missing:\n{dom}"
        );
    }
    for column in ["author_id", "post_id", "email", "slug", "created_at"] {
        assert!(
            dom.contains(&format!(">{column}</text>")),
            "{column} missing:\n{dom}"
        );
    }
    assert_eq!(
        dom.matches("class=\"fk\"").count(),
        3,
        "three foreign keys drawn"
    );
}

/// An application's own binary draws the schema of the revisions it embedded.
#[test]
fn erd_from_an_application_uses_its_embedded_revisions() {
    let revs = crate::embedded::embed(crate::fixtures::tutorial_revisions());
    let dir = tempfile::tempdir().unwrap();
    let svg = dir.path().join("schema.svg");
    let status = migrate_cli::run_embedded(["migrate", "erd", "-o", svg.to_str().unwrap()], revs);
    assert_eq!(status, migrate_cli::Status::Ok);
    let text = std::fs::read_to_string(&svg).unwrap();
    assert_eq!(boxes(&text).len(), 1, "{text}");
    assert!(text.contains(">last_transaction_date</text>"), "{text}");
    let first = dir.path().join("first.mmd");
    let status = migrate_cli::run_embedded(
        [
            "migrate",
            "erd",
            "--rev",
            "1975",
            "-o",
            first.to_str().unwrap(),
        ],
        revs,
    );
    assert_eq!(status, migrate_cli::Status::Ok);
    let text = std::fs::read_to_string(&first).unwrap();
    assert!(
        text.contains("account {") && !text.contains("last_transaction_date"),
        "{text}"
    );
    assert_eq!(
        migrate_cli::run_embedded(["migrate", "history", "--graph"], revs),
        migrate_cli::Status::Ok
    );
}
