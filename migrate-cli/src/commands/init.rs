//! `cargo migrate init`: prepares a crate for migrate.
//!
//! Creates the migrations directory and `migrate.toml`, adds `migrate_build::run()` to
//! `build.rs` and the two dependencies to `Cargo.toml` (keeping its formatting). With
//! `--print`, or when a file cannot be edited safely, it prints exactly what to add
//! instead. Existing files and lines are kept: running it twice changes nothing.

use std::path::{Path, PathBuf};

use crate::config::{ConfigFile, CONFIG_FILE, PLACEHOLDER_URL};
use crate::context::Context;
use crate::error::{CliError, CliResult, Status};
use crate::output::{paint, style};

/// The line `init` puts into `build.rs`.
pub const BUILD_LINE: &str = "migrate_build::run();";

/// Options of `init`.
#[derive(Debug, Clone, clap::Args)]
pub struct Args {
    /// Directory for the revision files, relative to the crate.
    #[arg(default_value = "migrations", value_name = "DIR")]
    pub directory: PathBuf,
    /// Print what to add to Cargo.toml and build.rs instead of editing them.
    #[arg(long)]
    pub print: bool,
    /// Dialect to record for offline scripts (`--sql` without a URL).
    #[arg(long, value_name = "DIALECT", value_parser = crate::cli::dialect_parser())]
    pub dialect: Option<migrate_core::dialect::DialectKind>,
}

/// The checkout this CLI was built from, when it is still there: the crates are
/// not on crates.io yet, so `init` points the project at it by path.
fn checkout() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent()?;
    (root.join("Cargo.toml").is_file() && root.join("migrate-build").is_dir())
        .then(|| root.to_path_buf())
}

/// How `init` writes the dependency on `name` (`migrate` or `migrate-build`): a
/// path into the checkout the CLI was built from, else this CLI's version.
fn dependency(name: &str) -> String {
    match checkout() {
        Some(root) => {
            let dir = if name == "migrate" {
                root
            } else {
                root.join(name)
            };
            format!("{{ path = {:?} }}", dir.display().to_string())
        }
        None => format!("{:?}", env!("CARGO_PKG_VERSION")),
    }
}

/// [`dependency`] as a TOML value.
fn dependency_item(name: &str) -> toml_edit::Item {
    let text = dependency(name);
    let value: toml_edit::Value = text.parse().expect("a TOML value we wrote ourselves");
    toml_edit::Item::Value(value)
}

/// Runs `init`.
pub fn exec(args: &Args, ctx: &mut Context) -> CliResult<Status> {
    if ctx.is_embedded() {
        return Err(ctx.not_embedded("init"));
    }
    let root = ctx.cwd.clone();

    let dir = root.join(&args.directory);
    if dir.is_dir() {
        ctx.out.status(format!("kept      {}", rel(&root, &dir)));
    } else {
        create_dir(&dir)?;
        write_new(&dir.join(".gitkeep"), "")?;
        ctx.out.status(format!(
            "{} {}",
            paint(style::MARKER, "created  "),
            rel(&root, &dir)
        ));
    }

    let config_path = root.join(CONFIG_FILE);
    if config_path.exists() {
        ctx.out.status(format!("kept      {CONFIG_FILE}"));
    } else {
        let text = config_text(args, ctx)?;
        write_new(&config_path, &text)?;
        ctx.out.status(format!(
            "{} {CONFIG_FILE}",
            paint(style::MARKER, "created  ")
        ));
    }

    let mut to_add: Vec<String> = Vec::new();
    let build_rs = root.join("build.rs");
    match build_rs_edit(&build_rs)? {
        BuildRs::AlreadyThere => ctx.out.status("kept      build.rs"),
        BuildRs::Text(text, verb) if !args.print => {
            write_file(&build_rs, &text)?;
            ctx.out
                .status(format!("{} build.rs", paint(style::MARKER, verb)));
        }
        BuildRs::Text(..) | BuildRs::Manual => to_add.push(format!(
            "in build.rs, inside `fn main() {{ ... }}`:\n    {BUILD_LINE}"
        )),
    }

    let manifest = root.join("Cargo.toml");
    let deps = [
        ("dependencies", "migrate"),
        ("build-dependencies", "migrate-build"),
    ];
    if !manifest.is_file() {
        for (section, name) in deps {
            to_add.push(format!(
                "in Cargo.toml:\n    [{section}]\n    {name} = {}",
                dependency(name)
            ));
        }
    } else {
        let text = read(&manifest)?;
        let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e| {
            CliError::usage(format!("cannot parse {}: {e}", manifest.display()))
                .fix("fix Cargo.toml (does `cargo metadata` accept it?), then run init again")
        })?;
        let mut added = Vec::new();
        for (section, name) in deps {
            let present = doc
                .get(section)
                .and_then(|t| t.as_table_like())
                .map(|t| t.contains_key(name))
                .unwrap_or(false);
            if present {
                continue;
            }
            if args.print {
                to_add.push(format!(
                    "in Cargo.toml:\n    [{section}]\n    {name} = {}",
                    dependency(name)
                ));
                continue;
            }
            let table = doc
                .entry(section)
                .or_insert_with(|| toml_edit::Item::Table(toml_edit::Table::new()));
            match table.as_table_like_mut() {
                Some(table) => {
                    table.insert(name, dependency_item(name));
                    added.push(format!("{name} to [{section}]"));
                }
                None => to_add.push(format!(
                    "in Cargo.toml:\n    [{section}]\n    {name} = {}",
                    dependency(name)
                )),
            }
        }
        if added.is_empty() {
            ctx.out.status("kept      Cargo.toml");
        } else {
            write_file(&manifest, &doc.to_string())?;
            ctx.out.status(format!(
                "{} Cargo.toml: added {}",
                paint(style::MARKER, "edited   "),
                added.join(", ")
            ));
        }
    }

    if !to_add.is_empty() {
        ctx.out.data("Add these lines:");
        for item in &to_add {
            ctx.out.data(format!("  {item}"));
        }
    }
    ctx.out.status(
        "next: write a model (a struct with #[derive(migrate::Model)] under src/), then \
         `cargo migrate revision --autogenerate -m \"create users\"`",
    );
    // Name the URL step only when no real URL is configured yet.
    let has_url = ctx.settings().map(|s| s.url().is_some()).unwrap_or(false);
    if has_url {
        ctx.out.status("      then `cargo migrate upgrade head`");
    } else {
        ctx.out.status(format!(
            "      set the database URL (DATABASE_URL, or database_url in {CONFIG_FILE}), then `cargo migrate upgrade head`"
        ));
    }
    Ok(Status::Ok)
}

