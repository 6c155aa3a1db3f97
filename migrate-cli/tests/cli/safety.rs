//! Safe forms on a real server (docs/safety.md): autogenerate writes the revision's
//! `[safety]` table from `migrate.toml`; `upgrade --sql` shows the online forms; and
//! `cargo migrate upgrade` on PostgreSQL, while a second session holds an open
//! transaction that read the table and a third writes to it in a loop, completes
//! without stalling the writer beyond the lock timeout, with the data intact, where
//! the blocking forms of the same revision stall it until the reader commits. A
//! concurrent index build that fails leaves an invalid index; the next run drops it
//! and builds it again.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

use migrate_core::dialect::DialectKind;
use migrate_testkit::{throwaway, TestDb};
use sqlx::{Connection, PgConnection};

use crate::util::{runtime, sql, Project};

const TEAMS: &str = "use migrate::Model;

#[derive(Model)]
pub struct Team {
    #[model(primary_key)]
    pub id: i64,
}
";

/// The accounts before: no index, no key, no check, a nullable email.
const BEFORE: &str = "
#[derive(Model)]
pub struct Account {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_len = 100)]
    pub email: Option<String>,
    pub team_id: Option<i64>,
    pub age: i32,
}
";

/// The accounts after: an index, a foreign key, a check, a NOT NULL email.
const AFTER: &str = "
#[derive(Model)]
pub struct Account {
    #[model(primary_key)]
    pub id: i64,
    #[model(index, max_len = 100)]
    pub email: String,
    #[model(references = Team)]
    pub team_id: Option<i64>,
    #[model(check = \"age >= 0\")]
    pub age: i32,
}
";

/// How long the reader keeps its transaction open.
const READER_HOLDS: Duration = Duration::from_millis(2500);

/// A project whose first revision creates the tables and second makes every change
/// above, with `lock_timeout` and `lock_retries` from `migrate.toml`. Returns the
/// project and the two revision ids.
fn project() -> (Project, String, String) {
    let p = Project::new();
    p.ok(&["init"]);
    let config = p.read("migrate.toml");
    p.write(
        "migrate.toml",
        &format!("{config}\n[safety]\nlock_timeout = \"300ms\"\nlock_retries = 6\n"),
    );
    p.write("src/models.rs", &format!("{TEAMS}{BEFORE}"));
    let first = p.ok(&["revision", "--autogenerate", "-m", "tables"]);
    p.write("src/models.rs", &format!("{TEAMS}{AFTER}"));
    let second = p.ok(&[
        "revision",
        "--autogenerate",
        "-m",
        "online changes",
        "--allow-destructive",
    ]);
    (p, first.trim().to_string(), second.trim().to_string())
}

