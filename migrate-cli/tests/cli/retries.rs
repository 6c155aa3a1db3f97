//! A lock timeout is retried on every path a revision takes (docs/safety.md), not
//! only statement by statement: on PostgreSQL two revisions that run whole go in one
//! message, and on MariaDB in one group; a second session holds an open transaction
//! that read the table the second revision alters, so its `ALTER TABLE` times out
//! until the session commits. With `lock_retries` the upgrade waits it out and
//! completes; with `lock_retries = 0` it fails at the first timeout, the revision
//! before it applied. With `[runtime] transaction = "all"` (the whole run in one
//! transaction) on PostgreSQL, the timeout rolls the run back and it starts again
//! from its first revision; when the tries run out nothing of the run stays.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use migrate_core::dialect::DialectKind;
use migrate_testkit::throwaway;
use sqlx::{Connection, MySqlConnection, PgConnection};

use crate::util::{runtime, sql, Project};

/// How long the second session keeps its transaction open.
const HOLDS: Duration = Duration::from_millis(1500);

const ACCOUNTS: &str = "use migrate::Model;

#[derive(Model)]
pub struct Account {
    #[model(primary_key)]
    pub id: i64,
";

/// A project of three revisions: the accounts, a new table (no lock needed), and a
/// column added to the accounts (an `ALTER TABLE` that waits for the table's lock);
/// `more` is added to its `migrate.toml`. Returns the project and the ids.
fn project(lock_retries: u32, more: &str) -> (Project, [String; 3]) {
    let p = Project::new();
    p.ok(&["init"]);
    let config = p.read("migrate.toml");
    p.write(
        "migrate.toml",
        &format!(
            "{config}\n[safety]\nlock_timeout = \"300ms\"\nlock_retries = {lock_retries}\n{more}"
        ),
    );
    let team =
        "\n#[derive(Model)]\npub struct Team {\n    #[model(primary_key)]\n    pub id: i64,\n}\n";
    let mut ids = Vec::new();
    for (message, models) in [
        ("accounts", format!("{ACCOUNTS}}}\n")),
        ("teams", format!("{ACCOUNTS}}}\n{team}")),
        (
            "account note",
            format!("{ACCOUNTS}    pub note: Option<String>,\n}}\n{team}"),
        ),
    ] {
        p.write("src/models.rs", &models);
        ids.push(
            p.ok(&["revision", "--autogenerate", "-m", message])
                .trim()
                .to_string(),
        );
    }
    (p, ids.try_into().unwrap())
}

/// Holds an open transaction that read `accounts` on `url`, from another thread,
/// for `holds` or until told through the returned sender (or it is dropped), which
/// comes first; returns once the read is done.
fn hold_accounts(
    kind: DialectKind,
    url: &str,
    holds: Duration,
) -> (std::thread::JoinHandle<()>, mpsc::Sender<()>) {
    let (tx, ready) = mpsc::channel();
    let (release, released) = mpsc::channel::<()>();
    let url = url.to_string();
    let holder = std::thread::spawn(move || {
        runtime().block_on(async {
            let statements = ["BEGIN", "SELECT count(*) FROM accounts"];
            match kind {
                DialectKind::Postgres => {
                    let mut c = PgConnection::connect(&url).await.unwrap();
                    for s in statements {
                        sqlx::raw_sql(s).execute(&mut c).await.unwrap();
                    }
                    tx.send(()).unwrap();
                    let _ = released.recv_timeout(holds);
                    sqlx::raw_sql("COMMIT").execute(&mut c).await.unwrap();
                }
                _ => {
                    let mut c = MySqlConnection::connect(&url).await.unwrap();
                    for s in statements {
                        sqlx::raw_sql(s).execute(&mut c).await.unwrap();
                    }
                    tx.send(()).unwrap();
                    let _ = released.recv_timeout(holds);
                    sqlx::raw_sql("COMMIT").execute(&mut c).await.unwrap();
                }
            }
        })
    });
    ready.recv().unwrap();
    (holder, release)
}

/// Applies the first revision, then the other two in one run while a session holds
/// the accounts for `holds`, or until the run ends if that is sooner; `more` is
/// added to `migrate.toml`. Returns whether the run succeeded, its output, how long
/// it took and the heads afterwards. A run that took less than `holds` ended while
/// the session still held the accounts.
fn upgrade_while_held(
    kind: DialectKind,
    lock_retries: u32,
    holds: Duration,
    more: &str,
) -> Option<(bool, String, Duration, String, [String; 3])> {
    let rt = runtime();
    let db = rt.block_on(throwaway(kind))?;
    let url = db.url().to_string();
    let (p, ids) = project(lock_retries, more);
    p.ok(&["upgrade", &ids[0], "--database-url", &url]);
    let (holder, release) = hold_accounts(kind, &url, holds);
    let started = Instant::now();
    let out = p
        .cmd(&["upgrade", "head", "--database-url", &url])
        .output()
        .unwrap();
    let took = started.elapsed();
    drop(release);
    holder.join().unwrap();
    let heads = sql(
        kind,
        &url,
        "SELECT CAST(version_num AS CHAR(64)) FROM migrate_version",
    )
    .unwrap()
    .unwrap_or_default()
    .trim()
    .to_string();
    let output = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if out.status.success() {
        // The column is there and the accounts are usable.
        sql(
            kind,
            &url,
            "INSERT INTO accounts (id, note) VALUES (1, 'x')",
        )
        .unwrap();
    }
    rt.block_on(db.cleanup()).unwrap();
    Some((out.status.success(), output, took, heads, ids))
}

/// With six tries, the run waits out a session holding the table's lock for
/// [`HOLDS`] and applies every revision (`toml` is added to migrate.toml).
fn waits_the_lock_out(kind: DialectKind, toml: &str) {
    let Some((ok, output, took, heads, ids)) = upgrade_while_held(kind, 6, HOLDS, toml) else {
        return;
    };
    assert!(ok, "the run waits the lock out: {output}");
    assert!(
        took >= HOLDS,
        "it waited for the session ({took:?}): {output}"
    );
    assert_eq!(heads, ids[2], "{output}");
}

fn retried_until_the_lock_is_released(kind: DialectKind, timeout_text: &str) {
    waits_the_lock_out(kind, "");

    // Held until the run ends (at most a minute): the run gives up while the
    // session holds the accounts, however long the process takes under load.
    let holds = Duration::from_secs(60);
    let Some((ok, output, took, heads, ids)) = upgrade_while_held(kind, 0, holds, "") else {
        return;
    };
    assert!(!ok, "without retries the first timeout fails the run");
    assert!(output.contains(timeout_text), "{output}");
    assert!(
        output.contains(&ids[2]),
        "the error names the revision: {output}"
    );
    assert!(
        took < holds,
        "it gave up at the first timeout, the accounts still held ({took:?})"
    );
    // The revision sent before it in the same message or group stays applied.
    assert_eq!(heads, ids[1], "{output}");
}

#[test]
fn a_lock_timeout_in_revisions_sent_together_is_retried_on_postgres() {
    retried_until_the_lock_is_released(DialectKind::Postgres, "lock timeout");
}

#[test]
fn a_lock_timeout_in_a_group_is_retried_on_mariadb() {
    retried_until_the_lock_is_released(DialectKind::MySql, "Lock wait timeout");
}

/// The whole run in one transaction (`[runtime] transaction = "all"`): a timeout in
/// the column's revision rolls back the new table too, and the run starts again
/// from it. With the lock held past every try (three of 300 ms, with pauses of 200
/// and 400 ms), the run fails naming the revision and step, and nothing of it stays.
#[test]
fn a_lock_timeout_in_a_one_transaction_run_is_retried_from_its_start_on_postgres() {
    let all = "\n[runtime]\ntransaction = \"all\"\n";
    waits_the_lock_out(DialectKind::Postgres, all);

    // Held until the run ends (at most a minute), so every try meets the lock.
    let holds = Duration::from_secs(60);
    let Some((ok, output, took, heads, ids)) =
        upgrade_while_held(DialectKind::Postgres, 2, holds, all)
    else {
        return;
    };
    assert!(!ok, "the tries run out while the lock is held: {output}");
    assert!(output.contains("lock timeout"), "{output}");
    assert!(
        output.contains(&format!("revision {}", ids[2])) && output.contains("failed at step"),
        "the error names the revision and step: {output}"
    );
    assert!(output.contains("whole run was rolled back"), "{output}");
    assert!(
        took >= Duration::from_millis(1500) && took < holds,
        "three tries, then it gave up ({took:?})"
    );
    // The new table's revision, in the same transaction, rolled back with it.
    assert_eq!(heads, ids[0], "{output}");
}

/// A transaction mode other than the two is an error naming the file, the line
/// and the accepted values.
#[test]
fn unknown_transaction_mode_is_explained() {
    let p = Project::new();
    p.ok(&["init"]);
    let config = p.read("migrate.toml");
    p.write(
        "migrate.toml",
        &format!("{config}\n[runtime]\ntransaction = \"some\"\n"),
    );
    let line = config.lines().count() + 3;
    let err = p.fails(&["upgrade", "head", "--database-url", "sqlite://x.db"], 2);
    assert!(err.contains(&format!("migrate.toml:{line}")), "{err}");
    assert!(err.contains("unknown transaction mode `some`"), "{err}");
    assert!(err.contains("`per_revision`"), "{err}");
}
