#!/usr/bin/env python3
"""Instructions rustc spends compiling the crates of `benches/compile_time.py`,
counted by valgrind, which other load on the machine does not change.

For each size, in a work directory that `compile_time.py --dir DIR` filled (and
left in place), the script bumps the models file's modification time, asks cargo
for the `rustc` command line of each crate and the environment cargo gives it
(`cargo build -vv`: `OUT_DIR` among it, where the derive finds what the build
script stored), runs it once to
warm its own incremental directory, then once more under `valgrind
--tool=cachegrind --cache-sim=no` (a `touch` build, as `compile_time.py` times
it), and prints the instructions of the model crate, of the FromRow-only crate,
and their ratio. Only rustc is counted: not cargo, not the build script (whose own
work `compile_time.py` times apart). The derive runs inside rustc, so its
instructions are in the model crate's count.

`--env NAME=VALUE` (repeatable) is passed to rustc, e.g. to try a variant of the
derive behind a temporary switch. Each crate gets its own incremental and output
directory under DIR, so cargo's own are left alone.

Not a test: nothing is asserted. Needs python3, cargo and valgrind.
Usage: python3 benches/rustc_instructions.py --dir DIR [--sizes 100,300,1000]
       [--target-dir DIR] [--env NAME=VALUE]
"""

import argparse
import os
import re
import shlex
import subprocess
import sys


def rustc_command(crate_dir, name, env):
    """The rustc invocation cargo uses for the crate `name` (a touch build), and
    the environment variables cargo sets for it."""
    os.utime(os.path.join(crate_dir, "src", "models.rs"))
    out = subprocess.run(["cargo", "build", "-vv"], cwd=crate_dir, env=env, capture_output=True, text=True)
    for line in out.stderr.splitlines():
        m = re.search(r"Running `(.*--crate-name " + re.escape(name) + r" .*)`$", line)
        if m:
            words = shlex.split(m.group(1))
            cargo_env = {}
            while words and re.match(r"^[A-Za-z_][A-Za-z0-9_]*=", words[0]):
                key, _, value = words.pop(0).partition("=")
                cargo_env[key] = value
            return words, cargo_env
    sys.exit(f"no rustc command for {name} in `cargo build -vv`:\n{out.stderr[-3000:]}")


def instructions(cmd, cwd, work, env):
    """Runs `cmd` (a rustc command) once to warm its incremental directory, then
    under cachegrind; returns the instructions of the second run."""
    os.makedirs(os.path.join(work, "out"), exist_ok=True)
    cmd = list(cmd)
    for i, arg in enumerate(cmd):
        if arg.startswith("incremental="):
            cmd[i] = "incremental=" + work
        if arg == "--out-dir":
            cmd[i + 1] = os.path.join(work, "out")
    subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, check=True)
    vg = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null"]
    out = subprocess.run(vg + cmd, cwd=cwd, env=env, capture_output=True, text=True, check=True)
    m = re.search(r"I\s+refs:\s+([\d,]+)", out.stderr)
    return int(m.group(1).replace(",", ""))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, help="the --dir of a compile_time.py run")
    parser.add_argument("--sizes", default="100,300,1000")
    parser.add_argument("--target-dir", default=os.environ.get("CARGO_TARGET_DIR"))
    parser.add_argument("--env", action="append", default=[], help="NAME=VALUE for rustc")
    args = parser.parse_args()
    root = os.path.abspath(args.dir)
    env = dict(os.environ, CARGO_TERM_COLOR="never")
    env["CARGO_TARGET_DIR"] = args.target_dir or os.path.join(root, "target")
    for item in args.env:
        name, _, value = item.partition("=")
        env[name] = value
    print(f"{'models':>6} {'model (M instr)':>16} {'fromrow (M instr)':>18} {'ratio':>6}")
    for n in [int(s) for s in args.sizes.split(",")]:
        ws = os.path.join(root, f"n{n}")
        counts = {}
        for kind in ["model", "fromrow"]:
            cmd, cargo_env = rustc_command(os.path.join(ws, kind), f"bench_{kind}_{n}", env)
            work = os.path.join(root, "instructions", f"{kind}_{n}")
            counts[kind] = instructions(cmd, ws, work, dict(env, **cargo_env))
        m, f = counts["model"] / 1e6, counts["fromrow"] / 1e6
        print(f"{n:>6} {m:>16.0f} {f:>18.0f} {m / f:>6.2f}", flush=True)


if __name__ == "__main__":
    main()