fn revision_file(p: &Project, id: &str) -> std::path::PathBuf {
    std::fs::read_dir(p.join("migrations"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|path| path.file_name().unwrap().to_string_lossy().starts_with(id))
        .unwrap_or_else(|| panic!("no file for {id}"))
}

#[test]
fn autogenerate_writes_the_policy_and_sql_shows_the_online_forms() {
    let (p, first, second) = project();
    let text = std::fs::read_to_string(revision_file(&p, &second)).unwrap();
    assert!(text.contains("[safety]\n"), "{text}");
    assert!(text.contains("forms = \"online\""), "{text}");
    assert!(text.contains("lock_timeout = \"300ms\""), "{text}");
    assert!(text.contains("lock_retries = 6"), "{text}");

    let script = p.ok(&[
        "upgrade",
        &format!("{first}:head"),
        "--sql",
        "--dialect",
        "postgres",
    ]);
    for expected in [
        "SET lock_timeout = '300ms';",
        "DROP INDEX CONCURRENTLY IF EXISTS \"ix_accounts_email\";",
        "CREATE INDEX CONCURRENTLY \"ix_accounts_email\" ON \"accounts\" (\"email\");",
        "NOT VALID;",
        "VALIDATE CONSTRAINT",
        "ADD CONSTRAINT \"accounts_email_not_null\" CHECK (\"email\" IS NOT NULL) NOT VALID;",
        "ALTER TABLE \"accounts\" ALTER COLUMN \"email\" SET NOT NULL;",
        "ALTER TABLE \"accounts\" DROP CONSTRAINT \"accounts_email_not_null\";",
        "RESET lock_timeout;",
    ] {
        assert!(script.contains(expected), "missing {expected}:\n{script}");
    }
    // The first revision creates the tables: nothing else can use them yet, so
    // they take the plain forms, in one transaction.
    let create = p.ok(&["upgrade", &first, "--sql", "--dialect", "postgres"]);
    assert!(!create.contains("CONCURRENTLY"), "{create}");

    // MariaDB: the index is built in place without a lock.
    let mysql = p.ok(&[
        "upgrade",
        &format!("{first}:head"),
        "--sql",
        "--dialect",
        "mysql",
    ]);
    assert!(mysql.contains("ALGORITHM=INPLACE LOCK=NONE"), "{mysql}");
    assert!(
        mysql.contains("SET SESSION lock_wait_timeout = 1"),
        "{mysql}"
    );

    // Opting out per revision: the plain forms, no timeout.
    let path = revision_file(&p, &second);
    let blocking = text
        .replace("forms = \"online\"", "forms = \"blocking\"")
        .replace("lock_timeout = \"300ms\"", "lock_timeout = \"off\"");
    std::fs::write(&path, blocking).unwrap();
    let plain = p.ok(&[
        "upgrade",
        &format!("{first}:head"),
        "--sql",
        "--dialect",
        "postgres",
    ]);
    assert!(!plain.contains("CONCURRENTLY"), "{plain}");
    assert!(!plain.contains("lock_timeout"), "{plain}");
    assert!(
        plain.contains("CREATE INDEX \"ix_accounts_email\""),
        "{plain}"
    );
}

/// What the writer saw while the upgrade ran.
struct Scenario {
    /// The longest a single insert took.
    stall: Duration,
    /// Rows the writer inserted.
    written: i64,
    /// Whether `cargo migrate upgrade head` succeeded, and its output.
    upgraded: bool,
    output: String,
}

/// Upgrades `url` from `first` to head while a reader holds an open transaction
/// that read `accounts` ([`READER_HOLDS`]) and a writer inserts in a loop.
fn run_under_load(p: &Project, url: &str, first: &str) -> Scenario {
    p.ok(&["upgrade", first, "--database-url", url]);
    sql(
        DialectKind::Postgres,
        url,
        "INSERT INTO accounts (id, email, team_id, age) \
         SELECT g, 'user' || g || '@example.com', NULL, g % 90 FROM generate_series(1, 20000) g",
    )
    .unwrap();

    let (read, reader_ready) = mpsc::channel();
    let reader_url = url.to_string();
    let reader = std::thread::spawn(move || {
        runtime().block_on(async {
            let mut c = PgConnection::connect(&reader_url).await.unwrap();
            sqlx::query("BEGIN").execute(&mut c).await.unwrap();
            sqlx::query("SELECT count(*) FROM accounts")
                .execute(&mut c)
                .await
                .unwrap();
            read.send(()).unwrap();
            tokio::time::sleep(READER_HOLDS).await;
            sqlx::query("COMMIT").execute(&mut c).await.unwrap();
        })
    });
    reader_ready.recv().unwrap();

    let stop = Arc::new(AtomicBool::new(false));
    let writer_stop = stop.clone();
    let writer_url = url.to_string();
    let writer = std::thread::spawn(move || {
        runtime().block_on(async {
            let mut c = PgConnection::connect(&writer_url).await.unwrap();
            let (mut stall, mut written) = (Duration::ZERO, 0i64);
            while !writer_stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                sqlx::query(
                    "INSERT INTO accounts (id, email, team_id, age) VALUES ($1, $2, NULL, 1)",
                )
                .bind(100_000 + written)
                .bind(format!("w{written}@example.com"))
                .execute(&mut c)
                .await
                .unwrap();
                stall = stall.max(started.elapsed());
                written += 1;
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            (stall, written)
        })
    });
    std::thread::sleep(Duration::from_millis(100));
    let out = p
        .cmd(&["upgrade", "head", "--database-url", url])
        .output()
        .unwrap();
    // Past the reader's commit, so a blocked writer shows its whole stall.
    reader.join().unwrap();
    std::thread::sleep(Duration::from_millis(100));
    stop.store(true, Ordering::Relaxed);
    let (stall, written) = writer.join().unwrap();
    Scenario {
        stall,
        written,
        upgraded: out.status.success(),
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

fn count(url: &str, query: &str) -> i64 {
    sql(
        DialectKind::Postgres,
        url,
        &format!("SELECT ({query})::text"),
    )
    .unwrap()
    .unwrap()
    .parse()
    .unwrap()
}

#[test]
fn online_forms_do_not_stall_a_writer_where_blocking_forms_do_on_postgres() {
    let rt = runtime();
    let Some(safe_db): Option<TestDb> = rt.block_on(throwaway(DialectKind::Postgres)) else {
        return;
    };
    let Some(naive_db): Option<TestDb> = rt.block_on(throwaway(DialectKind::Postgres)) else {
        return;
    };
    let (p, first, second) = project();

    let safe = run_under_load(&p, safe_db.url(), &first);
    assert!(safe.upgraded, "{}", safe.output);
    assert!(
        safe.stall < Duration::from_millis(1000),
        "the writer stalled {:?} under the online forms (lock timeout 300ms)",
        safe.stall
    );
    // The data is intact and the schema is the head's: every row, a valid index,
    // validated constraints, a NOT NULL column and no temporary check left.
    let url = safe_db.url();
    assert_eq!(
        count(url, "SELECT count(*) FROM accounts"),
        20_000 + safe.written
    );
    assert_eq!(
        count(url, "SELECT count(*) FROM pg_index WHERE indrelid = 'accounts'::regclass AND NOT indisvalid"),
        0
    );
    assert_eq!(
        count(url, "SELECT count(*) FROM pg_constraint WHERE conrelid = 'accounts'::regclass AND NOT convalidated"),
        0
    );
    assert_eq!(
        count(
            url,
            "SELECT count(*) FROM pg_constraint WHERE conname = 'accounts_email_not_null'"
        ),
        0
    );
    let check = p.cmd(&["check", "--database-url", url]).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );

    // The same revision in its blocking forms, on a second database.
    let path = revision_file(&p, &second);
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("forms = \"online\"", "forms = \"blocking\"")
            .replace("lock_timeout = \"300ms\"", "lock_timeout = \"off\""),
    )
    .unwrap();
    let naive = run_under_load(&p, naive_db.url(), &first);
    assert!(naive.upgraded, "{}", naive.output);
    assert!(
        naive.stall > Duration::from_millis(1200),
        "the blocking forms should queue the writer behind the reader's transaction; \
         it stalled only {:?}",
        naive.stall
    );
    eprintln!(
        "writer's longest insert: online {:?}, blocking {:?}",
        safe.stall, naive.stall
    );
    rt.block_on(safe_db.cleanup()).unwrap();
    rt.block_on(naive_db.cleanup()).unwrap();
}

#[test]
fn a_failed_concurrent_build_is_dropped_and_rebuilt_on_the_next_run_on_postgres() {
    let rt = runtime();
    let Some(db): Option<TestDb> = rt.block_on(throwaway(DialectKind::Postgres)) else {
        return;
    };
    let url = db.url().to_string();
    let p = Project::new();
    p.ok(&["init"]);
    p.write("src/models.rs", &format!("{TEAMS}{BEFORE}"));
    let first = p.ok(&["revision", "--autogenerate", "-m", "tables"]);
    p.write(
        "src/models.rs",
        &format!(
            "{TEAMS}{}",
            BEFORE.replace("max_len = 100", "max_len = 100, unique")
        ),
    );
    p.ok(&["revision", "--autogenerate", "-m", "unique email"]);
    p.ok(&["upgrade", first.trim(), "--database-url", &url]);
    sql(
        DialectKind::Postgres,
        &url,
        "INSERT INTO accounts (id, email, age) VALUES (1, 'same', 1), (2, 'same', 2)",
    )
    .unwrap();

    // The duplicates fail the build: nothing is recorded, an invalid index stays.
    let err = p.fails(&["upgrade", "head", "--database-url", &url], 3);
    assert!(err.contains("could not create unique index"), "{err}");
    assert!(
        !err.contains("dirty"),
        "a failed build leaves nothing to repair: {err}"
    );
    let invalid =
        "SELECT count(*) FROM pg_index WHERE indrelid = 'accounts'::regclass AND NOT indisvalid";
    assert_eq!(count(&url, invalid), 1);

    // Fix the data and run again: the leftover is dropped and the index rebuilt.
    sql(
        DialectKind::Postgres,
        &url,
        "UPDATE accounts SET email = 'other' WHERE id = 2",
    )
    .unwrap();
    p.ok(&["upgrade", "head", "--database-url", &url]);
    assert_eq!(count(&url, invalid), 0);
    let check = p.cmd(&["check", "--database-url", &url]).output().unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    rt.block_on(db.cleanup()).unwrap();
}

/// The exit code of `cargo migrate <args>` with its stdout and stderr.
fn both(p: &Project, args: &[&str]) -> (Option<i32>, String) {
    let out = p.cmd(args).output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.code(), text)
}

