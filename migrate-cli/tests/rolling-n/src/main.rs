//! Release N of a small application, as deployed: its revisions embedded, and a
//! loop that writes and reads its accounts the way its models map them, as the
//! release still serving while the next one migrates.
//!
//! ```text
//! rolling-n migrate ARGS...  # the command set, through run_embedded
//! rolling-n serve URL        # every 20 ms until stdin closes: each statement
//!                            # below, printing `ok NAME` or `error NAME: ...`
//! ```
//!
//! `serve` takes a PostgreSQL, MariaDB or SQLite URL (a SQLite file is shared
//! with the process that migrates it).

#[allow(dead_code)]
mod models;

use std::process::ExitCode;
use std::time::Duration;

use migrate::core::dialect::DialectKind;
use sqlx::{Connection, Executor, MySqlConnection, PgConnection, SqliteConnection};

/// What release N does with `models::Account`: insert every column it maps, and
/// read the columns it shows.
const STATEMENTS: &[(&str, &str)] = &[
    (
        "insert",
        "INSERT INTO accounts (id, email, nick, legacy, age) \
         VALUES ({id}, 'n{id}@example.com', 'nick', 'x', 1)",
    ),
    (
        "read-nick",
        "SELECT count(nick) FROM accounts WHERE age >= 0",
    ),
    ("read-legacy", "SELECT count(legacy) FROM accounts"),
];

/// Runs the statements in a loop on the database of `url` until stdin closes.
async fn serve(url: &str) -> Result<(), sqlx::Error> {
    match url.parse::<DialectKind>() {
        Ok(DialectKind::Postgres) => serve_on::<PgConnection>(url).await,
        Ok(DialectKind::MySql) => serve_on::<MySqlConnection>(url).await,
        Ok(DialectKind::Sqlite) => serve_on::<SqliteConnection>(url).await,
        // Not the URL itself, which may hold a password.
        Err(_) => Err(sqlx::Error::Configuration(
            "serve takes a postgres://, mysql:// or sqlite: URL".into(),
        )),
    }
}

/// Runs the statements in a loop on one connection until stdin closes (the test's
/// signal to stop).
async fn serve_on<C>(url: &str) -> Result<(), sqlx::Error>
where
    C: Connection,
    for<'c> &'c mut C: Executor<'c, Database = C::Database>,
{
    let mut conn = C::connect(url).await?;
    let (stop_tx, mut stop) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        let mut sink = String::new();
        while std::io::stdin().read_line(&mut sink).is_ok_and(|n| n > 0) {}
        let _ = stop_tx.send(());
    });
    let mut id = 0u64;
    loop {
        for (name, sql) in STATEMENTS {
            id += 1;
            let sql = sql.replace("{id}", &id.to_string());
            match sqlx::raw_sql(&sql).execute(&mut conn).await {
                Ok(_) => println!("ok {name}"),
                Err(e) => println!("error {name}: {e}"),
            }
        }
        tokio::select! {
            _ = &mut stop => return Ok(()),
            _ = tokio::time::sleep(Duration::from_millis(20)) => {}
        }
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("migrate") => {
            ExitCode::from(migrate_cli::run_embedded(args, migrate::embedded!()).code())
        }
        Some("serve") if args.len() == 2 => {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a tokio runtime");
            match rt.block_on(serve(&args[1])) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }
        _ => {
            eprintln!("usage: rolling-n migrate COMMAND... | serve URL");
            ExitCode::from(2)
        }
    }
}