fn config_text(args: &Args, ctx: &mut Context) -> CliResult<String> {
    // A URL with a password belongs in DATABASE_URL or .env, not in a committed file.
    let url = match &ctx.global.database_url {
        Some(url)
            if url::Url::parse(url)
                .map(|u| u.password().is_none())
                .unwrap_or(true) =>
        {
            url.clone()
        }
        Some(_) => {
            ctx.out.warning(
                "the database URL has a password: not written to migrate.toml; set DATABASE_URL (or .env) instead",
            );
            PLACEHOLDER_URL.to_string()
        }
        None => PLACEHOLDER_URL.to_string(),
    };
    let file = ConfigFile {
        migrations_dir: Some(args.directory.clone()),
        models: Some(vec![PathBuf::from("src")]),
        database_url: Some(url),
        dialect: args.dialect.map(|d| d.name().to_string()),
        version_table: Some(migrate_core::dialect::version_table::DEFAULT_NAME.to_string()),
        tables: None,
        hooks: None,
        runtime: None,
        objects_dir: None,
        safety: None,
    };
    let body = toml::to_string(&file)
        .map_err(|e| CliError::io(format!("cannot write {CONFIG_FILE}: {e}")))?;
    Ok(format!(
        "# migrate configuration, written by `cargo migrate init`.\n\
         # The database URL is taken from --database-url, else DATABASE_URL, else .env,\n\
         # else database_url below. Keep passwords out of this file: use DATABASE_URL.\n\
         {body}\n\
         # Tables that check, autogenerate and adopt leave alone (glob patterns):\n\
         # [tables]\n\
         # exclude = [\"legacy_*\"]   # and/or include = [\"app_*\"]\n"
    ))
}

enum BuildRs {
    AlreadyThere,
    Text(String, &'static str),
    Manual,
}

fn build_rs_edit(path: &Path) -> CliResult<BuildRs> {
    if !path.exists() {
        return Ok(BuildRs::Text(
            format!("fn main() {{\n    {BUILD_LINE}\n}}\n"),
            "created  ",
        ));
    }
    let text = read(path)?;
    if text.contains("migrate_build::") {
        return Ok(BuildRs::AlreadyThere);
    }
    // Insert as the first statement of `fn main() {`, when it is written on one line.
    let Some(at) = text.find("fn main() {") else {
        return Ok(BuildRs::Manual);
    };
    let insert_at = at + "fn main() {".len();
    let mut out = String::with_capacity(text.len() + 40);
    out.push_str(&text[..insert_at]);
    out.push_str("\n    ");
    out.push_str(BUILD_LINE);
    out.push_str(&text[insert_at..]);
    Ok(BuildRs::Text(out, "edited   "))
}

fn rel(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

fn read(path: &Path) -> CliResult<String> {
    std::fs::read_to_string(path).map_err(|e| {
        CliError::io(format!("cannot read {}: {e}", path.display()))
            .fix("check the file's permissions")
    })
}

fn create_dir(path: &Path) -> CliResult<()> {
    std::fs::create_dir_all(path).map_err(|e| {
        CliError::io(format!("cannot create {}: {e}", path.display()))
            .fix("check the directory's permissions")
    })
}

fn write_file(path: &Path, text: &str) -> CliResult<()> {
    std::fs::write(path, text).map_err(|e| {
        CliError::io(format!("cannot write {}: {e}", path.display()))
            .fix("check the file's permissions")
    })
}

fn write_new(path: &Path, text: &str) -> CliResult<()> {
    write_file(path, text)
}