/// The accounts with a wider `age`: a type change that rewrites the table.
const WIDER_AGE: &str = "
#[derive(Model)]
pub struct Account {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_len = 100)]
    pub email: Option<String>,
    pub team_id: Option<i64>,
    pub age: i64,
}
";

#[test]
fn lints_are_shown_by_check_autogenerate_and_the_file_and_a_deny_fails() {
    let p = Project::new();
    p.ok(&["init"]);
    p.write("src/models.rs", &format!("{TEAMS}{BEFORE}"));
    p.ok(&["revision", "--autogenerate", "-m", "tables"]);
    p.write("src/models.rs", &format!("{TEAMS}{WIDER_AGE}"));

    // The drift report says what a revision written now would draw.
    let (code, drift) = both(&p, &["check"]);
    assert_eq!(code, Some(1), "{drift}");
    assert!(drift.contains("lints of a revision written now"), "{drift}");
    assert!(
        drift.contains("warning[MG102 changing-column-type]: accounts.age"),
        "{drift}"
    );

    // Autogenerate prints each finding with why and fix, and writes it into the file.
    let out = p.ok_all(&["revision", "--autogenerate", "-m", "wider age"]);
    assert!(out.contains("warning[MG102 changing-column-type]: accounts.age (step 1): changes the type integer -> bigint"), "{out}");
    assert!(
        out.contains("  why: PostgreSQL rewrites the table"),
        "{out}"
    );
    assert!(out.contains("  fix: expand and contract"), "{out}");
    let id = out.lines().next().unwrap().trim().to_string();
    let path = revision_file(&p, &id);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.contains("# MG102 changing-column-type (warn) step 1: accounts.age"),
        "{text}"
    );

    // `check` repeats it for the file, and passes at warn.
    let (code, stderr) = both(&p, &["check"]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains(&format!("accounts.age (revision {id} step 1)")),
        "{stderr}"
    );

    // Denied in migrate.toml: check fails, naming the rule and the revision.
    let config = p.read("migrate.toml");
    p.write(
        "migrate.toml",
        &format!("{config}\n[safety.lints]\nMG102 = \"deny\"\n"),
    );
    let (code, denied) = both(&p, &["check"]);
    assert_eq!(code, Some(1), "{denied}");
    assert!(
        denied.contains("error[MG102 changing-column-type]"),
        "{denied}"
    );
    // Allowed for this revision: the revision's table wins.
    std::fs::write(
        &path,
        format!("{text}\n[safety.lints]\nMG102 = \"allow\"\n"),
    )
    .unwrap();
    p.ok(&["check"]);

    // A hand-written SQL step is read by a SQL parser and linted the same way.
    let sql_id = p.ok(&["revision", "-m", "hand written"]).trim().to_string();
    let sql_path = revision_file(&p, &sql_id);
    let sql_text = std::fs::read_to_string(&sql_path).unwrap();
    assert!(sql_text.contains("[safety]"), "{sql_text}");
    std::fs::write(
        &sql_path,
        format!(
            "{sql_text}\n[[upgrade]]\nop = \"sql\"\nsql = \"CREATE INDEX ix_age ON accounts (age)\"\n"
        ),
    )
    .unwrap();
    let (_, stderr) = both(&p, &["check"]);
    assert!(
        stderr.contains("warning[MG121 require-concurrent-index-creation]: accounts"),
        "{stderr}"
    );

    // A [safety] table that does not read is an error naming the file and the fix.
    let bad = std::fs::read_to_string(&sql_path)
        .unwrap()
        .replace("forms = \"online\"", "forms = \"fast\"");
    std::fs::write(&sql_path, bad).unwrap();
    let (code, err) = both(&p, &["check"]);
    assert_eq!(code, Some(4), "{err}");
    let name = sql_path.file_name().unwrap().to_string_lossy().to_string();
    assert!(err.contains(&name), "{err}");
    assert!(err.contains("expected `online` or `blocking`"), "{err}");
    assert!(err.contains("fix: correct the [safety] table"), "{err}");
    // The line of the key, its value and what it takes.
    let line = std::fs::read_to_string(&sql_path)
        .unwrap()
        .lines()
        .position(|l| l == "forms = \"fast\"")
        .unwrap()
        + 1;
    assert!(
        err.contains(&format!(
            "line {line}: [safety] forms: forms = \"fast\": unknown variant"
        )),
        "{err}"
    );
    assert!(
        err.contains("forms takes \"online\" or \"blocking\""),
        "{err}"
    );

    // The same in migrate.toml: its line, the key, the value and the levels allowed.
    std::fs::remove_file(&sql_path).unwrap();
    let config = p.read("migrate.toml");
    p.write(
        "migrate.toml",
        &config.replace("MG102 = \"deny\"", "MG102 = \"loud\""),
    );
    let line = p
        .read("migrate.toml")
        .lines()
        .position(|l| l == "MG102 = \"loud\"")
        .unwrap()
        + 1;
    let (code, err) = both(&p, &["check"]);
    assert_ne!(code, Some(0), "{err}");
    assert!(
        err.contains(&format!(
            "migrate.toml:{line}: [safety] lints.MG102: \"loud\": write \"allow\", \"warn\" or \"deny\""
        )),
        "{err}"
    );
}

