//! A small blog service that migrates its own database on start-up.
//!
//! ```text
//! cargo run -p blog-example                                   # SQLite, ./blog.db
//! DATABASE_URL=postgres://user@host/blog cargo run -p blog-example
//! cargo run -p blog-example -- --database-url mysql://root@127.0.0.1/blog
//! ```
//!
//! Each run brings the database to the newest revision compiled into the binary,
//! then writes a post and a comment and prints the front page.

mod blog;
mod db;
mod models;

use std::process::ExitCode;

use migrate::runtime::Migrator;

use crate::db::Db;

/// The database used when neither `--database-url` nor `DATABASE_URL` is given:
/// `blog.db` in the current directory, created if missing.
const DEFAULT_URL: &str = "sqlite://blog.db?mode=rwc";

const USAGE: &str = "usage: blog-example [--database-url URL]

URL defaults to $DATABASE_URL, then to sqlite://blog.db?mode=rwc.
Examples: sqlite://blog.db?mode=rwc, postgres://user@localhost/blog, mysql://root@localhost/blog";

#[tokio::main]
async fn main() -> ExitCode {
    let url = match database_url(std::env::args().skip(1)) {
        Ok(Some(url)) => url,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("error: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(&url).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The URL from `--database-url URL` (or `--database-url=URL`), `DATABASE_URL`, or
/// the default; `None` for `--help`.
fn database_url(mut args: impl Iterator<Item = String>) -> Result<Option<String>, String> {
    let mut url = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--database-url" => {
                url = Some(args.next().ok_or("--database-url needs a URL after it")?);
            }
            _ => match arg.strip_prefix("--database-url=") {
                Some(value) => url = Some(value.to_string()),
                None => return Err(format!("unexpected argument {arg:?}")),
            },
        }
    }
    let url = url
        .or_else(|| std::env::var("DATABASE_URL").ok().filter(|u| !u.is_empty()))
        .unwrap_or_else(|| DEFAULT_URL.to_string());
    Ok(Some(url))
}

/// Migrates, writes, reads, prints.
async fn run(url: &str) -> Result<(), Box<dyn std::error::Error>> {
    let db = Db::connect(url).await?;
    println!("database: {} ({})", db.kind().name(), db::redact(url));

    // The one start-up call: apply every embedded revision the database lacks.
    let migrator = Migrator::new(migrate::embedded!());
    let report = with_db(&db, &migrator).await?;
    if report.revisions.is_empty() {
        println!("migrations: up to date, nothing applied");
    } else {
        println!(
            "migrations: applied {} revision(s): {}",
            report.revisions.len(),
            report.revisions.join(", ")
        );
    }

    let alice = blog::find_or_create_user(&db, "alice@example.com", "Alice").await?;
    let bob = blog::find_or_create_user(&db, "bob@example.com", "Bob").await?;
    for user in [&alice, &bob] {
        println!(
            "user: #{} {} <{}>, member since {}",
            user.id,
            user.name,
            user.email,
            user.created_at.format("%Y-%m-%d")
        );
    }

    let run = blog::count_posts(&db).await? + 1;
    let post = blog::create_post(
        &db,
        &alice,
        &format!("Hello from run {run}"),
        "This post was written right after the schema was brought up to date.",
    )
    .await?;
    println!(
        "new post: #{} /posts/{} \"{}\" by user #{} at {}: {}",
        post.id,
        post.slug,
        post.title,
        post.author_id,
        post.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
        post.body
    );

    let read = blog::record_view(&db, &post).await?;
    println!("post #{} read {} time(s)", read.id, read.views);
    println!("post #{} is {:?}", read.id, read.status);

    blog::add_comment(&db, &post, &bob, &format!("Nice post, {}!", alice.name)).await?;
    for comment in blog::comments_on(&db, &post).await? {
        println!(
            "comment: #{} on post #{} by user #{} at {}: \"{}\"",
            comment.id,
            comment.post_id,
            comment.author_id,
            comment.created_at.format("%Y-%m-%d %H:%M:%S UTC"),
            comment.body
        );
    }

    println!("posts:");
    for summary in blog::posts_with_comment_counts(&db).await? {
        println!(
            "  #{} {} \"{}\" by {}: {} comment(s)",
            summary.id, summary.slug, summary.title, summary.author, summary.comments
        );
    }
    db.close().await;
    Ok(())
}

/// Upgrades the database behind `db` to the newest embedded revision.
async fn with_db(
    db: &Db,
    migrator: &Migrator,
) -> Result<migrate::runtime::Report, migrate::runtime::Error> {
    db::with_pool!(db, pool => migrator.upgrade_to_head(pool).await)
}
