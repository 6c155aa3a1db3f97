//! Errors a user meets first: a wrong URL, an unreachable server, a bad revision id.
//! Each is one line, then the fix, with a non-zero exit and no password anywhere.
//! Also the order in which the database URL is looked up.

use crate::fixtures::tutorial_project;
use crate::util::{assert_error_with_fix, Project};

fn all_output(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn unsupported_url_is_a_usage_error_with_fix() {
    let p = tutorial_project();
    let err = p.fails(
        &[
            "upgrade",
            "--database-url",
            "oracle://scott:tiger99@db/orcl",
        ],
        2,
    );
    assert_error_with_fix(&err);
    assert!(err.contains("oracle://scott:***@db/orcl"), "{err}");
    assert!(!err.contains("tiger99"), "{err}");
}

#[test]
fn unreachable_servers_are_database_errors_without_the_password() {
    let p = tutorial_project();
    for url in [
        "postgres://bob:s3cr%40tpw@127.0.0.1:1/app",
        "mysql://bob:s3cr%40tpw@127.0.0.1:1/app",
    ] {
        for command in [&["upgrade", "head"][..], &["current"][..], &["check"][..]] {
            let mut args = command.to_vec();
            args.extend(["--database-url", url]);
            let out = p.cmd(&args).output().unwrap();
            assert_eq!(out.status.code(), Some(3), "{args:?}: {}", all_output(&out));
            let err = String::from_utf8_lossy(&out.stderr).to_string();
            let lines: Vec<&str> = err.lines().filter(|l| !l.starts_with("ok:")).collect();
            assert_eq!(lines.len(), 2, "{err}");
            assert!(lines[0].starts_with("error: "), "{err}");
            assert!(lines[1].starts_with("  fix: "), "{err}");
            let all = all_output(&out);
            assert!(!all.contains("s3cr"), "{args:?} leaked the password: {all}");
            assert!(all.contains("bob:***@127.0.0.1:1"), "{all}");
        }
    }
}

#[test]
fn password_from_the_environment_never_shows_even_verbose() {
    let p = tutorial_project();
    let mut cmd = p.cmd(&["--verbose", "current"]);
    cmd.env("DATABASE_URL", "postgres://bob:envpass77@127.0.0.1:1/app");
    let out = cmd.output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let all = all_output(&out);
    assert!(!all.contains("envpass77"), "{all}");
    assert!(
        all.contains("(from the DATABASE_URL environment variable)"),
        "{all}"
    );
}

#[test]
fn sqlite_file_in_a_missing_directory_is_a_database_error() {
    let p = tutorial_project();
    let err = p.fails(
        &["upgrade", "--database-url", "sqlite:///no/such/dir/app.db"],
        3,
    );
    assert_error_with_fix(&err);
}

#[test]
fn bad_revision_ids_are_usage_errors() {
    let p = tutorial_project();
    let url = format!("sqlite://{}?mode=rwc", p.join("app.db").display());
    for args in [
        &["upgrade", "0000000"][..],
        &["downgrade", "nope"][..],
        &["stamp", "0000000"][..],
    ] {
        let mut args = args.to_vec();
        args.extend(["--database-url", &url]);
        let err = p.fails(&args, 2);
        assert_error_with_fix(&err);
    }
}

#[test]
fn no_database_url_says_where_to_put_one() {
    let p = tutorial_project();
    let err = p.fails(&["current"], 2);
    assert_error_with_fix(&err);
    assert!(err.contains("placeholder"), "{err}");
    let q = Project::new();
    q.write("migrations/.keep", "");
    let err = q.fails(&["current"], 2);
    assert_error_with_fix(&err);
    assert!(err.contains("DATABASE_URL"), "{err}");
}

#[test]
fn url_order_is_flag_then_env_then_dotenv_then_config() {
    let p = tutorial_project();
    let url = |name: &str| format!("sqlite://{}?mode=rwc", p.join(name).display());
    p.write(
        "migrate.toml",
        &format!(
            "migrations_dir = \"migrations\"\ndatabase_url = \"{}\"\n",
            url("config.db")
        ),
    );
    let source = |cmd: &mut assert_cmd::Command| {
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", all_output(&out));
        String::from_utf8_lossy(&out.stderr)
            .lines()
            .find(|l| l.starts_with("database: "))
            .unwrap()
            .to_string()
    };
    assert!(
        source(&mut p.cmd(&["-v", "current"])).contains("config.db?mode=rwc (from database_url in")
    );
    p.write(".env", &format!("DATABASE_URL={}\n", url("dotenv.db")));
    assert!(
        source(&mut p.cmd(&["-v", "current"])).contains("dotenv.db?mode=rwc (from DATABASE_URL in")
    );
    let mut cmd = p.cmd(&["-v", "current"]);
    cmd.env("DATABASE_URL", url("env.db"));
    assert!(
        source(&mut cmd).contains("env.db?mode=rwc (from the DATABASE_URL environment variable)")
    );
    let mut cmd = p.cmd(&["-v", "current", "--database-url", &url("flag.db")]);
    cmd.env("DATABASE_URL", url("env.db"));
    assert!(source(&mut cmd).contains("flag.db?mode=rwc (from --database-url)"));
}

/// `upgrade` reads the revision files while it connects; what is wrong with them is
/// still what it reports, before anything is done to the database: a SQLite file that
/// is not there is not created, and a server that never answers is not waited for.
#[test]
fn a_broken_revision_file_is_reported_before_the_database_is_touched() {
    let p = tutorial_project();
    let url = format!("sqlite://{}", p.join("app.db").display());
    p.ok(&["upgrade", "head", "--database-url", &url]);
    p.write(
        "migrations/0123456789ab_bad.toml",
        "id = \"0123456789ab\"\nparents = [\nmessage = 1\n",
    );
    let broken = |url: &str| {
        let err = p.fails(&["upgrade", "head", "--database-url", url], 4);
        assert_error_with_fix(&err);
        assert!(err.contains("0123456789ab_bad.toml:"), "{err}");
    };
    // A database that exists: connected to while the files are read.
    broken(&url);
    // One that does not: not created.
    let missing = p.join("new.db");
    broken(&format!("sqlite://{}", missing.display()));
    assert!(
        !missing.exists(),
        "a run that cannot read its revisions created the file"
    );
    // A server that accepts connections and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let start = std::time::Instant::now();
    broken(&format!("postgres://bob:pw@127.0.0.1:{port}/app"));
    broken(&format!("mysql://bob:pw@127.0.0.1:{port}/app"));
    // Both connections would wait for the 10 s connect timeout; the files do not.
    assert!(
        start.elapsed() < std::time::Duration::from_secs(10),
        "waited {:?} for a server before reporting the revision file",
        start.elapsed()
    );
    drop(silent);
}
