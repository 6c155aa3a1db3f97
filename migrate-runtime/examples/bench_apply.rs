//! Benchmark helper for `migrate-runtime/benches/apply_500.sh`: writes a chain of
//! revisions in our TOML format plus the same SQL for the raw clients and for
//! `sqlx migrate run`, and applies the revisions to a database URL with
//! [`migrate_runtime::Migrator`].
//!
//! ```text
//! bench_apply gen <dir> [count]      # count revisions (default 500) and their SQL
//! bench_apply apply <dir> <url> [all] # upgrade <url> to head from <dir>/revisions;
//!                                    # `all`: TransactionMode::All (one transaction)
//! BENCH_TIMES=1 bench_apply apply ... # also print load vs. upgrade time on stderr
//! ```
//!
//! `gen` writes:
//! - `<dir>/revisions/*.toml`: revision `i` creates a table (i % 3 == 0), adds a
//!   column to the newest table (i % 3 == 1) or indexes that column (i % 3 == 2);
//! - `<dir>/{postgres,mysql,sqlite}.sql`: every upgrade rendered with
//!   `migrate_core::dialect::render_ops` for that dialect, one statement per line;
//! - `<dir>/sqlx-{postgres,mysql,sqlite}/NNNN_<slug>.sql`: the same SQL, one file per
//!   revision, for `sqlx migrate run` and sqlx's `Migrator`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use migrate_core::dialect::{render_ops, DialectKind};
use migrate_core::revision::{file_name, load_dir, slug, Revision};
use migrate_core::schema::Schema;
use migrate_runtime::TransactionMode;

type BoxError = Box<dyn std::error::Error>;

/// The TOML text of revision `i` (0-based) of the chain.
fn revision_toml(i: usize) -> (String, String) {
    let id = format!("{:012x}", 0xb000_0000_0000u64 + i as u64);
    let parents = if i == 0 {
        String::new()
    } else {
        format!(
            "{:?}",
            format!("{:012x}", 0xb000_0000_0000u64 + i as u64 - 1)
        )
    };
    let table = format!("bench_{}", i / 3);
    let column = format!("c_{}", i / 3);
    let (message, up, down) = match i % 3 {
        0 => (
            format!("create {table}"),
            format!(
                "op = \"create_table\"\ntable.name = \"{table}\"\ntable.columns = [\n    \
                 {{ name = \"id\", type = \"bigint\", nullable = false }},\n    \
                 {{ name = \"name\", type = \"varchar(100)\", nullable = true }},\n]\n\
                 table.primary_key = {{ name = \"pk_{table}\", columns = [\"id\"] }}\n"
            ),
            format!(
                "op = \"drop_table\"\ntable.name = \"{table}\"\ntable.columns = [\n    \
                 {{ name = \"id\", type = \"bigint\", nullable = false }},\n    \
                 {{ name = \"name\", type = \"varchar(100)\", nullable = true }},\n]\n\
                 table.primary_key = {{ name = \"pk_{table}\", columns = [\"id\"] }}\n"
            ),
        ),
        1 => {
            let col = format!("{{ name = \"{column}\", type = \"integer\", nullable = true }}");
            (
                format!("add {table} {column}"),
                format!("op = \"add_column\"\ntable = \"{table}\"\ncolumn = {col}\n"),
                format!("op = \"drop_column\"\ntable = \"{table}\"\ncolumn = {col}\n"),
            )
        }
        _ => {
            let index = format!(
                "{{ name = \"ix_{table}_{column}\", columns = [{{ name = \"{column}\" }}] }}"
            );
            (
                format!("index {table} {column}"),
                format!("op = \"create_index\"\ntable = \"{table}\"\nindex = {index}\n"),
                format!("op = \"drop_index\"\ntable = \"{table}\"\nindex = {index}\n"),
            )
        }
    };
    let text = format!(
        "id = \"{id}\"\nparents = [{parents}]\nmessage = \"{message}\"\n\
         created = \"2026-11-25T00:00:00Z\"\n\n[[upgrade]]\n{up}\n[[downgrade]]\n{down}"
    );
    (id, text)
}

fn generate(dir: &Path, count: usize) -> Result<(), BoxError> {
    let rev_dir = dir.join("revisions");
    std::fs::create_dir_all(&rev_dir)?;
    for i in 0..count {
        let (_, text) = revision_toml(i);
        let rev = Revision::parse(&text, Path::new("generated.toml"))?;
        std::fs::write(rev_dir.join(file_name(&rev)), text)?;
    }
    // Read them back as the runtime will, so the SQL comes from the parsed files.
    let files = load_dir(&rev_dir)?;
    for (kind, name) in [
        (DialectKind::Postgres, "postgres"),
        (DialectKind::MySql, "mysql"),
        (DialectKind::Sqlite, "sqlite"),
    ] {
        let sqlx_dir = dir.join(format!("sqlx-{name}"));
        std::fs::create_dir_all(&sqlx_dir)?;
        let mut schema = Schema::default();
        let mut script = String::new();
        for (n, file) in files.iter().enumerate() {
            let rev = &file.revision;
            let statements = render_ops(kind, &schema, &rev.upgrade)?;
            for op in &rev.upgrade {
                migrate_core::apply::apply(&mut schema, op)?;
            }
            let mut one = String::new();
            for s in &statements {
                writeln!(one, "{};", s.sql.trim_end())?;
            }
            script.push_str(&one);
            let path = sqlx_dir.join(format!("{:04}_{}.sql", n + 1, slug(&rev.message)));
            std::fs::write(path, one)?;
        }
        std::fs::write(dir.join(format!("{name}.sql")), script)?;
    }
    println!(
        "wrote {count} revisions and their SQL under {}",
        dir.display()
    );
    Ok(())
}

async fn apply(dir: &Path, url: &str, mode: TransactionMode) -> Result<(), BoxError> {
    let start = Instant::now();
    let files = load_dir(&dir.join("revisions"))?;
    let loaded = start.elapsed();
    let report = migrate_runtime::Migrator::from_files(files)
        .transaction_mode(mode)
        .upgrade_to_head(url)
        .await?;
    println!("applied {}", report.revisions.len());
    if std::env::var_os("BENCH_TIMES").is_some() {
        let total = start.elapsed();
        eprintln!(
            "load_dir {:.1} ms, upgrade_to_head {:.1} ms",
            loaded.as_secs_f64() * 1e3,
            (total - loaded).as_secs_f64() * 1e3
        );
    }
    Ok(())
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["gen", dir] => generate(Path::new(dir), 500),
        ["gen", dir, count] => match count.parse() {
            Ok(count) => generate(Path::new(dir), count),
            Err(e) => Err(format!("count {count:?}: {e}").into()),
        },
        ["apply", dir, url] => apply(&PathBuf::from(dir), url, TransactionMode::PerRevision).await,
        ["apply", dir, url, "all"] => apply(&PathBuf::from(dir), url, TransactionMode::All).await,
        _ => {
            Err("usage: bench_apply gen <dir> [count] | bench_apply apply <dir> <url> [all]".into())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