#[test]
fn online_forms_apply_and_undo_on_mariadb() {
    let rt = runtime();
    let Some(db): Option<TestDb> = rt.block_on(throwaway(DialectKind::MySql)) else {
        return;
    };
    let url = db.url().to_string();
    let (p, first, _) = project();
    p.ok(&["upgrade", &first, "--database-url", &url]);
    sql(
        DialectKind::MySql,
        &url,
        "INSERT INTO accounts (id, email, age) VALUES (1, 'a@example.com', 1), (2, 'b@example.com', 2)",
    )
    .unwrap();
    // The server accepts every ALGORITHM/LOCK clause it is given, or the run fails.
    p.ok(&["upgrade", "head", "--database-url", &url]);
    let (code, out) = both(&p, &["check", "--database-url", &url]);
    assert_eq!(code, Some(0), "{out}");
    p.ok(&["downgrade", &first, "--database-url", &url]);
    let rows = sql(
        DialectKind::MySql,
        &url,
        "SELECT CAST(COUNT(*) AS CHAR) FROM accounts",
    )
    .unwrap();
    assert_eq!(rows.as_deref(), Some("2"));
    rt.block_on(db.cleanup()).unwrap();
}

/// Release N's accounts, then each change of release N+1 in turn.
fn release(note: bool, handle: bool, index: bool, legacy: bool) -> String {
    let mut fields = vec!["    #[model(primary_key)]\n    pub id: i64,".to_string()];
    fields.push(if index {
        "    #[model(max_len = 100, index)]\n    pub email: String,".into()
    } else {
        "    #[model(max_len = 100)]\n    pub email: String,".into()
    });
    fields.push(if handle {
        "    #[model(renamed_from = \"nick\")]\n    pub handle: Option<String>,".into()
    } else {
        "    pub nick: Option<String>,".into()
    });
    if legacy {
        fields.push("    pub legacy: Option<String>,".into());
    }
    if note {
        fields.push("    pub note: Option<String>,".into());
    }
    fields.push("    pub age: i32,".into());
    format!(
        "use migrate::Model;\n\n#[derive(Model)]\npub struct Account {{\n{}\n}}\n",
        fields.join("\n")
    )
}

