#!/usr/bin/env python3
"""Builds from scratch, side by side in one run: what migrate costs a new user
before the first build finishes, against sqlx alone.

Two comparisons, each built with a fresh target directory (the registry is
assumed downloaded; `cargo fetch` first otherwise):

  app      a new application depending on `migrate` with one database feature
           (and sqlx with the same feature, as an application has), with the
           one-line build script and one model, against the same application
           with sqlx alone; and the migrate application without its build
           script, which separates the script's own compile from what the
           library adds.
  install  `cargo install --path migrate-cli` against `cargo install sqlx-cli
           --no-default-features --features sqlite,postgres,mysql,rustls`, both
           into a throwaway `--root`.

Each build is timed as wall time and as CPU time (user + system of cargo and
every process it waited for); on a shared machine the CPU time is the one to
compare, since other load stretches wall time far more than it does CPU time.
The builds of one comparison run one after the other, in the order given, so
run this when the machine is quiet if the wall times matter.

The applications use this checkout's Cargo.lock, so both resolve the same
versions. Not a test: nothing is asserted.
Usage: python3 benches/first_build.py [app|install]... [--feature sqlite]
       [--dir DIR] [--sqlx-cli-version 0.8.6]
"""

import argparse
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def timed(cmd, cwd, target):
    """Runs `cmd` with a fresh target directory; returns (wall, cpu) seconds."""
    shutil.rmtree(target, ignore_errors=True)
    env = dict(os.environ, CARGO_TARGET_DIR=target, CARGO_TERM_COLOR="never")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed in {cwd}:\n{out.stderr[-4000:]}")
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall, cpu


MODEL = """use migrate::Model;

/// A user.
#[derive(Model)]
pub struct User {
    #[model(primary_key)]
    pub id: i64,
    #[model(max_len = 100)]
    pub name: String,
}
"""


def application(root, name, feature, with_migrate, with_build_script):
    d = os.path.join(root, name)
    sqlx = f'sqlx = {{ version = "0.8", features = ["runtime-tokio", "{feature}"] }}\n'
    manifest = (
        f'[package]\nname = "{name}"\nversion = "0.1.0"\nedition = "2021"\npublish = false\n\n'
        f"[dependencies]\n{sqlx}"
        'tokio = { version = "1", features = ["rt-multi-thread", "macros"] }\n'
    )
    main = "fn main() {}\n"
    if with_migrate:
        manifest += (
            f'migrate = {{ path = "{REPO}", default-features = false, '
            f'features = ["runtime", "{feature}"] }}\n'
        )
        main = "mod models;\n\nfn main() {\n    let _ = <models::User as migrate::Model>::table();\n}\n"
        write(os.path.join(d, "src", "models.rs"), MODEL)
        os.makedirs(os.path.join(d, "migrations"), exist_ok=True)
    if with_build_script:
        manifest += f'\n[build-dependencies]\nmigrate-build = {{ path = "{REPO}/migrate-build" }}\n'
        write(os.path.join(d, "build.rs"), "fn main() {\n    migrate_build::run();\n}\n")
    write(os.path.join(d, "Cargo.toml"), manifest)
    write(os.path.join(d, "src", "main.rs"), main)
    shutil.copy(os.path.join(REPO, "Cargo.lock"), os.path.join(d, "Cargo.lock"))
    return d


def bench_app(root, feature):
    apps = [
        ("sqlx alone", application(root, "app_sqlx", feature, False, False)),
        ("migrate, no build script", application(root, "app_migrate_lib", feature, True, False)),
        ("migrate + build script", application(root, "app_migrate", feature, True, True)),
    ]
    print(f"\n== first `cargo build` of an application, feature `{feature}` (fresh target dirs)")
    results = []
    for label, d in apps:
        # The first build with the build script fails on drift (the model has no
        # revision yet): that is the user's first build too, and it compiles
        # everything; autogenerate is what a user runs next.
        cmd = ["cargo", "build", "-q"]
        if label == "migrate + build script":
            cmd = ["env", "MIGRATE_AUTOGENERATE=create users"] + cmd
        wall, cpu = timed(cmd, d, os.path.join(root, "target-" + os.path.basename(d)))
        results.append((label, wall, cpu))
        print(f"{label:<26} wall {wall:8.1f} s   cpu {cpu:8.1f} s", flush=True)
    base = results[0]
    for label, wall, cpu in results[1:]:
        print(f"{label:<26} / sqlx alone: wall {wall / base[1]:.2f}x, cpu {cpu / base[2]:.2f}x")


def bench_install(root, sqlx_cli_version):
    print("\n== cargo install from scratch (fresh target dirs, throwaway --root)")
    runs = [
        ("migrate-cli", ["cargo", "install", "-q", "--locked", "--path", os.path.join(REPO, "migrate-cli")]),
        (
            f"sqlx-cli {sqlx_cli_version}",
            ["cargo", "install", "-q", "--locked", "sqlx-cli", "--version", sqlx_cli_version,
             "--no-default-features", "--features", "sqlite,postgres,mysql,rustls"],
        ),
    ]
    results = []
    for label, cmd in runs:
        dest = os.path.join(root, "root-" + label.split()[0])
        wall, cpu = timed(cmd + ["--root", dest], root, os.path.join(root, "target-" + label.split()[0]))
        results.append((label, wall, cpu))
        print(f"{label:<16} wall {wall:8.1f} s   cpu {cpu:8.1f} s", flush=True)
    (_, w0, c0), (_, w1, c1) = results
    print(f"migrate-cli / sqlx-cli: wall {w0 / w1:.2f}x, cpu {c0 / c1:.2f}x")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", nargs="*", default=["app"], choices=["app", "install"])
    parser.add_argument("--feature", default="sqlite", choices=["sqlite", "postgres", "mysql"])
    parser.add_argument("--dir", help="work directory (default: a new temporary one, removed at the end)")
    parser.add_argument("--sqlx-cli-version", default="0.8.6")
    args = parser.parse_args()
    root = args.dir or tempfile.mkdtemp(prefix="migrate-first-build-")
    os.makedirs(root, exist_ok=True)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs")
    print(subprocess.run(["cargo", "-V"], capture_output=True, text=True).stdout.strip())
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    try:
        for what in args.what:
            if what == "app":
                bench_app(root, args.feature)
            else:
                bench_install(root, args.sqlx_cli_version)
    finally:
        print(f"\nload average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        if not args.dir:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