#[test]
fn the_rolling_deploy_rules_flag_exactly_the_revisions_that_break_the_previous_release_on_postgres()
{
    let rt = runtime();
    let Some(db): Option<TestDb> = rt.block_on(throwaway(DialectKind::Postgres)) else {
        return;
    };
    let url = db.url().to_string();
    let p = Project::new();
    p.ok(&["init"]);
    p.write("src/models.rs", &release(false, false, false, true));
    let n = p
        .ok(&["revision", "--autogenerate", "-m", "release n"])
        .trim()
        .to_string();
    // Release N+1, one revision per change: two break release N, two do not.
    let steps = [
        ("add note", release(true, false, false, true)),
        ("rename nick", release(true, true, false, true)),
        ("index email", release(true, true, true, true)),
        ("drop legacy", release(true, true, true, false)),
    ];
    let mut ids = Vec::new();
    for (message, models) in &steps {
        p.write("src/models.rs", models);
        let id = p.ok(&[
            "revision",
            "--autogenerate",
            "-m",
            message,
            "--allow-destructive",
        ]);
        ids.push(id.trim().to_string());
    }

    // What the check flags as breaking the release before each revision.
    let (_, report) = both(&p, &["check", "--models-only"]);
    let rolling = [
        "MG101", "MG103", "MG104", "MG105", "MG106", "MG131", "MG132", "MG133",
    ];
    let flagged: std::collections::BTreeSet<String> = report
        .lines()
        .filter(|l| rolling.iter().any(|code| l.contains(&format!("[{code} "))))
        .filter_map(|l| l.split("(revision ").nth(1))
        .map(|rest| rest.split(' ').next().unwrap().to_string())
        .collect();

    // Release N's statements (each names what it uses), run after each revision of
    // N+1 is applied: a revision breaks N when one of them starts failing there.
    p.ok(&["upgrade", &n, "--database-url", &url]);
    let release_n = [
        "INSERT INTO accounts (id, email, legacy, age) VALUES ({id}, 'n{id}@example.com', 'x', 1)",
        "SELECT count(nick)::text FROM accounts WHERE email <> '' AND age >= 0",
        "SELECT count(legacy)::text FROM accounts",
    ];
    let run = |q: &str, round: usize| {
        let q = q.replace("{id}", &(round + 1).to_string());
        sql(DialectKind::Postgres, &url, &q).is_ok()
    };
    assert!(
        release_n.iter().all(|q| run(q, 0)),
        "release N works on its own schema"
    );
    let mut working = [true; 3];
    let mut broke = std::collections::BTreeSet::new();
    for (round, id) in ids.iter().enumerate() {
        p.ok(&["upgrade", id, "--database-url", &url]);
        for (i, q) in release_n.iter().enumerate() {
            if working[i] && !run(q, round + 1) {
                working[i] = false;
                broke.insert(id.clone());
            }
        }
    }
    let expected: std::collections::BTreeSet<String> = [ids[1].clone(), ids[3].clone()].into();
    assert_eq!(broke, expected, "the rename and the drop break release N");
    assert_eq!(flagged, expected, "{report}");
    // The report names the struct and field of the release before, where its
    // source had them (recorded in the revision that release was built with).
    for breaks in [
        "breaks: `Account::nick` (src/models.rs:9) in the release before still reads and \
         writes column `accounts.nick`, which this revision renames",
        "breaks: `Account::legacy` (src/models.rs:11) in the release before still reads \
         column `accounts.legacy`, which this revision drops",
    ] {
        assert!(report.contains(breaks), "missing {breaks}:\n{report}");
    }
    rt.block_on(db.cleanup()).unwrap();
}
